"""Python UDFs -> ActionSpecs, in one LibCST traversal per file.

The only module (with yaml.py) that knows a source syntax. It finds
functions decorated with ``registry.register(...)`` under any import
spelling, evaluates their metadata and ``secrets=`` statically, and
collects ``secrets.get``/``get_or_default`` reads, attributing each to the
actions whose function reaches it through module-level calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TypeVar

import libcst as cst

from ..model import UNKNOWN, ActionSpec, Location, SecretRef, SecretSpec, Severity, Value
from ..results import PYTHON_SYNTAX
from ..source import SourceFile
from . import Extraction, refused
from .pyeval import Bound, Evaluator, ModuleScope, all_deps, parse_module
from .pytypes import parameters
from .secretdecl import CUSTOM_SECRET_FIELDS, OAUTH_SECRET_FIELDS, secret_from_mapping
from .pywalk import _FIELDS, _IS_NODE, child_fields, is_node
from .pyimports import dotted
from ..tracecat import (
    REGISTER,
    REGISTER_KEYWORDS,
    REGISTRY_OAUTH_SECRET,
    REGISTRY_SECRET,
    SECRETS_GET,
    SECRETS_GET_OR_DEFAULT,
)

_METADATA_FIELDS = {
    "default_title": "title",
    "display_group": "display_group",
    "doc_url": "doc_url",
    "author": "author",
    "deprecated": "deprecated",
    "namespace": "namespace",
    "description": "description",
}

_N = TypeVar("_N", bound=cst.CSTNode)
#: Why a decorated function that is not a module attribute is never registered
#: (``Repository._register_udfs_from_module`` registers ``inspect.getmembers(module)``
#: functions only).
_NESTED_REASON = {
    "function": "it is defined inside another function, so it is not a module attribute",
    "class": "it is defined inside a class, so it is not a module-level function",
}


@dataclass
class PyAction:
    spec: ActionSpec
    func: cst.FunctionDef
    decorator: cst.Decorator
    #: None for a bare ``@registry.register`` (RL154).
    call: cst.Call | None
    #: Top-level statement index of the definition (for constant lookups).
    stmt_index: int
    #: Key of the function in ``PythonFile.functions`` (``Class.method`` in a class).
    scope_name: str = ""


@dataclass
class FunctionInfo:
    node: cst.FunctionDef
    #: Names of module-level functions this function calls.
    calls: set[str] = field(default_factory=set)
    #: The first call of each of them, in source order (where an action
    #: reaches a helper: RL401 points there).
    call_sites: dict[str, cst.Call] = field(default_factory=dict)
    refs: list[SecretRef] = field(default_factory=list)


@dataclass
class PythonFile:
    source: SourceFile
    scope: ModuleScope
    actions: list[PyAction] = field(default_factory=list)
    #: Top-level functions by name (class methods as ``Class.method``).
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    #: Secret reads no action reaches (checked against all declarations of the module).
    module_refs: list[SecretRef] = field(default_factory=list)
    #: Every node by exact type, in source order (from the one shared walk).
    index: dict[type, list[cst.CSTNode]] = field(default_factory=dict)
    #: id(function or lambda) -> its own ``return`` statements (not nested ones'), in order.
    own_returns: dict[int, list[cst.Return]] = field(default_factory=dict)

    @property
    def module(self) -> cst.Module:
        return self.scope.module

    def deps(self) -> set[str]:
        """Other files read or looked for while evaluating constants (so far: rules evaluate more)."""
        return all_deps(self.scope)

    def loc(self, node: cst.CSTNode) -> Location:
        return self.scope.loc(node)

    def qualify(self, node: cst.BaseExpression) -> str | None:
        return self.scope.imports.qualify(node)

    def find(self, kind: type[_N]) -> list[_N]:
        """Every node of exactly type ``kind``, in source order, without another walk.

        Whitespace, comments and punctuation are not indexed (see ``pywalk``).
        """
        return list(self.index.get(kind, ()))  # type: ignore[arg-type]

    def entry_calls(self, name: str) -> dict[str, cst.Call]:
        """For each function ``name`` reaches, the call in ``name``'s own body
        that leads there (breadth first: the first callee on a shortest path)."""
        out: dict[str, cst.Call] = {}
        info = self.functions.get(name)
        if info is None:
            return out
        queue = list(info.call_sites.items())  # source order (the collector's walk)
        while queue:
            callee, site = queue.pop(0)
            if callee in out or callee == name or callee not in self.functions:
                continue
            out[callee] = site
            queue.extend((nxt, site) for nxt in sorted(self.functions[callee].calls))
        return out

    def reachable(self, name: str) -> list[str]:
        """``name`` and every module function it calls, transitively, in order."""
        seen: list[str] = []
        stack = [name]
        while stack:
            current = stack.pop()
            if current in seen or current not in self.functions:
                continue
            seen.append(current)
            stack.extend(sorted(self.functions[current].calls - set(seen), reverse=True))
        return seen

    @property
    def specs(self) -> list[ActionSpec]:
        return [a.spec for a in self.actions]


def parse(source: SourceFile) -> Extraction:
    """The file parsed and extracted, or RL001/RL003: a file the budget
    pre-check refuses (LibCST's native parser would crash on it), a syntax
    error, a file the parser cannot take at all (null bytes)."""
    from ..budget import check_python

    refusal = check_python(source.text)
    if refusal is not None:
        return refused(source, refusal)
    try:
        module = parse_python(source)
    except cst.ParserSyntaxError as exc:
        from .pysyntax import syntax_error

        return Extraction(diagnostics=[syntax_error(source, exc)])
    except (ValueError, TypeError) as exc:  # e.g. null bytes
        message = f"Syntax error: cannot parse ({type(exc).__name__})"
        return Extraction().report(PYTHON_SYNTAX, message, source.file_location(), Severity.ERROR)
    parsed = extract(source, module)
    return Extraction(parsed, actions=parsed.specs)


def parse_python(source: SourceFile) -> cst.Module:
    """Parse with LibCST (without per-node validation, see ``pyeval.parse_module``);
    raises ``cst.ParserSyntaxError``."""
    return parse_module(source.text)


def extract(source: SourceFile, module: cst.Module) -> PythonFile:
    scope = ModuleScope(source, module)
    scope.collect_assignments()
    collector = _Collector(scope)
    collector.run(module)
    parsed = PythonFile(
        source, scope, functions=collector.functions, index=collector.index, own_returns=collector.returns
    )
    _attach_refs(parsed, collector)
    reached: set[str] = set()
    for func, decorator, index, scope_name in collector.decorated:
        if is_register(scope, decorator):
            action = _build_action(parsed, func, decorator, index, scope_name)
            enclosing = collector.nested.get(id(func))
            if enclosing is not None:
                action.spec = replace(action.spec, unloadable=_NESTED_REASON[enclosing])
            parsed.actions.append(action)
            reached.update(parsed.reachable(scope_name))
    # Reads in helpers no action of this module reaches (other modules may call
    # them): checked against the union of the module's declarations.
    for name, info in parsed.functions.items():
        if name not in reached:
            parsed.module_refs.extend(replace(ref, attributed=False) for ref in info.refs)
    parsed.module_refs = [replace(ref, attributed=False) for ref in parsed.module_refs]
    return parsed


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
                    spec = _secret_from_call(Bound(scope, node), scope.imports.qualify(node.func))
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
                    specs, _, _ = _secrets(parsed, Evaluator(scope, before=index + 1), expr, locate=False)
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


# Traversal -------------------------------------------------------------------
_LEAVE = object()


class _Collector:
    """One pass: imports, function scopes, register decorators, calls.

    Walks the fields directly (``pywalk``) instead of ``CSTNode.visit``, which
    rebuilds every node and costs as much as the parse. Also indexes every
    node by type so rules can look nodes up without walking again.
    """

    def __init__(self, scope: ModuleScope) -> None:
        self.scope = scope
        self.functions: dict[str, FunctionInfo] = {}
        self.decorated: list[tuple[cst.FunctionDef, cst.Decorator, int, str]] = []
        #: id(function) -> "function" or "class" for definitions nested in one (never module members).
        self.nested: dict[int, str] = {}
        # (scope name or None, call, statement index)
        self.calls: list[tuple[str | None, cst.Call, int]] = []
        self.index: dict[type, list[cst.CSTNode]] = {}
        self.returns: dict[int, list[cst.Return]] = {}
        self._scope_stack: list[str] = []
        self._class_stack: list[str] = []
        # Innermost function or lambda, for ``returns``.
        self._funcs: list[cst.CSTNode] = []

    def run(self, module: cst.Module) -> None:
        index = self.index
        fields, flags = _FIELDS, _IS_NODE
        for stmt_index, stmt in enumerate(module.body):
            stack: list[object] = [stmt]
            while stack:
                node = stack.pop()
                if node is _LEAVE:
                    left = stack.pop()
                    if type(left) is cst.FunctionDef:
                        self._scope_stack.pop()
                        self._funcs.pop()
                    elif type(left) is cst.Lambda:
                        self._funcs.pop()
                    else:
                        self._class_stack.pop()
                    continue
                kind = type(node)
                bucket = index.get(kind)
                if bucket is None:
                    index[kind] = [node]  # type: ignore[list-item]
                else:
                    bucket.append(node)  # type: ignore[arg-type]
                if kind is cst.Call:
                    current = self._scope_stack[-1] if self._scope_stack else None
                    self.calls.append((current, node, stmt_index))  # type: ignore[arg-type]
                elif kind is cst.FunctionDef:
                    self._enter_function(node, stmt_index)  # type: ignore[arg-type]
                    self._funcs.append(node)  # type: ignore[arg-type]
                    stack += (node, _LEAVE)
                elif kind is cst.Return:
                    if self._funcs:
                        owner = id(self._funcs[-1])
                        own = self.returns.get(owner)
                        if own is None:
                            self.returns[owner] = [node]  # type: ignore[list-item]
                        else:
                            own.append(node)  # type: ignore[arg-type]
                elif kind is cst.Lambda:
                    self._funcs.append(node)  # type: ignore[arg-type]
                    stack += (node, _LEAVE)
                elif kind is cst.ClassDef:
                    self._class_stack.append(node.name.value)  # type: ignore[attr-defined]
                    stack += (node, _LEAVE)
                elif kind is cst.Import or kind is cst.ImportFrom:
                    self.scope.imports.add(node)  # type: ignore[arg-type]
                # pywalk.children, inlined: this loop runs for every node of every file.
                names = fields.get(kind)
                if names is None:
                    names = child_fields(kind)
                kids: list[object] = []
                for name in names:
                    value = getattr(node, name)
                    vkind = type(value)
                    if vkind is tuple or vkind is list:
                        for item in value:
                            flag = flags.get(type(item))
                            if flag or (flag is None and is_node(item)):
                                kids.append(item)
                    else:
                        flag = flags.get(vkind)
                        if flag or (flag is None and is_node(value)):
                            kids.append(value)
                if kids:
                    kids.reverse()
                    stack += kids

    def _enter_function(self, node: cst.FunctionDef, stmt_index: int) -> None:
        if self._scope_stack or self._class_stack:
            self.nested[id(node)] = "function" if self._scope_stack else "class"
        if not self._scope_stack:
            name = ".".join([*self._class_stack, node.name.value])
            self.functions[name] = FunctionInfo(node)
            self._scope_stack.append(name)
        else:
            self._scope_stack.append(self._scope_stack[-1])
        for decorator in node.decorators:
            self.decorated.append((node, decorator, stmt_index, self._scope_stack[-1]))


def _attach_refs(parsed: PythonFile, collector: _Collector) -> None:
    scope = parsed.scope
    for current, call, index in collector.calls:
        func = call.func
        qual = scope.imports.qualify(func)
        if qual in (SECRETS_GET, SECRETS_GET_OR_DEFAULT):
            via = "get" if qual == SECRETS_GET else "get_or_default"
            ref = _secret_ref(parsed, call, via, index)
            if ref is None:
                continue
            if current is not None:
                parsed.functions[current].refs.append(ref)
            else:
                parsed.module_refs.append(ref)
        elif current is not None and isinstance(func, cst.Name) and func.value in parsed.functions:
            info = parsed.functions[current]
            info.calls.add(func.value)
            info.call_sites.setdefault(func.value, call)


def _secret_ref(parsed: PythonFile, call: cst.Call, via: str, index: int) -> SecretRef | None:
    if not call.args or call.args[0].star:
        return None
    keyword = call.args[0].keyword
    # `get(name)` may take its key by keyword; `get_or_default` is positional-only (RL403).
    if keyword is not None and not (via == "get" and keyword.value == "name"):
        return None
    arg = call.args[0].value
    loc = parsed.loc(arg)
    raw = parsed.scope.code(arg)
    # `secrets.get(oauth_secret.token_name)`: computed from the declaration.
    if isinstance(arg, cst.Attribute) and arg.attr.value == "token_name":
        key = None
        if isinstance(arg.value, cst.Name):
            bound = Evaluator(parsed.scope, before=index + 1).lookup(arg.value)
            if bound is not None and isinstance(bound.node, cst.Call):
                spec = _secret_from_call(bound, bound.scope.imports.qualify(bound.node.func))
                key = spec.token_name if spec is not None else None
        return SecretRef(via=via, location=loc, key=key, raw=raw, computed=True)  # type: ignore[arg-type]
    value = Evaluator(parsed.scope).value(arg)
    key = value.text
    return SecretRef(via=via, location=loc, key=key, raw=key if key is not None else raw, computed=not isinstance(arg, cst.SimpleString))  # type: ignore[arg-type]


# Actions -----------------------------------------------------------------------
def _build_action(
    parsed: PythonFile, func: cst.FunctionDef, decorator: cst.Decorator, index: int, scope_name: str
) -> PyAction:
    node = decorator.decorator
    call = node if isinstance(node, cst.Call) else None
    name_loc = parsed.loc(func.name)
    fields: dict[str, Value | None] = {}
    secrets: tuple[SecretSpec, ...] = ()
    secrets_loc: Location | None = None
    secrets_known = True
    malformed: list[tuple[Location, str]] = []
    if call is not None:
        evaluator = Evaluator(parsed.scope, before=index)
        splat = False
        for arg in call.args:
            if arg.star:
                splat = True
                continue
            kw = arg.keyword.value if arg.keyword is not None else None
            if kw in _METADATA_FIELDS:
                fields[_METADATA_FIELDS[kw]] = evaluator.value(arg.value)
            elif kw == "secrets":
                secrets_loc = parsed.loc(arg.value)
                secrets, secrets_known, malformed = _secrets(parsed, evaluator, arg.value)
        if splat:
            # `**META`: anything not given explicitly is unknown, not missing.
            for target in _METADATA_FIELDS.values():
                fields.setdefault(target, Value(UNKNOWN, parsed.loc(call), "**kwargs"))
            secrets_known = secrets_known and secrets_loc is not None
    reached = parsed.reachable(scope_name)
    refs = tuple(ref for fname in reached for ref in parsed.functions[fname].refs)
    spec = ActionSpec(
        source="python",
        path=parsed.source.path,
        location=name_loc,
        name=Value(func.name.value, name_loc),
        secrets=secrets,
        secrets_location=secrets_loc,
        secrets_known=secrets_known,
        malformed_secrets=tuple(malformed),
        refs=refs,
        params=parameters(func, parsed.scope, index),
        **fields,  # type: ignore[arg-type]
    )
    return PyAction(spec=spec, func=func, decorator=decorator, call=call, stmt_index=index, scope_name=scope_name)


def is_register(parsed_or_scope: PythonFile | ModuleScope, decorator: cst.Decorator) -> bool:
    scope = parsed_or_scope.scope if isinstance(parsed_or_scope, PythonFile) else parsed_or_scope
    node = decorator.decorator
    target = node.func if isinstance(node, cst.Call) else node
    return scope.imports.qualify(target) == REGISTER


def _secrets(
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
        return _secret_from_call(bound, bound.scope.imports.qualify(node.func))
    if isinstance(node, cst.Dict):
        return _secret_from_dict(bound)
    return None


def _secret_from_call(bound: Bound, qual: str | None) -> SecretSpec | None:
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
    return SecretSpec(kind=kind, location=scope.loc(bound.node), unknown_fields=tuple(unknown), **values)  # type: ignore[arg-type]


def _secret_from_dict(bound: Bound) -> SecretSpec | None:
    value = Evaluator(bound.scope).value(bound.node)
    if not isinstance(value.value, dict):
        return None
    # Evaluated dicts keep value locations only; they stand in for the keys'.
    fields = {k: (v.location, v) for k, v in value.value.items()}
    return secret_from_mapping(fields, value.location, legacy_dict=True)


def iter_parameters(func: cst.FunctionDef) -> Iterator[cst.Param]:
    params = func.params
    yield from params.posonly_params
    yield from params.params
    if isinstance(params.star_arg, cst.Param):
        yield params.star_arg
    yield from params.kwonly_params
    if params.star_kwarg is not None:
        yield params.star_kwarg


__all__ = [
    "PyAction",
    "PythonFile",
    "FunctionInfo",
    "REGISTER_KEYWORDS",
    "extract",
    "is_register",
    "iter_parameters",
    "module_declarations",
    "module_secret_lists",
    "secrets_elements",
    "parse_python",
    "dotted",
]
