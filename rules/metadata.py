"""RL1xx: action metadata and namespace (Python UDFs and YAML templates alike)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from registry_lint.context import FileContext, ProjectContext
from registry_lint.model import ActionSpec, Diagnostic, Location, Severity, Value
from registry_lint.rule import Invalid, Rule, Valid

# Shared example prologue: a clean action each example perturbs.
PY_HEAD = "from tracecat_registry import registry\n\n"


def _py(**kwargs: str) -> str:
    """A registered Python action with the given register() keywords."""
    defaults = {
        "default_title": '"Search"',
        "description": '"Search the web"',
        "display_group": '"Exa"',
        "doc_url": '"https://docs.exa.ai"',
        "namespace": '"tools.exa"',
    }
    defaults.update(kwargs)
    args = "".join(f"    {k}={v},\n" for k, v in defaults.items() if v is not None)
    return f"{PY_HEAD}@registry.register(\n{args})\nasync def search() -> dict:\n    return {{}}\n"


def _yml(**fields: str | None) -> str:
    """A YAML template with the given definition fields (None removes one)."""
    defaults: dict[str, str | None] = {
        "title": "Search",
        "description": "Search the web",
        "display_group": "Exa",
        "doc_url": "https://docs.exa.ai",
        "namespace": "tools.exa",
        "name": "search",
    }
    defaults.update(fields)
    body = "".join(f"  {k}: {v}\n" for k, v in defaults.items() if v is not None)
    return (
        "type: action\ndefinition:\n"
        + body
        + "  expects: {}\n  steps:\n    - ref: call\n      action: core.http_request\n"
        + "      args:\n        url: https://api.exa.ai\n  returns: ${{ steps.call.result }}\n"
    )


def _is_blank(value: Value | None) -> bool:
    """Absent, null or an empty/whitespace string; unknown values are not blank."""
    if value is None:
        return True
    if not value.known:
        return False
    return value.value is None or (isinstance(value.value, str) and not value.value.strip())


def _where(action: ActionSpec, value: Value | None) -> Location:
    return value.location if value is not None else action.location


class _RequiredText(Rule):
    """Shared check for a required, non-empty text field."""

    field_name = ""
    python_keyword = ""
    yaml_key = ""

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = getattr(action, self.field_name)
        if not _is_blank(value):
            return
        spelled = self.python_keyword if action.source == "python" else self.yaml_key
        state = "is empty" if value is not None else "is missing"
        yield self.diagnostic(_where(action, value), f"Action `{action.name.text if action.name else '?'}`: `{spelled}` {state}")


class MissingDescription(_RequiredText):
    """## What it does
    Reports an action whose `description` is absent or empty.

    ## Why is this bad?
    In Python `description` is a required keyword of `registry.register`: the
    module fails to import and the whole registry fails to sync. In templates
    an empty description leaves the action undocumented in the catalogue and
    in the agent tool list, where the description is what the model reads.

    ## Example
    ```python
    @registry.register(default_title="Search", namespace="tools.exa", display_group="Exa")
    async def search(query: str) -> dict: ...
    ```

    ## Use instead
    ```python
    @registry.register(
        default_title="Search",
        description="Search the web with Exa.",
        namespace="tools.exa",
        display_group="Exa",
    )
    async def search(query: str) -> dict: ...
    ```
    """

    code = "RL101"
    name = "missing-description"
    sources = ("python", "yaml")
    field_name = "description"
    python_keyword = yaml_key = "description"
    VALID = (Valid(_py()), Valid(_yml(), filename="t.yml"))
    INVALID = (
        Invalid(_py(description=None), line=9, col=11),
        Invalid(_py(description='""'), line=5, col=17),
        Invalid(_yml(description=None), filename="t.yml", line=7, col=9),
        Invalid(_yml(description='"  "'), filename="t.yml", line=4, col=16),
    )


class MissingTitle(_RequiredText):
    """## What it does
    Reports an action without a title: Python `default_title`, YAML `title`.

    ## Why is this bad?
    Templates require `title` (the template fails validation at sync). For
    UDFs the catalogue and the workflow builder fall back to the function
    name, which is not what users search for.

    ## Example
    ```yaml
    definition:
      name: search
      namespace: tools.exa
    ```

    ## Use instead
    ```yaml
    definition:
      title: Search
      name: search
      namespace: tools.exa
    ```
    """

    code = "RL102"
    name = "missing-title"
    sources = ("python", "yaml")
    field_name = "title"
    python_keyword = "default_title"
    yaml_key = "title"
    VALID = (Valid(_py()), Valid(_yml(), filename="t.yml"))
    INVALID = (
        Invalid(_py(default_title=None), line=9, col=11),
        Invalid(_py(default_title="''"), line=4, col=19),
        Invalid(_yml(title=None), filename="t.yml", line=7, col=9),
    )


class MissingDisplayGroup(_RequiredText):
    """## What it does
    Reports an action without a `display_group`.

    ## Why is this bad?
    Templates require it (validation fails at sync). UDFs without one land in
    an unnamed group in the action catalogue, away from the rest of the
    integration.

    ## Example
    ```python
    @registry.register(default_title="Search", description="...", namespace="tools.exa")
    ```

    ## Use instead
    ```python
    @registry.register(default_title="Search", description="...", namespace="tools.exa", display_group="Exa")
    ```
    """

    code = "RL103"
    name = "missing-display-group"
    sources = ("python", "yaml")
    field_name = python_keyword = yaml_key = "display_group"
    VALID = (Valid(_py()), Valid(_yml(), filename="t.yml"))
    INVALID = (
        Invalid(_py(display_group=None), line=9, col=11),
        Invalid(_yml(display_group="''"), filename="t.yml", line=5, col=18),
    )


class MissingDocUrl(Rule):
    """## What it does
    Reports an action without a `doc_url`.

    ## Why is this bad?
    The catalogue links every action to the vendor's API documentation; users
    need it to fill in parameters. Tracecat accepts actions without it, so
    this is a warning.

    ## Example
    ```yaml
    definition:
      title: Search
    ```

    ## Use instead
    ```yaml
    definition:
      title: Search
      doc_url: https://docs.exa.ai/reference/search
    ```
    """

    code = "RL104"
    name = "missing-doc-url"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (Valid(_py()), Valid(_yml(), filename="t.yml"))
    INVALID = (
        Invalid(_py(doc_url=None), line=9, col=11),
        Invalid(_py(doc_url="None"), line=7, col=13),
        Invalid(_yml(doc_url=None), filename="t.yml", line=7, col=9),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        if action.doc_url is None or (action.doc_url.known and action.doc_url.value is None):
            yield self.diagnostic(_where(action, action.doc_url), "Action has no `doc_url`: link the vendor's API documentation")


class MissingNamespace(Rule):
    """## What it does
    Reports an action without a `namespace`.

    ## Why is this bad?
    `registry.register` defaults `namespace` to `core`: the action silently
    lands among Tracecat's built-ins (`core.my_action`), where it can clash
    with them and is not found under the integration. Templates require a
    namespace and fail validation without one.

    ## Example
    ```python
    @registry.register(default_title="Search", description="...", display_group="Exa")
    async def search() -> dict: ...
    ```

    ## Use instead
    ```python
    @registry.register(default_title="Search", description="...", display_group="Exa", namespace="tools.exa")
    async def search() -> dict: ...
    ```
    """

    code = "RL105"
    name = "missing-namespace"
    sources = ("python", "yaml")
    VALID = (Valid(_py()), Valid(_yml(), filename="t.yml"))
    INVALID = (
        Invalid(_py(namespace=None), line=9, col=11, message="defaults to `core`"),
        Invalid(_yml(namespace=None), filename="t.yml", line=7, col=9),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        if not _is_blank(action.namespace):
            return
        if action.source == "python":
            name = action.name.text if action.name else "action"
            msg = f"`namespace` is missing: it defaults to `core`, so this registers as `core.{name}`; use `tools.<integration>`"
        else:
            msg = "`namespace` is missing: templates must declare `tools.<integration>`"
        yield self.diagnostic(_where(action, action.namespace), msg)


_RESERVED = re.compile(r"^(core|ai)(\..*)?$")


def _snake(text: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text)
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")


def suggest_namespace(namespace: str) -> str | None:
    """`tools.MyApp` -> `tools.my_app`, `tools-myapp` -> `tools.myapp`, `myapp` -> `tools.myapp`."""
    head, sep, tail = namespace.partition(".")
    if head.lower() == "tools" and sep:
        name = tail
    elif re.match(r"(?i)^tools[-_ /:]", namespace):
        name = namespace[6:]
    else:
        name = namespace
    name = _snake(name.replace(".", "_"))
    if not name or not name[0].isalpha():
        return None
    return f"tools.{name}"


class InvalidNamespace(Rule):
    """## What it does
    Reports a namespace that does not fullmatch `tools\\.[a-z][a-z0-9_]*`
    (configurable with `namespace-pattern`). The message says when the
    namespace is one of Tracecat's reserved built-ins (`core`, `core.*`,
    `ai`, `ai.*`) or has the wrong case or separator, and suggests the fix.

    ## Why is this bad?
    Custom actions in reserved namespaces collide with Tracecat's built-ins;
    other spellings break the `tools.<integration>` convention the catalogue,
    the docs and agents' tool names rely on.

    ## Example
    ```python
    @registry.register(namespace="tools.MyApp", ...)
    ```

    ## Use instead
    ```python
    @registry.register(namespace="tools.my_app", ...)
    ```
    """

    code = "RL106"
    name = "invalid-namespace"
    sources = ("python", "yaml")
    VALID = (
        Valid(_py()),
        Valid(_yml(namespace="tools.my_app2"), filename="t.yml"),
        Valid(_py(namespace='"acme.exa"'), config={"namespace-pattern": r"acme\.[a-z_]+"}),
    )
    INVALID = (
        Invalid(_py(namespace='"tools.MyApp"'), line=8, col=15, message="`tools.my_app`"),
        Invalid(_py(namespace='"core.http"'), line=8, col=15, message="reserved"),
        Invalid(_yml(namespace="tools-myapp"), filename="t.yml", line=7, col=14, message="`tools.myapp`"),
        Invalid(_yml(namespace="ai"), filename="t.yml", line=7, col=14, message="reserved"),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = action.namespace
        if value is None or not value.known or _is_blank(value):
            return
        ns = value.value
        if not isinstance(ns, str):
            yield self.diagnostic(value.location, f"Namespace must be a string, got {type(ns).__name__}")
            return
        if ctx.config.namespace_re.fullmatch(ns):
            return
        pattern = ctx.config.namespace_pattern
        if _RESERVED.match(ns):
            yield self.diagnostic(
                value.location,
                f"Namespace `{ns}` is reserved for Tracecat's built-in actions; use `tools.<integration>`",
            )
            return
        suggestion = suggest_namespace(ns)
        hint = ""
        if suggestion and ctx.config.namespace_re.fullmatch(suggestion):
            hint = f"; did you mean `{suggestion}`?"
        yield self.diagnostic(value.location, f"Namespace `{ns}` does not match `{pattern}`{hint}")


_LIMITS: tuple[tuple[str, str, int, int], ...] = (
    ("title", "title", 1, 100),
    ("display_group", "display_group", 1, 100),
    ("author", "author", 1, 100),
    ("description", "description", 0, 1000),
    ("doc_url", "doc_url", 1, 1000),
)


class MetadataTooLong(Rule):
    """## What it does
    Reports metadata over Tracecat's limits: `title`, `display_group` and
    `author` 1-100 characters; `description` and `doc_url` at most 1000.
    (An empty title or group is RL102/RL103 instead.)

    ## Why is this bad?
    Tracecat validates these lengths when it stores the registry: the sync
    fails for the whole repository.

    ## Example
    ```yaml
    definition:
      title: Search the web for pages, then summarise every page found and ... (120 characters)
    ```

    ## Use instead
    Keep titles short; put detail in `description`.
    """

    code = "RL107"
    name = "metadata-too-long"
    sources = ("python", "yaml")
    VALID = (Valid(_py(default_title='"' + "t" * 100 + '"')), Valid(_yml(author="Ada"), filename="t.yml"))
    INVALID = (
        Invalid(_py(default_title='"' + "t" * 101 + '"'), line=4, col=19, message="101"),
        Invalid(_yml(description="d" * 1001), filename="t.yml", line=4, col=16),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        for attr, label, _lo, hi in _LIMITS:
            value: Value | None = getattr(action, attr)
            if value is None or not isinstance(value.value, str):
                continue
            length = len(value.value)
            if length > hi:
                shown = "default_title" if attr == "title" and action.source == "python" else label
                yield self.diagnostic(value.location, f"`{shown}` is {length} characters; Tracecat allows at most {hi}")


class InvalidDocUrl(Rule):
    """## What it does
    Reports a `doc_url` that is not an absolute `http://` or `https://` URL.

    ## Why is this bad?
    The catalogue renders it as a link; a relative path, a bare domain or a
    typo in the scheme gives users a broken link.

    ## Example
    ```python
    @registry.register(doc_url="docs.exa.ai/search", ...)
    ```

    ## Use instead
    ```python
    @registry.register(doc_url="https://docs.exa.ai/search", ...)
    ```
    """

    code = "RL108"
    name = "invalid-doc-url"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (Valid(_py()), Valid(_yml(doc_url="http://example.com/a?b=c#d"), filename="t.yml"))
    INVALID = (
        Invalid(_py(doc_url='"docs.exa.ai/search"'), line=7, col=13),
        Invalid(_yml(doc_url="htps://docs.exa.ai"), filename="t.yml", line=6, col=12),
        Invalid(_yml(doc_url='"https:// docs"'), filename="t.yml", line=6, col=12),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = action.doc_url
        if value is None or not value.known or value.value is None:
            return
        url = value.value
        if not isinstance(url, str) or not _is_http_url(url):
            yield self.diagnostic(value.location, f"`doc_url` {str(url)[:80]!r} is not an absolute http(s) URL")


def _is_http_url(url: str) -> bool:
    if not url or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class DuplicateAction(Rule):
    """## What it does
    Reports two actions with the same key `namespace.name` anywhere in the
    linted set (across files and across Python and YAML). Every occurrence
    is reported, each pointing at the others.

    ## Why is this bad?
    Tracecat refuses to register the second one (`UDF key already
    registered`) or one silently shadows the other, depending on the order
    the files are loaded in.

    ## Example
    `tools/exa/search.yml` and `exa.py` both define `tools.exa.search`.

    ## Use instead
    Rename one of them.
    """

    code = "RL109"
    name = "duplicate-action"
    sources = ("python", "yaml")
    VALID = (Valid(_py(), files={"t.yml": _yml(name="other")}),)
    INVALID = (
        Invalid(_py(), files={"t.yml": _yml()}, line=10, col=11, message="t.yml:8"),
        Invalid(_py(), files={"t.yml": _yml()}, path="t.yml", line=8, col=9, message="action.py:10"),
        Invalid(_py(namespace=None) + "\n\n@registry.register(description='x')\nasync def search() -> dict:\n    return {}\n", line=9, col=11, also=((14, 11),)),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        by_key: dict[str, list[ActionSpec]] = defaultdict(list)
        for action in actions:
            key = action.key
            if key is not None:
                by_key[key].append(action)
        for key, group in by_key.items():
            if len(group) < 2:
                continue
            for action in group:
                others = [a.location for a in group if a is not action]
                where = ", ".join(f"{o.path}:{o.line}" for o in others)
                yield self.diagnostic(
                    action.location,
                    f"Action `{key}` is also defined at {where}",
                    related=tuple(others),
                )


class InvalidActionName(Rule):
    """## What it does
    Reports a YAML template whose `definition.name` is absent or not a Python
    identifier (Python actions take the function name, always valid).

    ## Why is this bad?
    The name forms the action key `namespace.name` used in workflows as
    `tools.exa.search`; Tracecat requires it, and names with dashes or spaces
    cannot be referenced from expressions.

    ## Example
    ```yaml
    definition:
      name: search-web
    ```

    ## Use instead
    ```yaml
    definition:
      name: search_web
    ```
    """

    code = "RL110"
    name = "invalid-action-name"
    sources = ("yaml",)
    VALID = (Valid(_yml(), filename="t.yml"), Valid(_py()))
    INVALID = (
        Invalid(_yml(name="search-web"), filename="t.yml", line=8, col=9, message="search_web"),
        Invalid(_yml(name=None), filename="t.yml", line=2, col=1),
        Invalid(_yml(name="1st"), filename="t.yml", line=8, col=9),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        if action.source != "yaml":
            return
        value = action.name
        if value is None:
            yield self.diagnostic(action.location, "Template `definition` has no `name`")
            return
        name = value.value
        if not isinstance(name, str) or not name.isidentifier():
            hint = ""
            if isinstance(name, str):
                candidate = re.sub(r"\W+", "_", name).strip("_")
                if candidate.isidentifier():
                    hint = f"; use `{candidate}`"
            yield self.diagnostic(value.location, f"Action name {name!r} is not a valid identifier{hint}")


class UnresolvableMetadata(Rule):
    """## What it does
    Reports metadata or `secrets=` given by an expression the linter cannot
    evaluate statically (a function call, a name defined elsewhere, `**kwargs`).
    Opt-in: enable with `--extend-select RL111`.

    ## Why is this bad?
    Nothing is wrong with it at run time, but every other metadata and secret
    rule skips what it cannot see rather than guess. Enable this rule to see
    where coverage stops, or to require literal metadata.

    ## Example
    ```python
    @registry.register(description=load_description("search"), ...)
    ```

    ## Use instead
    ```python
    @registry.register(description="Search the web.", ...)
    ```
    """

    code = "RL111"
    name = "unresolvable-metadata"
    severity = Severity.WARNING
    opt_in = True
    sources = ("python",)
    VALID = (Valid(_py()), Valid("from tracecat_registry import registry\nDOC = 'Search'\n" + _py(description="DOC")[len(PY_HEAD):]))
    INVALID = (
        Invalid(_py(description="describe()"), line=5, col=17, message="describe()"),
        Invalid(_py(secrets="make_secrets()"), line=9, col=13, message="secrets"),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        for label, value in action.metadata().items():
            if value is not None and not value.known:
                yield self.diagnostic(value.location, f"`{label}` is not statically known (`{(value.expr or '')[:60]}`); metadata rules skip it")
        if not action.secrets_known:
            yield self.diagnostic(action.secrets_location or action.location, "`secrets` is not statically known; secret rules skip it")
