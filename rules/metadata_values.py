"""RL112: metadata values of the wrong kind (both sources), and a template
whose ``definition`` is not a mapping. Imported by ``metadata.py`` (same family)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from registry_lint.context import FileContext
from registry_lint.model import ActionSpec, Diagnostic, Value
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.tracecat import METADATA_NULLABLE, METADATA_STRING_FIELDS, TEMPLATE_TOP_FIELDS

from ._metadata_common import py_action, yml_action

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
        Invalid("type: action\ndefinition: [name, namespace]\n", filename="t.yml", line=2, col=13, message="not a mapping"),
        Invalid("type: action\ntitle: Search\n", filename="t.yml", line=1, col=1, message="no `definition`"),
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
