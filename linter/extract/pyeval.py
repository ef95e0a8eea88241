"""Static evaluation of the constant expressions registries use for metadata.

Handles literals, implicit/explicit string concatenation, lists with
``*STAR`` unpacking, module-level constants (the assignment before the use
site wins) and names imported from sibling modules of the linted tree.
Anything else evaluates to :data:`UNKNOWN`, never to a guess.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from ..model import UNKNOWN, Location, Value
from ..source import SourceFile, decode
from ..tracecat import is_sdk_api
from .pyimports import ImportTable
from .fastparse import parse_module
from .positions import PositionIndex
from .siblings import is_module_file, module_bases, module_files

_MAX_DEPTH = 20


@dataclass
class ModuleScope:
    """Module-level facts of one Python file, enough to evaluate constants."""

    source: SourceFile
    module: cst.Module
    imports: ImportTable = field(default_factory=ImportTable)
    #: name -> [(top-level statement index, value expression)]
    assignments: dict[str, list[tuple[int, cst.BaseExpression]]] = field(default_factory=dict)
    positions: PositionIndex | None = None
    #: Other files whose content (or absence) this module's results depend on.
    deps: set[str] = field(default_factory=set)
    #: The sibling modules names were followed into (their deps count too).
    siblings: list[ModuleScope] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.positions is None:
            self.positions = PositionIndex(self.module, self.source)

    def loc(self, node: cst.CSTNode) -> Location:
        assert self.positions is not None
        return self.positions.loc(node)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def collect_assignments(self) -> None:
        for index, stmt in enumerate(self.module.body):
            if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and _is_type_alias(stmt.body[0]):
                alias = stmt.body[0]
                self.assignments.setdefault(alias.name.value, []).append((index, alias.value))
                continue
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name):
                        self.assignments.setdefault(target.value, []).append((index, small.value))
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    if isinstance(small.target, cst.Name):
                        self.assignments.setdefault(small.target.value, []).append((index, small.value))
                elif isinstance(small, (cst.Import, cst.ImportFrom)):
                    self.imports.add(small)

    def constant(self, name: str, before: int | None = None) -> cst.BaseExpression | None:
        """The expression last assigned to ``name`` before statement ``before``."""
        candidates = self.assignments.get(name)
        if not candidates:
            return None
        if before is None:
            return candidates[-1][1]
        prior = [expr for idx, expr in candidates if idx < before]
        return prior[-1] if prior else None


def simple_string_value(node: cst.SimpleString) -> str | bytes:
    """``node.evaluated_value`` (``ast.literal_eval``), with a fast path for the
    common literal that is its own value: no prefix, no escapes, no ``\\r``
    (which the tokenizer would turn into ``\\n``)."""
    raw = node.value
    if raw[0] in "'\"" and "\\" not in raw and "\r" not in raw:
        if len(raw) >= 6 and raw[:3] in ("'''", '"""'):
            return raw[3:-3]
        return raw[1:-1]
    return node.evaluated_value


def _is_type_alias(node: cst.CSTNode) -> bool:
    # PEP 695 `type X = ...` (TypeAlias exists only in newer LibCST releases).
    alias = getattr(cst, "TypeAlias", None)
    return alias is not None and isinstance(node, alias)


@dataclass(frozen=True)
class Bound:
    """An expression together with the module it must be evaluated in."""

    scope: ModuleScope
    node: cst.BaseExpression


