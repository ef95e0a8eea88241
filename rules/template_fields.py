"""RL606-RL609: keys and `expects` fields of YAML files and templates (part of the RL6xx family)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from registry_lint.lazymod import lazy
from registry_lint.lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from registry_lint.context import FileContext
from registry_lint.model import Diagnostic
from registry_lint.rule import Invalid, Rule, Valid

from ._template_common import (
    DEFINITION_FIELDS,
    EXPECTS_FIELDS,
    OK,
    STEP_FIELDS,
    TOP_FIELDS,
    TemplateRule,
    hint,
    is_null,
    keys,
    text,
)

if TYPE_CHECKING:
    from registry_lint.extract.template import Template
    from registry_lint.extract.yaml import YamlFile
    from registry_lint.typeexpr import TypeExprError

_tpl = lazy("registry_lint.extract.template")
_yx = lazy("registry_lint.extract.yaml")
_typeexpr = lazy("registry_lint.typeexpr")

def _type_error(text: str) -> TypeExprError | None:
    """``check_type_expression`` (pure) once per distinct type: templates repeat a few dozen.
    Long texts are not kept (a hostile file must not fill memory across files)."""
    return _cached_type_error(text) if len(text) <= 200 else _typeexpr.check_type_expression(text)


@lru_cache(maxsize=2048)
def _cached_type_error(text: str) -> TypeExprError | None:
    return _typeexpr.check_type_expression(text)


# Options of workflow actions (tracecat/dsl/schemas.py ActionStatement) that template steps lack.
WORKFLOW_STEP_OPTIONS = frozenset((
    "id", "description", "depends_on", "interaction", "run_if", "for_each", "retry_policy",
    "start_delay", "wait_until", "join_strategy", "environment", "mask_output",
))
_ALIASES = {
    "definition": {"input": "expects", "inputs": "expects", "parameters": "expects", "params": "expects",
                   "args": "expects", "arguments": "expects", "output": "returns", "outputs": "returns",
                   "return": "returns", "result": "returns", "docs_url": "doc_url", "documentation_url": "doc_url"},
    "step": {"with": "args", "inputs": "args", "input": "args", "params": "args", "parameters": "args",
             "arguments": "args", "uses": "action", "run": "action", "name": "ref"},
    "expects": {"desc": "description", "choices": "enum", "options": "enum", "values": "enum",
                "required": "optional", "default_value": "default"},
}


class UndocumentedInput(TemplateRule):
    """## What it does
    Reports an `expects` field without a non-empty `description` or
    without `type`.

    Reported at the field's key; a `type` that is null counts as absent, and
    a field that is not a mapping at all is reported too. A `type` that is
    present but not a valid type expression is RL609.

    ## Why is this bad?
    `type` is required by Tracecat's `ExpectedField`: the template fails to
    load without it. The description is what the workflow builder and AI
    agents show for the input; without it the action is hard to use right.

    ## Example
    ```yaml
    expects:
      user_id:
        type: str
    ```

    ## Use instead
    ```yaml
    expects:
      user_id:
        type: str
        description: The ID of the user to fetch.
    ```
    """

    code = "RL606"
    name = "undocumented-input"
    VALID = (Valid(OK, filename="t.yml"),)
    INVALID = (
        Invalid(OK.replace("      description: The user ID.\n", "      description: ' '\n    limit: int\n"),
                filename="t.yml", line=9, col=5, also=((12, 5),), message="no `description`"),
        Invalid(OK.replace("      type: str\n", "      type:\n"), filename="t.yml", line=9, col=5,
                message="no `type`"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        for key, value in facts.expects or ():
            if not isinstance(value, yaml.MappingNode):
                yield self.diagnostic(
                    parsed.loc(key), f"input `{key.value}` must be a mapping with `type` and `description`"
                )
                continue
            missing = []
            type_node = _tpl.member(value, "type")
            if type_node is None or is_null(type_node):
                missing.append("`type`")
            described = _tpl.member(value, "description")
            if described is not None and not is_null(described) and text(described) is None:
                missing.append("string `description`")
            elif not (text(described) or "").strip():
                missing.append("`description`")
            if missing:
                yield self.diagnostic(parsed.loc(key), f"input `{key.value}` has no {' and no '.join(missing)}")


class DuplicateYamlKey(Rule):
    """## What it does
    Reports a mapping key written twice in the same mapping, in any YAML
    file.

    Reported at the repeated key, naming the line of the first. Applies to
    every YAML file, not only templates. Keys that only look alike (`1` and
    `"1"`) are different keys and are not reported; `<<` merge keys are not
    duplicates.

    ## Why is this bad?
    PyYAML (and so Tracecat) silently keeps the last value: the first
    `description`, `default` or whole step mapping is dropped without a word.

    ## Example
    ```yaml
    expects:
      limit:
        type: int
        description: Maximum results.
        type: int | None
    ```

    ## Use instead
    Keep one `type`.
    """

    code = "RL607"
    name = "duplicate-yaml-key"
    sources = ("yaml",)
    VALID = (Valid(OK, filename="t.yml"), Valid("a: 1\n'1': x\n1: y\nb:\n  a: 2\n", filename="other.yaml"))
    INVALID = (
        Invalid(OK.replace("      type: str\n", "      type: str\n      type: int\n"), filename="t.yml",
                line=11, col=7, message="first at line 10"),
        Invalid("x: 1\ny:\n  x: 2\nx: 3\n", filename="config.yaml", line=4, col=1),
    )

    def check_yaml(self, parsed: YamlFile, ctx: FileContext) -> Iterable[Diagnostic]:
        for first, repeat in parsed.duplicates:
            if _yx.scalar(first) != _yx.scalar(repeat) or type(_yx.scalar(first)) is not type(_yx.scalar(repeat)):
                continue
            line = first.start_mark.line + 1
            yield self.diagnostic(
                parsed.loc(repeat),
                f"duplicate key `{repeat.value}` (first at line {line}); only the last value is kept",
                related=(parsed.loc(first),),
            )


class UnknownTemplateField(TemplateRule):
    """## What it does
    Reports a key Tracecat's template schema does not have, suggesting the
    closest valid one.

    Checked: the top level (`type`, `definition`), `definition`, steps
    (`ref`, `action`, `args`) and `expects` fields (`type`, `description`,
    `default`, `enum`, `optional`). Secret entries are RL211's.

    Workflow-only step options (`for_each`, `run_if`, `depends_on`,
    `retry_policy`, ...) are reported too, with a message saying so: template
    steps have no such options and Tracecat drops them, so the loop or
    condition silently never happens. Loop over items inside `args` instead
    (e.g. an expression or a `core.script.run_python` step).

    ## Why is this bad?
    Unknown keys in `expects` fields fail validation (`extra="forbid"`); at
    the other levels Tracecat ignores them, so `secret:` means the action
    gets no secrets and `display-group:` means the field is missing.

    ## Example
    ```yaml
    definition:
      display-group: Acme
      secret:
        - name: acme
          keys: [ACME_API_KEY]
    ```

    ## Use instead
    ```yaml
    definition:
      display_group: Acme
      secrets:
        - name: acme
          keys: [ACME_API_KEY]
    ```
    """

    code = "RL608"
    name = "unknown-template-field"
    VALID = (Valid(OK, filename="t.yml"),)
    INVALID = (
        Invalid(OK.replace("  display_group: Acme\n", "  display-group: Acme\n  input: {}\n"),
                filename="t.yml", line=7, col=3, also=((8, 3),), message="did you mean `display_group`?"),
        Invalid(OK.replace("      description: The user ID.\n", "      desc: The user ID.\n").replace(
            "      action:", "      for_each: ${{ inputs.user_id }}\n      action:"),
            filename="t.yml", line=11, col=7, also=((14, 7),), message="did you mean `description`?"),
        Invalid("title: x\n" + OK, filename="t.yml", line=1, col=1, message="under `definition`"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        for key in keys(parsed.root):
            if key.value not in TOP_FIELDS:
                where = " (it belongs under `definition`)" if key.value in DEFINITION_FIELDS else hint(
                    key.value, TOP_FIELDS)
                yield self.diagnostic(parsed.loc(key), f"unknown top-level template key `{key.value}`{where}")
        for key in keys(parsed.definition):
            if key.value not in DEFINITION_FIELDS:
                suggestion = hint(key.value, DEFINITION_FIELDS, _ALIASES["definition"])
                yield self.diagnostic(parsed.loc(key), f"unknown `definition` key `{key.value}`{suggestion}")
        for step in facts.steps or ():
            for key in keys(step.node):
                if key.value in WORKFLOW_STEP_OPTIONS:
                    msg = (f"`{key.value}` is a workflow action option; template steps only have "
                           "`ref`, `action` and `args`, and Tracecat ignores it")
                    yield self.diagnostic(parsed.loc(key), msg)
                elif key.value not in STEP_FIELDS:
                    suggestion = hint(key.value, STEP_FIELDS, _ALIASES["step"])
                    yield self.diagnostic(parsed.loc(key), f"unknown step key `{key.value}`{suggestion}")
        for name, value in facts.expects or ():
            for key in keys(value):
                if key.value not in EXPECTS_FIELDS:
                    suggestion = hint(key.value, EXPECTS_FIELDS, _ALIASES["expects"])
                    msg = f"unknown key `{key.value}` in input `{name.value}`{suggestion}"
                    yield self.diagnostic(parsed.loc(key), msg)


class InvalidExpectsType(TemplateRule):
    """## What it does
    Reports an `expects.<x>.type` that Tracecat cannot turn into a type.

    Reported at the type value. Accepted is exactly the language of
    Tracecat's type grammar (`type_grammar` in
    `tracecat/expressions/expectations.py`): the primitives `str`, `int`,
    `float`, `bool`, `datetime`, `duration`, `any`/`Any`, `None`; `list[T]`
    (an item type is required); `dict` or `dict[K, V]`; unions `A | B`;
    `enum["a", "b"]` (1-20 non-empty values, unique ignoring case: the
    checks of its `TypeTransformer`). Names are case-sensitive and only
    spaces, tabs and line breaks may separate the parts, so `null`,
    `string`, `integer`, `List[str]`, `Optional[str]`, `enum[]` and a
    trailing `|` are reported, with the Tracecat spelling to use where there
    is one. A `$Reference` type parses but never registers: the transformer
    returns the string `"$Reference"` and building the input model from it
    raises (`typing.ForwardRef` rejects `$`), so it is reported too. A
    non-string `type` is reported; an absent or null one is RL606.

    ## Why is this bad?
    Tracecat builds the template's input model when it loads the file
    (`Repository.register_template_action` calls `create_expectation_model`,
    `tracecat/registry/repository.py`); the error propagates out of
    `load_template_actions_from_path`, which raises `RegistryError`, so the
    whole repository fails to sync, not only this template.

    ## Example
    ```yaml
    expects:
      limit:
        type: Optional[integer]
        description: Maximum results.
    ```

    ## Use instead
    ```yaml
        type: int | None
    ```
    """

    code = "RL609"
    name = "invalid-expects-type"
    VALID = (
        Valid(OK.replace("type: str", 'type: list[dict[str, Any]] | enum["a", \'b\'] | dict | None'),
              filename="t.yml"),
    )
    INVALID = (
        Invalid(OK.replace("type: str", "type: string | null"), filename="t.yml", line=10, col=13,
                message="did you mean 'str'?"),
        Invalid(OK.replace("type: str", 'type: enum["a", "A"]'), filename="t.yml", line=10, col=13,
                message="duplicate enum value"),
        Invalid(OK.replace("type: str", "type: [str]"), filename="t.yml", line=10, col=13),
        Invalid(OK.replace("type: str", "type: $UserId"), filename="t.yml", line=10, col=13,
                message="cannot build the input model"),
        Invalid(OK.replace("type: str", "type: 'str |'"), filename="t.yml", line=10, col=13),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        for name, value in facts.expects or ():
            node = _tpl.member(value, "type") if isinstance(value, yaml.MappingNode) else None
            if node is None or is_null(node):
                continue
            type_text = text(node)
            if type_text is None:
                yield self.diagnostic(parsed.loc(node), f"type of input `{name.value}` must be a string ({_typeexpr.EXAMPLES})")
                continue
            error = _type_error(type_text)
            if error is not None:
                msg = f"invalid type `{type_text}` for input `{name.value}`: {error.message}"
                yield self.diagnostic(parsed.loc(node), msg)
