"""RL619: actions Tracecat's loader never reaches (``tracecat/registry/repository.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from registry_lint.context import FileContext
from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid

from ._metadata_common import py_action, yml_action


class UnloadableAction(Rule):
    """## What it does
    Reports an action Tracecat's loader never registers, so that it silently
    does not exist.

    - a template in a directory whose name is not an identifier, starts with
      `.` or `_`, or is one the loader skips (`tests`, `build`, `dist`,
      `venv`, `env`, `cli`, `eggs`, `node_modules`, ...): `iter_valid_files`
      prunes those directories;
    - a template under a `schemas` directory
      (`load_template_actions_from_path(ignore_path="schemas")`);
    - a template in a file whose name starts with `_` or `.` (`iter_valid_files`);
    - a `registry.register`-decorated function defined inside another
      function or a class: `_register_udfs_from_module` registers the
      functions of `inspect.getmembers(module)`, never nested ones.

    Directories are judged below the registry package, the topmost directory
    of the chain holding an `__init__.py` above the template (without one:
    below the config root). Such actions are not live: they take no part in
    duplicate detection (RL109) and steps cannot call them (RL615).

    A nested function that a module-level assignment binds (`act = make()`)
    is registered after all; give the assignment `# noqa: RL619`.

    ## Why is this bad?
    The action silently does not exist in Tracecat: nothing fails at sync,
    and workflows cannot find it.

    ## Example
    `my_registry/templates/acme-tools/lookup.yml`, `my_registry/templates/_draft.yml`.

    ## Use instead
    `my_registry/templates/acme_tools/lookup.yml`; define UDFs at module level.
    """

    code = "RL619"
    name = "unloadable-action"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (
        Valid(yml_action(), filename="templates/acme_tools/t.yml"),
        Valid(py_action()),
    )
    INVALID = (
        Invalid(yml_action(), filename="templates/acme-tools/t.yml", line=8, col=9, message="acme-tools"),
        Invalid(yml_action(), filename="templates/_draft.yml", line=8, col=9),
        Invalid(yml_action(), filename="schemas/t.yml", line=8, col=9),
        Invalid(yml_action(), filename="tests/t.yml", line=8, col=9),
        Invalid(
            "from tracecat_registry import registry\n\n\nclass Tools:\n"
            "    @registry.register(namespace='tools.exa', description='Search.')\n"
            "    def search(self) -> dict:\n        return {}\n",
            line=6, col=9, message="class",
        ),
        Invalid(
            "from tracecat_registry import registry\n\n\ndef make():\n"
            "    @registry.register(namespace='tools.exa', description='Search.')\n"
            "    def search() -> dict:\n        return {}\n\n    return search\n",
            line=6, col=9, message="inside another function",
        ),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        if action.unloadable is not None:
            key = action.key or (action.name.text if action.name else None) or "this action"
            yield self.diagnostic(action.location, f"Tracecat never loads `{key}`: {action.unloadable}")
