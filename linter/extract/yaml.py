"""YAML action templates -> ActionSpecs.

Parses once with PyYAML's ``compose`` (C loader when available), which keeps
a line/column mark on every node and never constructs arbitrary objects.
Aliases stay shared nodes, so an alias bomb costs nothing unless walked;
every walk below visits a node at most once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING

from ..lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from ..model import UNKNOWN, ActionSpec, Location, SecretRef, SecretSpec, Severity, Value
from ..results import UNREADABLE, YAML_SYNTAX
from ..source import SourceFile
from . import Extraction, refused
from .secretdecl import secret_from_mapping

if TYPE_CHECKING:
    from ..budget import Refusal


def _loader() -> type:
    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

_MAX_NODES = 200_000


class YamlError(Exception):
    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class YamlTooDeep(Exception):
    """libyaml stopped at its own nesting limit: the file is refused (RL003), like the pre-check's."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__("YAML nested too deeply")
        self.refusal = refusal


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


def compose(source: SourceFile) -> yaml.Node | None:
    """Compose a single document; raises :class:`YamlError`."""
    try:
        return yaml.compose(source.text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        from ..budget import nesting_refusal

        refusal = nesting_refusal(exc)
        if refusal is not None:  # libyaml's own depth limit: not a syntax error
            raise YamlTooDeep(refusal) from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {str(exc).splitlines()[0] if str(exc) else 'parse error'}", 1, 1) from None
    except RecursionError:
        raise YamlError("invalid YAML: nesting too deep", 1, 1) from None


def mapping_items(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value) if isinstance(node, yaml.MappingNode) else []


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
    except Exception:  # noqa: BLE001 - e.g. a malformed timestamp: keep the text
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


# Parsing and extraction -----------------------------------------------------------
def parse(source: SourceFile) -> Extraction:
    """The file composed and extracted, or RL002 (invalid YAML) / RL003
    (nested deeper than libyaml's composer can take, aliases expanding
    beyond the budget). A file that mentions ``definition`` but is not a
    mapping at the top level also gets RL002 (Tracecat cannot read it as a
    template)."""
    from ..budget import MAX_YAML_EXPANDED_NODES, Refusal, check_yaml, yaml_expanded_size

    refusal = check_yaml(source.text)  # libyaml's composer recurses in C
    if refusal is not None:
        return refused(source, refusal)
    try:
        root = compose(source)
    except YamlTooDeep as exc:
        return refused(source, exc.refusal)
    except YamlError as exc:
        loc = Location(source.path, exc.line, exc.col, exc.line, exc.col)
        return Extraction().report(YAML_SYNTAX, exc.message.capitalize(), loc, Severity.ERROR)
    if "*" in source.text and yaml_expanded_size(root) > MAX_YAML_EXPANDED_NODES:
        message = f"YAML aliases expand to more than {MAX_YAML_EXPANDED_NODES} nodes (or into themselves); not linted"
        return refused(source, Refusal(UNREADABLE, message))
    parsed = extract(source, root)
    out = Extraction(parsed, actions=parsed.specs)
    if root is not None and not is_mapping(root) and "definition" in source.text:
        message = "Action template must be a mapping at the top level (with `type: action` and `definition:`)"
        out.report(YAML_SYNTAX, message, parsed.loc(root), Severity.ERROR)
    return out


def extract(source: SourceFile, root: yaml.Node | None) -> YamlFile:
    parsed = YamlFile(source, root)
    parsed.duplicates = find_duplicates(root, parsed.nodes)
    if not isinstance(root, yaml.MappingNode):
        return parsed
    definition = get(root, "definition")
    type_node = get(root, "type")
    parsed.type_node = type_node
    if not isinstance(definition, yaml.MappingNode):
        return parsed
    is_action_type = isinstance(type_node, yaml.ScalarNode) and type_node.value == "action"
    looks_like_action = get(definition, "name") is not None and get(definition, "namespace") is not None
    if not (is_action_type or looks_like_action):
        return parsed
    parsed.definition = definition
    parsed.is_template = True
    spec = _build_spec(parsed, definition, get_key(root, "definition"))
    from . import template  # imports this module: bound at call time

    parsed.spec = replace(spec, params=template.params(parsed), steps=template.step_calls(parsed))
    return parsed


def _field(parsed: YamlFile, fields: dict[str, yaml.Node], key: str) -> Value | None:
    node = fields.get(key)
    return parsed.value(node) if node is not None else None


def _build_spec(parsed: YamlFile, definition: yaml.MappingNode, definition_key: yaml.Node | None) -> ActionSpec:
    source = parsed.source
    # What ``get`` answers for each key (the last one wins), from one pass over the mapping.
    scalar_node = yaml.ScalarNode
    fields = {k.value: v for k, v in definition.value if isinstance(k, scalar_node)}
    name_node = fields.get("name")
    secrets_node = fields.get("secrets")
    secrets: list[SecretSpec] = []
    secrets_known = True
    # `secrets: list[RegistrySecretType] | None`: a mapping or a scalar fails
    # validation, as does an entry that is not a mapping (Tracecat skips the file).
    malformed: list[tuple[Location, str]] = []
    if isinstance(secrets_node, yaml.SequenceNode):
        for entry in secrets_node.value:
            spec = _secret(parsed, entry)
            if spec is None:
                secrets_known = False  # the action cannot register (RL214): other rules stay quiet
                malformed.append((parsed.loc(entry), _entry_problem(entry)))
            else:
                secrets.append(spec)
    elif secrets_node is not None and not (isinstance(secrets_node, yaml.ScalarNode) and scalar(secrets_node) is None):
        secrets_known = False
        what = "a mapping" if isinstance(secrets_node, yaml.MappingNode) else "a single value"
        malformed.append((parsed.loc(secrets_node), f"`secrets` is {what}, not a list: write one `- name: ...` entry per secret"))
    return ActionSpec(
        source="yaml",
        path=source.path,
        location=parsed.loc(name_node if name_node is not None else definition_key or definition),
        name=_field(parsed, fields, "name"),
        namespace=_field(parsed, fields, "namespace"),
        title=_field(parsed, fields, "title"),
        description=_field(parsed, fields, "description"),
        display_group=_field(parsed, fields, "display_group"),
        doc_url=_field(parsed, fields, "doc_url"),
        author=_field(parsed, fields, "author"),
        deprecated=_field(parsed, fields, "deprecated"),
        secrets=tuple(secrets),
        secrets_location=parsed.loc(secrets_node) if secrets_node is not None else None,
        secrets_known=secrets_known,
        malformed_secrets=tuple(malformed),
        refs=tuple(_template_refs(parsed, definition)),
    )


def _secret(parsed: YamlFile, entry: yaml.Node) -> SecretSpec | None:
    if not isinstance(entry, yaml.MappingNode):
        return None
    fields = {
        str(k.value): (parsed.loc(k), parsed.value(v)) for k, v in entry.value if isinstance(k, yaml.ScalarNode)
    }
    return secret_from_mapping(fields, parsed.loc(entry))


def _entry_problem(entry: yaml.Node) -> str:
    if isinstance(entry, yaml.ScalarNode):
        if scalar(entry) is None:
            return "an empty entry in `secrets`: each entry is a mapping (`- name: ...` or `- type: oauth`)"
        return "a bare string in `secrets`: each entry is a mapping (`- name: ...` or `- type: oauth`)"
    return "a list inside `secrets`: each entry is a mapping (`- name: ...` or `- type: oauth`)"


def _template_refs(parsed: YamlFile, definition: yaml.MappingNode) -> Iterator[SecretRef]:
    """``SECRETS.<name>.<KEY>`` in the parse of every expression in the definition's strings.

    An expression Tracecat cannot parse has no references (RL409/RL611 report it).
    """
    if "SECRETS" not in parsed.source.text:
        return
    from ..exprtree import Context
    from .yamlexpr import expressions, locate, source_text

    scalar_node = yaml.ScalarNode
    for node in parsed.subtree(definition):
        if not isinstance(node, scalar_node) or "SECRETS" not in node.value:
            continue
        for found in expressions(parsed, node):
            if "SECRETS" not in found.parsed.text:
                continue
            for context in found.parsed.nodes:
                if not (type(context) is Context and context.name == "SECRETS"):
                    continue
                parts = context.segments()
                start, end = found.body_start + context.start, found.body_start + context.end
                yield SecretRef(
                    via="template",
                    location=locate(parsed, node, start, end),
                    secret=parts[0],
                    key=parts[1] if len(parts) == 2 else None,
                    raw=source_text(parsed, node, start, end),
                )


def is_mapping(node: yaml.Node | None) -> bool:
    return isinstance(node, yaml.MappingNode)
