"""A composed YAML document and the node helpers every YAML reader shares:
located values, lookups that behave as PyYAML's loader, bounded walks.

Aliases stay shared nodes, so an alias bomb costs nothing unless walked;
every walk here visits a node at most once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

from ..lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from ..model import UNKNOWN, ActionSpec, Location, Value
from ..source import SourceFile

_MAX_NODES = 200_000


@dataclass
class YamlFile:
    source: SourceFile
    root: yaml.Node | None
    #: (first key node, repeated key node) for every repeated mapping key.
    duplicates: list[tuple[yaml.ScalarNode, yaml.ScalarNode]] = field(default_factory=list)
    #: True for action templates (RULES.md "What counts as an action").
    is_template: bool = False
    #: The ``definition`` mapping of an action-like file.
    definition: yaml.MappingNode | None = None
    #: The top-level ``type`` value node, if present.
    type_node: yaml.Node | None = None
    spec: ActionSpec | None = None

    @cached_property
    def _collected(self) -> tuple[list[yaml.Node], bool]:
        # Kept here rather than on the root node: a list holding the root,
        # stored on the root, would be a cycle that keeps every tree alive
        # until a full garbage collection.
        return _collect(self.root, aliases="*" in self.source.text)

    @property
    def nodes(self) -> list[yaml.Node]:
        """``node_list(root)``, shared by every whole-document pass of the file's rules."""
        return self._collected[0]

    def subtree(self, node: yaml.Node | None) -> list[yaml.Node]:
        """``node_list(node)``: a slice of :attr:`nodes` when the document is a tree.

        In a tree (no alias, nothing cut off by the bound) a fresh walk from
        ``node`` visits exactly its descendants, and the document's pre-order
        walk visits those contiguously: from ``node`` to its last descendant.
        """
        nodes, tree = self._collected
        if node is None or not tree:
            return node_list(node)
        try:
            start = nodes.index(node)  # nodes never compare equal: an identity search
        except ValueError:  # not in this document
            return node_list(node)
        last = node
        mapping, sequence = yaml.MappingNode, yaml.SequenceNode
        while True:
            if isinstance(last, mapping) and last.value:
                last = last.value[-1][1]
            elif isinstance(last, sequence) and last.value:
                last = last.value[-1]
            else:
                break
        return nodes[start : nodes.index(last, start) + 1]

    @cached_property
    def scalar_nodes(self) -> list[yaml.ScalarNode]:
        scalar_node = yaml.ScalarNode
        return [n for n in self.nodes if isinstance(n, scalar_node)]

    def loc(self, node: yaml.Node) -> Location:
        return node_location(self.source, node)

    def value(self, node: yaml.Node) -> Value:
        return to_value(self.source, node)

    @property
    def specs(self) -> list[ActionSpec]:
        return [self.spec] if self.spec is not None else []

    def deps(self) -> tuple[str, ...]:
        return ()  # a template's result depends on its own text only


def node_location(source: SourceFile, node: yaml.Node) -> Location:
    start, end = node.start_mark, node.end_mark
    return Location(source.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """Value for ``key``; the last one wins, as in PyYAML."""
    found = None
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                found = v
    return found


def get_key(node: yaml.Node | None, key: str) -> yaml.ScalarNode | None:
    found = None
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                found = k
    return found


_constructors: list[object] = []


_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"


def scalar(node: yaml.ScalarNode) -> object:
    """The Python value PyYAML's safe loader gives a scalar (no object cache)."""
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):  # what the str/null constructors return, without their calls
        if tag == _STR_TAG:
            return node.value
        if tag == _NULL_TAG:
            return None
    build = yaml.constructor.SafeConstructor.yaml_constructors.get(tag)
    if build is None:
        return node.value
    try:
        if not _constructors:
            _constructors.append(yaml.constructor.SafeConstructor())
        return build(_constructors[0], node)
    except Exception:  # e.g. a malformed timestamp: keep the text
        return node.value


