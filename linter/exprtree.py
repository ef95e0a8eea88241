"""The located syntax tree of a Tracecat ``${{ ... }}`` expression.

Built by :mod:`registry_lint.exprparse`; read by the template rules. Every
node carries ``start``/``end``: character offsets into the expression text
(the part between ``${{`` and ``}}`` that Tracecat hands its parser), so a
rule can report the exact position in the file. Node kinds follow the rules
of Tracecat's grammar (``tracecat/expressions/parser/grammar.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Node:
    start: int
    end: int

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Literal(Node):
    #: "str", "num", "bool" or "none"; ``text`` is the token as written (quotes included).
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Context(Node):
    """``inputs.x``, ``steps.a.result``, ``SECRETS.a.B``, ``VARS.v``, ``ENV.x``, ``ACTIONS.a``, ``TRIGGER``, ``var.x``."""

    name: str
    #: The path token right after the name (``.a.B``, ``['x'][0]``), None for a bare ``TRIGGER``.
    path: str | None
    path_start: int

    def segments(self) -> list[str]:
        """The path split the way Tracecat's validator splits it: ``path.lstrip(".").split(".")``."""
        return (self.path or "").lstrip(".").split(".")


@dataclass(frozen=True, slots=True)
class Call(Node):
    """``FN.name(args)``; ``name`` is the token after ``FN.`` (``lowercase`` or ``lowercase.map``)."""

    name: str
    name_start: int
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args


@dataclass(frozen=True, slots=True)
class Cast(Node):
    """``int(x)``: a type name applied like a function."""

    type: str
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class TrailingCast(Node):
    """``expression -> int``: only at the top of an expression."""

    operand: Node
    type: str
    type_start: int

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Iterator_(Node):
    """``for var.x in collection``: only at the top of an expression (a ``for_each``)."""

    variable: str
    collection: Node

    def children(self) -> tuple[Node, ...]:
        return (self.collection,)


@dataclass(frozen=True, slots=True)
class ListExpr(Node):
    items: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.items


@dataclass(frozen=True, slots=True)
class DictExpr(Node):
    #: (key literal, value) pairs; keys are always string literals.
    items: tuple[tuple[Literal, Node], ...]

    def children(self) -> tuple[Node, ...]:
        return tuple(n for pair in self.items for n in pair)


@dataclass(frozen=True, slots=True)
class Unary(Node):
    """``-x``, ``+x`` and ``not x``."""

    op: str
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Binary(Node):
    #: ``||``, ``&&``, ``==``, ..., ``in``, ``not in``, ``is``, ``is not``, ``+``, ...
    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Ternary(Node):
    """``then if condition else other``."""

    then: Node
    condition: Node
    other: Node

    def children(self) -> tuple[Node, ...]:
        return (self.then, self.condition, self.other)


@dataclass(frozen=True, slots=True)
class Index(Node):
    """``base[index]``."""

    base: Node
    index: Node

    def children(self) -> tuple[Node, ...]:
        return (self.base, self.index)


def walk(root: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right (no recursion)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))
