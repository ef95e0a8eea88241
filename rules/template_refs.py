"""RL603-RL605: `inputs` and `steps` references in YAML templates (part of the RL6xx family)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic, Severity
from registry_lint.rule import Invalid, Valid

from ._template_common import OK, TemplateRule, example, hint

if TYPE_CHECKING:
    from registry_lint.extract.template import Template, TemplateRef
    from registry_lint.extract.yamlnodes import YamlFile



def _misread(ref: TemplateRef, names: Iterable[str], kind: str) -> str:
    """Why Tracecat's template validation rejects ``ref``, whose first path segment is not a known name.

    The validator (``TemplateActionExprValidator`` in
    ``tracecat/expressions/validator/validator.py``) takes the path's first
    ``.``-separated segment as the name, literally.
    """
    context, name, used = ref.context, ref.name, ref.used
    known = sorted(names)
    if used is None:
        return (f"Tracecat's template validation takes the path's first `.`-separated part, `{name}`, as the "
                f"{kind} name and rejects it at sync: name the {kind} (`{context}.<name>`)")
    if used not in known:
        what = "step" if context == "steps" else "input"
        where = f"no step has `ref: {used}`" if context == "steps" else "it is not declared in `expects`"
        return f"unknown {what} `{used}`: {where}{hint(used, known)}"
    if name.startswith(used + "["):
        index = name[len(used):]
        return (f"Tracecat's template validation reads `{name}` as the {kind} name and rejects it at sync: "
                f"put a space before the index (`{context}.{used} {index}`)")
    return f"write `{context}.{used}`: Tracecat's template validation reads `{name}` as the {kind} name and rejects it at sync"


class UnknownStepReference(TemplateRule):
    """## What it does
    Reports `${{ steps.<ref> }}` whose step has not run at that point: an
    unknown ref, a later step, or the step itself.

    In a step's `args` the ref must be a step defined *earlier* in `steps`;
    in `returns` any step. The reference itself is reported, inside the
    string.

    Only strings Tracecat evaluates are checked: everything under a step's
    `args` (keys and values, `script:` bodies included: Tracecat evaluates
    `${{ }}` there too) and under `returns`. References are read from the
    expression's parse (the same grammar as Tracecat's), so text in quotes
    (`${{ "steps.x" }}`) is a string literal, and `var.steps`, `FN.`,
    `VARS.`, `ENV` are other contexts. An expression Tracecat cannot parse is
    RL611's, not checked here.

    Tracecat's template validation takes the path's first `.`-separated
    segment as the ref, literally, and rejects anything that is not a step's
    `ref` at sync: so `steps["ref"]` and `steps.'ref'` (which work at run
    time) are reported with the dotted spelling to use, `steps.ref[0]` (read
    as the ref `ref[0]`) with a space before the index, and a computed form
    (`steps[var.k]`, `steps.*`) too.

    The linter is stricter than Tracecat in one way: Tracecat accepts any
    step of the template, while a step's `args` can only use the results of
    earlier steps (a later one has not run yet and evaluates to nothing).

    ## Why is this bad?
    Steps run in order and each one's result is stored only after it ran, so
    a reference to a later step, to the step itself or to an unknown ref
    evaluates to nothing at run time (and an unknown ref fails Tracecat's
    template validation at sync).

    A step written with `name:` instead of `ref:` is RL602's one finding:
    references to the name it gives are not reported here.

    Severity: error. An unknown ref is a validation error of
    `validate_action_template` (`tracecat/registry/actions/service.py`, with
    `TemplateActionExprValidator`), and the sync refuses a repository with
    validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`). A later step or the step itself is
    accepted at sync (stricter, on purpose): `_execute_template_action`
    (`tracecat/executor/service.py`) fills `steps` as the steps run, so the
    reference has no result yet when the step's arguments are evaluated.

    ## Example
    ```yaml
    steps:
      - ref: reshape
        action: core.transform.reshape
        args: {value: ${{ steps.call.result }}}
      - ref: call
        action: core.http_request
        args: {url: https://a.example}
    ```

    ## Use instead
    Move `call` before `reshape`, or fix the ref's spelling.
    """

    code = "RL603"
    name = "unknown-step-reference"
    VALID = (
        Valid(OK, filename="t.yml"),
        Valid(example("""\
  expects: {}
  steps:
    - ref: a
      action: core.transform.reshape
      args: {value: 1}
    - ref: b
      action: core.script.run_python
      args:
        script: ${{ "steps.b" }} ${{ var.steps.x }} ${{ FN.to_json(steps.a) }} ${{ steps.a [0] }}
  returns: ${{ steps.b.result }}
"""), filename="t.yml"),
    )
    INVALID = (
        Invalid(example("""\
  expects: {}
  steps:
    - ref: a
      action: core.transform.reshape
      args:
        value: ${{ steps.b.result || steps.a.result }}
    - ref: b
      action: core.http_request
      args: {url: "${{ steps.a.result }}"}
  returns: ${{ steps.b.result }} and ${{ steps.missing }}
"""), filename="t.yml", line=13, col=20, also=((13, 38), (17, 42)), message="before it runs"),
        Invalid(OK.replace("steps.get_user.result", "steps['get_user'].result"), filename="t.yml", line=17, col=16,
                message="write `steps.get_user`"),
        Invalid(OK.replace("steps.get_user.result.data", "steps[var.k]"), filename="t.yml", line=17, col=16,
                message="`[var`, as the step name"),
        Invalid(OK.replace("steps.get_user.result.data", "steps.get_user[0]"), filename="t.yml", line=17, col=16,
                message="(`steps.get_user [0]`)"),
        Invalid(example("""\
  expects: {}
  steps:
    - ref: call
      action: core.http_request
      args:
        script: |
          x = "${{ steps.cal.result }}"
  returns: ${{ steps.call.result }}
"""), filename="t.yml", line=14, col=20, message="did you mean `call`?"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        if facts.steps is None:
            return
        # A step written with `name:` for `ref:` is RL602's one finding; its references are not unknown.
        refs = facts.step_refs
        for ref in facts.refs:
            if ref.context != "steps":
                continue
            key = ref.name if ref.name in refs else ref.used
            target = facts.first_step(key) if key is not None else None
            if target is not None and ref.step is not None and target.index == ref.step:
                msg = f"step `{key}` references its own result (a step sees only earlier steps)"
            elif target is not None and ref.step is not None and target.index > ref.step:
                line = target.node.start_mark.line + 1
                msg = f"step `{key}` is referenced before it runs (it is defined at line {line})"
            elif ref.name not in refs:
                msg = _misread(ref, refs, "step")
            else:
                continue
            yield self.diagnostic(ref.location, msg)


class UnknownInputReference(TemplateRule):
    """## What it does
    Reports `${{ inputs.<name> }}` whose `<name>` is not declared in
    `expects`.

    It is reported at the reference itself, suggesting the closest declared
    input. The same strings as RL603 are scanned, from the same parse;
    `var.`, `FN.`, `VARS.`, `ENV`, `SECRETS` and quoted text are not input
    references. As in RL603, Tracecat's template validation takes the
    path's first `.`-separated segment as the name, literally: a declared
    input written `inputs["x"]` or `inputs.'x'` is reported with the
    `inputs.x` spelling (the other forms do work at run time, so RL605
    counts them as uses), `inputs.x[0]` (read as the input `x[0]`) with a
    space before the index, and `inputs[var.k]` or `inputs.*` too: all fail
    the sync.

    ## Why is this bad?
    Tracecat's template validation rejects the unknown input at sync, and
    callers cannot pass a value for it anyway: it is almost always a typo or
    an input that was renamed.

    Not reported when `expects` is missing or not a mapping: that is
    RL601's one finding, and every `inputs.x` would be its consequence.

    Severity: error. `validate_action_template`
    (`tracecat/registry/actions/service.py`, with
    `TemplateActionExprValidator`) reports it, and the sync refuses a
    repository with validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`).

    ## Example
    ```yaml
    expects:
      user_id: {type: str, description: The user ID.}
    steps:
      - ref: get_user
        action: core.http_request
        args: {url: "https://a.example/users/${{ inputs.userid }}"}
    ```

    ## Use instead
    ```yaml
        args: {url: "https://a.example/users/${{ inputs.user_id }}"}
    ```
    """

    code = "RL604"
    name = "unknown-input-reference"
    VALID = (Valid(OK, filename="t.yml"),)
    INVALID = (
        Invalid(OK.replace("inputs.user_id", "inputs.userid"), filename="t.yml", line=16, col=45,
                message="did you mean `user_id`?"),
        Invalid(example("""\
  expects: {}
  steps:
    - ref: a
      action: core.transform.reshape
      args:
        value: ${{ inputs['limit'] if inputs.x else "inputs.y" }}
  returns: ${{ steps.a.result }}
"""), filename="t.yml", line=13, col=20, also=((13, 39),)),
        Invalid(OK.replace("inputs.user_id", 'inputs["user_id"]'), filename="t.yml", line=16, col=45,
                message="write `inputs.user_id`"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        if facts.expects is None:
            return
        names = facts.input_names
        for ref in facts.refs:
            if ref.context == "inputs" and ref.name not in names:
                yield self.diagnostic(ref.location, _misread(ref, names, "input"))


class UnusedInput(TemplateRule):
    """## What it does
    Reports an `expects` field that no step and no `returns` reference.

    It is reported at the field's key. Only step `args` and `returns` count
    (Tracecat evaluates nothing else). When an expression uses the inputs as
    a whole (`inputs[var.key]`, `inputs.*`), no field is reported.

    ## Why is this bad?
    Callers see and fill an input that changes nothing: usually a forgotten
    wiring or a leftover after a refactor.

    Severity: warning. Tracecat validates the input
    (`create_expectation_model`, `tracecat/expressions/expectations.py`)
    and never requires it to be used; the action runs.

    ## Example
    ```yaml
    expects:
      user_id: {type: str, description: The user ID.}
      verbose: {type: bool, description: Unused flag., default: false}
    ```

    ## Use instead
    Use `${{ inputs.verbose }}` in a step, or remove the field.
    """

    code = "RL605"
    name = "unused-input"
    severity = Severity.WARNING
    VALID = (
        Valid(OK, filename="t.yml"),
        Valid(OK.replace("${{ inputs.user_id }}", "${{ inputs[var.key] }}").replace("user_id:", "other:"),
              filename="t.yml"),
    )
    INVALID = (
        Invalid(OK.replace("inputs.user_id", "inputs['user_id']").replace(
            "  steps:", "    verbose:\n      type: bool\n      description: Verbose.\n  steps:"),
            filename="t.yml", line=12, col=5, message="`verbose`"),
    )

    def check_template(self, parsed: YamlFile, facts: Template) -> Iterator[Diagnostic]:
        if facts.expects is None or facts.steps is None:
            return
        used = {r.used for r in facts.refs if r.context == "inputs"}
        if None in used:
            return
        for key, _ in facts.expects:
            if key.value not in used:
                yield self.diagnostic(parsed.loc(key), f"input `{key.value}` is never used by the steps or `returns`")
