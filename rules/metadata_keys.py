"""RL1xx: the action's key: namespace (RL105, RL106), name (RL110), uniqueness (RL109)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from registry_lint.context import FileContext, ProjectContext
from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.tracecat import ACTION_KEY_RE
from registry_lint.tracecat import DEFAULT_UDF_NAMESPACE
from registry_lint.tracecat import RESERVED_NAMESPACE_RE as _RESERVED

from ._metadata_common import is_blank, is_builtin_registry, py_action, where, yml_action


class MissingNamespace(Rule):
    """## What it does
    Reports an action without a `namespace`.

    ## Why is this bad?
    `registry.register` defaults `namespace` to `core`: the action silently
    lands among Tracecat's built-ins (`core.my_action`), where it can clash
    with them and is not found under the integration. Templates require a
    namespace and fail validation without one.

    Not reported in Tracecat's own registry (files inside the
    `tracecat_registry` package), whose `core` actions rely on the default.

    Severity: error for a template (`TemplateActionDefinition.namespace` is
    required: Tracecat skips the file). Warning for Python: the action
    registers as `core.<name>` (`tracecat_registry/_internal/registry.py`,
    `DEFAULT_NAMESPACE`) and works unless its key clashes with a built-in.

    ## Example
    ```python
    @registry.register(default_title="Search", description="...", display_group="Exa")
    async def search() -> dict: ...
    ```

    ## Use instead
    ```python
    @registry.register(default_title="Search", description="...", display_group="Exa", namespace="tools.exa")
    async def search() -> dict: ...
    ```
    """

    code = "RL105"
    name = "missing-namespace"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py_action()),
        Valid(yml_action(), filename="t.yml"),
        Valid(py_action(namespace=None), filename="tracecat_registry/core/ping.py"),
    )
    INVALID = (
        Invalid(py_action(namespace=None), line=9, col=11, message="defaults to `core`", severity=Severity.WARNING),
        Invalid(yml_action(namespace=None), filename="t.yml", line=7, col=9, severity=Severity.ERROR),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = action.namespace
        if value is not None and (not value.known or not isinstance(value.value, str) or value.value.strip()):
            return  # given, unknown, or not a string (RL112)
        if action.source == "python":
            if value is None and is_builtin_registry(action.path):
                return
            name = action.name.text if action.name else "action"
            core = DEFAULT_UDF_NAMESPACE
            msg = f"`namespace` is missing: it defaults to `{core}`, so this registers as `{core}.{name}`; use `tools.<integration>`"
            severity = Severity.WARNING
        else:
            msg = "`namespace` is missing: templates require it (Tracecat skips the file); use `tools.<integration>`"
            severity = Severity.ERROR
        if value is not None:
            msg = "`namespace` is empty: the action registers as `.<name>`; use `tools.<integration>`"
            severity = Severity.WARNING
        yield self.diagnostic(where(action, value), msg, severity=severity)




def _snake(text: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text)
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")


# Words that say where a namespace lives, not which integration it is.
_GENERIC = frozenset(
    {"tools", "tool", "integrations", "integration", "custom", "actions", "action", "udfs", "udf",
     "templates", "template", "registry", "plugins", "plugin", "connectors", "connector"}
)


def suggest_namespace(namespace: str) -> str | None:
    """The `tools.<integration>` a person would pick: `tools.MyApp` -> `tools.my_app`,
    `tools-myapp` -> `tools.myapp`, `integrations.okta` -> `tools.okta`,
    `custom.crowd_strike.v2` -> `tools.crowd_strike_v2`."""
    words = [_snake(part) for part in re.split(r"[.\-/: ]+", namespace)]
    words = [w for w in words if w]
    rest = [w for w in words if w not in _GENERIC]
    name = "_".join(rest or words[-1:])
    if not name or not name[0].isalpha():
        return None
    return f"tools.{name}"


class InvalidNamespace(Rule):
    """## What it does
    Reports a namespace that does not fullmatch `tools\\.[a-z][a-z0-9_]*`
    (configurable with `namespace-pattern`). The message says when the
    namespace is one of Tracecat's reserved built-ins (`core`, `core.*`,
    `ai`, `ai.*`) or has the wrong case or separator, and suggests the
    `tools.<integration>` name a person would pick (`integrations.okta` ->
    `tools.okta`). Files of Tracecat's own registry (inside the
    `tracecat_registry` package) own the reserved namespaces and are not
    checked.

    ## Why is this bad?
    A workflow can only call actions whose key matches `^[a-z0-9_.]+$`
    (`ActionStatement.action` in `tracecat/dsl/schemas.py`): with an
    uppercase letter, a dash or a space in the namespace no workflow can
    use the action. Custom actions in reserved namespaces collide with
    Tracecat's built-ins (an action key found in two registries is refused
    as ambiguous when a workflow runs); other spellings break the
    `tools.<integration>` convention the catalogue, the docs and agents'
    tool names rely on.

    Severity: error when the namespace has a character the workflow DSL's
    action pattern rejects (the action cannot be called). Warning otherwise:
    Tracecat accepts any string as a namespace (`RegisterKwargs.namespace:
    str`, `TemplateActionDefinition.namespace: str`).

    ## Example
    ```python
    @registry.register(namespace="tools.MyApp", ...)
    ```

    ## Use instead
    ```python
    @registry.register(namespace="tools.my_app", ...)
    ```
    """

    code = "RL106"
    name = "invalid-namespace"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(py_action()),
        Valid(yml_action(namespace="tools.my_app2"), filename="t.yml"),
        Valid(py_action(namespace='"acme.exa"'), config={"namespace-pattern": r"acme\.[a-z_]+"}),
        Valid(py_action(namespace='"core.http"'), filename="tracecat_registry/core/http.py"),
    )
    INVALID = (
        Invalid(py_action(namespace='"tools.MyApp"'), line=8, col=15, message="`tools.my_app`", severity=Severity.ERROR),
        Invalid(py_action(namespace='"core.http"'), line=8, col=15, message="reserved", severity=Severity.WARNING),
        Invalid(yml_action(namespace="tools-myapp"), filename="t.yml", line=7, col=14, message="`tools.myapp`", severity=Severity.ERROR),
        Invalid(yml_action(namespace="ai"), filename="t.yml", line=7, col=14, message="reserved"),
        Invalid(yml_action(namespace="integrations.okta"), filename="t.yml", line=7, col=14, message="`tools.okta`", severity=Severity.WARNING),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = action.namespace
        if value is None or not value.known or is_blank(value):
            return
        ns = value.value
        if not isinstance(ns, str):
            return  # RL112
        if ctx.config.namespace_re.fullmatch(ns) or is_builtin_registry(action.path):
            return
        callable_ = bool(ACTION_KEY_RE.match(ns))
        severity = Severity.WARNING if callable_ else Severity.ERROR
        why = "" if callable_ else ": no workflow can call an action whose key is not [a-z0-9_.]"
        pattern = ctx.config.namespace_pattern
        if _RESERVED.match(ns):
            yield self.diagnostic(
                value.location,
                f"Namespace `{ns}` is reserved for Tracecat's built-in actions; use `tools.<integration>`",
                severity=severity,
            )
            return
        suggestion = suggest_namespace(ns)
        hint = ""
        if suggestion and ctx.config.namespace_re.fullmatch(suggestion):
            hint = f"; did you mean `{suggestion}`?"
        yield self.diagnostic(value.location, f"Namespace `{ns}` does not match `{pattern}`{why}{hint}", severity=severity)


#: Other locations one RL109 finding lists (message and ``related``).
MAX_LISTED = 5


class DuplicateAction(Rule):
    """## What it does
    Reports an action key `namespace.name` defined twice in the linted set
    (across files and across Python and YAML), and a key of the linted set
    that Tracecat's base registry (`tracecat_registry`, the built-in
    actions of the catalogue, or of the `tracecat-registry` checkout)
    defines too. Every occurrence is reported, each pointing at the others
    (actions Tracecat's loader never reaches, RL619, are not counted): the
    message and the related locations list at most 5 of them, then "and N
    more" (a generated file with 1000 copies of one action would otherwise
    produce a million locations).

    The rule runs over every linted file at once, whichever configuration
    applies to each; a finding is kept or dropped by the selection of the
    configuration of the file it is located in.

    ## Why is this bad?
    Within one repository Tracecat keeps one definition and silently drops
    the other. A key the base registry also has breaks every workflow that
    uses it.

    Severity: error or warning, read from Tracecat at the commit in `tracecat.py`:
    - error for a key the base registry defines too: a workflow's registry
      lock is resolved over the base registry and the organisation's
      registries, and `RegistryLockService.resolve_lock_with_bindings`
      (`tracecat/registry/lock/service.py`) raises `RegistryError("Ambiguous
      action '...' found in multiple registries")` for an action found in
      two, so every workflow that calls it fails. Files inside a
      `tracecat_registry` package are the base registry itself and are not
      compared with it.
    - warning for the same key twice in the linted set: the sync accepts it.
      `Repository.register_udf` stores by key
      (`self._store[reg_action.action] = reg_action`,
      `tracecat/registry/repository.py`), so the UDF imported last replaces
      the other, and `load_template_action_from_file` skips a template whose
      key is already registered ("Template action already registered,
      skipping"), so a template loses to a UDF of the same key. Nothing
      fails, but one definition never runs.

    ## Example
    `tools/acme/search.yml` and `acme.py` both define `tools.acme.search`;
    `acme.py` defines `tools.exa.search`, a built-in action.

    ## Use instead
    Rename one of them; give a custom action a key the base registry does
    not have (`registry-lint rule RL615` lists how to see the catalogue).
    """

    code = "RL109"
    name = "duplicate-action"
    sources = ("python", "yaml")
    severity = Severity.WARNING
    mixed_severity = True
    VALID = (Valid(py_action(), files={"t.yml": yml_action(name="other")}),)
    INVALID = (
        Invalid(py_action(), files={"t.yml": yml_action()}, line=10, col=11, message="t.yml:8", severity=Severity.WARNING),
        Invalid(py_action(), files={"t.yml": yml_action()}, path="t.yml", line=8, col=9, message="action.py:10"),
        Invalid(py_action(namespace=None) + "\n\n@registry.register(description='x')\nasync def lookup() -> dict:\n    return {}\n", line=9, col=11, also=((14, 11),)),
        Invalid(py_action(), files={f"t{i}.yml": yml_action() for i in range(6)}, line=10, col=11, message="t4.yml:8 and 1 more"),
        # A built-in action's key (tools.exa.search is in the base registry): an error.
        Invalid(py_action().replace("def lookup", "def search"), line=10, col=11, message="built-in action", severity=Severity.ERROR),
        Invalid(yml_action(name="search"), filename="t.yml", line=8, col=9, message="Ambiguous action", severity=Severity.ERROR),
    )
    VALID = (
        *VALID,
        Valid(py_action(), files={"_draft.yml": yml_action()}),
        # The base registry itself defines its keys.
        Valid(py_action().replace("def lookup", "def search"), filename="tracecat_registry/integrations/exa.py"),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        by_key: dict[str, list[ActionSpec]] = defaultdict(list)
        for action in actions:
            key = action.key
            if key is not None and action.unloadable is None:  # never registered (RL619)
                by_key[key].append(action)
        custom_keys = {key for key, group in by_key.items() if any(not is_builtin_registry(a.path) for a in group)}
        in_base: set[str] = set()
        if custom_keys:
            from registry_lint.catalogue import actions as catalogue  # only runs with custom actions read it

            in_base = catalogue.for_config(ctx.config).present(custom_keys)
        for key, group in by_key.items():
            if len(group) < 2 and key not in in_base:
                continue
            # The first few are enough for anyone; listing them all is
            # quadratic in the number of copies.
            head = group[: MAX_LISTED + 1]
            for action in group:
                others = [a.location for a in head if a is not action][:MAX_LISTED]
                where = ", ".join(f"{o.path}:{o.line}" for o in others)
                if len(group) - 1 > len(others):
                    where += f" and {len(group) - 1 - len(others)} more"
                if key in in_base and not is_builtin_registry(action.path):
                    also = f" (and at {where}: Tracecat keeps one)" if others else ""
                    yield self.diagnostic(
                        action.location,
                        f"Action `{key}` is also a built-in action of Tracecat's base registry{also}: every workflow "
                        "that uses it fails with `Ambiguous action ... found in multiple registries`; rename it",
                        severity=Severity.ERROR,
                        related=tuple(others),
                    )
                elif others:
                    yield self.diagnostic(
                        action.location,
                        f"Action `{key}` is also defined at {where}: Tracecat keeps one and silently drops the other",
                        related=tuple(others),
                    )


_NAME_RE = re.compile(r"[a-z0-9_]+")


class InvalidActionName(Rule):
    """## What it does
    Reports an action name a workflow cannot call or Tracecat does not
    accept (`GetThing`, `search-web`, a template without `name`).

    Caught: a YAML template without `definition.name`; a name (YAML
    `name`, Python function name) with a character outside `[a-z0-9_]`;
    a YAML name that is not an identifier (`1st`, `search.web`).

    ## Why is this bad?
    The name forms the action key `namespace.name` used in workflows as
    `tools.exa.search`; workflows only accept keys matching `^[a-z0-9_.]+$`
    (`ActionStatement.action` in `tracecat/dsl/schemas.py`), so
    `tools.acme.GetThing` exists in the catalogue but no workflow can call
    it. A dotted or digit-first name can be called, but reads as another
    namespace level or is not a valid Python name.

    Severity: error for a template without `name`
    (`TemplateActionDefinition.name` is required: Tracecat skips the file)
    and for a name the workflow DSL's action pattern rejects. Warning for a
    name the pattern accepts that is not an identifier (`1st`, `a.b`).
    (An empty name is RL107's, a non-string one RL112's.)

    ## Example
    ```yaml
    definition:
      name: search-web
    ```

    ## Use instead
    ```yaml
    definition:
      name: search_web
    ```
    """

    code = "RL110"
    name = "invalid-action-name"
    mixed_severity = True
    sources = ("python", "yaml")
    VALID = (
        Valid(yml_action(), filename="t.yml"),
        Valid(py_action()),
    )
    INVALID = (
        Invalid(yml_action(name="search-web"), filename="t.yml", line=8, col=9, message="search_web", severity=Severity.ERROR),
        Invalid(yml_action(name=None), filename="t.yml", line=2, col=1, severity=Severity.ERROR),
        Invalid(yml_action(name="1st"), filename="t.yml", line=8, col=9, severity=Severity.WARNING),
        Invalid(yml_action(name="GetThing"), filename="t.yml", line=8, col=9, message="get_thing", severity=Severity.ERROR),
        Invalid(py_action().replace("def lookup(", "def GetThing("), line=10, col=11, message="get_thing", severity=Severity.ERROR),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = action.name
        if value is None:
            if action.source == "yaml":
                yield self.diagnostic(action.location, "Template `definition` has no `name`: Tracecat requires one (it skips the file)")
            return
        name = value.value
        if not isinstance(name, str) or not name:
            return  # RL112 / RL107
        if _NAME_RE.fullmatch(name) and (action.source == "python" or name.isidentifier()):
            return
        candidate = _snake(name)
        hint = f"; use `{candidate}`" if candidate and candidate.isidentifier() and candidate != name else ""
        if not ACTION_KEY_RE.match(name):
            yield self.diagnostic(
                value.location,
                f"Action name {name!r} has characters outside [a-z0-9_]: no workflow can call it (the DSL's action pattern is ^[a-z0-9_.]+$){hint}",
            )
        elif action.source == "yaml" and not name.isidentifier():
            yield self.diagnostic(value.location, f"Action name {name!r} is not an identifier{hint}", severity=Severity.WARNING)
