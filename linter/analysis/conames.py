"""``co_names`` of a registered function, computed from its LibCST tree as
CPython 3.12+ builds it (Tracecat's runtime), and the actions whose code
Tracecat's ``_enforce_restrictions`` (``tracecat/registry/repository.py``)
refuses: ``"os" in co_names and ("environ" in co_names or "getenv" in
co_names)`` raises ``ValueError`` while the repository loads.

``co_names`` holds the global and builtin names the function's own code
loads or stores, every attribute name, and the module and member names of
its imports; not names local to it, not the bodies of nested functions,
lambdas, classes or generator expressions (their own code objects), but the
inlined list/set/dict comprehensions (PEP 709) and what a nested
``def``/``class``/``lambda`` evaluates where it is defined (decorators,
defaults, bases, annotations unless ``from __future__ import
annotations``). libcst is imported by the caller's hook first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..tracecat import ENV_RESTRICTED_NAMES

if TYPE_CHECKING:
    import libcst as cst

    from ..extract.python import PyAction, PythonFile


_OS_WORD = re.compile(r"\bos\b")


def restricted(parsed: PythonFile) -> list[tuple[PyAction, str, cst.CSTNode]]:
    """(action, the restricted name, its first node) for every action Tracecat
    refuses; computed once per file (RL406/RL407 leave these reads to RL157)."""
    cached = parsed.__dict__.get("_rl157")
    if cached is None:
        cached = []
        text = parsed.source.text
        # co_names needs `os` and a restricted name somewhere in the module's text.
        if not any(name in text for name in ENV_RESTRICTED_NAMES) or not _OS_WORD.search(text):
            parsed.__dict__["_rl157"] = cached
            return cached
        future = _future_annotations(parsed)
        for action in parsed.actions:
            if not _module_member(action):
                continue
            names = code_names(action.func, future)
            if "os" not in names:
                continue
            for restricted_name in ENV_RESTRICTED_NAMES:
                if restricted_name in names:
                    cached.append((action, restricted_name, names[restricted_name]))
                    break
        parsed.__dict__["_rl157"] = cached
    return cached


def _module_member(action: PyAction) -> bool:
    """Only module-level functions are found (``inspect.getmembers(module)``)."""
    return action.scope_name == action.func.name.value


def _future_annotations(parsed: PythonFile) -> bool:
    # Annotations are then strings, never evaluated where a nested def is defined.
    return "from __future__ import annotations" in parsed.source.text


_CONSTANTS = frozenset({"True", "False", "None", "__debug__"})


def _skipped() -> tuple[type, ...]:
    import libcst as cst

    # `type X = ...` evaluates lazily in its own scope (PEP 695).
    return (cst.Global, cst.Nonlocal) + ((cst.TypeAlias,) if hasattr(cst, "TypeAlias") else ())


def code_names(func: cst.FunctionDef, future_annotations: bool = False) -> dict[str, cst.CSTNode]:
    """``func.__code__.co_names`` (CPython 3.12+), each with the first node that puts it there."""
    import libcst as cst

    _SKIPPED = _skipped()
    declared_global, declared_free = _declarations(func)
    local = (_params(func) | _bindings(func)) - declared_global - declared_free
    out: dict[str, cst.CSTNode] = {}

    def add(name: str, node: cst.CSTNode) -> None:
        out.setdefault(name, node)

    def expr(node: cst.CSTNode | None, hidden: frozenset[str]) -> None:
        if node is not None:
            visit(node, hidden)

    def annotation(node: cst.Annotation | None, hidden: frozenset[str]) -> None:
        if node is not None and not future_annotations:
            visit(node.annotation, hidden)

    def params(node: cst.Parameters, hidden: frozenset[str], *, annotations: bool) -> None:
        for param in (*node.posonly_params, *node.params, *node.kwonly_params):
            expr(param.default, hidden)
        if annotations:
            for param in (*node.posonly_params, *node.params, *node.kwonly_params):
                annotation(param.annotation, hidden)
            for star in (node.star_arg, node.star_kwarg):
                if isinstance(star, cst.Param):
                    annotation(star.annotation, hidden)

    def visit(node: cst.CSTNode, hidden: frozenset[str]) -> None:
        from registry_lint.extract.pywalk import children

        stack: list[tuple[cst.CSTNode, frozenset[str]]] = [(node, hidden)]
        while stack:
            current, scope = stack.pop()
            kind = type(current)
            if kind is cst.Name:
                name = current.value
                if name in _CONSTANTS:
                    continue
                if name not in scope and name not in declared_free and (name in declared_global or name not in local):
                    add(name, current)
                continue
            if kind is cst.Attribute:
                add(current.attr.value, current)
                stack.append((current.value, scope))
                continue
            if kind is cst.Arg:
                stack.append((current.value, scope))
                continue
            if kind is cst.FunctionDef:
                for decorator in current.decorators:
                    expr(decorator.decorator, scope)
                params(current.params, scope, annotations=True)
                annotation(current.returns, scope)
                continue
            if kind is cst.ClassDef:
                for decorator in current.decorators:
                    expr(decorator.decorator, scope)
                for arg in (*current.bases, *current.keywords):
                    expr(arg.value, scope)
                continue
            if kind is cst.Lambda:
                params(current.params, scope, annotations=False)
                continue
            if kind is cst.GeneratorExp:
                expr(current.for_in.iter, scope)
                continue
            if kind in (cst.ListComp, cst.SetComp, cst.DictComp):
                comp_for = current.for_in
                expr(comp_for.iter, scope)
                inner = scope | _comprehension_targets(comp_for)
                for child in children(current):
                    if child is not comp_for:
                        stack.append((child, inner))
                for child in children(comp_for):
                    if child is not comp_for.iter:
                        stack.append((child, inner))
                continue
            if kind is cst.AnnAssign:
                stack.append((current.target, scope))
                if current.value is not None:
                    stack.append((current.value, scope))
                continue  # a local variable's annotation is never evaluated
            if kind is cst.Import:
                for alias in current.names:
                    dotted = _dotted(alias.name)
                    add(dotted, alias)  # IMPORT_NAME
                    if alias.asname is not None:
                        for part in dotted.split(".")[1:]:
                            add(part, alias)  # IMPORT_FROM for each level below the top
                    bound = _alias_binding(alias)
                    if bound in declared_global:
                        add(bound, alias)  # STORE_GLOBAL
                continue
            if kind is cst.ImportFrom:
                module = current.module
                add(_dotted(module) if module is not None else "", current)
                if not isinstance(current.names, cst.ImportStar):
                    for alias in current.names:
                        add(_dotted(alias.name), alias)
                        bound = _alias_binding(alias)
                        if bound in declared_global:
                            add(bound, alias)
                continue
            if kind in _SKIPPED:
                continue
            if kind is cst.MatchKeywordElement:
                stack.append((current.pattern, scope))
                continue
            for child in reversed(children(current)):
                stack.append((child, scope))

    for statement in func.body.body:
        visit(statement, frozenset())
    return out


def _dotted(node: cst.CSTNode) -> str:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _alias_binding(alias: cst.ImportAlias) -> str:
    import libcst as cst

    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _dotted(alias.name).partition(".")[0]


def _params(func: cst.FunctionDef) -> set[str]:
    import libcst as cst

    p = func.params
    names = {param.name.value for param in (*p.posonly_params, *p.params, *p.kwonly_params)}
    names |= {star.name.value for star in (p.star_arg, p.star_kwarg) if isinstance(star, cst.Param)}
    return names


def _own_nodes(func: cst.FunctionDef) -> Iterator[cst.CSTNode]:
    """Nodes of ``func``'s own scope (walrus targets in comprehensions included)."""
    import libcst as cst

    from registry_lint.extract.pywalk import find_types

    prune = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.GeneratorExp})
    for statement in func.body.body:
        yield from find_types(statement, None, prune)


