"""Secret declarations in Python: an action's ``secrets=`` (evaluated
statically, with the shapes ``register()`` fails on), module-level
``RegistrySecret(...)``/``RegistryOAuthSecret(...)`` constants and shared
``secrets`` lists (part of the Python extractor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ..model import Location, SecretSpec, Value
from ..tracecat import REGISTRY_OAUTH_SECRET, REGISTRY_SECRET
from .pyeval import Bound, Evaluator
from .secretdecl import CUSTOM_SECRET_FIELDS, OAUTH_SECRET_FIELDS, secret_from_mapping

if TYPE_CHECKING:
    from .python import PyAction, PythonFile


def module_declarations(parsed: PythonFile) -> list[SecretSpec]:
    """``RegistrySecret(...)``/``RegistryOAuthSecret(...)`` bound to module names
    (directly or as list elements), whether or not an action uses them."""
    # Evaluated once per file: a dozen declaration rules ask for them.
    cached: list[SecretSpec] | None = parsed.__dict__.get("_module_declarations")
    if cached is None:
        cached = parsed.__dict__["_module_declarations"] = _module_declarations(parsed)
    return list(cached)


def _module_declarations(parsed: PythonFile) -> list[SecretSpec]:
    scope = parsed.scope
    out: list[SecretSpec] = []
    for bindings in scope.assignments.values():
        for _, expr in bindings:
            nodes = [e.value for e in expr.elements] if isinstance(expr, (cst.List, cst.Tuple)) else [expr]
            for node in nodes:
                if isinstance(node, cst.Call):
                    spec = secret_from_call(Bound(scope, node), scope.imports.qualify(node.func))
                    if spec is not None:
                        out.append(spec)
    return out


def module_secret_lists(parsed: PythonFile) -> list[tuple[Location, tuple[SecretSpec, ...]]]:
    """Module-level list/tuple constants holding secret declarations (shared
    ``secrets=`` lists), each with the declarations it evaluates to."""
    cached = parsed.__dict__.get("_module_secret_lists")
    if cached is None:
        cached = []
        scope = parsed.scope
        for bindings in scope.assignments.values():
            for index, expr in bindings:
                # Lists of plain literals (most module constants) hold no declaration.
                if isinstance(expr, (cst.List, cst.Tuple)) and any(
                    isinstance(e, cst.StarredElement) or isinstance(e.value, (cst.Call, cst.Name, cst.Dict)) for e in expr.elements
                ):
                    specs, _, _ = secrets_declared(parsed, Evaluator(scope, before=index + 1), expr, locate=False)
                    if specs:
                        cached.append((parsed.loc(expr), specs))
        parsed.__dict__["_module_secret_lists"] = cached
    return list(cached)


def secrets_elements(parsed: PythonFile, action: PyAction) -> list[set[Location]] | None:
    """For each element of an action's ``secrets=[...]`` literal, the
    locations of the declarations it contributes (a ``*LIST`` element
    contributes several); None when ``secrets=`` is not a literal list."""
    node = next((a.value for a in (action.call.args if action.call else ()) if a.keyword and a.keyword.value == "secrets"), None)
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    evaluator = Evaluator(parsed.scope, before=action.stmt_index)
    groups: list[set[Location]] = []
    for element in node.elements:
        inner = element.value
        wrapped = inner if isinstance(element, cst.StarredElement) else cst.List([cst.Element(inner)])
        groups.append({b.scope.loc(b.node) for b in evaluator.elements(wrapped) if b is not None})
    return groups


def secrets_declared(
    parsed: PythonFile, evaluator: Evaluator, node: cst.BaseExpression, *, locate: bool = True
) -> tuple[tuple[SecretSpec, ...], bool, list[tuple[Location, str]]]:
    """(declarations, all statically known, shapes ``register()`` fails on;
    ``locate`` False: those shapes are not wanted, their positions not computed)."""
    specs: list[SecretSpec] = []
    known = True
    malformed: list[tuple[Location, str]] = []
    if isinstance(node, cst.Name) and node.value == "None":
        return (), True, malformed
    target = evaluator.lookup(node) if isinstance(node, cst.Name) else Bound(parsed.scope, node)
    problem = _not_a_list(target) if target is not None else None
    if problem is not None:
        # Not known: the action cannot register (RL214), other rules stay quiet.
        return (), False, [(parsed.loc(node), problem)]
    for bound in evaluator.elements(node):
        if bound is None:
            known = False
            continue
        spec = _secret_entry(bound)
        if spec is not None:
            specs.append(spec)
            continue
        problem = _bad_entry(bound) if locate else None
        known = False
        if problem is not None:
            here = bound.scope is parsed.scope
            malformed.append((bound.scope.loc(bound.node) if here else parsed.loc(node), problem))
    return tuple(specs), known, malformed


# register() does `[s.model_dump() for s in secrets] if secrets else None`:
# anything falsy is no secrets; anything else must iterate to models.
def _not_a_list(bound: Bound) -> str | None:
    node = bound.node
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        text = Evaluator(bound.scope).value(node).value
        return None if text == "" else "`secrets` is a string, not a list: register() iterates it character by character"
    if isinstance(node, cst.Dict):
        return "`secrets` is a mapping, not a list of secrets" if node.elements else None
    if isinstance(node, (cst.Integer, cst.Float)):
        return "`secrets` is a number, not a list of secrets" if node.value.strip("0._") else None
    if isinstance(node, cst.Name) and node.value == "True":
        return "`secrets` is a boolean, not a list of secrets"
    if isinstance(node, cst.Call) and bound.scope.imports.qualify(node.func) in (REGISTRY_SECRET, REGISTRY_OAUTH_SECRET):
        return "`secrets` is a single secret, not a list: register() iterates the model's fields; write secrets=[...]"
    return None


def _bad_entry(bound: Bound) -> str | None:
    node = bound.node
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return "a bare string in `secrets`: each entry must be RegistrySecret(...) or RegistryOAuthSecret(...)"
    if isinstance(node, (cst.Integer, cst.Float)) or (isinstance(node, cst.Name) and node.value in ("True", "False", "None")):
        return f"`{bound.scope.code(node)}` in `secrets`: each entry must be RegistrySecret(...) or RegistryOAuthSecret(...)"
    if isinstance(node, (cst.List, cst.Tuple)):
        return "a list inside `secrets`: unpack it with `*` or list its secrets directly"
    return None


def _secret_entry(bound: Bound) -> SecretSpec | None:
    node = bound.node
    if isinstance(node, cst.Call):
        return secret_from_call(bound, bound.scope.imports.qualify(node.func))
    if isinstance(node, cst.Dict):
        return _secret_from_dict(bound)
    return None


def secret_from_call(bound: Bound, qual: str | None) -> SecretSpec | None:
    if qual not in (REGISTRY_SECRET, REGISTRY_OAUTH_SECRET):
        return None
    assert isinstance(bound.node, cst.Call)
    scope = bound.scope
    kind = "oauth" if qual == REGISTRY_OAUTH_SECRET else "custom"
    allowed = OAUTH_SECRET_FIELDS if kind == "oauth" else CUSTOM_SECRET_FIELDS
    evaluator = Evaluator(scope)
    values: dict[str, Value] = {}
    unknown: list[Value] = []
    for arg in bound.node.args:
        if arg.star:
            return None
        if arg.keyword is None:
            unknown.append(Value("<positional argument>", scope.loc(arg.value)))
            continue
        kw = arg.keyword.value
        if kw in allowed:
            values[kw] = evaluator.value(arg.value)
        else:
            unknown.append(Value(kw, scope.loc(arg.keyword)))
    values.pop("type", None)
    return SecretSpec(kind=kind, location=scope.loc(bound.node), unknown_fields=tuple(unknown), **values)


def _secret_from_dict(bound: Bound) -> SecretSpec | None:
    value = Evaluator(bound.scope).value(bound.node)
    if not isinstance(value.value, dict):
        return None
    # Evaluated dicts keep value locations only; they stand in for the keys'.
    fields = {k: (v.location, v) for k, v in value.value.items()}
    return secret_from_mapping(fields, value.location, legacy_dict=True)
