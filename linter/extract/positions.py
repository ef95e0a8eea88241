"""Node positions without LibCST's metadata providers.

``PositionProvider`` costs twice a parse on a real registry. Code generation
alone is cheap, so this runs one codegen pass with a state that records the
character span of every node, and maps spans to line/column through the
source's line table. It runs only for files that need a location.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import libcst as cst
from libcst._nodes.base import BaseValueToken, CSTNode
from libcst._nodes.expression import _BaseParenthesizedNode
from libcst._nodes.internal import CodegenState
from libcst._nodes.op import _BaseOneTokenOp

from ..model import Location

if TYPE_CHECKING:
    from ..source import SourceFile


class _SpanState(CodegenState):
    """Tracks only the running offset (no token list) and records spans.

    LibCST's own ``record_syntactic_position`` is a generator-based context
    manager; a slotted object is several times cheaper per node.
    """

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.offset = 0
        self.spans: dict[int, tuple[int, int]] = {}
        self._indent_len = 0
        self._last_len = 0

    def increase_indent(self, value: str) -> None:
        self.indent_tokens.append(value)
        self._indent_len += len(value)

    def decrease_indent(self) -> None:
        self._indent_len -= len(self.indent_tokens.pop())

    def add_indent_tokens(self) -> None:
        if self.indent_tokens:
            self.offset += self._indent_len
            self._last_len = len(self.indent_tokens[-1])

    def add_token(self, value: str) -> None:
        self._last_len = len(value)
        self.offset += self._last_len
        if not self.tokens:
            # Module._codegen_impl checks `len(state.tokens) == 0` for empty files.
            self.tokens.append(value)

    def pop_trailing_newline(self) -> None:
        # Only ever called right after a newline token (see Module._codegen_impl).
        self.offset -= self._last_len
        self._last_len = 0

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> _Record:
        return _Record(self, node, start_node, end_node)


class _Record:
    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(
        self, state: _SpanState, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None
    ) -> None:
        self.state = state
        self.node = node
        self.start_node = start_node
        self.end_node = end_node

    def __enter__(self) -> None:
        self.start = self.state.offset

    def __exit__(self, *exc: object) -> None:
        spans = self.state.spans
        start, end = self.start, self.state.offset
        if self.start_node is not None and id(self.start_node) in spans:
            start = spans[id(self.start_node)][0]
        if self.end_node is not None and id(self.end_node) in spans:
            end = spans[id(self.end_node)][1]
        spans[id(self.node)] = (start, end)


# Codegen fast paths, installed only while a ``_SpanState`` generates (see
# ``_fast_codegen``). Per node, LibCST's ``_codegen`` calls two no-op hooks
# and ``_parenthesize`` is a generator-based context manager: together ~20% of
# position codegen. Each replacement does exactly what the original does for
# any other state, so one left installed (the per-file SIGALRM budget can
# interrupt anything) changes nothing but speed until the next generation
# restores LibCST's own.
_CODEGEN = CSTNode._codegen
_PARENTHESIZE = _BaseParenthesizedNode._parenthesize


def _codegen(self: CSTNode, state: CodegenState, **kwargs: Any) -> None:
    if type(state) is _SpanState:
        self._codegen_impl(state, **kwargs)  # before/after_codegen: no-ops on it
    else:
        _CODEGEN(self, state, **kwargs)


def _value_codegen(self: BaseValueToken, state: CodegenState, **kwargs: Any) -> None:
    # Whitespace and comments: a third of all nodes, one token each
    # (``_SpanState.add_token`` inlined).
    if type(state) is _SpanState:
        value = self.value
        state._last_len = size = len(value)
        state.offset += size
        if not state.tokens:
            state.tokens.append(value)
    else:
        _CODEGEN(self, state, **kwargs)


def _name_codegen(self: cst.Name, state: CodegenState, **kwargs: Any) -> None:
    # The most common expression; usually without parentheses.
    if type(state) is _SpanState and not self.lpar:
        start = state.offset
        state.add_token(self.value)
        state.spans[id(self)] = (start, state.offset)
    else:
        _CODEGEN(self, state, **kwargs)


def _op_codegen(self: _BaseOneTokenOp, state: CodegenState, **kwargs: Any) -> None:
    # ``_BaseOneTokenOp._codegen_impl`` with its position record inlined.
    if type(state) is _SpanState:
        self.whitespace_before._codegen(state)
        start = state.offset
        state.add_token(self._get_token())
        state.spans[id(self)] = (start, state.offset)
        self.whitespace_after._codegen(state)
    else:
        _CODEGEN(self, state, **kwargs)


class _Parens:
    """``_parenthesize`` for a ``_SpanState``: ``(``s, the node's span, ``)``s."""

    __slots__ = ("node", "state", "start")

    def __init__(self, node: _BaseParenthesizedNode, state: _SpanState) -> None:
        self.node = node
        self.state = state

    def __enter__(self) -> None:
        state = self.state
        for lpar in self.node.lpar:
            lpar._codegen(state)
        self.start = state.offset

    def __exit__(self, *exc: object) -> None:
        state = self.state
        state.spans[id(self.node)] = (self.start, state.offset)
        for rpar in self.node.rpar:
            rpar._codegen(state)


def _parenthesize(self: _BaseParenthesizedNode, state: CodegenState) -> AbstractContextManager[None]:
    if type(state) is _SpanState:
        return _Parens(self, state)
    return _PARENTHESIZE(self, state)


@contextmanager
def _fast_codegen() -> Iterator[None]:
    CSTNode._codegen = _codegen  # type: ignore[method-assign]
    BaseValueToken._codegen = _value_codegen  # type: ignore[method-assign]
    cst.Name._codegen = _name_codegen  # type: ignore[method-assign]
    _BaseOneTokenOp._codegen = _op_codegen  # type: ignore[method-assign]
    _BaseParenthesizedNode._parenthesize = _parenthesize  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        _restore()


def _restore() -> None:
    # Subclass entries are deleted, not assigned: they inherit CSTNode's again.
    CSTNode._codegen = _CODEGEN  # type: ignore[method-assign]
    for cls in (BaseValueToken, cst.Name, _BaseOneTokenOp):
        if "_codegen" in cls.__dict__:
            delattr(cls, "_codegen")
    _BaseParenthesizedNode._parenthesize = _PARENTHESIZE  # type: ignore[method-assign]


class PositionIndex:
    """Character spans of a module's nodes, generated lazily statement by statement.

    Code generation runs over top-level statements in order and stops at the
    one that holds the requested node, so the statements after the last node
    anyone asks about are never generated.
    """

    def __init__(self, module: cst.Module, source: SourceFile) -> None:
        self._module = module
        self._source = source
        self._state: _SpanState | None = None
        self._next = 0  # the next top-level statement to generate
        self._locs: dict[int, Location] = {}
        self._finished = False

    def _spans_for(self, key: int) -> dict[int, tuple[int, int]]:
        module = self._module
        state = self._state
        if state is None:
            state = self._state = _SpanState(module.default_indent, module.default_newline)
            for line in module.header:
                line._codegen(state)
        spans = state.spans
        if key in spans or self._finished:
            return spans
        body = module.body
        with _fast_codegen():
            while key not in spans and self._next < len(body):
                body[self._next]._codegen(state)
                self._next += 1
            if key not in spans and not self._finished:
                for line in module.footer:
                    line._codegen(state)
                self._finished = True
        return spans

    def span(self, node: cst.CSTNode) -> tuple[int, int]:
        return self._spans_for(id(node)).get(id(node), (0, 0))

    def loc(self, node: cst.CSTNode) -> Location:
        # Evaluations ask for the same nodes again and again (3x on a registry).
        found = self._locs.get(id(node))
        if found is None:
            start, end = self.span(node)
            found = self._locs[id(node)] = self._source.span(start, end)
        return found