def _declarations(func: cst.FunctionDef) -> tuple[set[str], set[str]]:
    import libcst as cst

    declared_global: set[str] = set()
    declared_free: set[str] = set()
    for node in _own_nodes(func):
        if isinstance(node, cst.Global):
            declared_global.update(item.name.value for item in node.names)
        elif isinstance(node, cst.Nonlocal):
            declared_free.update(item.name.value for item in node.names)
    return declared_global, declared_free


def _bindings(func: cst.FunctionDef) -> set[str]:
    """Names bound in ``func``'s own scope (they are fast locals, not co_names)."""
    import libcst as cst

    out: set[str] = set()
    for node in _own_nodes(func):
        kind = type(node)
        if kind is cst.Assign:
            for target in node.targets:
                out |= _target_names(target.target)
        elif kind in (cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr):
            out |= _target_names(node.target)
        elif kind is cst.WithItem and node.asname is not None:
            out |= _target_names(node.asname.name)
        elif kind in (cst.ExceptHandler, cst.ExceptStarHandler) and node.name is not None:
            out |= _target_names(node.name.name)
        elif kind is cst.Del:
            out |= _target_names(node.target)
        elif kind is cst.Import:
            out |= {_alias_binding(alias) for alias in node.names}
        elif kind is cst.ImportFrom and not isinstance(node.names, cst.ImportStar):
            out |= {_alias_binding(alias) for alias in node.names}
        elif kind in (cst.FunctionDef, cst.ClassDef) and node is not func:
            out.add(node.name.value)
        elif kind in (cst.MatchAs, cst.MatchStar) and node.name is not None:
            out.add(node.name.value)
        elif kind is cst.MatchMapping and node.rest is not None:
            out.add(node.rest.value)
    return out


def _target_names(node: cst.CSTNode) -> set[str]:
    import libcst as cst

    if isinstance(node, cst.Name):
        return {node.value}
    if isinstance(node, (cst.Tuple, cst.List)):
        return {n for element in node.elements for n in _target_names(element.value)}
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    return set()


def _comprehension_targets(comp_for: cst.CompFor) -> frozenset[str]:
    names: set[str] = set()
    current: cst.CompFor | None = comp_for
    while current is not None:
        names |= _target_names(current.target)
        current = current.inner_for_in
    return frozenset(names)
