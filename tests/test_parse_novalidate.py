"""``fastparse.parse_module`` skips LibCST's per-node validation during the parse only."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst._nodes.base import CSTNode

from registry_lint.extract import cstguard, fastparse
from registry_lint.extract.pyeval import parse_module

ROOT = Path(__file__).resolve().parent.parent

CORPUS = [
    "",
    "\n",
    "x = 1",
    "# only a comment\n",
    "x = 1\r\ny = 2\r\n",
    "a = (())\n",
    "while(True):\n    pass\n",
    "assert(True)\n",
    "x = 1if y else 2\n",
    "lambda*_:_\n",
    "f'{a!r:>{width}}' f\"{b}\" 'c'\n",
    "async def f(*, a: int = 1, **kw) -> None:\n    async with a as (b, c):\n        await b\n",
    "match x:\n    case (1) as z:\n        pass\n    case {'k': [*rest]} if rest:\n        pass\n",
    "@registry.register(\n    default_title='T',  # comment\n    secrets=[*S],\n)\ndef f(a, /, b, *c, d, **e):\n    return a[b:c, ::2]\n",
    "try:\n    pass\nexcept* (A, B) as e:\n    raise\nfinally:\n    del(a)\n",
    "class C(B, metaclass=M):\n    '''doc'''\n\n\n    x: int = 1;  y = 2\n",
    "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n",
    "x = [i for i in range(3) if i if not i]\ny = {k: v async for k, v in z}\n",
    "if x:\n\tpass\n",
    "x = \\\n    1\n",
]


def _corpus() -> list[str]:
    texts = list(CORPUS)
    for path in sorted((ROOT / "linter").rglob("*.py"))[:40]:
        texts.append(path.read_text(encoding="utf-8"))
    return texts


@pytest.mark.parametrize("text", _corpus())
def test_round_trip_and_same_tree(text: str) -> None:
    module = parse_module(text)
    assert module.code == text
    assert module.deep_equals(cst.parse_module(text))


def _validated() -> None:
    # A hand-built node violating an invariant: a left paren without a right one.
    with pytest.raises(cst.CSTValidationError):
        cst.Name("x", lpar=[cst.LeftParen()])


def test_hand_built_nodes_still_validated_after_parse() -> None:
    _validated()
    parse_module("x = (1)\n")
    _validated()
    assert CSTNode.__post_init__ is not None
    cst.Name("x")  # valid nodes still construct


def test_hand_built_nodes_still_validated_after_syntax_error() -> None:
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def (:\n")
    _validated()


def test_validation_restored_after_interrupted_parse() -> None:
    # The SIGALRM budget can interrupt anything; our own no-op left installed
    # is recognised and removed by the next parse.
    original = CSTNode.__dict__["__post_init__"]
    CSTNode.__post_init__ = fastparse._no_validation
    try:
        parse_module("x = 1\n")
    finally:
        leaked = CSTNode.__dict__["__post_init__"]
        CSTNode.__post_init__ = original
    assert leaked is original
    _validated()


def test_someone_elses_replacement_is_never_overwritten() -> None:
    original = CSTNode.__dict__["__post_init__"]

    def theirs(self: CSTNode) -> None:
        original(self)

    CSTNode.__post_init__ = theirs
    try:
        assert parse_module("x = (1)\n").code == "x = (1)\n"
        after = CSTNode.__dict__["__post_init__"]
        reason = cstguard.status()["parse"]
    finally:
        CSTNode.__post_init__ = original
        cstguard.forget()
    assert after is theirs
    assert reason.startswith("public: ")
    _validated()


def test_valid_python_libcst_fails_to_validate_is_parsed() -> None:
    # LibCST #1061: `_validate` raises TypeError on this valid Python.
    text = "() if 0 else(lambda:())\n"
    assert parse_module(text).code == text


@pytest.mark.parametrize("text", ["x = 1\n", "def (:\n"])
def test_gc_state_restored(text: str) -> None:
    import gc

    assert gc.isenabled()
    try:
        parse_module(text)
    except cst.ParserSyntaxError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        try:
            parse_module(text)
        except cst.ParserSyntaxError:
            pass
        assert not gc.isenabled()  # someone else's choice is kept
    finally:
        gc.enable()
