"""RL615-RL618: template steps call actions that exist, with arguments they accept.

Tracecat's sync (``validate_action_template`` in
``tracecat/registry/actions/service.py``, called by
``tracecat/registry/sync/entrypoint.py`` with ``check_db=False``) looks a
step's ``action`` up in the repository being synced, then in the base
registry (``extra_repos``: the built-in UDFs and templates), and validates
``args`` with the action's argument model (``BoundRegistryAction.validate_args``:
pydantic, lax mode, ``extra="forbid"``). These rules do the same, looking a
key up in the linted set (a project check: the called action may be in
another file; its parameters come from the extractors' model), then config
``extra-actions``, then the catalogue of built-in actions
(``catalogue/actions.py``, or the checkout named by ``tracecat-registry``).
Project rules run in the parent after the per-file cache, on every run that
is not answered whole by a run entry (whose key covers every file, the
config, and through it the ``tracecat-registry`` checkout's state).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from registry_lint.context import ProjectContext
from registry_lint.model import ActionSpec, Diagnostic, StepCall
from registry_lint.rule import Invalid, Rule, Valid

from ._template_common import example, hint

if TYPE_CHECKING:
    from registry_lint.analysis.steps import StepIndex, Target


class StepRule(Rule):
    sources = ("yaml",)

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        if not any(spec.steps for spec in actions):
            return
        # Imported here: a run without template steps never loads the step analysis.
        from registry_lint.analysis.steps import step_index

        index = step_index(actions, ctx)
        for spec in actions:
            if spec.source != "yaml" or spec.unloadable is not None:
                continue  # never loaded, never validated (RL619)
            for step in spec.steps:
                key = step.action.text
                if key is None:
                    continue
                yield from self.check_step(step, key, index.get(key), index)

    def check_step(self, step: StepCall, key: str, target: Target | None, index: StepIndex) -> Iterator[Diagnostic]:
        return iter(())


def _step(action: str, args: str) -> str:
    """An example template whose one step calls ``action`` (step on line 13, action 14, args 15)."""
    return example(
        "  expects:\n    user_id:\n      type: str\n      description: The user ID.\n"
        f"  steps:\n    - ref: call\n      action: {action}\n      args:\n{args}"
        "  returns: ${{ steps.call.result }}\n"
    )


_GET = "        url: https://acme.example/users/${{ inputs.user_id }}\n        method: GET\n"
_UDF = (
    "from typing import Literal\n\nfrom tracecat_registry import registry\n\n\n"
    '@registry.register(namespace="tools.acme", description="Look up an IP.", default_title="Lookup", display_group="Acme")\n'
    "def lookup(ip: str, limit: int = 10, mode: Literal['fast', 'full'] = 'fast') -> dict:\n"
    "    return {}\n"
)


class UnknownStepAction(StepRule):
    """## What it does
    Reports a step whose `action` is not a built-in Tracecat action (the
    shipped catalogue, or the checkout named by `tracecat-registry`), not an
    action defined in the linted files (Python or YAML), and not listed in
    config `extra-actions`; suggests the closest known key.

    Actions Tracecat never loads (RL619) do not count as defined. When only
    some files are linted (pre-commit passes the changed ones), an action
    whose name another file under the config root defines (`def name(` in a
    `.py`, `name: name` in a template) is assumed to be that one: not
    reported, its arguments not checked. A step
    calling `<namespace>.<name>` where a linted action named `<name>` has a
    namespace the linter cannot evaluate (`**META`) is not reported (and its
    arguments are not checked).

    ## Why is this bad?
    Tracecat's sync looks the action up in the repository and in the base
    registry only (`validate_action_template`, `check_db=False`) and reports
    `Action ... not found in repository`; at run time the step fails.

    Severity: error. `validate_action_template`
    (`tracecat/registry/actions/service.py`) reports it at sync and the sync
    refuses a repository with validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`); at run time the step fails.

    ## Example
    ```yaml
    steps:
      - ref: get_user
        action: core.http_requests
    ```

    ## Use instead
    ```yaml
    steps:
      - ref: get_user
        action: core.http_request
    ```
    If the action comes from another registry, list it in `extra-actions`:
    ```toml
    [tool.registry-lint.extra-actions]
    "tools.acme.lookup" = { ip = "str", limit = { type = "int", required = false } }
    ```
    """

    code = "RL615"
    name = "unknown-step-action"
    VALID = (
        Valid(_step("core.http_request", _GET), filename="t.yml"),
        Valid(_step("tools.acme.lookup", "        ip: 1.2.3.4\n"), filename="t.yml", files={"acme.py": _UDF}),
        Valid(_step("tools.other.thing", "        x: 1\n"), filename="t.yml", config={"extra-actions": {"tools.other.thing": "*"}}),
        Valid(
            _step("tools.acme.lookup", "        ip: 1.2.3.4\n"), filename="t.yml",
            files={"acme.py": _UDF.replace('namespace="tools.acme", ', "**META, ").replace("\n\n\n@", '\n\nMETA = make_meta()\n\n\n@')},
        ),
    )
    INVALID = (
        Invalid(_step("core.http_requests", _GET), filename="t.yml", line=14, col=15, message="core.http_request`?"),
        Invalid(_step("tools.acme.lookup", "        ip: 1.2.3.4\n"), filename="t.yml", line=14, col=15),
        Invalid(
            _step("tools.acme.lookup", "        ip: 1.2.3.4\n"), filename="t.yml", line=14, col=15,
            files={"acme.py": "def outer():\n" + "".join("    " + line + "\n" for line in _UDF.splitlines())},
        ),
    )

    def check_step(self, step: StepCall, key: str, target: Target | None, index: StepIndex) -> Iterator[Diagnostic]:
        if target is None:
            where = f"step `{step.ref}`" if step.ref else "step"
            yield self.diagnostic(
                step.action.location,
                f"Action `{key}` of {where} is not a built-in action, not defined in the linted files and not in "
                f"`extra-actions`{hint(key, index.keys())}",
            )


