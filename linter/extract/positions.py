"""Node positions without LibCST's metadata providers.

``PositionProvider`` costs twice a parse on a real registry. Code generation
alone is cheap, so this runs one codegen pass with a state that records the
character span of every node, and maps spans to line/column through the
source's line table. It runs only for files that need a location.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst
from libcst._nodes.internal import CodegenState

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
        self._finished = False

    def _spans_for(self, key: int) -> dict[int, tuple[int, int]]:
        module = self._module
        state = self._state
        if state is None:
            state = self._state = _SpanState(module.default_indent, module.default_newline)
            for line in module.header:
                line._codegen(state)
        spans = state.spans
        body = module.body
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
        start, end = self.span(node)
        return self._source.span(start, end)
