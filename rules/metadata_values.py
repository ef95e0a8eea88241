"""RL107, RL108, RL111, RL112: metadata values (both sources): lengths Tracecat
stores, a ``doc_url`` that is a URL, values the linter can know statically,
and values of the wrong kind (with a template whose ``definition`` is not a
mapping). Required fields and the rest of the family are ``metadata.py``
and ``metadata_keys.py``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from registry_lint.context import FileContext
from registry_lint.model import ActionSpec, Diagnostic, Severity, Value
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.tracecat import METADATA_LENGTH as _LIMITS
from registry_lint.tracecat import METADATA_NULLABLE, METADATA_STRING_FIELDS, TEMPLATE_TOP_FIELDS

from ._metadata_common import PY_HEAD, py_action, yml_action

if TYPE_CHECKING:
    from registry_lint.extract.yamlnodes import YamlFile

_FIELDS = METADATA_STRING_FIELDS


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"  # a YAML date or timestamp


class InvalidMetadataValue(Rule):
    """## What it does
    Reports a metadata value of the wrong kind (`title: 123`) and a
    template whose `definition` is not a mapping.

    Wrong kinds: a number, boolean, date, list or mapping where Tracecat
    expects a string (`author: [a, b]`), and `null` for a field that is
    required (a template's `name`, `namespace`, `title`, `display_group`,
    `description`; Python's `description` and `namespace`).

    Quote values YAML would read as something else: `title: "2024"`,
    `author: "null"`.

    ## Why is this bad?
    Tracecat validates metadata with pydantic, whose `str` fields accept
    neither numbers nor booleans (no coercion): a template is skipped
    ("Could not parse ... as template action"), a Python action fails
    `RegisterKwargs` validation while the repository loads. A `definition`
    that is not a mapping never loads.

    Severity: error. `TemplateActionDefinition` / `TemplateAction`
    (`tracecat/registry/actions/schemas.py`) and `RegisterKwargs`
    (`tracecat/registry/repository.py`) reject the value.

    ## Example
    ```yaml
    definition:
      title: 2024
      description: null
    ```

    ## Use instead
    ```yaml
    definition:
      title: "2024"
      description: Look up the 2024 report.
    ```
    """

    code = "RL112"
    name = "invalid-metadata-value"
    sources = ("python", "yaml")
    VALID = (
        Valid(py_action(author="None", default_title="None")),
        Valid(yml_action(title='"123"', author="null"), filename="t.yml"),
    )
    INVALID = (
        Invalid(yml_action(title="123"), filename="t.yml", line=3, col=10, message="a number"),
        Invalid(yml_action(description="null"), filename="t.yml", line=4, col=16, message="null"),
        Invalid(py_action(default_title="True"), line=4, col=19, message="a boolean"),
        Invalid(py_action(description="None"), line=5, col=17, message="null"),
        Invalid(
            """
            type: action
            definition: [name, namespace]
                        ^
            """,
            filename="t.yml",
            message="not a mapping",
        ),
        Invalid(
            """
            type: action
            ^
            title: Search
            """,
            filename="t.yml",
            message="no `definition`",
        ),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        nullable = METADATA_NULLABLE[action.source]
        for field in _FIELDS:
            value: Value | None = getattr(action, field)
            if value is None or not value.known or isinstance(value.value, str):
                continue
            if value.value is None and field in nullable:
                continue
            shown = "default_title" if field == "title" and action.source == "python" else field
            what = "null, but Tracecat requires a string" if value.value is None else f"{_kind(value.value)}, not a string"
            yield self.diagnostic(value.location, f"`{shown}` is {what}: Tracecat rejects the action")

    def check_yaml(self, parsed: YamlFile, ctx: FileContext) -> Iterator[Diagnostic]:
        import yaml

        from registry_lint.extract.yamlnodes import get, get_key

        root = parsed.root
        if parsed.is_template or not isinstance(root, yaml.MappingNode):
            return
        type_node = get(root, "type")
        definition = get(root, "definition")
        declared_action = isinstance(type_node, yaml.ScalarNode) and type_node.value == "action"
        keys = {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
        if definition is not None and not isinstance(definition, yaml.MappingNode) and (declared_action or keys <= set(TEMPLATE_TOP_FIELDS)):
            yield self.diagnostic(parsed.loc(definition), "`definition` is not a mapping: Tracecat cannot load this template")
        elif definition is None and declared_action:
            yield self.diagnostic(
                parsed.loc(get_key(root, "type") or root),
                "`type: action` but no `definition` mapping: Tracecat cannot load this template",
            )


class MetadataTooLong(Rule):
    """## What it does
    Reports metadata outside Tracecat's length limits, including an empty
    `author`, `deprecated` or `doc_url`.

    Limits: `title`, `display_group` and `author` 1-100 characters; the
    action name 1-100; `description` at most 1000; `doc_url` and
    `deprecated` 1-1000 (an empty title or group is RL102/RL103's).

    ## Why is this bad?
    Tracecat validates these lengths when it stores the registry: the
    action fails to serialise and the sync reports it as broken.

    Severity: error. `RegistryActionBase` declares the limits
    (`tracecat/registry/actions/schemas.py`) and
    `RegistryActionCreate.from_bound` applies them at sync
    (`tracecat/registry/sync/entrypoint.py`).

    ## Example
    ```yaml
    definition:
      title: Search the web for pages, then summarise every page found and ... (120 characters)
      author: ""
    ```

    ## Use instead
    Keep titles short and put detail in `description`; leave out an
    `author` you do not want to name (a missing one is fine).
    """

    code = "RL107"
    name = "metadata-too-long"
    sources = ("python", "yaml")
    VALID = (
        Valid(py_action(default_title='"' + "t" * 100 + '"', author="None")),
        Valid(yml_action(author="Ada", name="n" * 100), filename="t.yml"),
    )
    INVALID = (
        Invalid(py_action(default_title='"' + "t" * 101 + '"'), line=4, col=19, message="101"),
        Invalid(yml_action(description="d" * 1001), filename="t.yml", line=4, col=16),
        Invalid(py_action(author='""'), line=9, col=12, message="empty"),
        Invalid(yml_action(deprecated="''"), filename="t.yml", line=9, col=15, message="empty"),
        Invalid(yml_action(name="n" * 101), filename="t.yml", line=8, col=9, message="101"),
        Invalid(
            "from tracecat_registry import registry\n\n"
            '@registry.register(description="d", namespace="tools.x")\n'
            f"async def {'f' * 101}() -> str:\n    return ''\n",
            line=4,
            col=11,
            message="name",
        ),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        for attr, lo, hi in _LIMITS:
            value: Value | None = getattr(action, attr)
            if value is None or not isinstance(value.value, str):
                continue
            length = len(value.value)
            shown = "default_title" if attr == "title" and action.source == "python" else attr
            if length > hi:
                yield self.diagnostic(value.location, f"`{shown}` is {length} characters; Tracecat allows at most {hi}")
            elif length < lo and attr not in ("title", "display_group"):
                hint = "; leave it out instead" if attr in METADATA_NULLABLE[action.source] else ""
                yield self.diagnostic(value.location, f"`{shown}` is empty: Tracecat requires at least {lo} character{hint}")


class InvalidDocUrl(Rule):
    """## What it does
    Reports a `doc_url` that is not an absolute `http://` or `https://` URL.

    ## Why is this bad?
    The catalogue renders it as a link; a relative path, a bare domain or a
    typo in the scheme gives users a broken link.

    Severity: warning. Tracecat stores any string of 1-1000 characters
    (`tracecat/registry/actions/schemas.py`); only the link is broken.

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
        if value is None or not value.known or value.value is None or value.value == "":
            return  # absent: RL104; empty: RL107
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

    Severity: warning. Tracecat evaluates the expression at import like any
    other; only the linter cannot.

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
