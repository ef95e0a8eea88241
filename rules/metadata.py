"""RL1xx: action metadata and namespace (Python UDFs and YAML templates alike)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from registry_lint.context import FileContext
from registry_lint.model import ActionSpec, Diagnostic, Severity, Value
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.tracecat import METADATA_MAX_LENGTH as _LIMITS

from ._metadata_common import PY_HEAD, is_blank, py_action, where, yml_action


class _RequiredText(Rule):
    """Shared check for a required, non-empty text field."""

    field_name = ""
    python_keyword = ""
    yaml_key = ""

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = getattr(action, self.field_name)
        if not is_blank(value):
            return
        spelled = self.python_keyword if action.source == "python" else self.yaml_key
        state = "is empty" if value is not None else "is missing"
        yield self.diagnostic(where(action, value), f"Action `{action.name.text if action.name else '?'}`: `{spelled}` {state}")


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
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(description=None), line=9, col=11),
        Invalid(py_action(description='""'), line=5, col=17),
        Invalid(yml_action(description=None), filename="t.yml", line=7, col=9),
        Invalid(yml_action(description='"  "'), filename="t.yml", line=4, col=16),
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
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(default_title=None), line=9, col=11),
        Invalid(py_action(default_title="''"), line=4, col=19),
        Invalid(yml_action(title=None), filename="t.yml", line=7, col=9),
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
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(display_group=None), line=9, col=11),
        Invalid(yml_action(display_group="''"), filename="t.yml", line=5, col=18),
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
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(doc_url=None), line=9, col=11),
        Invalid(py_action(doc_url="None"), line=7, col=13),
        Invalid(yml_action(doc_url=None), filename="t.yml", line=7, col=9),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        if action.doc_url is None or (action.doc_url.known and action.doc_url.value is None):
            yield self.diagnostic(where(action, action.doc_url), "Action has no `doc_url`: link the vendor's API documentation")


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
    VALID = (Valid(py_action(default_title='"' + "t" * 100 + '"')), Valid(yml_action(author="Ada"), filename="t.yml"))
    INVALID = (
        Invalid(py_action(default_title='"' + "t" * 101 + '"'), line=4, col=19, message="101"),
        Invalid(yml_action(description="d" * 1001), filename="t.yml", line=4, col=16),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        for attr, hi in _LIMITS:
            value: Value | None = getattr(action, attr)
            if value is None or not isinstance(value.value, str):
                continue
            length = len(value.value)
            if length > hi:
                shown = "default_title" if attr == "title" and action.source == "python" else attr
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
    VALID = (Valid(py_action()), Valid(yml_action(doc_url="http://example.com/a?b=c#d"), filename="t.yml"))
    INVALID = (
        Invalid(py_action(doc_url='"docs.exa.ai/search"'), line=7, col=13),
        Invalid(yml_action(doc_url="htps://docs.exa.ai"), filename="t.yml", line=6, col=12),
        Invalid(yml_action(doc_url='"https:// docs"'), filename="t.yml", line=6, col=12),
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
    VALID = (Valid(py_action()), Valid("from tracecat_registry import registry\nDOC = 'Search'\n" + py_action(description="DOC")[len(PY_HEAD):]))
    INVALID = (
        Invalid(py_action(description="describe()"), line=5, col=17, message="describe()"),
        Invalid(py_action(secrets="make_secrets()"), line=9, col=13, message="secrets"),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        for label, value in action.metadata().items():
            if value is not None and not value.known:
                yield self.diagnostic(value.location, f"`{label}` is not statically known (`{(value.expr or '')[:60]}`); metadata rules skip it")
        if not action.secrets_known:
            yield self.diagnostic(action.secrets_location or action.location, "`secrets` is not statically known; secret rules skip it")


# The namespace/name/key rules of this family live in their own module.
from . import metadata_keys  # noqa: E402,F401