class Evaluator:
    def __init__(self, scope: ModuleScope, *, before: int | None = None) -> None:
        self.scope = scope
        self.before = before

    # Names ---------------------------------------------------------------
    def lookup(self, name: cst.Name, depth: int = 0) -> Bound | None:
        """Follow a name to the expression bound to it (locally or in a sibling)."""
        scope, before, ident = self.scope, self.before, name.value
        for _ in range(_MAX_DEPTH):
            expr = scope.constant(ident, before)
            if expr is not None:
                if isinstance(expr, cst.Name):
                    ident, before = expr.value, None
                    continue
                return Bound(scope, expr)
            sibling = resolve_sibling(scope, ident)
            if sibling is None:
                return None
            scope, ident = sibling
            before = None
            self.scope.deps.add(scope.source.path)
        return None

    # Values --------------------------------------------------------------
    def value(self, node: cst.BaseExpression, depth: int = 0) -> Value:
        loc = self.scope.loc(node)
        if depth > _MAX_DEPTH:
            return Value(UNKNOWN, loc, self.scope.code(node))
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            try:
                text = simple_string_value(node) if type(node) is cst.SimpleString else node.evaluated_value
            except (SyntaxError, ValueError):  # `"\u20e"`: LibCST parses it, Python cannot evaluate it
                return Value(UNKNOWN, loc, self.scope.code(node))
            if isinstance(text, bytes):
                return Value(UNKNOWN, loc, self.scope.code(node))
            return Value(text, loc) if text is not None else Value(UNKNOWN, loc, self.scope.code(node))
        if isinstance(node, cst.FormattedString):
            if all(isinstance(p, cst.FormattedStringText) for p in node.parts):
                return Value("".join(p.value for p in node.parts), loc)
            return Value(UNKNOWN, loc, self.scope.code(node))
        if isinstance(node, cst.Integer):
            return Value(int(node.evaluated_value), loc)
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return Value({"True": True, "False": False, "None": None}[node.value], loc)
            bound = self.lookup(node)
            if bound is None:
                return Value(UNKNOWN, loc, node.value)
            inner = Evaluator(bound.scope).value(bound.node, depth + 1)
            return inner
        if isinstance(node, (cst.List, cst.Tuple)):
            items: list[Value] = []
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    star = self.value(element.value, depth + 1)
                    if not isinstance(star.value, tuple):
                        return Value(UNKNOWN, loc, self.scope.code(node))
                    items.extend(star.value)
                else:
                    items.append(self.value(element.value, depth + 1))
            return Value(tuple(items), loc)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self.value(node.left, depth + 1)
            right = self.value(node.right, depth + 1)
            if isinstance(left.value, str) and isinstance(right.value, str):
                return Value(left.value + right.value, loc)
            if isinstance(left.value, tuple) and isinstance(right.value, tuple):
                return Value(left.value + right.value, loc)
            return Value(UNKNOWN, loc, self.scope.code(node))
        if isinstance(node, cst.Dict):
            out: dict[str, Value] = {}
            for element in node.elements:
                if not isinstance(element, cst.DictElement):
                    return Value(UNKNOWN, loc, self.scope.code(node))
                key = self.value(element.key, depth + 1)
                if not isinstance(key.value, str):
                    return Value(UNKNOWN, loc, self.scope.code(node))
                out[key.value] = self.value(element.value, depth + 1)
            return Value(out, loc)
        return Value(UNKNOWN, loc, self.scope.code(node))

    def elements(self, node: cst.BaseExpression, depth: int = 0) -> Iterator[Bound | None]:
        """Entries of a list expression, following names and ``*`` unpacking.

        Yields ``None`` for a part that cannot be evaluated.
        """
        if depth > _MAX_DEPTH:
            yield None
            return
        if isinstance(node, (cst.List, cst.Tuple)):
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    yield from self.elements(element.value, depth + 1)
                else:
                    inner = element.value
                    if isinstance(inner, cst.Name) and inner.value not in ("True", "False", "None"):
                        bound = self.lookup(inner)
                        yield bound
                    else:
                        yield Bound(self.scope, inner)
        elif isinstance(node, cst.Name):
            bound = self.lookup(node)
            if bound is None:
                yield None
            else:
                yield from Evaluator(bound.scope).elements(bound.node, depth + 1)
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            yield from self.elements(node.left, depth + 1)
            yield from self.elements(node.right, depth + 1)
        else:
            yield None


# Sibling modules -----------------------------------------------------------
# Parsed sibling modules, keyed by path and content (a long-running
# language server must never answer from an edited file; a timestamp can
# stay the same across an edit).
_SCOPE_CACHE: dict[tuple[str, bytes], ModuleScope | None] = {}
_MAX_SIBLING_SIZE = 1024 * 1024


def resolve_sibling(scope: ModuleScope, name: str) -> tuple[ModuleScope, str] | None:
    """Where ``name``, imported from another module of the tree, is defined.

    Every path probed goes into ``scope.deps``, found or not: creating or
    fixing an earlier candidate changes the answer (result cache).
    """
    rel = scope.imports.relative.get(name)
    bases: list[Path] = []
    if rel is not None:
        level, mod, imported = rel
        base = Path(scope.source.path).parent
        for _ in range(level - 1):
            base = base.parent
        if not mod:
            # `from . import consts` then `consts.X` is not a constant name.
            return None
        bases.append(base.joinpath(*mod.split(".")))
    else:
        qual = scope.imports.names.get(name)
        if not qual or "." not in qual or _is_library(qual):
            return None
        mod, _, imported = qual.rpartition(".")
        bases = module_bases(scope.source.path, mod)
    for base in bases:
        for path in module_files(base):
            if not is_module_file(path, scope.deps):
                continue
            other = load_scope(path)
            if other is not None and other.source.path != scope.source.path:
                if all(other is not seen for seen in scope.siblings):
                    scope.siblings.append(other)
                return other, imported
    return None


def all_deps(scope: ModuleScope) -> set[str]:
    """``scope.deps`` plus, transitively, the deps of the siblings it read."""
    found: set[str] = set()
    seen = {id(scope)}
    todo = [scope]
    while todo:
        current = todo.pop()
        found |= current.deps
        for sibling in current.siblings:
            if id(sibling) not in seen:
                seen.add(id(sibling))
                todo.append(sibling)
    found.discard(scope.source.path)
    return found


def _is_library(qual: str) -> bool:
    # The SDK's own API is never a sibling; its other submodules can be (the
    # official registry imports `tracecat_registry.integrations.x.secret`).
    return is_sdk_api(qual.rpartition(".")[0])


def load_scope(path: Path) -> ModuleScope | None:
    """Parse another module of the tree (never import it) for its constants."""
    from ..budget import check_python
    from ..safeio import read_regular

    try:
        data = read_regular(str(path), _MAX_SIBLING_SIZE)  # a FIFO sibling must not block
    except OSError:  # missing, not a regular file, too large: "unknown"
        return None
    key = (str(path), data)
    if key in _SCOPE_CACHE:
        return _SCOPE_CACHE[key]
    scope: ModuleScope | None = None
    try:
        text = decode(data)
        if check_python(text) is not None:
            raise ValueError("too deeply nested to parse safely")
        module = parse_module(text)
        scope = ModuleScope(SourceFile(str(path), text, "python"), module)
        scope.collect_assignments()
    except Exception:  # an unreadable sibling only means "unknown"
        scope = None
    _SCOPE_CACHE[key] = scope
    return scope
