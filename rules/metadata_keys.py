"""RL1xx: the action's key: namespace (RL105, RL106), name (RL110), uniqueness (RL109)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from registry_lint.context import FileContext, ProjectContext
from registry_lint.model import ActionSpec, Diagnostic
from registry_lint.rule import Invalid, Rule, Valid

from ._metadata_common import is_blank, py_action, where, yml_action
from registry_lint.tracecat import RESERVED_NAMESPACE_RE as _RESERVED


class MissingNamespace(Rule):
    """## What it does
    Reports an action without a `namespace`.

    ## Why is this bad?
    `registry.register` defaults `namespace` to `core`: the action silently
    lands among Tracecat's built-ins (`core.my_action`), where it can clash
    with them and is not found under the integration. Templates require a
    namespace and fail validation without one.

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
    sources = ("python", "yaml")
    VALID = (Valid(py_action()), Valid(yml_action(), filename="t.yml"))
    INVALID = (
        Invalid(py_action(namespace=None), line=9, col=11, message="defaults to `core`"),
        Invalid(yml_action(namespace=None), filename="t.yml", line=7, col=9),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        if not is_blank(action.namespace):
            return
        if action.source == "python":
            name = action.name.text if action.name else "action"
            msg = f"`namespace` is missing: it defaults to `core`, so this registers as `core.{name}`; use `tools.<integration>`"
        else:
            msg = "`namespace` is missing: templates must declare `tools.<integration>`"
        yield self.diagnostic(where(action, action.namespace), msg)




def _snake(text: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text)
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")


def suggest_namespace(namespace: str) -> str | None:
    """`tools.MyApp` -> `tools.my_app`, `tools-myapp` -> `tools.myapp`, `myapp` -> `tools.myapp`."""
    head, sep, tail = namespace.partition(".")
    if head.lower() == "tools" and sep:
        name = tail
    elif re.match(r"(?i)^tools[-_ /:]", namespace):
        name = namespace[6:]
    else:
        name = namespace
    name = _snake(name.replace(".", "_"))
    if not name or not name[0].isalpha():
        return None
    return f"tools.{name}"


class InvalidNamespace(Rule):
    """## What it does
    Reports a namespace that does not fullmatch `tools\\.[a-z][a-z0-9_]*`
    (configurable with `namespace-pattern`). The message says when the
    namespace is one of Tracecat's reserved built-ins (`core`, `core.*`,
    `ai`, `ai.*`) or has the wrong case or separator, and suggests the fix.

    ## Why is this bad?
    Custom actions in reserved namespaces collide with Tracecat's built-ins;
    other spellings break the `tools.<integration>` convention the catalogue,
    the docs and agents' tool names rely on.

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
    sources = ("python", "yaml")
    VALID = (
        Valid(py_action()),
        Valid(yml_action(namespace="tools.my_app2"), filename="t.yml"),
        Valid(py_action(namespace='"acme.exa"'), config={"namespace-pattern": r"acme\.[a-z_]+"}),
    )
    INVALID = (
        Invalid(py_action(namespace='"tools.MyApp"'), line=8, col=15, message="`tools.my_app`"),
        Invalid(py_action(namespace='"core.http"'), line=8, col=15, message="reserved"),
        Invalid(yml_action(namespace="tools-myapp"), filename="t.yml", line=7, col=14, message="`tools.myapp`"),
        Invalid(yml_action(namespace="ai"), filename="t.yml", line=7, col=14, message="reserved"),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        value = action.namespace
        if value is None or not value.known or is_blank(value):
            return
        ns = value.value
        if not isinstance(ns, str):
            yield self.diagnostic(value.location, f"Namespace must be a string, got {type(ns).__name__}")
            return
        if ctx.config.namespace_re.fullmatch(ns):
            return
        pattern = ctx.config.namespace_pattern
        if _RESERVED.match(ns):
            yield self.diagnostic(
                value.location,
                f"Namespace `{ns}` is reserved for Tracecat's built-in actions; use `tools.<integration>`",
            )
            return
        suggestion = suggest_namespace(ns)
        hint = ""
        if suggestion and ctx.config.namespace_re.fullmatch(suggestion):
            hint = f"; did you mean `{suggestion}`?"
        yield self.diagnostic(value.location, f"Namespace `{ns}` does not match `{pattern}`{hint}")


#: Other locations one RL109 finding lists (message and ``related``).
MAX_LISTED = 5


class DuplicateAction(Rule):
    """## What it does
    Reports two actions with the same key `namespace.name` anywhere in the
    linted set (across files and across Python and YAML). Every occurrence
    is reported, each pointing at the others: the message and the related
    locations list at most 5 of them, then "and N more" (a generated file
    with 1000 copies of one action would otherwise produce a million
    locations).

    The rule runs over every linted file at once, whichever configuration
    applies to each; a finding is kept or dropped by the selection of the
    configuration of the file it is located in.

    ## Why is this bad?
    Tracecat refuses to register the second one (`UDF key already
    registered`) or one silently shadows the other, depending on the order
    the files are loaded in.

    ## Example
    `tools/exa/search.yml` and `exa.py` both define `tools.exa.search`.

    ## Use instead
    Rename one of them.
    """

    code = "RL109"
    name = "duplicate-action"
    sources = ("python", "yaml")
    VALID = (Valid(py_action(), files={"t.yml": yml_action(name="other")}),)
    INVALID = (
        Invalid(py_action(), files={"t.yml": yml_action()}, line=10, col=11, message="t.yml:8"),
        Invalid(py_action(), files={"t.yml": yml_action()}, path="t.yml", line=8, col=9, message="action.py:10"),
        Invalid(py_action(namespace=None) + "\n\n@registry.register(description='x')\nasync def search() -> dict:\n    return {}\n", line=9, col=11, also=((14, 11),)),
        Invalid(py_action(), files={f"t{i}.yml": yml_action() for i in range(6)}, line=10, col=11, message="t4.yml:8 and 1 more"),
    )

    def check_project(self, actions: Sequence[ActionSpec], ctx: ProjectContext) -> Iterable[Diagnostic]:
        by_key: dict[str, list[ActionSpec]] = defaultdict(list)
        for action in actions:
            key = action.key
            if key is not None:
                by_key[key].append(action)
        for key, group in by_key.items():
            if len(group) < 2:
                continue
            # The first few are enough for anyone; listing them all is
            # quadratic in the number of copies.
            head = group[: MAX_LISTED + 1]
            for action in group:
                others = [a.location for a in head if a is not action][:MAX_LISTED]
                where = ", ".join(f"{o.path}:{o.line}" for o in others)
                if len(group) - 1 > len(others):
                    where += f" and {len(group) - 1 - len(others)} more"
                yield self.diagnostic(
                    action.location,
                    f"Action `{key}` is also defined at {where}",
                    related=tuple(others),
                )


class InvalidActionName(Rule):
    """## What it does
    Reports a YAML template whose `definition.name` is absent or not a Python
    identifier (Python actions take the function name, always valid).

    ## Why is this bad?
    The name forms the action key `namespace.name` used in workflows as
    `tools.exa.search`; Tracecat requires it, and names with dashes or spaces
    cannot be referenced from expressions.

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
    sources = ("yaml",)
    VALID = (Valid(yml_action(), filename="t.yml"), Valid(py_action()))
    INVALID = (
        Invalid(yml_action(name="search-web"), filename="t.yml", line=8, col=9, message="search_web"),
        Invalid(yml_action(name=None), filename="t.yml", line=2, col=1),
        Invalid(yml_action(name="1st"), filename="t.yml", line=8, col=9),
    )

    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        if action.source != "yaml":
            return
        value = action.name
        if value is None:
            yield self.diagnostic(action.location, "Template `definition` has no `name`")
            return
        name = value.value
        if not isinstance(name, str) or not name.isidentifier():
            hint = ""
            if isinstance(name, str):
                candidate = re.sub(r"\W+", "_", name).strip("_")
                if candidate.isidentifier():
                    hint = f"; use `{candidate}`"
            yield self.diagnostic(value.location, f"Action name {name!r} is not a valid identifier{hint}")
