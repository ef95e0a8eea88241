"""The fast paths give what the plain versions give: typed walks, string values."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import libcst as cst
import pytest

from registry_lint.extract.pyeval import parse_module, simple_string_value
from registry_lint.extract.pywalk import find_types, walk
from registry_lint.analysis import pytaint as _pyflow

from .test_pywalk import SAMPLE

ROOT = Path(__file__).resolve().parent.parent


def _modules() -> list[cst.Module]:
    texts = [SAMPLE]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").glob("*.py"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "linter" / "extract").glob("*.py"))]
    return [parse_module(t) for t in texts]


MODULES = _modules()

# The walk `_pyflow` had before `select`: every field but these, dataclass order.
_OLD_SKIP = frozenset({"lpar", "rpar", "whitespace_before", "whitespace_after", "leading_lines", "comma", "header", "footer"})


def _old_kids(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    for f in dataclasses.fields(node):
        if f.name in _OLD_SKIP:
            continue
        value = getattr(node, f.name)
        if isinstance(value, (tuple, list)):
            yield from (item for item in value if isinstance(item, cst.CSTNode))
        elif isinstance(value, cst.CSTNode):
            yield value


def _old_walk(node: cst.CSTNode, *, into_defs: bool = True) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if not into_defs and current is not node and isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        stack.extend(reversed(list(_old_kids(current))))


KIND_SETS = [
    _pyflow._ENV_PATTERN_KINDS,
    _pyflow._ENV_READ_KINDS,
    _pyflow._SECRET_READ_KINDS,
    _pyflow._ASSIGN_KINDS,
    _pyflow._SCAN_KINDS,
    frozenset({cst.Return, cst.Await, cst.Lambda, cst.FunctionDef}),
]


@pytest.mark.slow
@pytest.mark.parametrize("into_defs", [True, False])
@pytest.mark.parametrize("kinds", KIND_SETS, ids=lambda k: "-".join(sorted(t.__name__ for t in k)))
def test_pyflow_select_matches_old_walk(kinds: frozenset[type], into_defs: bool) -> None:
    for module in MODULES:
        roots = [module, *(n for n in walk(module) if type(n) in (cst.FunctionDef, cst.If))]
        for root in roots:
            expected = [n for n in _old_walk(root, into_defs=into_defs) if type(n) in kinds]
            assert list(_pyflow.select(root, kinds, into_defs=into_defs)) == expected


def test_pyflow_node_types_are_final() -> None:
    # `select` and the readers compare exact types.
    for kinds in KIND_SETS:
        for kind in kinds:
            assert not kind.__subclasses__(), kind


@pytest.mark.parametrize("kinds", KIND_SETS, ids=lambda k: "-".join(sorted(t.__name__ for t in k)))
def test_find_types_matches_filtered_walk(kinds: frozenset[type]) -> None:
    prune_types = frozenset({cst.FunctionDef, cst.Lambda})
    for module in MODULES:
        for func in (n for n in walk(module) if type(n) is cst.FunctionDef):
            expected = [n for n in walk(func, prune=lambda n: type(n) in prune_types) if type(n) in kinds]
            assert list(find_types(func, kinds, prune_types)) == expected
        assert list(find_types(module, kinds)) == [n for n in walk(module) if type(n) in kinds]


STRINGS = [
    "''", '""', "'a'", '"a b"', "'''x'''", '""""""', '"""a "quoted" b"""', "'''a\nb'''", "'\\n'", "r'\\d'",
    "b'x'", "u'x'", "'\\x41'", '"\\N{BULLET}"', "'''a\r\nb'''", "R'x'", "'é€😀'", "'\"'", '"\'"',
    "'''it's'''", '"a\\\nb"',
]


@pytest.mark.parametrize("raw", STRINGS)
def test_simple_string_value_equals_literal_eval(raw: str) -> None:
    node = cst.SimpleString(raw)
    value = simple_string_value(node)
    assert value == ast.literal_eval(raw)
    assert type(value) is type(ast.literal_eval(raw))


def test_simple_string_value_on_parsed_strings() -> None:
    for module in MODULES:
        for node in find_types(module, frozenset({cst.SimpleString})):
            assert simple_string_value(node) == node.evaluated_value


def test_extractor_own_returns_match_a_pruned_walk() -> None:
    from registry_lint.extract import python as pyx
    from registry_lint.analysis.udftypes import returns
    from registry_lint.source import SourceFile

    texts = [SAMPLE, "def f():\n    def g():\n        return 1\n    h = lambda: 2\n    class C:\n        def m(self):\n            return 3\n    return 4\n    return\n"]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").glob("*.py"))]
    for text in texts:
        source = SourceFile("m.py", text, "python")
        parsed = pyx.extract(source, pyx.parse_python(source))
        for func in parsed.find(cst.FunctionDef):
            assert returns(func, parsed) == returns(func)
