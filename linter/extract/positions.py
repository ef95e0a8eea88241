"""Node positions, as LibCST's ``PositionProvider`` gives them.

``PositionProvider`` costs twice a parse on a real registry. Code generation
alone is cheap, so :mod:`.fastspans` runs one codegen pass with a state that
records the character span of every node, lazily and only for files that
need a location, and spans map to line/column through the source's line
table. That uses LibCST internals: on first use :func:`fast_path_ok` checks
them (:mod:`.cstguard`) and compares the spans of a probe module with
``PositionProvider``'s; if anything differs, every index is built from
``PositionProvider`` itself (the public path) for the rest of the process.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import libcst as cst

from ..model import Location
from . import cstguard

if TYPE_CHECKING:
    from ..source import SourceFile

FEATURE = "positions"

# LibCST's PositionProvider counts lines at these (libcst/metadata/position_provider.py).
_NEWLINE = re.compile(r"\r\n?|\n")


#: Nodes without a position, on both paths: the Module (file-level findings
#: use the file's location), whitespace and comments (the text has them).
_NO_SPAN = (cst.SimpleWhitespace, cst.Comment)


def public_spans(module: cst.Module) -> dict[int, tuple[int, int]]:
    """``id(node) -> (start, end)`` character offsets from ``PositionProvider``,
    for every node but those in ``_NO_SPAN`` and the Module."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    ranges = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    # The positions count the final newline LibCST generates and then drops
    # from a module without one: count lines in the code with it.
    whole = module if module.has_trailing_newline else module.with_changes(has_trailing_newline=True)
    starts = [0, *(m.end() for m in _NEWLINE.finditer(whole.code))]
    return {
        id(node): (starts[r.start.line - 1] + r.start.column, starts[r.end.line - 1] + r.end.column)
        for node, r in ranges.items()
        if node is not module and not isinstance(node, _NO_SPAN)
    }


def _check() -> str | None:
    try:
        from . import fastspans
    except (ImportError, AttributeError, TypeError) as exc:  # the internals moved
        return f"LibCST internals unavailable ({type(exc).__name__}: {exc})"
    return fastspans.static_check() or probe()


def probe() -> str | None:
    """The fast path's spans of the probe equal ``PositionProvider``'s: those
    of the fast pass, and those of the pass for nodes it does not record."""
    from .fastspans import SpanGenerator

    module = cstguard.probe_module()
    expected = public_spans(module)
    generator = SpanGenerator(module)
    every = generator.spans_for(-1)  # -1: no node has it, so both passes run
    if every is None:
        return "a swapped LibCST method was replaced by someone else since import"
    fast = generator.state.spans
    if len(fast) < len(expected) // 2 or any(expected.get(key) != span for key, span in fast.items()):
        return _difference(module, fast, expected)
    if every != expected:
        return _difference(module, every, expected)
    return None


def _difference(module: cst.Module, got: dict[int, tuple[int, int]], expected: dict[int, tuple[int, int]]) -> str:
    todo: list[cst.CSTNode] = [module]
    while todo:
        node = todo.pop()
        if node is not module and id(node) in got and got[id(node)] != expected.get(id(node)):
            return f"the fast path gives {type(node).__name__} {got.get(id(node))}, PositionProvider {expected.get(id(node))}"
        todo.extend(node.children)
    return "the fast path's spans differ from PositionProvider's on the probe"


def fast_path_ok() -> bool:
    return cstguard.verified(FEATURE, _check)


class PositionIndex:
    """Character spans of a module's nodes, generated on first request."""

    def __init__(self, module: cst.Module, source: SourceFile) -> None:
        self._module = module
        self._source = source
        self._generator: Any = None  # a fastspans.SpanGenerator
        self._spans: dict[int, tuple[int, int]] | None = None  # from the public path
        self._locs: dict[int, Location] = {}

    def _spans_for(self, key: int) -> dict[int, tuple[int, int]]:
        if self._spans is not None:
            return self._spans
        if self._generator is None:
            if not fast_path_ok():
                self._spans = public_spans(self._module)
                return self._spans
            from .fastspans import SpanGenerator

            self._generator = SpanGenerator(self._module)
        spans = self._generator.spans_for(key)
        if spans is None:
            spans = self._spans = public_spans(self._module)
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
