"""Node positions without LibCST's metadata providers.

``PositionProvider`` costs twice a parse on a real registry. Code generation
alone is cheap, so this runs one codegen pass with a state that records the
character span of every node, and maps spans to line/column through the
source's line table. It runs only for files that need a location.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import libcst as cst
from libcst._nodes.internal import CodegenState

from ..model import Location

if TYPE_CHECKING:
    from ..source import SourceFile


class _SpanState(CodegenState):
    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.offset = 0
        self.spans: dict[int, tuple[int, int]] = {}

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for tok in self.indent_tokens:
            self.offset += len(tok)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        if self.tokens:
            self.offset -= len(self.tokens.pop())

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        start = self.offset
        try:
            yield
        finally:
            end = self.offset
            spans = self.spans
            if start_node is not None and id(start_node) in spans:
                start = spans[id(start_node)][0]
            if end_node is not None and id(end_node) in spans:
                end = spans[id(end_node)][1]
            spans[id(node)] = (start, end)


class PositionIndex:
    """Lazily computed character spans for every node of one module."""

    def __init__(self, module: cst.Module, source: SourceFile) -> None:
        self._module = module
        self._source = source
        self._spans: dict[int, tuple[int, int]] | None = None

    def _compute(self) -> dict[int, tuple[int, int]]:
        state = _SpanState(self._module.default_indent, self._module.default_newline)
        self._module._codegen(state)
        return state.spans

    def span(self, node: cst.CSTNode) -> tuple[int, int]:
        if self._spans is None:
            self._spans = self._compute()
        return self._spans.get(id(node), (0, 0))

    def loc(self, node: cst.CSTNode) -> Location:
        start, end = self.span(node)
        return self._source.span(start, end)
