"""Position codegen with its fast paths gives LibCST's own ``PositionProvider``
spans for every node, and leaves LibCST's code generation as it found it."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from registry_lint.extract import fastspans, positions
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
    "x = (1)\ry = [a,\r  b]\r",  # lone CR: PositionProvider counts it as a newline, SourceFile does not
    "def f(a, *, b=not c, **d):\n    return x[1][2:3, ::4] if a else {k: v for k in d if k}\n",
    *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "linter" / "extract").glob("*.py"))),
]


def _assert_restored() -> None:
    for swap in fastspans.SWAPS.swaps:
        assert swap.current() is swap.original, swap.name


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_spans_equal_unpatched_codegen(text: str) -> None:
    module = parse_module(text)
    expected = positions.public_spans(module)
    assert fastspans.all_spans(module) == expected
    index = positions.PositionIndex(module, SourceFile("m.py", text, "python"))
    nodes = list(walk(module))
    random.Random(len(text)).shuffle(nodes)  # lazy generation, requests in any order
    for node in nodes:
        assert index.span(node) == expected.get(id(node), (0, 0))
    _assert_restored()


@pytest.mark.parametrize("text", [t for t in TEXTS if "\r" not in t.replace("\r\n", "")])
def test_locations_equal_position_provider(text: str) -> None:
    # Every node, with or without a syntactic position of its own.
    module = parse_module(text)
    found = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    index = positions.PositionIndex(module, SourceFile("m.py", text, "python"))
    checked = 0
    for node in walk(module):
        if node is module:
            continue
        pos = found[node]
        loc = index.loc(node)
        assert (loc.line, loc.col, loc.end_line, loc.end_col) == (
            pos.start.line,
            pos.start.column + 1,
            pos.end.line,
            pos.end.column + 1,
        ), type(node).__name__
        checked += 1
    assert checked or not text.strip("\n# only a comment")


def test_codegen_unchanged_while_fast_paths_are_installed() -> None:
    # A generation interrupted by the time budget may leave them installed.
    module = parse_module(SAMPLE)
    # (An Annotation cannot be generated on its own.)
    nodes = [node for node in walk(module) if type(node) is not cst.Annotation]
    expected = [module.code_for_node(node) for node in nodes]
    assert fastspans.SWAPS.install()
    try:
        assert module.code == SAMPLE
        assert [module.code_for_node(node) for node in nodes] == expected
    finally:
        fastspans.SWAPS.remove()
    _assert_restored()
