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
from ..tracecat import REGISTER, SECRETS_GET, SECRETS_GET_OR_DEFAULT
from . import Extraction, refused
from .pycollect import Collector, FunctionInfo
from .pydecls import secret_from_call, secrets_declared
from .pyeval import Evaluator, ModuleScope, all_deps, parse_module
from .pytypes import parameters

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
        return list(self.index.get(kind, ()))

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
    collector = Collector(scope)
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


def _attach_refs(parsed: PythonFile, collector: Collector) -> None:
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
                spec = secret_from_call(bound, bound.scope.imports.qualify(bound.node.func))
                key = spec.token_name if spec is not None else None
        return SecretRef(via=via, location=loc, key=key, raw=raw, computed=True)
    value = Evaluator(parsed.scope).value(arg)
    key = value.text
    return SecretRef(via=via, location=loc, key=key, raw=key if key is not None else raw, computed=not isinstance(arg, cst.SimpleString))


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
                secrets, secrets_known, malformed = secrets_declared(parsed, evaluator, arg.value)
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
        **fields,
    )
    return PyAction(spec=spec, func=func, decorator=decorator, call=call, stmt_index=index, scope_name=scope_name)


def is_register(parsed_or_scope: PythonFile | ModuleScope, decorator: cst.Decorator) -> bool:
    scope = parsed_or_scope.scope if isinstance(parsed_or_scope, PythonFile) else parsed_or_scope
    node = decorator.decorator
    target = node.func if isinstance(node, cst.Call) else node
    return scope.imports.qualify(target) == REGISTER


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
    "extract",
    "is_register",
    "iter_parameters",
    "parse_python",
]
