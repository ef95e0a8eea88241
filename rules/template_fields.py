"""RL606-RL609: keys and `expects` fields of YAML files and templates (part of the RL6xx family)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from registry_lint.lazymod import lazy
from registry_lint.lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from registry_lint.context import FileContext
from registry_lint.extract.templatekeys import ALIASES as _ALIASES
from registry_lint.model import Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.tracecat import TEMPLATE_DEFINITION_FIELDS as DEFINITION_FIELDS
from registry_lint.tracecat import TEMPLATE_EXPECTS_FIELDS as EXPECTS_FIELDS
from registry_lint.tracecat import TEMPLATE_STEP_FIELDS as STEP_FIELDS
from registry_lint.tracecat import TEMPLATE_TOP_FIELDS as TOP_FIELDS
from registry_lint.tracecat import lax_bool

from ._template_common import (
    OK,
    TemplateRule,
    hint,
    is_null,
    keys,
    text,
)

if TYPE_CHECKING:
    from registry_lint.extract.template import Template
    from registry_lint.extract.yamlnodes import YamlFile
    from registry_lint.typeexpr import TypeExprError

_tpl = lazy("registry_lint.extract.template")
_yx = lazy("registry_lint.extract.yamlnodes")
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


class UndocumentedInput(TemplateRule):
    """## What it does
    Reports an `expects` field without `type` or without a non-empty
    `description`.

    Reported at the field's key; a `type` that is null counts as absent, and
    a field that is not a mapping at all is reported too. A misspelt key
    written where `type` is missing (`typ: str`) is reported here, at that
    key, with the spelling to use (not also as an unknown key, RL608). A
    `type` that is present but not a valid type expression is RL609.

    ## Why is this bad?
    `type` is required by Tracecat's `ExpectedField`: the template fails to
    load without it. The description is what the workflow builder and AI
    agents show for the input; without it the action is hard to use right.

    Severity: error for a field without `type`, a field that is not a
    mapping and a `description` that is not a string: `ExpectedField`
    (`tracecat/expressions/schemas.py`; `type: str`, `description: str |
    None`, `extra="forbid"`) rejects them and
    `Repository.load_template_action_from_file`
    (`tracecat/registry/repository.py`) skips the template. Warning for a
    missing, null or blank description: `description` defaults to `None`,
    so the template loads and runs; only its documentation is missing.

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
    mixed_severity = True
    VALID = (Valid(OK, filename="t.yml"),)
    INVALID = (
        Invalid(OK.replace("      description: The user ID.\n", "      description: ' '\n    limit: int\n"),
                filename="t.yml", line=9, col=5, also=((12, 5),), message="no `description`"),
        Invalid(OK.replace("      description: The user ID.\n", ""), filename="t.yml", line=9, col=5,
                message="no `description`", severity=Severity.WARNING),
        Invalid(OK.replace("      type: str\n", "      type:\n"), filename="t.yml", line=9, col=5,
                message="no `type`", severity=Severity.ERROR),
        Invalid(OK.replace("      type: str\n", "      typ: str\n"), filename="t.yml", line=10, col=7,
                message="did you mean `type`?", severity=Severity.ERROR),
        Invalid(OK.replace("description: The user ID.", "description: [The user ID.]"), filename="t.yml", line=9,
                col=5, message="string `description`", severity=Severity.ERROR),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        for key, value in facts.expects or ():
            if not isinstance(value, yaml.MappingNode):
                yield self.diagnostic(
                    parsed.loc(key), f"input `{key.value}` must be a mapping with `type` and `description`"
                )
                continue
            errors, warnings = [], []
            where = key
            type_node = _tpl.member(value, "type")
            if type_node is None or is_null(type_node):
                errors.append("`type`")
                written = facts.stand_in("expects", str(key.value), "type") if type_node is None else None
                if written is not None:
                    where = written.key
                    errors[-1] = f"`type` (`{written.key.value}` is not a field of an input: did you mean `type`?)"
            described = _tpl.member(value, "description")
            if described is not None and not is_null(described) and text(described) is None:
                errors.append("string `description`")
            elif not (text(described) or "").strip():
                warnings.append("`description`")
            missing = errors + warnings
            if missing:
                severity = Severity.ERROR if errors else Severity.WARNING
                yield self.diagnostic(
                    parsed.loc(where), f"input `{key.value}` has no {' and no '.join(missing)}", severity=severity
                )


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

    Severity: warning. `yaml.safe_load` (`TemplateAction.from_yaml`,
    `tracecat/registry/actions/schemas.py`) accepts repeated keys and keeps
    the last value, so the file loads; what the kept value does is judged by
    the other rules, which read the file the same way.

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
    severity = Severity.WARNING
    sources = ("yaml",)
    VALID = (Valid(OK, filename="t.yml"), Valid("a: 1\n'1': x\n1: y\nb:\n  a: 2\n", filename="other.yaml"))
    INVALID = (
        Invalid(OK.replace("      type: str\n", "      type: str\n      type: int\n"), filename="t.yml",
                line=11, col=7, message="first at line 10"),
        Invalid(
            """
            x: 1
            y:
              x: 2
            x: 3
            ^
            """,
            filename="config.yaml",
        ),
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
    `default`, `enum`, `optional`). Secret entries are RL211's. A top-level
    key whose value is `action` (`title: action`) is a misnamed `type`: the
    message says so (the file loads anyway, `type` defaults to `action`).

    A misspelt key written where a required field is missing (`name:` for a
    step's `ref`, `inputs:` for `expects`, `display-group:` for
    `display_group`, `typ:` for an input's `type`) is not reported here: the
    rule for the missing field (RL601, RL602, RL101-RL103, RL606) reports
    it once, at that key, with the spelling to use.

    Workflow-only step options (`for_each`, `run_if`, `depends_on`,
    `retry_policy`, ...) are reported too, with a message saying so: template
    steps have no such options and Tracecat drops them, so the loop or
    condition silently never happens. Loop over items inside `args` instead
    (e.g. an expression or a `core.script.run_python` step).

    ## Why is this bad?
    An unknown key in an `expects` field fails validation; at the other
    levels Tracecat ignores it, so `secret:` means the action gets no
    secrets and `display-group:` means the field is missing.

    Severity: error in an `expects` field: `ExpectedField` has
    `extra="forbid"` (`tracecat/expressions/schemas.py`), so the template is
    skipped at sync (`Repository.load_template_action_from_file`,
    `tracecat/registry/repository.py`). Warning at the top level, in
    `definition` and in steps: `TemplateAction`, `TemplateActionDefinition`
    and `ActionStep` (`tracecat/registry/actions/schemas.py`) are pydantic
    models with the default `extra="ignore"`, so the template loads and runs
    without the key. What the missing field then does is judged by the rule
    for that field (RL1xx for metadata, RL2xx for `secrets`).

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
    severity = Severity.WARNING
    mixed_severity = True
    VALID = (Valid(OK, filename="t.yml"),)
    INVALID = (
        Invalid(OK.replace("  display_group: Acme\n", "  display_group: Acme\n  display-group: Acme\n  input: {}\n"),
                filename="t.yml", line=8, col=3, also=((9, 3),), message="did you mean `display_group`?",
                severity=Severity.WARNING),
        Invalid(OK.replace("      description: The user ID.\n", "      desc: The user ID.\n"),
                filename="t.yml", line=11, col=7, message="did you mean `description`?", severity=Severity.ERROR),
        Invalid(OK.replace("      action:", "      for_each: ${{ inputs.user_id }}\n      action:"),
                filename="t.yml", line=14, col=7, message="workflow action option", severity=Severity.WARNING),
        Invalid("title: x\n" + OK, filename="t.yml", line=1, col=1, message="under `definition`"),
        Invalid(OK.replace("type: action", "title: action", 1), filename="t.yml", line=1, col=1,
                message="did you mean `type: action`?", severity=Severity.WARNING),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        has_type = _tpl.member_key(parsed.root, "type") is not None
        for key in keys(parsed.root):
            if key.value in TOP_FIELDS:
                continue
            if not has_type and text(_tpl.member(parsed.root, key.value)) == "action":
                where = " (did you mean `type: action`? The file loads anyway: `type` defaults to `action`)"
            elif key.value in DEFINITION_FIELDS:
                where = " (it belongs under `definition`)"
            else:
                where = hint(key.value, TOP_FIELDS, _ALIASES["top"])
            yield self.diagnostic(parsed.loc(key), f"unknown top-level template key `{key.value}`{where}; Tracecat ignores it")
        for key in keys(parsed.definition):
            if key.value not in DEFINITION_FIELDS and not facts.is_stand_in(key):
                suggestion = hint(key.value, DEFINITION_FIELDS, _ALIASES["definition"])
                yield self.diagnostic(parsed.loc(key), f"unknown `definition` key `{key.value}`{suggestion}; Tracecat ignores it")
        for step in facts.steps or ():
            for key in keys(step.node):
                if key.value in WORKFLOW_STEP_OPTIONS:
                    msg = (f"`{key.value}` is a workflow action option; template steps only have "
                           "`ref`, `action` and `args`, and Tracecat ignores it")
                    yield self.diagnostic(parsed.loc(key), msg)
                elif key.value not in STEP_FIELDS and not facts.is_stand_in(key):
                    suggestion = hint(key.value, STEP_FIELDS, _ALIASES["step"])
                    yield self.diagnostic(parsed.loc(key), f"unknown step key `{key.value}`{suggestion}; Tracecat ignores it")
        for name, value in facts.expects or ():
            for key in keys(value):
                if key.value not in EXPECTS_FIELDS and not facts.is_stand_in(key):
                    suggestion = hint(key.value, EXPECTS_FIELDS, _ALIASES["expects"])
                    msg = f"unknown key `{key.value}` in input `{name.value}`{suggestion}: Tracecat skips the template"
                    yield self.diagnostic(parsed.loc(key), msg, severity=Severity.ERROR)


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

    The other typed values of an input are checked here too, against
    `ExpectedField` (`tracecat/expressions/schemas.py`): an `enum` that is
    not a list of strings (`enum: a`, `enum: [1, 2]`; the allowed values
    belong to the input's type) and an `optional` that is not a boolean
    (`optional: maybe`; pydantic's lax `bool` also takes `yes`/`no`,
    `on`/`off`, `1`/`0`). Null is accepted for both.

    ## Why is this bad?
    Tracecat builds the template's input model when it loads the file
    (`Repository.register_template_action` calls `create_expectation_model`,
    `tracecat/registry/repository.py`); the error propagates out of
    `load_template_actions_from_path`, which raises `RegistryError`, so the
    whole repository fails to sync, not only this template.

    Severity: error. A `type` outside the grammar fails the whole sync (as
    above); a non-string `type`, a bad `enum` or `optional` fail
    `ExpectedField` validation in `TemplateAction.from_yaml`, and
    `Repository.load_template_action_from_file` skips the template.

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
        Invalid(OK.replace("type: str", "type: str\n      enum: a"), filename="t.yml", line=11, col=13,
                message="`enum` of input `user_id` must be a list of strings"),
        Invalid(OK.replace("type: str", "type: str\n      enum: [a, 2]\n      optional: maybe"), filename="t.yml",
                line=11, col=17, also=((12, 17),)),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        for name, value in facts.expects or ():
            if isinstance(value, yaml.MappingNode):
                yield from self._field_values(parsed, str(name.value), value)
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

    def _field_values(self, parsed: YamlFile, name: str, field: yaml.MappingNode) -> Iterator[Diagnostic]:
        """``enum: list[str] | None`` and ``optional: bool | None`` (``ExpectedField``)."""
        enum = _tpl.member(field, "enum")
        if enum is not None and not is_null(enum):
            if not isinstance(enum, yaml.SequenceNode):
                yield self.diagnostic(parsed.loc(enum), f"`enum` of input `{name}` must be a list of strings (Tracecat skips the template)")
            else:
                for item in enum.value:
                    if text(item) is None:
                        yield self.diagnostic(parsed.loc(item), f"`enum` values of input `{name}` must be strings (quote it; Tracecat skips the template)")
        optional = _tpl.member(field, "optional")
        if isinstance(optional, yaml.ScalarNode) and not is_null(optional) and lax_bool(_yx.scalar(optional)) is None:
            yield self.diagnostic(parsed.loc(optional), f"`optional` of input `{name}` must be true or false (Tracecat skips the template)")
        elif optional is not None and not isinstance(optional, yaml.ScalarNode):
            yield self.diagnostic(parsed.loc(optional), f"`optional` of input `{name}` must be true or false (Tracecat skips the template)")
