"""A fast pre-order walk over a LibCST tree, for one shared traversal.

``CSTNode.visit`` rebuilds every node it passes (``_visit_and_replace_children``
constructs a fresh copy even for a read-only visitor), which costs about as
much as the parse itself. Reading the dataclass fields directly costs a
fraction of that. The walk yields nodes in source order, like the visitor,
but leaves out whitespace, comments and punctuation tokens (parentheses,
brackets, commas, dots, ...): rules read those from the source text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import libcst as cst
from libcst import CSTNode

# Fields holding only whitespace, comments or punctuation tokens.
SKIPPED_FIELDS = frozenset(
    {
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "trailing_whitespace",
        "leading_whitespace",
        "empty_lines",
        "first_line",
        "last_line",
        "newline",
        "comment",
        "lpar",
        "rpar",
        "lbrace",
        "rbrace",
        "lbracket",
        "rbracket",
        "comma",
        "semicolon",
        "dot",
        "colon",
        "equal",
        "first_colon",
        "second_colon",
        "separator",
        "trailing_comma",
    }
)

# Node types whose dataclass field order is not their source order
# (tests/test_pywalk.py checks this table against LibCST's own visit order).
SOURCE_ORDER: dict[str, tuple[str, ...]] = {
    "Arg": ("keyword", "value"),
    "ClassDef": ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    "CompFor": ("asynchronous", "target", "iter", "ifs", "inner_for_in"),
    "ExceptHandler": ("type", "name", "body"),
    "ExceptStarHandler": ("type", "name", "body"),
    "For": ("asynchronous", "target", "iter", "body", "orelse"),
    "FunctionDef": ("decorators", "asynchronous", "name", "type_parameters", "params", "returns", "body"),
    "IfExp": ("body", "test", "orelse"),
    "ImportFrom": ("relative", "module", "names"),
    "LazyImportFrom": ("relative", "module", "names"),
    "MatchCase": ("pattern", "guard", "body"),
    "Parameters": ("posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg"),
    "TypeAlias": ("name", "type_parameters", "value"),
    "With": ("asynchronous", "items", "body"),
}

_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    """Names of the fields of ``cls`` that may hold child nodes, in source order."""
    names = _FIELDS.get(cls)
    if names is None:
        override = SOURCE_ORDER.get(cls.__name__)
        if override is not None and getattr(cst, cls.__name__, None) is cls:
            names = override
        else:
            names = tuple(
                f.name
                for f in dataclasses.fields(cls)
                if f.name not in SKIPPED_FIELDS and not f.name.startswith("whitespace")
            )
        _FIELDS[cls] = names
    return names


_IS_NODE: dict[type, bool] = {type(None): False, str: False, tuple: False, list: False}


def is_node(value: object) -> bool:
    """``isinstance(value, CSTNode)``, memoised per type: CSTNode is an ABC,
    and ABC instance checks dominate a walk otherwise."""
    kind = type(value)
    known = _IS_NODE.get(kind)
    if known is None:
        known = _IS_NODE[kind] = issubclass(kind, CSTNode)
    return known


def make_children(field_names: Callable[[type], tuple[str, ...]]) -> Callable[[CSTNode], list[CSTNode]]:
    """A ``children`` function reading the fields ``field_names(cls)`` names, in that order."""
    cache: dict[type, tuple[str, ...]] = {}
    flags = _IS_NODE

    def children(node: CSTNode) -> list[CSTNode]:
        # Hot (every node of every file): lookups inlined, no per-value calls.
        kind = type(node)
        names = cache.get(kind)
        if names is None:
            names = cache[kind] = field_names(kind)
        out: list[CSTNode] = []
        for name in names:
            value = getattr(node, name)
            kind = type(value)
            if kind is tuple or kind is list:
                for item in value:
                    flag = flags.get(type(item))
                    if flag or (flag is None and is_node(item)):
                        out.append(item)
            else:
                flag = flags.get(kind)
                if flag or (flag is None and is_node(value)):
                    out.append(value)
        return out

    return children


#: Direct children of a node in source order (no whitespace or punctuation).
children = make_children(child_fields)


def walk(root: CSTNode, prune: Callable[[CSTNode], bool] | None = None) -> Iterator[CSTNode]:
    """Every node below and including ``root``, pre-order, in source order.

    A node for which ``prune`` returns True is yielded but not descended into
    (a nested ``def`` or ``lambda``, say). Iterative, so deeply nested input
    cannot hit the recursion limit here.
    """
    stack = [root]
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        yield node
        if prune is not None and node is not root and prune(node):
            continue
        kids = children(node)
        if kids:
            kids.reverse()
            extend(kids)


def find_types(
    root: CSTNode,
    kinds: frozenset[type] | None,
    prune: frozenset[type] = frozenset(),
    *,
    kids: Callable[[CSTNode], list[CSTNode]] | None = None,
) -> Iterator[CSTNode]:
    """The nodes below and including ``root`` whose exact type is in ``kinds``
    (None: every node), in ``walk`` order, not descending into nodes whose
    exact type is in ``prune`` (``root`` itself is always descended into).

    ``walk`` plus a filter, minus a Python call per node: rules that want a
    few node types of one function use this. ``kids`` lists a node's children
    (default ``children``, source order; see ``make_children``).
    """
    kids_of = children if kids is None else kids
    if kinds is None or type(root) in kinds:
        yield root
    stack = kids_of(root)
    stack.reverse()
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        kind = type(node)
        if kinds is None or kind in kinds:
            yield node
        if kind in prune:
            continue
        found = kids_of(node)
        if found:
            found.reverse()
            extend(found)
