"""Position codegen with its fast paths gives LibCST's own spans, and leaves
LibCST's code generation as it found it."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest
from libcst._nodes.base import BaseValueToken, CSTNode
from libcst._nodes.expression import _BaseParenthesizedNode
from libcst._nodes.op import _BaseOneTokenOp
from libcst.metadata import MetadataWrapper, PositionProvider

from registry_lint.extract import positions
from registry_lint.extract.pyeval import parse_module
from registry_lint.extract.pywalk import walk
from registry_lint.source import SourceFile

from .test_pywalk import SAMPLE

ROOT = Path(__file__).resolve().parent.parent

TEXTS = [
    SAMPLE,
    "",
    "\n",
    "# only a comment",
    "x = 1\r\ny = (((a)))\r\n",
    "s = 'é€😀' + f'{(x)}'  # ü\n",
    "if x:\n    pass\n    # trailing comment\n# dedented\nelse:\n\tpass\n",
    "x = (  # c\n    a\n    + b\n)\n",
    "def f():\n    return\n\n\n\n",
    "x = 1\ny = 2",
    *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "linter" / "extract").glob("*.py"))),
]


def _reference_spans(module: cst.Module) -> dict[int, tuple[int, int]]:
    # The same span state, generated through LibCST's unpatched codegen.
    state = positions._SpanState(module.default_indent, module.default_newline)
    module._codegen(state)
    return state.spans


def _assert_restored() -> None:
    assert CSTNode._codegen is positions._CODEGEN
    assert "_codegen" not in BaseValueToken.__dict__
    assert "_codegen" not in cst.Name.__dict__
    assert "_codegen" not in _BaseOneTokenOp.__dict__
    assert _BaseParenthesizedNode._parenthesize is positions._PARENTHESIZE


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_spans_equal_unpatched_codegen(text: str) -> None:
    module = parse_module(text)
    expected = _reference_spans(module)
    index = positions.PositionIndex(module, SourceFile("m.py", text, "python"))
    nodes = list(walk(module))
    random.Random(len(text)).shuffle(nodes)  # lazy generation, requests in any order
    for node in nodes:
        assert index.span(node) == expected.get(id(node), (0, 0))
    _assert_restored()


@pytest.mark.parametrize("text", TEXTS[:10], ids=range(10))
def test_locations_equal_position_provider(text: str) -> None:
    module = parse_module(text)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    found = wrapper.resolve(PositionProvider)
    source = SourceFile("m.py", text, "python")
    index = positions.PositionIndex(module, source)
    recorded = _reference_spans(module)  # syntactic positions only, as before the fast paths
    for node in walk(module):
        if node not in found or id(node) not in recorded:
            continue
        pos = found[node]
        loc = index.loc(node)
        assert (loc.line, loc.col, loc.end_line, loc.end_col) == (
            pos.start.line,
            pos.start.column + 1,
            pos.end.line,
            pos.end.column + 1,
        ), type(node).__name__


def test_codegen_unchanged_while_fast_paths_are_installed() -> None:
    # A generation interrupted by the time budget may leave them installed.
    module = parse_module(SAMPLE)
    # (An Annotation cannot be generated on its own.)
    nodes = [node for node in walk(module) if type(node) is not cst.Annotation]
    expected = [module.code_for_node(node) for node in nodes]
    with positions._fast_codegen():
        assert module.code == SAMPLE
        assert [module.code_for_node(node) for node in nodes] == expected
    _assert_restored()
