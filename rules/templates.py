"""RL6xx: YAML template structure (schema in ``tracecat/registry/actions/schemas.py``).

The family spans several modules to stay small: this one (the definition's
required fields, steps, top-level ``type``), ``template_refs`` (``inputs``
and ``steps`` references), ``template_fields`` (keys and ``expects``) and
``template_expressions`` (``${{ }}`` syntax, functions, contexts).
Importing this module registers all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from registry_lint.lazymod import lazy
from registry_lint.lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from registry_lint.context import FileContext
from registry_lint.model import Diagnostic
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.tracecat import TEMPLATE_STEP_FIELDS as STEP_FIELDS

from ._template_common import OK, TemplateRule, example, is_null, text

if TYPE_CHECKING:
    from registry_lint.extract.template import Template
    from registry_lint.extract.yamlnodes import YamlFile

_tpl = lazy("registry_lint.extract.template")
_yx = lazy("registry_lint.extract.yamlnodes")


class MissingTemplateField(TemplateRule):
    """## What it does
    Reports a template `definition` without `expects`, `steps` or `returns`.

    A field that is null or of an unusable shape (`expects` that is not a
    mapping, `returns` that is not a string, list or mapping) is reported
    too. A missing field is reported at the `definition` key, a bad one at
    its key.

    The other required fields (`name`, `namespace`, `title`, `display_group`)
    have their own RL1xx codes. A `steps` that is present but empty or not a
    list is RL602.

    ## Why is this bad?
    All three are required by Tracecat's `TemplateActionDefinition`; the
    template fails validation and is not registered. A template without
    inputs still needs `expects: {}`.

    Severity: error. `TemplateActionDefinition` (`tracecat/registry/actions/schemas.py`)
    declares `expects: dict[str, ExpectedField]`, `steps: list[ActionStep]`
    and `returns: str | list[str] | dict[str, Any]` without defaults, so a
    missing, null or wrongly shaped one fails `TemplateAction.from_yaml`
    and `Repository.load_template_action_from_file`
    (`tracecat/registry/repository.py`) skips the template.

    ## Example
    ```yaml
    definition:
      steps: [...]
      returns: ${{ steps.a.result }}
    ```

    ## Use instead
    ```yaml
    definition:
      expects: {}
      steps: [...]
      returns: ${{ steps.a.result }}
    ```
    """

    code = "RL601"
    name = "missing-template-field"
    VALID = (
        Valid(OK, filename="t.yml"),
        Valid(example("  expects: {}\n  steps: []\n  returns: []\n"), filename="t.yml"),
    )
    INVALID = (
        Invalid(example("  steps: []\n  returns: x\n"), filename="t.yml", line=2, col=1, message="`expects`"),
        Invalid(example("  expects:\n  steps: []\n"), filename="t.yml", line=2, col=1, also=((8, 3),)),
        Invalid(example("  expects: []\n  steps: []\n  returns: 5\n"), filename="t.yml", line=8, col=3,
                also=((10, 3),)),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        definition = parsed.definition
        def_key = _yx.get_key(parsed.root, "definition")
        for field in ("expects", "steps", "returns"):
            key, value = _tpl.member_key(definition, field), _tpl.member(definition, field)
            written = facts.stand_in("definition", None, field)
            if key is None and written is not None:
                msg = f"template `definition` has no `{field}`: `{written.key.value}` is not a template field (did you mean `{field}`?)"
                yield self.diagnostic(parsed.loc(written.key), msg)
            elif key is None:
                yield self.diagnostic(parsed.loc(def_key or definition), f"template `definition` has no `{field}`")
            elif is_null(value):
                hint = " (write `expects: {}` for a template without inputs)" if field == "expects" else ""
                yield self.diagnostic(parsed.loc(key), f"`{field}` has no value{hint}")
            elif field == "expects" and not isinstance(value, yaml.MappingNode):
                yield self.diagnostic(parsed.loc(key), "`expects` must be a mapping of input name to field")
            elif field == "returns" and isinstance(value, yaml.ScalarNode) and text(value) is None:
                yield self.diagnostic(parsed.loc(key), "`returns` must be a string, a list or a mapping")


class InvalidSteps(TemplateRule):
    """## What it does
    Reports `steps` that Tracecat rejects: no steps, a duplicate `ref`, a
    step without `ref`, `action` or `args`, or a step that calls the
    template itself.

    In detail: an empty list or not a list, a step that is not a mapping, a
    step without `ref`, `action` or `args` (or with a non-string/empty
    `ref`/`action`, or `args` that is not a mapping), a `ref` used twice
    (reported at the repeat, naming the first), and a step whose `action` is
    the template's own `namespace.name`.

    A step without `args` is reported too: Tracecat's `ActionStep.args` has
    no default, so such a step fails validation like one without `ref` or
    `action` (write `args: {}`).

    One mistake, one finding: steps that write a misspelt key where a field
    is missing (`name:` for `ref:`, `uses:` for `action:`, `with:` for
    `args:`) are reported once per spelling, at the first such key, with
    the others as related locations; neither the key (RL608) nor the
    references to those steps (RL603) are reported again.

    ## Why is this bad?
    `TemplateActionDefinition` validates every step at registry sync: at
    least one step, unique refs, no recursion into itself. A failing template
    is not registered.

    Severity: error. `ActionStep` requires `ref: str`, `action: str` and
    `args: Mapping`, and `TemplateActionDefinition.validate_steps`
    (`tracecat/registry/actions/schemas.py`) raises for no steps, duplicate
    refs and a self-call; `Repository.load_template_action_from_file`
    (`tracecat/registry/repository.py`) skips the template.

    ## Example
    ```yaml
    steps:
      - ref: call
        action: core.http_request
        args: {url: https://a.example}
      - ref: call
        action: core.transform.reshape
        args: {value: ${{ steps.call.result }}}
    ```

    ## Use instead
    ```yaml
    steps:
      - ref: call
        action: core.http_request
        args: {url: https://a.example}
      - ref: reshape
        action: core.transform.reshape
        args: {value: ${{ steps.call.result }}}
    ```
    """

    code = "RL602"
    name = "invalid-steps"
    VALID = (Valid(OK, filename="t.yml"),)
    INVALID = (
        Invalid(example("  expects: {}\n  steps: []\n  returns: x\n"), filename="t.yml", line=9, col=10,
                message="no steps"),
        Invalid(
            example("""\
  expects: {}
  steps:
    - ref: a
      action: core.http_request
      args: {}
    - ref: a
      action: core.transform.reshape
      args: {}
    - action: core.transform.reshape
      args: {}
    - ref: c
      action: tools.acme.get_user
  returns: x