class UnknownStepArgument(StepRule):
    """## What it does
    Reports a step argument the called action does not accept; suggests the
    closest parameter.

    ## Why is this bad?
    Every action's argument model forbids extra fields (`extra="forbid"`):
    Tracecat's sync reports `Got unexpected field(s)` and the step fails at
    run time.

    Severity: error. `validate_action_template`
    (`tracecat/registry/actions/service.py`) reports it at sync and the sync
    refuses a repository with validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`); at run time the step fails.

    ## Example
    ```yaml
    action: core.http_request
    args:
      url: https://acme.example
      method: GET
      header: {Accept: application/json}
    ```

    ## Use instead
    ```yaml
      headers: {Accept: application/json}
    ```
    """

    code = "RL616"
    name = "unknown-step-argument"
    VALID = (Valid(_step("core.http_request", _GET + "        timeout: 5\n"), filename="t.yml"),)
    INVALID = (
        Invalid(_step("core.http_request", _GET + "        header: {}\n"), filename="t.yml", line=18, col=9, message="`headers`"),
        Invalid(_step("tools.acme.lookup", "        ip: 1.2.3.4\n        limits: 3\n"), filename="t.yml", files={"acme.py": _UDF}, line=17, col=9, message="`limit`"),
    )

    def check_step(self, step: StepCall, key: str, target: Target | None, index: StepIndex) -> Iterator[Diagnostic]:
        if target is None or target.params is None or step.args is None:
            return
        names = [p.name for p in target.params]
        for arg in step.args:
            if arg.name not in names:
                yield self.diagnostic(arg.key, f"`{key}` has no parameter `{arg.name}`{hint(arg.name, names)}")


