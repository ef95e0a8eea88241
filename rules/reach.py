"""RL619: actions Tracecat's loader never reaches (``tracecat/registry/repository.py``; ``linter/loader.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from registry_lint.context import FileContext
from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid

from ._metadata_common import py_action, yml_action


def _key(action: ActionSpec) -> str:
    return action.key or (action.name.text if action.name else None) or "this action"


_NESTED = (
    "from tracecat_registry import registry\n\n\ndef make():\n"
    "    @registry.register(namespace='tools.exa', description='Search.')\n"
    "    def search() -> dict:\n        return {}\n\n    return search\n"
)


class UnloadableAction(Rule):
    """## What it does
    Reports an action Tracecat's loader never registers, so that it silently
    does not exist.

    - a file in a directory whose name is not an identifier, starts with
      `.` or `_`, or is one the loader skips (`tests`, `build`, `dist`,
      `venv`, `env`, `cli`, `eggs`, `node_modules`, ...): `iter_valid_files`
      prunes those directories, for UDF modules and templates alike;
    - a file in a package named like such a directory (a repository's
      `tests/` package): Tracecat loads the package its repository
      installs, never a `tests` package, so test fixtures are not actions;
    - a template under a `schemas` directory
      (`load_template_actions_from_path(ignore_path="schemas")`);
    - a file whose name starts with `_` or `.` (`iter_valid_files`), Python
      modules whose name is not an identifier, and `__init__.py`: the UDF
      loader imports the package's other modules only, so actions defined
      in `__init__.py` or `_helpers.py` register only if a module it
      imports re-exports them (then move them, or `# noqa: RL619`);
    - a template outside every package when the project's `pyproject.toml`
      names the package it installs (`[project].name`, Poetry's name,
      Hatch's or setuptools' `packages`; a directory of the project) and the
      template is not under it: `Repository._load_repository` imports that
      one package and reads templates from its directory only (a
      `testing/` folder next to `custom_actions/`);
    - in the built-in registry (`tracecat_registry`), a UDF module outside
      `core/` and `integrations/`, or under `sdk/`;
    - a `registry.register`-decorated function defined inside another
      function or a class: `_register_udfs_from_module` registers the
      functions of `inspect.getmembers(module)`, never nested ones.

    Directories are judged below the registry package: the topmost directory
    of the chain holding an `__init__.py` above the file, looked for up to
    the project (the nearest directory with a `pyproject.toml`, which is
    what Tracecat installs) or the config root, whichever is nearer; without
    a package, a template's directories below that boundary, and a Python
    module not at all (Tracecat imports modules by their dotted path in a
    package: a file linted on its own is not reported). So pointing the linter at a whole
    repository (Tracecat's own: `tests/data/templates/invalid/*.yml`,
    `@registry.register` inside test functions) treats test fixtures as
    what they are.

    One finding per file when the file is not reached (at its first
    action, naming how many it holds), one per nested function otherwise.
    Such actions are not live: no other rule judges them (no RL1xx, RL2xx-
    RL4xx or RL6xx finding about them: they would be consequences of this
    one; file-level and credential findings stay), they take no part in
    duplicate detection (RL109) and steps cannot call them (RL615).

    A nested function that a module-level assignment binds (`act = make()`)
    is registered after all; give the assignment `# noqa: RL619`.

    ## Why is this bad?
    The action silently does not exist in Tracecat: nothing fails at sync,
    and workflows cannot find it.

    Severity: warning. Nothing is rejected: `iter_valid_files` and
    `_register_udfs_from_module` (`tracecat/registry/repository.py`) skip
    the file or function without a message, and the rest of the registry
    loads. Where the file is a test fixture, that is what its author meant.

    ## Example
    `my_registry/templates/acme-tools/lookup.yml`, `my_registry/templates/_draft.yml`,
    an action in `my_registry/__init__.py`.

    ## Use instead
    `my_registry/templates/acme_tools/lookup.yml`; UDFs at module level of a
    module such as `my_registry/acme.py`.
    """

    code = "RL619"
    name = "unloadable-action"
    severity = Severity.WARNING
    sources = ("python", "yaml")
    VALID = (
        Valid(yml_action(), filename="templates/acme_tools/t.yml"),
        Valid(py_action()),
        Valid(py_action(), filename="pkg/acme.py", files={"pkg/__init__.py": ""}),
    )
    INVALID = (
        Invalid(yml_action(), filename="templates/acme-tools/t.yml", line=8, col=9, message="acme-tools"),
        Invalid(yml_action(), filename="templates/_draft.yml", line=8, col=9),
        Invalid(yml_action(), filename="schemas/t.yml", line=8, col=9),
        Invalid(yml_action(), filename="tests/t.yml", line=8, col=9),
        Invalid(yml_action(), filename="testing/t.yml", line=8, col=9, message="`custom_actions`",
                files={"pyproject.toml": '[project]\nname = "custom_actions"\n', "custom_actions/README.md": "x\n"}),
        Invalid(yml_action(title=None), filename="tests/data/t.yml", line=7, col=9,
                files={"tests/__init__.py": ""}, message="the `tests` package"),
        Invalid(
            """
            from tracecat_registry import registry


            class Tools:
                @registry.register(namespace='tools.exa', description='Search.')
                def search(self) -> dict:
                    ^
                    return {}
            """,
            message="class",
        ),
        Invalid(_NESTED, line=6, col=9, message="inside another function"),
        Invalid(_NESTED + "\n\n" + _NESTED.split("\n\n\n", 1)[1].replace("make", "make2").replace("search", "find"),
                filename="tests/udfs.py", line=6, col=9, message="2 actions of this file", files={"tests/__init__.py": ""}),
        Invalid(py_action(), filename="pkg/__init__.py", line=10, col=11, message="`__init__.py` included"),
        Invalid(py_action(), filename="pkg/_impl.py", line=10, col=11, files={"pkg/__init__.py": ""}),
        Invalid(py_action(), filename="pkg/my-udfs.py", line=10, col=11, files={"pkg/__init__.py": ""},
                message="not a module name"),
    )

    def check_yaml(self, parsed: object, ctx: FileContext) -> Iterable[Diagnostic]:
        yield from self._report(parsed)

    def check_python(self, parsed: object, ctx: FileContext) -> Iterable[Diagnostic]:
        yield from self._report(parsed)

    def _report(self, parsed: object) -> Iterable[Diagnostic]:
        specs: list[ActionSpec] = list(getattr(parsed, "specs", ()))
        unloaded = [s for s in specs if s.unloadable is not None]
        if not unloaded:
            return
        reason = getattr(parsed, "unreached", None)
        if reason is not None and len(unloaded) > 1:
            names = ", ".join(f"`{_key(s)}`" for s in unloaded[:3]) + (", ..." if len(unloaded) > 3 else "")
            yield self.diagnostic(
                unloaded[0].location, f"Tracecat never loads the {len(unloaded)} actions of this file ({names}): {reason}"
            )
            return
        for action in unloaded:
            yield self.diagnostic(action.location, f"Tracecat never loads `{_key(action)}`: {action.unloadable}")