"""),
            filename="t.yml", line=13, col=12, also=((16, 7), (18, 7), (19, 15)), message="first at line 10",
        ),
        Invalid(example("  expects: {}\n  steps: {ref: a}\n  returns: x\n"), filename="t.yml", line=9, col=10),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        node = _tpl.member(parsed.definition, "steps")
        if node is None or is_null(node):
            return  # RL601
        if facts.steps is None:
            yield self.diagnostic(parsed.loc(node), "`steps` must be a list of steps")
            return
        if not facts.steps:
            yield self.diagnostic(parsed.loc(node), "template has no steps (Tracecat requires at least one)")
        namespace, name = text(_tpl.member(parsed.definition, "namespace")), text(_tpl.member(parsed.definition, "name"))
        first_ref: dict[str, yaml.Node] = {}
        # (field, key written) -> (key, step label) in order
        written: dict[tuple[str, str], list[tuple[yaml.ScalarNode, str]]] = {}
        for step in facts.steps:
            if not isinstance(step.node, yaml.MappingNode):
                yield self.diagnostic(parsed.loc(step.node), "a step must be a mapping with `ref`, `action` and `args`")
                continue
            label = f"step `{step.ref}`" if step.ref else "step"
            for field in STEP_FIELDS:
                value = _tpl.member(step.node, field)
                stand_in = facts.stand_in("step", step.index, field) if value is None else None
                if stand_in is not None:
                    written.setdefault((field, str(stand_in.key.value)), []).append((stand_in.key, label))
                elif value is None:
                    fix = " (use `args: {}`)" if field == "args" else ""
                    yield self.diagnostic(parsed.loc(step.node), f"{label} has no `{field}`{fix}")
                elif field == "args" and not isinstance(value, yaml.MappingNode):
                    yield self.diagnostic(parsed.loc(value), f"{label}: `args` must be a mapping")
                elif field != "args" and not text(value):
                    yield self.diagnostic(parsed.loc(value), f"{label}: `{field}` must be a non-empty string")
            if step.ref is not None and step.ref_node is not None:
                if step.ref in first_ref:
                    line = first_ref[step.ref].start_mark.line + 1
                    yield self.diagnostic(
                        parsed.loc(step.ref_node),
                        f"duplicate step ref `{step.ref}` (first at line {line})",
                        related=(parsed.loc(first_ref[step.ref]),),
                    )
                else:
                    first_ref[step.ref] = step.ref_node
            action = _tpl.member(step.node, "action")
            if namespace and name and text(action) == f"{namespace}.{name}":
                yield self.diagnostic(parsed.loc(action), f"{label} calls the template itself (`{namespace}.{name}`)")
        # One mistake, one finding: the same key written for the same field in several steps.
        for (field, key), found in written.items():
            who = f"{found[0][1]} has" if len(found) == 1 else f"{len(found)} steps have"
            msg = (f"{who} `{key}:` but no `{field}:` (did you mean `{field}`?): every step needs `{field}`, "
                   "so Tracecat skips the template")
            yield self.diagnostic(parsed.loc(found[0][0]), msg, related=tuple(parsed.loc(n) for n, _ in found[1:]))


class InvalidTemplateType(Rule):
    """## What it does
    Reports a YAML file whose `definition` has `name` and `namespace` and
    whose top-level `type` is present but not exactly `action`
    (`workflow`, `Action`, a number).

    It is reported at the `type` value. A file without `type` is not
    reported: `TemplateAction.type` defaults to `action`, so it loads. A
    top-level key whose value is `action` (`title: action`, a misnamed
    `type`) is RL608's, with a hint: the file loads all the same.

    ## Why is this bad?
    `TemplateAction.type` is `Literal["action"]`: any other value fails
    validation and Tracecat skips the file at sync (the action is simply
    not there; the error is only in the server log).

    Severity: error. `TemplateAction.from_yaml` raises a `ValidationError`
    and `Repository.load_template_action_from_file`
    (`tracecat/registry/repository.py`) skips the template
    (`tracecat/registry/actions/schemas.py`: `TemplateAction`).

    ## Example
    ```yaml
    type: Action
    definition:
      name: get_user
      namespace: tools.acme
    ```

    ## Use instead
    ```yaml
    type: action
    definition:
      name: get_user
      namespace: tools.acme
    ```
    """

    code = "RL610"
    name = "invalid-template-type"
    sources = ("yaml",)
    VALID = (
        Valid(OK, filename="t.yml"),
        Valid("type: other\ndefinition:\n  name: x\n", filename="t.yml"),
        Valid(OK.split("\n", 1)[1], filename="t.yml"),
        Valid(OK.replace("type: action", "title: action", 1), filename="t.yml"),
    )
    INVALID = (
        Invalid(OK.replace("type: action", "type: Action", 1), filename="t.yml", line=1, col=7, message="`Action`"),
        Invalid(OK.replace("type: action", "type: 1", 1), filename="t.yml", line=1, col=7, message="not a string"),
    )

    def check_yaml(self, parsed: YamlFile, ctx: FileContext) -> Iterable[Diagnostic]:
        definition = _yx.get(parsed.root, "definition")
        if _yx.get(definition, "name") is None or _yx.get(definition, "namespace") is None:
            return
        type_node = parsed.type_node
        if type_node is None or text(type_node) == "action":
            return
        shown = text(type_node) if text(type_node) is not None else "not a string"
        yield self.diagnostic(
            parsed.loc(type_node), f"top-level `type` is `{shown}`, must be `action` (Tracecat skips the file)"
        )
