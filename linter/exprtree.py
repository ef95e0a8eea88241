"""The located syntax tree of a Tracecat ``${{ ... }}`` expression.

Built by :mod:`registry_lint.exprparse`; read by the template rules. Every
node carries ``start``/``end``: character offsets into the expression text
(the part between ``${{`` and ``}}`` that Tracecat hands its parser), so a
rule can report the exact position in the file. Node kinds follow the rules
of Tracecat's grammar (``tracecat/expressions/parser/grammar.py``).

Nodes are never changed after the parser builds them. They are plain
slotted classes, not frozen dataclasses: a dozen dataclasses cost about
10 ms to create at import, an eighth of a one-file pre-commit run.
"""

from __future__ import annotations

from collections.abc import Iterator


class Node:
    __slots__ = ("start", "end")
    start: int
    end: int

    def children(self) -> tuple[Node, ...]:
        return ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for cls in type(self).__mro__ for name in getattr(cls, "__slots__", ()))

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._values() == other._values()

    __hash__ = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self._values()!r}"


class Literal(Node):
    __slots__ = ("kind", "text")
    #: "str", "num", "bool" or "none"; ``text`` is the token as written (quotes included).
    kind: str
    text: str

    def __init__(self, start: int, end: int, kind: str, text: str) -> None:
        self.start, self.end, self.kind, self.text = start, end, kind, text


class Context(Node):
    """``inputs.x``, ``steps.a.result``, ``SECRETS.a.B``, ``VARS.v``, ``ENV.x``, ``ACTIONS.a``, ``TRIGGER``, ``var.x``."""

    __slots__ = ("name", "path", "path_start")
    name: str
    #: The path token right after the name (``.a.B``, ``['x'][0]``), None for a bare ``TRIGGER``.
    path: str | None
    path_start: int

    def __init__(self, start: int, end: int, name: str, path: str | None, path_start: int) -> None:
        self.start, self.end, self.name, self.path, self.path_start = start, end, name, path, path_start

    def segments(self) -> list[str]:
        """The path split the way Tracecat's validator splits it: ``path.lstrip(".").split(".")``."""
        return (self.path or "").lstrip(".").split(".")


class Call(Node):
    """``FN.name(args)``; ``name`` is the token after ``FN.`` (``lowercase`` or ``lowercase.map``)."""

    __slots__ = ("name", "name_start", "args")
    name: str
    name_start: int
    args: tuple[Node, ...]

    def __init__(self, start: int, end: int, name: str, name_start: int, args: tuple[Node, ...]) -> None:
        self.start, self.end, self.name, self.name_start, self.args = start, end, name, name_start, args

    def children(self) -> tuple[Node, ...]:
        return self.args


class Cast(Node):
    """``int(x)``: a type name applied like a function."""

    __slots__ = ("type", "operand")
    type: str
    operand: Node

    def __init__(self, start: int, end: int, type: str, operand: Node) -> None:
        self.start, self.end, self.type, self.operand = start, end, type, operand

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


class TrailingCast(Node):
    """``expression -> int``: only at the top of an expression."""

    __slots__ = ("operand", "type", "type_start")
    operand: Node
    type: str
    type_start: int

    def __init__(self, start: int, end: int, operand: Node, type: str, type_start: int) -> None:
        self.start, self.end, self.operand, self.type, self.type_start = start, end, operand, type, type_start

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


class Iterator_(Node):
    """``for var.x in collection``: only at the top of an expression (a ``for_each``)."""

    __slots__ = ("variable", "collection")
    variable: str
    collection: Node

    def __init__(self, start: int, end: int, variable: str, collection: Node) -> None:
        self.start, self.end, self.variable, self.collection = start, end, variable, collection

    def children(self) -> tuple[Node, ...]:
        return (self.collection,)


class ListExpr(Node):
    __slots__ = ("items",)
    items: tuple[Node, ...]

    def __init__(self, start: int, end: int, items: tuple[Node, ...]) -> None:
        self.start, self.end, self.items = start, end, items

    def children(self) -> tuple[Node, ...]:
        return self.items


class DictExpr(Node):
    __slots__ = ("items",)
    #: (key literal, value) pairs; keys are always string literals.
    items: tuple[tuple[Literal, Node], ...]

    def __init__(self, start: int, end: int, items: tuple[tuple[Literal, Node], ...]) -> None:
        self.start, self.end, self.items = start, end, items

    def children(self) -> tuple[Node, ...]:
        return tuple(n for pair in self.items for n in pair)


class Unary(Node):
    """``-x``, ``+x`` and ``not x``."""

    __slots__ = ("op", "operand")
    op: str
    operand: Node

    def __init__(self, start: int, end: int, op: str, operand: Node) -> None:
        self.start, self.end, self.op, self.operand = start, end, op, operand

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


class Binary(Node):
    __slots__ = ("op", "left", "right")
    #: ``||``, ``&&``, ``==``, ..., ``in``, ``not in``, ``is``, ``is not``, ``+``, ...
    op: str
    left: Node
    right: Node

    def __init__(self, start: int, end: int, op: str, left: Node, right: Node) -> None:
        self.start, self.end, self.op, self.left, self.right = start, end, op, left, right

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


class Ternary(Node):
    """``then if condition else other``."""

    __slots__ = ("then", "condition", "other")
    then: Node
    condition: Node
    other: Node

    def __init__(self, start: int, end: int, then: Node, condition: Node, other: Node) -> None:
        self.start, self.end, self.then, self.condition, self.other = start, end, then, condition, other

    def children(self) -> tuple[Node, ...]:
        return (self.then, self.condition, self.other)


class Index(Node):
    """``base[index]``."""

    __slots__ = ("base", "index")
    base: Node
    index: Node

    def __init__(self, start: int, end: int, base: Node, index: Node) -> None:
        self.start, self.end, self.base, self.index = start, end, base, index

    def children(self) -> tuple[Node, ...]:
        return (self.base, self.index)


def walk(root: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right (no recursion)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))
