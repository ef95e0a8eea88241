"""A parser of exactly the language Tracecat's expression grammar accepts.

Tracecat parses the text inside ``${{ ... }}`` with Lark: an LALR(1) parser
and Lark's contextual lexer over the grammar in
``tracecat/expressions/parser/grammar.py`` (at ``TRACECAT_COMMIT``). This is
a hand-written recursive-descent parser of the same language, with no Lark
dependency, linear in the length of the text and with a bounded nesting
depth (a hostile ``((((...`` is refused, not a stack overflow).

What makes it equal to Lark's parser, beyond the grammar rules:

- Tokens need no separator: the contextual lexer only tries the terminals
  the current parser state accepts, and keywords are plain strings, so
  ``1if True else 2`` and ``a isnot b`` parse, and ``Truex`` fails at ``x``.
  In every state at most one acceptable terminal can match, except pairs
  that Lark orders longest first (``->``/``-``, ``>=``/``>``, ``<=``/``<``)
  and, after ``TRIGGER``, the path terminal before ``[``: this parser tries
  them in the same order.
- Whitespace is only ``[ \\t\\f\\r\\n]`` (Lark's ``common.WS``).
- The terminal regexes below are the grammar's, as Lark compiles them
  (Python ``re``, so ``\\d`` matches any Unicode digit).
- ``not`` binds below comparisons and does not repeat (``not not x`` is an
  error); the condition of ``a if c else b`` cannot itself be a ternary;
  ``-> type`` and ``for var.x in ...`` exist only at the top.

``tests/grammar/`` holds Lark's verdicts on a few thousand expressions,
recorded from Tracecat's grammar file; the test suite compares them with
this parser's.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .exprtree import (
    Binary,
    Call,
    Cast,
    Context,
    DictExpr,
    Index,
    Iterator_,
    ListExpr,
    Literal,
    Node,
    Ternary,
    TrailingCast,
    Unary,
    walk,
)
from .tracecat import CAST_TYPES

#: Deeper nesting (brackets, calls, ternaries in branches) is not parsed.
MAX_DEPTH = 64

_WS = re.compile(r"[ \t\f\r\n]*")
_CNAME = r"[A-Za-z_][A-Za-z0-9_]*"
# Terminals of the grammar (the PARTIAL_JSONPATH_EXPR, ATTRIBUTE_PATH,
# FN_NAME_WITH_TRANSFORM, STRING_LITERAL and NUMERIC_LITERAL definitions).
_PATH = re.compile(
    r"""(?:\.(\.)?(?:[a-zA-Z_][a-zA-Z0-9_]*|\*|'[^']*'|"[^"]*"|\[[^\]]+\]|`[^`]*`)|\.\.|\[[^\]]+\])+"""
)
_ATTRIBUTE_PATH = re.compile(rf"(?:\.{_CNAME})+")
_FN_NAME = re.compile(rf"{_CNAME}(?:\.{_CNAME})?")
_STRING = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")
# What can start an operand. The alternatives never match the same text,
# so their order does not matter (Lark's own order differs).
_OPERAND = re.compile(
    r"""(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
    r"""|(?P<num>\d+(?:\.\d+)?)"""
    r"""|(?P<word>ACTIONS|SECRETS|TRIGGER|inputs|steps|VARS|ENV|var|FN\.|True|False|None|int|float|str|bool|not|for)"""
    r"""|(?P<punct>[\[{(+-])"""
)
# What can follow an operand: longest first where one is a prefix of another.
_OPERATOR = re.compile(r"->|\|\||&&|==|!=|>=|<=|else|not|if|in|is|[,<>\[%+(){}\]/*:-]")
_WORD = re.compile(r"\w+")  # for messages only
_TYPES = frozenset(CAST_TYPES)
_TYPE = re.compile(r"float|bool|int|str")

# Binding power of each binary operator (higher binds tighter); ``not x`` is 3.
_BINARY = {
    "||": 1, "&&": 2,
    "==": 4, "!=": 4, ">": 4, ">=": 4, "<": 4, "<=": 4,
    "in": 5, "not in": 5, "is": 6, "is not": 6,
    "+": 7, "-": 7, "*": 8, "/": 8, "%": 8,
}
_NOT = 3
# Contexts and the path terminal that must (or, for TRIGGER, may) follow them.
_CONTEXT_PATH = {
    "inputs": _PATH, "steps": _PATH, "ACTIONS": _PATH, "ENV": _PATH, "var": _PATH, "TRIGGER": _PATH,
    "SECRETS": _ATTRIBUTE_PATH, "VARS": _ATTRIBUTE_PATH,
}
_LITERAL_WORDS = {"True": "bool", "False": "bool", "None": "none"}


class ParseError(NamedTuple):
    """Why Tracecat cannot parse the expression, at ``offset`` into its text."""

    offset: int
    message: str
    #: True when the parse was abandoned at :data:`MAX_DEPTH`: no verdict.
    too_deep: bool = False


class Parsed(NamedTuple):
    text: str
    tree: Node | None
    error: ParseError | None
    #: Every node of ``tree`` in ``walk`` order (pre-order, left to right): one walk, shared by every rule.
    nodes: tuple[Node, ...] = ()


class _Error(Exception):
    def __init__(self, error: ParseError) -> None:
        super().__init__(error.message)
        self.error = error


def parse(text: str) -> Parsed:
    """Parse one expression (the text between ``${{`` and ``}}``) as Tracecat does."""
    try:
        tree = _Parser(text).root()
    except _Error as exc:
        return Parsed(text, None, exc.error)
    return Parsed(text, tree, None, tuple(walk(tree)))


def _show(text: str, pos: int) -> str:
    if pos >= len(text):
        return "end of expression"
    match = _WORD.match(text, pos) or _OPERATOR.match(text, pos) or _OPERAND.match(text, pos)
    token = match.group() if match else text[pos]
    return f"`{token[:20]}`"


class _Parser:
    __slots__ = ("text", "pos", "depth")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    # Tokens ----------------------------------------------------------------------
    def fail(self, expected: str, pos: int | None = None) -> _Error:
        at = self.pos if pos is None else pos
        return _Error(ParseError(at, f"unexpected {_show(self.text, at)}: expected {expected}"))

    def skip(self) -> int:
        self.pos = _WS.match(self.text, self.pos).end()
        return self.pos

    def operator(self) -> str | None:
        """The token after an operand (whitespace skipped), not consumed."""
        match = _OPERATOR.match(self.text, self.skip())
        return match.group() if match else None

    def expect(self, token: str, expected: str) -> None:
        if self.operator() != token:
            raise self.fail(expected)
        self.pos += len(token)

    def terminal(self, regex: re.Pattern[str], expected: str) -> tuple[int, str]:
        match = regex.match(self.text, self.skip())
        if match is None:
            raise self.fail(expected)
        self.pos = match.end()
        return match.start(), match.group()

    # Grammar ---------------------------------------------------------------------
    def root(self) -> Node:
        start = self.skip()
        if self.text.startswith("for", start):
            self.pos += 3
            if not self.text.startswith("var", self.skip()):
                raise self.fail("`var` (`for var.x in ...`)")
            self.pos += 3
            _, variable = self.terminal(_ATTRIBUTE_PATH, "a variable name (`var.x`)")
            self.expect("in", "`in`")
            collection = self.expression()
            node: Node = Iterator_(start, collection.end, variable, collection)
        else:
            node = self.expression()
            if self.operator() == "->":
                self.pos += 2
                type_start, type_name = self.terminal(_TYPE, "a type (`int`, `float`, `str` or `bool`) after `->`")
                node = TrailingCast(node.start, self.pos, node, type_name, type_start)
        if self.skip() != len(self.text):
            expected = "an operator or the end of the expression"
            raise self.fail(expected if not isinstance(node, TrailingCast) else "the end of the expression")
        return node

    def expression(self) -> Node:
        """``or_expr ("if" or_expr "else" ...)*``: a ternary chain, right-nested."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Error(ParseError(self.pos, f"nested more than {MAX_DEPTH} levels deep", too_deep=True))
        chain: list[tuple[Node, Node]] = []
        node = self.binary()
        while self.operator() == "if":
            self.pos += 2
            condition = self.binary()
            self.expect("else", "`else` (`a if condition else b`)")
            chain.append((node, condition))
            node = self.binary()
        for then, condition in reversed(chain):
            node = Ternary(then.start, node.end, then, condition, node)
        self.depth -= 1
        return node

    def binary(self) -> Node:
        """Operator precedence from ``||`` down to ``*``, with the ``not`` prefix in between."""
        values: list[Node] = []
        ops: list[tuple[int, str, int]] = []  # (binding power, operator, start of a `not`)
        may_not = True
        while True:
            start = self.skip()
            if may_not and self.text.startswith("not", start):
                ops.append((_NOT, "not", start))
                self.pos += 3
                may_not = False
                continue
            values.append(self.unary())
            op = self.binary_operator()
            if op is None:
                break
            power = _BINARY[op]
            while ops and ops[-1][0] >= power:
                _reduce(values, ops.pop())
            ops.append((power, op, -1))
            may_not = power <= 2
        while ops:
            _reduce(values, ops.pop())
        return values[0]

    def binary_operator(self) -> str | None:
        op = self.operator()
        if op == "not":
            self.pos += 3
            if self.operator() != "in":
                raise self.fail("`in` (`not in`)")
            self.pos += 2
            return "not in"
        if op == "is":
            self.pos += 2
            if self.text.startswith("not", self.skip()):
                self.pos += 3
                return "is not"
            return "is"
        if op is None or op not in _BINARY:
            return None
        self.pos += len(op)
        return op

    def unary(self) -> Node:
        signs: list[tuple[str, int]] = []
        while (start := self.skip()) < len(self.text) and self.text[start] in "+-":
            signs.append((self.text[start], start))
            self.pos += 1
        node = self.primary()
        for sign, start in reversed(signs):
            node = Unary(start, node.end, sign, node)
        return node

    def primary(self) -> Node:
        node = self.base()
        while self.operator() == "[":
            self.pos += 1
            index = self.expression()
            self.expect("]", "`]`")
            node = Index(node.start, self.pos, node, index)
        return node

    def base(self) -> Node:
        start = self.skip()
        match = _OPERAND.match(self.text, start)
        if match is None:
            raise self.fail("an expression")
        kind, token = match.lastgroup, match.group()
        self.pos = match.end()
        if kind == "str" or kind == "num":
            return Literal(start, self.pos, kind, token)
        if token in _LITERAL_WORDS:
            return Literal(start, self.pos, _LITERAL_WORDS[token], token)
        if token in _CONTEXT_PATH:
            return self.context(start, token)
        if token in _TYPES:
            self.expect("(", f"`(` (`{token}(...)` converts a value)")
            operand = self.nested(")")
            return Cast(start, self.pos, token, operand)
        if token == "FN.":
            name_start, name = self.terminal(_FN_NAME, "a function name after `FN.`")
            self.expect("(", f"`(` (call `FN.{name}(...)`)")
            args = self.sequence(")")
            return Call(start, self.pos, name, name_start, args)
        if token == "(":
            inner = self.nested(")")
            return inner
        if token == "[":
            return ListExpr(start, *self.sequence_end("]"))
        if token == "{":
            return self.dict_expr(start)
        raise self.fail("an expression", start)  # `not`, `for`: not here

    def context(self, start: int, name: str) -> Node:
        regex = _CONTEXT_PATH[name]
        match = regex.match(self.text, self.skip())
        if match is None:
            if name == "TRIGGER":
                return Context(start, start + len(name), name, None, start + len(name))
            what = "`.name` after" if regex is _ATTRIBUTE_PATH else "a path (`.name`, `[0]`, `['key']`) after"
            raise self.fail(f"{what} `{name}`")
        self.pos = match.end()
        return Context(start, self.pos, name, match.group(), match.start())

    def nested(self, close: str) -> Node:
        node = self.expression()
        self.expect(close, f"`{close}`")
        return node

    def sequence(self, close: str) -> tuple[Node, ...]:
        return self.sequence_end(close)[1]

    def sequence_end(self, close: str) -> tuple[int, tuple[Node, ...]]:
        """``[arg_list] close``: comma-separated expressions, no trailing comma."""
        items: list[Node] = []
        if self.operator() != close:
            items.append(self.expression())
            while self.operator() == ",":
                self.pos += 1
                items.append(self.expression())
        self.expect(close, f"`,` or `{close}`" if items else f"an expression or `{close}`")
        return self.pos, tuple(items)

    def dict_expr(self, start: int) -> Node:
        items: list[tuple[Literal, Node]] = []
        if self.operator() != "}":
            while True:
                key_start, key = self.terminal(_STRING, "a quoted key (dictionary keys are string literals)")
                self.expect(":", "`:`")
                items.append((Literal(key_start, key_start + len(key), "str", key), self.expression()))
                if self.operator() != ",":
                    break
                self.pos += 1
        self.expect("}", "`,` or `}`" if items else "a quoted key or `}`")
        return DictExpr(start, self.pos, tuple(items))


def _reduce(values: list[Node], op: tuple[int, str, int]) -> None:
    _, name, not_start = op
    right = values.pop()
    if name == "not":
        values.append(Unary(not_start, right.end, "not", right))
        return
    left = values.pop()
    values.append(Binary(left.start, right.end, name, left, right))
