"""Node spans from one code generation pass, through LibCST internals.

LibCST's ``PositionProvider`` generates the module's code with a state that
records every node's position. This does the same with a cheaper state: it
keeps only a running character offset (no token list, no line counting) and
records ``(start, end)`` offsets: where LibCST records a node's syntactic
position (``record_syntactic_position``) that one, otherwise the
whitespace-inclusive one (``before_codegen``/``after_codegen``), exactly as
``PositionProvider`` does. While a span state generates, a few ``_codegen``
methods are swapped for equivalent faster ones.

Everything here is LibCST-private (``CodegenState``, ``_codegen``,
``_parenthesize``, ...). Only :mod:`.positions` imports this module, and
only after :func:`static_check` and its probe found those internals as this
code expects; an ImportError here means "use the public path".
"""

from __future__ import annotations

import dataclasses
from contextlib import AbstractContextManager
from typing import Any

import libcst as cst
from libcst._nodes.base import BaseValueToken, CSTNode
from libcst._nodes.expression import _BaseParenthesizedNode
from libcst._nodes.internal import CodegenState
from libcst._nodes.op import _BaseOneTokenOp

from . import cstguard


#: Value tokens (whitespace and comments) get no span (see ``_value_codegen``).
_NO_SPAN = (cst.SimpleWhitespace, cst.Comment)


class SpanState(CodegenState):
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
        self._starts: list[int] = []

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

    def before_codegen(self, node: CSTNode) -> None:
        self._starts.append(self.offset)

    def after_codegen(self, node: CSTNode) -> None:
        start = self._starts.pop()
        if id(node) not in self.spans and not isinstance(node, _NO_SPAN):  # a syntactic position wins
            self.spans[id(node)] = (start, self.offset)

    def record_syntactic_position(
        self,
        node: CSTNode,
        *,
        start_node: CSTNode | None = None,
        end_node: CSTNode | None = None,
    ) -> _Record:
        return _Record(self, node, start_node, end_node)


class _Record:
    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: SpanState, node: CSTNode, start_node: CSTNode | None, end_node: CSTNode | None) -> None:
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


# Codegen fast paths, installed only while a ``SpanState`` generates. Per
# node, LibCST's ``_codegen`` calls two hooks and ``_parenthesize`` is a
# generator-based context manager: together ~20% of position codegen. Each
# replacement does for a ``SpanState`` what the original does with the
# hooks above, and calls the original for any other state, so one left
# installed (the per-file SIGALRM budget can interrupt anything) changes
# nothing but speed until the next generation removes it.
def _codegen(self: CSTNode, state: CodegenState, **kwargs: Any) -> None:
    if type(state) is SpanState:
        self._codegen_impl(state, **kwargs)  # no hooks: only syntactic positions (see SpanGenerator)
    else:
        _SWAP_NODE.fallback(self, state, **kwargs)


def _value_codegen(self: BaseValueToken, state: CodegenState, **kwargs: Any) -> None:
    # Whitespace and comments: a third of all nodes, one token each
    # (``SpanState.add_token`` inlined). No span: nothing asks where a
    # whitespace or comment node is (the source text has it), and recording
    # them costs position generation ~15%; ``positions.public_spans`` leaves
    # them out likewise.
    if type(state) is SpanState:
        value = self.value
        state._last_len = size = len(value)
        state.offset += size
        if not state.tokens:
            state.tokens.append(value)
    else:
        _SWAP_VALUE.fallback(self, state, **kwargs)


def _name_codegen(self: cst.Name, state: CodegenState, **kwargs: Any) -> None:
    # The most common expression; usually without parentheses.
    if type(state) is SpanState and not self.lpar:
        start = state.offset
        state.add_token(self.value)
        state.spans[id(self)] = (start, state.offset)
    else:
        _SWAP_NAME.fallback(self, state, **kwargs)


def _op_codegen(self: _BaseOneTokenOp, state: CodegenState, **kwargs: Any) -> None:
    # ``_BaseOneTokenOp._codegen_impl`` with its position record inlined.
    if type(state) is SpanState:
        self.whitespace_before._codegen(state)
        start = state.offset
        state.add_token(self._get_token())
        state.spans[id(self)] = (start, state.offset)
        self.whitespace_after._codegen(state)
    else:
        _SWAP_OP.fallback(self, state, **kwargs)


class _Parens:
    """``_parenthesize`` for a ``SpanState``: ``(``s, the node's span, ``)``s."""

    __slots__ = ("node", "state", "start")

    def __init__(self, node: _BaseParenthesizedNode, state: SpanState) -> None:
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
    if type(state) is SpanState:
        return _Parens(self, state)
    return _SWAP_PARENS.fallback(self, state)


