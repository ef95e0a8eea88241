"""Python secret values and where they go (RL408), for ``pyflow``: an
intra-procedural forward pass over each function in source order, where
assigning a secret read (or an f-string, concatenation, ``.format``,
``str()``, dict/list literal built from one) taints a name and assigning
anything else clears it; a tainted value reaching a log call, ``print()``,
an exception message or the action's return value is a :class:`Leak`.
Values passed through other calls (``httpx.Client(headers=...)``,
``len(token)``) are not tracked: a miss is better than a false alarm. The
node walks all readers here share are defined here too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from ..extract.pyimports import dotted
from ..extract.pywalk import SKIPPED_FIELDS, find_types, make_children
from ..model import Location

if TYPE_CHECKING:
    from .pyflow import _Analysis


LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "trace", "success", "msg"}
)


# Methods that keep the fetched value's text (Tracecat's masks still match it).
_SAME_TEXT = frozenset({"strip", "lstrip", "rstrip", "removeprefix", "removesuffix"})


# Methods of a str that return something other than (part of) the value.
_PREDICATES = frozenset(
    {"startswith", "endswith", "count", "find", "rfind", "index", "rindex", "isdigit", "isalnum", "isalpha",
     "isascii", "isdecimal", "isnumeric", "isspace", "islower", "isupper", "istitle", "isidentifier", "__len__"}
)


@dataclass(frozen=True)
class Leak:
    location: Location
    key: str
    source_line: int
    sink: str
    #: The value reaches the sink as fetched (maybe inside a longer string),
    #: where Tracecat's masks (exact substrings) can find it.
    exact: bool = True
    #: The sink is one Tracecat masks: the action's result, an exception
    #: message, captured stdout (``print``). Loggers may write to a stream
    #: the executor does not capture.
    masked_sink: bool = False


def _field_order(kind: type) -> tuple[str, ...]:
    """Dataclass field order (the order this module's results were defined
    with), without whitespace and punctuation: no node any reader here looks
    for ever sits inside those (``pywalk.SKIPPED_FIELDS``)."""
    return tuple(
        f.name
        for f in dataclasses.fields(kind)
        if f.name not in SKIPPED_FIELDS and not f.name.startswith("whitespace")
    )


_kids = make_children(_field_order)


def walk(node: cst.CSTNode, *, into_defs: bool = True) -> Iterator[cst.CSTNode]:
    """Pre-order, ``node`` included; with ``into_defs=False`` nested functions,
    classes and lambdas are yielded but not entered."""
    return select(node, None, into_defs=into_defs)


def select(node: cst.CSTNode, kinds: frozenset[type] | None, *, into_defs: bool = True) -> Iterator[cst.CSTNode]:
    """``walk`` restricted to nodes whose exact type is in ``kinds`` (None: all).

    Exact types, not isinstance: LibCST's concrete node classes have no
    subclasses, and ABC instance checks per node cost more than the walk.
    """
    return find_types(node, kinds, frozenset() if into_defs else _DEFS, kids=_kids)


_DEFS = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})


# What each reader looks at (with ``_unwrap``, an ``Await`` may hold a read).
_ENV_PATTERN_KINDS = frozenset({cst.Await, cst.Call, cst.Subscript, cst.BooleanOperation})


_ENV_READ_KINDS = frozenset({cst.Await, cst.Call, cst.Subscript})


_SECRET_READ_KINDS = frozenset({cst.Await, cst.Call})


_ASSIGN_KINDS = frozenset({cst.Assign, cst.AnnAssign, cst.NamedExpr})


_SCAN_KINDS = frozenset({cst.NamedExpr, cst.Call})


def _unwrap(node: cst.BaseExpression) -> cst.BaseExpression:
    while type(node) is cst.Await:
        node = node.expression
    return node


@dataclass(frozen=True)
class _Source:
    key: str
    line: int
    #: Still the value as fetched (no encoding or case change on the way).
    exact: bool = True


class Taint:
    """Forward pass over one function: which names hold a secret value."""

    def __init__(self, analysis: _Analysis, func: cst.FunctionDef, is_action: bool) -> None:
        self.a = analysis
        self.func = func
        self.is_action = is_action
        self.tainted: dict[str, _Source] = {}

    def run(self) -> None:
        self.block(self.func.body)

    def block(self, body: cst.BaseSuite | None) -> None:
        if body is None:
            return
        for stmt in body.body:
            self.stmt(stmt)

    def stmt(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                self.small(small)
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return
        elif isinstance(stmt, (cst.If, cst.While)):
            self.scan(stmt.test)
            self.block(stmt.body)
            if stmt.orelse is not None:
                self.stmt(stmt.orelse)
        elif isinstance(stmt, cst.Else):
            self.block(stmt.body)
        elif isinstance(stmt, cst.For):
            self.scan(stmt.iter)
            self.block(stmt.body)
            if stmt.orelse is not None:
                self.stmt(stmt.orelse)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                self.scan(item.item)
            self.block(stmt.body)
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            self.block(stmt.body)
            for handler in stmt.handlers:
                self.block(handler.body)
            if stmt.orelse is not None:
                self.block(stmt.orelse.body)
            if stmt.finalbody is not None:
                self.block(stmt.finalbody.body)
        elif isinstance(stmt, cst.Match):
            self.scan(stmt.subject)
            for case in stmt.cases:
                self.block(case.body)

    def small(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.Assign):
            self.scan(node.value)
            source = self.source(node.value)
            for target in node.targets:
                self.bind(target.target, node.value, source)
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            self.scan(node.value)
            self.bind(node.target, node.value, self.source(node.value))
        elif isinstance(node, cst.AugAssign):
            self.scan(node.value)
            source = self.source(node.value)
            if source is not None and isinstance(node.target, cst.Name):
                self.tainted[node.target.value] = source
        elif isinstance(node, cst.Expr):
            self.scan(node.value)
        elif isinstance(node, cst.Return) and node.value is not None:
            self.scan(node.value)
            source = self.source(node.value)
            if self.is_action and source is not None:
                self.leak(node.value, source, "the action's return value (stored in the workflow run history)")
        elif isinstance(node, cst.Raise) and node.exc is not None:
            self.scan(node.exc)
            exc = _unwrap(node.exc)
            if isinstance(exc, cst.Call):
                for arg in exc.args:
                    source = self.source(arg.value)
                    if source is not None:
                        self.leak(arg.value, source, "an exception message (shown in run errors and logs)")
                        break

    def bind(self, target: cst.BaseExpression, value: cst.BaseExpression, source: _Source | None) -> None:
        if isinstance(target, cst.Name):
            if source is None:
                self.tainted.pop(target.value, None)
            else:
                self.tainted[target.value] = source
        elif isinstance(target, (cst.Tuple, cst.List)):
            values = value.elements if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(target.elements) else None
            for i, element in enumerate(target.elements):
                if values is not None:
                    self.bind(element.value, values[i].value, self.source(values[i].value))
                else:
                    self.bind(element.value, value, source)
        elif isinstance(target, cst.Subscript) and source is not None and isinstance(target.value, cst.Name):
            self.tainted[target.value.value] = source  # headers["Authorization"] = f"Bearer {token}"

    def scan(self, expr: cst.CSTNode) -> None:
        """Walrus bindings and print/logging sinks inside an expression."""
        for node in select(expr, _SCAN_KINDS, into_defs=False):
            if isinstance(node, cst.NamedExpr):
                self.bind(node.target, node.value, self.source(node.value))
            elif isinstance(node, cst.Call):
                sink = self.sink(node)
                if sink is None:
                    continue
                for arg in node.args:
                    source = self.source(arg.value)
                    if source is not None:
                        self.leak(arg.value, source, sink)
                        break

    def sink(self, call: cst.Call) -> str | None:
        func = call.func
        if isinstance(func, cst.Name) and func.value == "print":
            return "print()"
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        if method not in LOG_METHODS and not (method.startswith("a") and method[1:] in LOG_METHODS):
            return None
        receiver = func.value
        qual = self.a.parsed.qualify(receiver) or ""
        text = dotted(receiver) or ""
        last = text.rsplit(".", 1)[-1].lower()
        if qual == "logging" or qual.startswith("logging.") or last.endswith("logger") or last in ("log", "_log", "logging"):
            return f"{text or 'logger'}.{method}()"
        if isinstance(receiver, cst.Call) and (self.a.parsed.qualify(receiver.func) or "").endswith(("getLogger", "get_logger")):
            return f"logger.{method}()"
        return None

    def source(self, expr: cst.BaseExpression) -> _Source | None:
        node = _unwrap(expr)
        read = self.a.secret_read(node)
        if read is not None:
            return read
        if isinstance(node, cst.Name):
            return self.tainted.get(node.value)
        if isinstance(node, cst.FormattedString):
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    found = self.source(part.expression)
                    if found is not None:
                        return found
            return None
        if isinstance(node, cst.ConcatenatedString):
            return self.source(node.left) or self.source(node.right)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
            return self.source(node.left) or self.source(node.right)
        if isinstance(node, cst.BooleanOperation):
            return self.source(node.left) or self.source(node.right)
        if isinstance(node, cst.IfExp):
            return self.source(node.body) or self.source(node.orelse)
        if isinstance(node, cst.NamedExpr):
            return self.source(node.value)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return next((s for e in node.elements if (s := self.source(e.value)) is not None), None)
        if isinstance(node, cst.Dict):
            for element in node.elements:
                values = [element.key, element.value] if isinstance(element, cst.DictElement) else [element.value]
                for value in values:
                    found = self.source(value)
                    if found is not None:
                        return found
            return None
        if isinstance(node, cst.Call):
            return self._call_source(node)
        return None

    def _call_source(self, call: cst.Call) -> _Source | None:
        func = call.func
        args = [a.value for a in call.args]
        if isinstance(func, cst.Name) and func.value in ("str", "repr", "format", "bytes", "dict", "list", "tuple"):
            return next((s for a in args if (s := self.source(a)) is not None), None)
        if (self.a.parsed.qualify(func) or "").startswith("base64."):
            found = next((s for a in args if (s := self.source(a)) is not None), None)
            return dataclasses.replace(found, exact=False) if found is not None else None
        if isinstance(func, cst.Attribute):
            if func.attr.value in ("format", "join", "format_map"):
                return self.source(func.value) or next((s for a in args if (s := self.source(a)) is not None), None)
            if func.attr.value not in _PREDICATES:
                found = self.source(func.value)  # token.strip(), token.encode()
                if found is not None and func.attr.value not in _SAME_TEXT:
                    found = dataclasses.replace(found, exact=False)
                return found
        return None

    def leak(self, node: cst.BaseExpression, source: _Source, sink: str) -> None:
        masked = sink == "print()" or sink.startswith(("the action's return value", "an exception message"))
        self.a.flow.leaks.append(Leak(self.a.parsed.loc(node), source.key, source.line, sink, source.exact, masked))
