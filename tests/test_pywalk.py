"""pywalk visits exactly what LibCST's visitor visits, in the same order, minus
whitespace and punctuation; the extractor's one walk gives the visitor's facts."""

from __future__ import annotations

import libcst as cst
import pytest

from registry_lint.extract.pywalk import SKIPPED_FIELDS, SOURCE_ORDER, children, walk

# Every construct whose children LibCST does not keep in source order, and more.
SAMPLE = '''\
"""Module docstring."""
from __future__ import annotations
from . import sibling as sib
from ..pkg.mod import (a, b as c)
import os.path as osp, sys

type Alias[T: int = str, *Ts, **P] = list[T]


@decorator(arg=1)
@other.attr
class Klass[T](Base, metaclass=Meta, **extra):
    x: int = 1

    @staticmethod
    async def method[U](self, a, /, b: int = 2, *args: str, c, d=3, **kw) -> "R":
        async for i in aiter():
            yield i
        async with ctx() as (p, q), other():
            await p
        result = [y async for y in gen() if y if not y]
        return {k: v for k, v in result} or {*s} or (lambda z=1, *, w: z + w)(2, w=3)


def func(*, key=None):
    global G
    try:
        value = x if cond else y
        del value[1:2:3], other[::]
        assert value, "message"
        raise Error("x") from exc
    except C:
        pass
    else:
        while (n := next(it)) is not None:
            continue
        for a, *rest in pairs:
            break
    finally:
        nonlocal_thing = f"{value!r:>{width}} {other=}" + rb"raw" b"implicit"
    try:
        pass
    except* (A, B) as err:
        pass
    match command:
        case Point(x=0, y=yy) | [1, 2, *others] if yy > 0:
            pass
        case {"k": v, **rest}:
            pass
        case _:
            pass
    print(*args, sep="", **kwargs)
    return ~-+1j, 1.5, ..., not a, a @ b, a ** -b
'''

# Whitespace, comments and punctuation: what the walk leaves out on purpose.
_SKIPPED_TYPES = (
    cst.BaseParenthesizableWhitespace,
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.Newline,
    cst.Comment,
)


class _Recorder(cst.CSTVisitor):
    """The nodes LibCST's own visitor reaches through non-skipped fields."""

    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []
        self._skipping = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not self._skipping and not isinstance(node, _SKIPPED_TYPES):
            self.nodes.append(node)
        return True

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if attribute in SKIPPED_FIELDS or attribute.startswith("whitespace"):
            self._skipping += 1

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if attribute in SKIPPED_FIELDS or attribute.startswith("whitespace"):
            self._skipping -= 1


@pytest.mark.parametrize("source", [SAMPLE, "", "x = 1\n", "def f(a, b=1, *c, d, **e): pass\n"])
def test_walk_matches_the_libcst_visitor_order(source: str) -> None:
    module = cst.parse_module(source)
    recorder = _Recorder()
    module.visit(recorder)
    walked = list(walk(module))
    assert [type(n).__name__ for n in walked] == [type(n).__name__ for n in recorder.nodes]
    assert [id(n) for n in walked] == [id(n) for n in recorder.nodes]


def test_source_order_table_names_real_fields() -> None:
    import dataclasses

    for name, order in SOURCE_ORDER.items():
        cls = getattr(cst, name, None)
        if cls is None:  # a node type this LibCST release does not have
            continue
        names = {f.name for f in dataclasses.fields(cls)}
        assert set(order) <= names, name


def test_prune_yields_but_does_not_descend() -> None:
    module = cst.parse_module("def f():\n    def g():\n        return 1\n    return lambda: 2\n")
    outer = module.body[0]
    nested = lambda node: isinstance(node, (cst.FunctionDef, cst.Lambda))
    kinds = [type(n).__name__ for n in walk(outer, prune=nested)]
    assert kinds.count("FunctionDef") == 2  # f itself (the root is never pruned) and g
    assert "Integer" not in kinds  # neither g's body nor the lambda's
    assert kinds.count("Return") == 1


def test_deep_nesting_does_not_recurse() -> None:
    depth = 3000
    node: cst.BaseExpression = cst.Name("x")
    for _ in range(depth):
        node = cst.UnaryOperation(operator=cst.Minus(), expression=node)
    assert sum(1 for n in walk(node) if isinstance(n, cst.Name)) == 1


def test_children_skips_punctuation() -> None:
    call = cst.parse_expression("f(a, b)")
    assert [type(n).__name__ for n in children(call)] == ["Name", "Arg", "Arg"]