_SWAP_NODE = cstguard.Swap(CSTNode, "_codegen", _codegen)
_SWAP_VALUE = cstguard.Swap(BaseValueToken, "_codegen", _value_codegen)
_SWAP_NAME = cstguard.Swap(cst.Name, "_codegen", _name_codegen)
_SWAP_OP = cstguard.Swap(_BaseOneTokenOp, "_codegen", _op_codegen)
_SWAP_PARENS = cstguard.Swap(_BaseParenthesizedNode, "_parenthesize", _parenthesize)
SWAPS = cstguard.Swaps([_SWAP_NODE, _SWAP_VALUE, _SWAP_NAME, _SWAP_OP, _SWAP_PARENS])


class SpanGenerator:
    """Generates a module's spans lazily, top-level statement by statement.

    The fast pass records only the positions LibCST records syntactically
    (most nodes), and stops at the statement that holds the requested node,
    so the statements after the last node anyone asks about are never
    generated. A node it never meets (LibCST records no syntactic position
    for a few types: ``Index``, ``Parameters``, ``Not``, ``CompFor``, ...)
    is answered by one more pass over the whole module through LibCST's own
    code generation and the state's hooks, which records every node as
    ``PositionProvider`` does: recording them on the fast pass would cost
    every generation ~15%, and rules rarely ask for those nodes.
    """

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self.state = SpanState(module.default_indent, module.default_newline)
        self._next = 0  # the next top-level statement to generate
        self._finished = False
        self._all: dict[int, tuple[int, int]] | None = None
        for line in module.header:
            line._codegen(self.state)

    def spans_for(self, key: int) -> dict[int, tuple[int, int]] | None:
        """Spans that include the node with ``id`` ``key`` if it is in the
        module; None when the swaps could not be installed (someone else
        replaced one of LibCST's methods since import): then use the public path."""
        if self._all is not None:
            return self._all
        spans = self.state.spans
        if key in spans:
            return spans
        if not self._finished:
            if not SWAPS.install():
                cstguard.disable("positions", "a swapped LibCST method was replaced by someone else since import")
                return None
            body = self._module.body
            try:
                while key not in spans and self._next < len(body):
                    body[self._next]._codegen(self.state)
                    self._next += 1
                if key not in spans:
                    for line in self._module.footer:
                        line._codegen(self.state)
                    self._finished = True
            finally:
                SWAPS.remove()
            if key in spans:
                return spans
        self._all = all_spans(self._module)
        return self._all


# What this module re-implements, as it is in the LibCST releases it was written for.
_STATE_METHODS = frozenset(
    {
        "add_indent_tokens",
        "add_token",
        "after_codegen",
        "before_codegen",
        "decrease_indent",
        "increase_indent",
        "pop_trailing_newline",
        "record_syntactic_position",
    }
)
_STATE_FIELDS = ("default_indent", "default_newline", "provider", "indent_tokens", "tokens")


def static_check() -> str | None:
    """Why the internals differ from what this module expects, or None."""
    methods = {name for name, value in vars(CodegenState).items() if callable(value) and not name.startswith("__")}
    if methods != _STATE_METHODS:
        return f"CodegenState's methods changed: {sorted(methods ^ _STATE_METHODS)}"
    fields = tuple(f.name for f in dataclasses.fields(CodegenState))
    if fields != _STATE_FIELDS:
        return f"CodegenState's fields changed: {fields}"
    return (
        SWAPS.originals_in_place()
        or cstguard.names_used(CSTNode.__dict__.get("_codegen"), ("before_codegen", "_codegen_impl", "after_codegen"))
        or cstguard.names_used(BaseValueToken.__dict__.get("_codegen_impl"), ("add_token", "value"))
        or cstguard.names_used(cst.Name.__dict__.get("_codegen_impl"), ("_parenthesize", "add_token", "value"))
        or cstguard.names_used(
            _BaseOneTokenOp.__dict__.get("_codegen_impl"),
            ("whitespace_before", "_codegen", "record_syntactic_position", "add_token", "_get_token", "whitespace_after"),
        )
        or cstguard.names_used(
            _BaseParenthesizedNode.__dict__.get("_parenthesize"), ("lpar", "_codegen", "record_syntactic_position", "rpar")
        )
        or cstguard.names_used(
            cst.Module.__dict__.get("_codegen_impl"),
            ("header", "_codegen", "body", "footer", "has_trailing_newline", "len", "tokens", "add_token", "default_newline", "pop_trailing_newline"),
        )
        # The replacements skip ``_codegen_impl`` for these: no subclass may have its own.
        or cstguard.overridden(BaseValueToken, "_codegen_impl")
        or cstguard.overridden(_BaseOneTokenOp, "_codegen_impl")
        or cstguard.overridden(cst.Name, "_codegen_impl")
        or cstguard.missing_attributes(_BaseOneTokenOp, ("_get_token",))
    )


def all_spans(module: cst.Module) -> dict[int, tuple[int, int]]:
    """Every node's span (but the Module's and ``_NO_SPAN``'s), through LibCST's
    own code generation: syntactic positions where LibCST records them, else
    whitespace-inclusive ones, as ``PositionProvider``."""
    state = SpanState(module.default_indent, module.default_newline)
    module._codegen(state)
    state.spans.pop(id(module), None)
    return state.spans