class MissingStepArgument(StepRule):
    """## What it does
    Reports a step that does not pass a required parameter of the called
    action (a UDF parameter without a default, a template `expects` field
    without `default`: `optional: true` alone does not make it optional).

    ## Why is this bad?
    Tracecat's sync reports `Missing required field(s)` and the step fails at
    run time.

    Severity: error. `validate_action_template`
    (`tracecat/registry/actions/service.py`) reports it at sync and the sync
    refuses a repository with validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`); at run time the step fails.

    ## Example
    ```yaml
    action: core.http_request
    args:
      url: https://acme.example
    ```

    ## Use instead
    ```yaml
    args:
      url: https://acme.example
      method: GET
    ```
    """

    code = "RL617"
    name = "missing-step-argument"
    VALID = (Valid(_step("core.http_request", _GET), filename="t.yml"),)
    INVALID = (
        Invalid(_step("core.http_request", "        url: https://acme.example\n"), filename="t.yml", line=15, col=7, message="`method`"),
        Invalid(_step("tools.acme.lookup", "        limit: 3\n"), filename="t.yml", files={"acme.py": _UDF}, line=15, col=7, message="`ip`"),
    )

    def check_step(self, step: StepCall, key: str, target: Target | None, index: StepIndex) -> Iterator[Diagnostic]:
        if target is None or target.params is None or step.args is None:
            return
        given = {arg.name for arg in step.args}
        missing = [p.name for p in target.params if p.required and p.name not in given]
        if missing and step.args_location is not None:
            names = ", ".join(f"`{m}`" for m in missing)
            yield self.diagnostic(step.args_location, f"`{key}` requires {names}, missing from `args`")


class StepArgumentType(StepRule):
    """## What it does
    Reports a literal step argument the called action's parameter type
    rejects: a non-numeric string for an `int`, a list for a `str`, a value
    outside a `Literal`/`enum`, `null` for a parameter that is not optional.

    It judges what pydantic (lax mode, as Tracecat validates) certainly
    rejects and is silent otherwise: `"5"` and `5.0` are valid `int`s,
    `"yes"` a valid `bool`, and opaque types (models, custom classes) are not
    checked. A standalone `${{ ... }}` is accepted for any UDF parameter
    (Tracecat's `TemplateValidator`), also as list items and dict values,
    except inside an optional or union container (`list[int] | None`), which
    the validator does not enter. A template action's parameters have no
    such validator: an expression there is just a string, so passing
    `${{ inputs.n }}` to another template's `int` parameter is rejected.

    ## Why is this bad?
    Tracecat's sync reports the pydantic error and the step fails at run time.

    Severity: error. `validate_action_template`
    (`tracecat/registry/actions/service.py`) reports it at sync and the sync
    refuses a repository with validation errors (`_raise_for_validation_errors`,
    `tracecat/registry/sync/runner.py`); at run time the step fails.

    ## Example
    ```yaml
    action: core.http_request
    args:
      url: https://acme.example
      method: get
    ```

    ## Use instead
    ```yaml
      method: GET
    ```
    """

    code = "RL618"
    name = "step-argument-type"
    VALID = (
        Valid(_step("core.http_request", _GET + "        timeout: '5'\n        follow_redirects: ${{ inputs.user_id }}\n"), filename="t.yml"),
        Valid(_step("tools.acme.lookup", "        ip: ${{ inputs.user_id }}\n        limit: ${{ inputs.user_id }}\n"), filename="t.yml", files={"acme.py": _UDF}),
    )
    INVALID = (
        Invalid(_step("core.http_request", "        url: https://acme.example\n        method: get\n"), filename="t.yml", line=17, col=17, message="'GET'"),
        Invalid(_step("tools.acme.lookup", "        ip: 1.2.3.4\n        limit: ten\n"), filename="t.yml", files={"acme.py": _UDF}, line=17, col=16),
        Invalid(_step("core.http_request", _GET + "        ignore_status_codes: ['${{ inputs.user_id }}']\n"), filename="t.yml", line=18, col=30, message="`ignore_status_codes[0]`"),
    )

    def check_step(self, step: StepCall, key: str, target: Target | None, index: StepIndex) -> Iterator[Diagnostic]:
        if target is None or target.params is None or step.args is None:
            return
        from registry_lint.analysis import argtypes

        params = {p.name: p for p in target.params}
        for arg in step.args:
            name = arg.name
            param = params.get(name)
            if param is None:
                continue
            type_ = argtypes.parse(param.type)
            if type_ is None:
                continue
            verdict = argtypes.check(arg.value, type_, expressions=target.kind == "udf")
            if isinstance(verdict, tuple):
                path, why = verdict
                expects = param.type or "Any"
                note = ""
                if target.kind == "template" and argtypes.is_standalone_expression(arg.value):
                    note = " (template actions validate arguments without expression support)"
                where = f"`{name}{path}`" if path else f"`{name}`"
                yield self.diagnostic(arg.location, f"{where} of `{key}` is `{expects}`: {why}{note}")