def to_value(source: SourceFile, node: yaml.Node, _depth: int = 0) -> Value:
    loc = node_location(source, node)
    if _depth > 50:
        return Value(UNKNOWN, loc, "<too deep>")
    if isinstance(node, yaml.ScalarNode):
        return Value(scalar(node), loc)
    if isinstance(node, yaml.SequenceNode):
        return Value(tuple(to_value(source, item, _depth + 1) for item in node.value), loc)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Value] = {}
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                out[str(k.value)] = to_value(source, v, _depth + 1)
        return Value(out, loc)
    return Value(UNKNOWN, loc)


def plain(node: yaml.Node, _depth: int = 0) -> object:
    """A node as plain data (as the safe loader builds it, unlocated): tuples for
    lists, dicts with str keys; UNKNOWN for what the cache's JSON cannot hold
    (timestamps, binary) and past 50 levels."""
    if _depth > 50:
        return UNKNOWN
    if isinstance(node, yaml.ScalarNode):
        value = scalar(node)
        return value if value is None or isinstance(value, (str, bool, int, float)) else UNKNOWN
    if isinstance(node, yaml.SequenceNode):
        return tuple(plain(item, _depth + 1) for item in node.value)
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): plain(v, _depth + 1) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    return UNKNOWN


def node_list(node: yaml.Node | None) -> list[yaml.Node]:
    """Every node under ``node`` once (aliases are shared nodes), pre-order, bounded.

    One flat loop into a list: consumers iterate the list instead of resuming
    a generator per node. Mapping keys come before their values.
    """
    return _collect(node)[0]


def _collect(node: yaml.Node | None, aliases: bool = True) -> tuple[list[yaml.Node], bool]:
    """(``node_list(node)``, whether the graph under ``node`` is a complete tree:
    no node reached twice, nothing cut off by the bound).

    ``aliases`` False promises that no node is shared (the text composed has
    no ``*``, so no alias event): the walk then keeps no seen-set.
    """
    if node is None:
        return [], True
    out: list[yaml.Node] = []
    keep = out.append
    stack = [node]
    pop, extend = stack.pop, stack.extend
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    flatten = chain.from_iterable
    limit = _MAX_NODES
    if not aliases:
        while stack and len(out) < limit:
            current = pop()
            keep(current)
            if isinstance(current, mapping):
                # [k1, v1, k2, v2, ...] reversed: k1 is popped first, then v1's subtree.
                extend(list(flatten(current.value))[::-1])
            elif isinstance(current, sequence):
                extend(current.value[::-1])
        return out, not stack
    shared = False
    seen: set[int] = set()
    add = seen.add
    while stack and len(out) < limit:
        current = pop()
        key = id(current)
        if key in seen:
            shared = True
            continue
        add(key)
        keep(current)
        if isinstance(current, mapping):
            extend(list(flatten(current.value))[::-1])
        elif isinstance(current, sequence):
            extend(current.value[::-1])
    return out, not (shared or stack)


def walk(node: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every node once (aliases are shared nodes), bounded."""
    return iter(node_list(node))


def scalars(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    scalar_node = yaml.ScalarNode
    return (n for n in node_list(node) if isinstance(n, scalar_node))


def find_duplicates(
    root: yaml.Node | None, nodes: list[yaml.Node] | None = None
) -> list[tuple[yaml.ScalarNode, yaml.ScalarNode]]:
    """``nodes``: ``node_list(root)`` when the caller already has it."""
    dups: list[tuple[yaml.ScalarNode, yaml.ScalarNode]] = []
    mapping, scalar_node = yaml.MappingNode, yaml.ScalarNode
    for node in node_list(root) if nodes is None else nodes:
        if not isinstance(node, mapping):
            continue
        first: dict[str, yaml.ScalarNode] = {}
        for k, _ in node.value:
            if not isinstance(k, scalar_node) or k.tag == "tag:yaml.org,2002:merge":
                continue
            if k.value in first:
                dups.append((first[k.value], k))
            else:
                first[k.value] = k
    return dups


def raw_span(source: SourceFile, node: yaml.ScalarNode) -> tuple[int, str]:
    """(start offset, raw source text) of a scalar, quotes and block indicators included."""
    start, end = node.start_mark.index, node.end_mark.index
    return start, source.text[start:end]


def is_mapping(node: yaml.Node | None) -> bool:
    return isinstance(node, yaml.MappingNode)
