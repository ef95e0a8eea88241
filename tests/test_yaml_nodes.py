"""The shared YAML node list: same nodes, order, alias sharing and bound as the
generator walk it replaced; subtree slices equal fresh walks; fast mapping lookups
equal the merge-resolving ``items``."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import yaml

from registry_lint.extract import template as tx
from registry_lint.extract import yaml as yx
from registry_lint.extract import yamlnodes as yn
from registry_lint.source import SourceFile


def reference_walk(node: yaml.Node | None) -> Iterator[yaml.Node]:
    """The generator walk before the shared list (the oracle), reading the same bound."""
    if node is None:
        return
    seen: set[int] = set()
    stack = [node]
    while stack and len(seen) < yn._MAX_NODES:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, yaml.MappingNode):
            for k, v in reversed(current.value):
                stack.append(v)
                stack.append(k)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))


def reference_member(node: yaml.Node | None, key: str) -> tuple[yaml.Node | None, yaml.Node | None]:
    value = next((v for k, v in tx.items(node) if k.value == key), None)
    key_node = next((k for k, _ in tx.items(node) if k.value == key), None)
    return key_node, value


def parse(text: str) -> yn.YamlFile:
    source = SourceFile("t.yml", text, "yaml")
    return yx.extract(source, yx.compose(source))


DOCS = [
    "",
    "a\n",
    "[]\n",
    "{}\n",
    "a: 1\nb: [x, {c: d, e: [f, g]}]\nh: {i: j}\n",
    "a: &x {k: v, l: [1, 2]}\nb: *x\nc: [*x, *x]\n",
    "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n  z: [*b]\n",
    "? [complex, key]\n: value\n? {m: n}\n: other\n",
    "a: 1\nb: 2\na: 3\nnested: {c: 1, c: 2}\n",
    "s: &s [a, b]\nt: &t [*s, *s]\nu: [*t, *t, *s]\n",
    "type: action\ndefinition:\n  steps:\n    - ref: a\n      args: &args {x: '${{ inputs.v }}'}\n"
    "    - ref: b\n      args: *args\n  returns: ${{ steps.a.result }}\n",
]


def random_doc(rng: random.Random) -> str:
    """A document of nested flow collections, with anchors and aliases to earlier anchors."""
    anchors: list[str] = []

    def node(depth: int) -> str:
        roll = rng.random()
        if anchors and roll < 0.15:
            return "*" + rng.choice(anchors)
        if depth > 3 or roll < 0.45:
            return rng.choice(["a", "'b'", "1", "'${{ inputs.x }}'", "null", '"q"'])
        if roll < 0.7:
            body = "[" + ", ".join(node(depth + 1) for _ in range(rng.randint(0, 4))) + "]"
        else:
            keys = rng.sample(["k", "l", "m", "n", "k2"], rng.randint(0, 4))
            body = "{" + ", ".join(f"{k}: {node(depth + 1)}" for k in keys) + "}"
        if rng.random() < 0.3:
            name = f"a{len(anchors)}"
            anchors.append(name)  # usable only after this node: YAML aliases point back
            return f"&{name} {body}"
        return body

    return "root: " + node(0) + "\n"


def all_docs() -> list[str]:
    rng = random.Random(1234)
    return DOCS + [random_doc(rng) for _ in range(150)]


@pytest.mark.parametrize("text", all_docs())
def test_node_list_equals_the_generator_walk(text: str) -> None:
    parsed = parse(text)
    expected = [id(n) for n in reference_walk(parsed.root)]
    assert [id(n) for n in yn.node_list(parsed.root)] == expected
    assert [id(n) for n in parsed.nodes] == expected
    assert [id(n) for n in yn.walk(parsed.root)] == expected
    assert [id(n) for n in parsed.scalar_nodes] == [
        id(n) for n in reference_walk(parsed.root) if isinstance(n, yaml.ScalarNode)
    ]


@pytest.mark.parametrize("text", all_docs())
def test_subtree_equals_a_fresh_walk_of_every_node(text: str) -> None:
    parsed = parse(text)
    for node in parsed.nodes:
        assert [id(n) for n in parsed.subtree(node)] == [id(n) for n in reference_walk(node)]


def test_aliases_make_the_document_not_a_tree() -> None:
    assert parse(DOCS[4])._collected[1] is True
    assert parse(DOCS[5])._collected[1] is False


def test_subtree_of_a_shared_node_is_walked_afresh() -> None:
    # Step b's args are step a's (an alias): the document lists them once, each
    # step's subtree still holds them.
    parsed = parse(DOCS[-1])
    steps = yn.get(parsed.definition, "steps")
    assert steps is not None
    first, second = (yn.get(step, "args") for step in steps.value)
    assert first is second
    assert [id(n) for n in parsed.subtree(second)] == [id(n) for n in reference_walk(first)]
    assert sum(1 for n in parsed.nodes if n is first) == 1
    refs = [(r.step, r.name) for r in tx.template(parsed).refs]
    assert refs == [(0, "v"), (1, "v"), (None, "a")]


def test_subtree_of_a_node_from_another_document() -> None:
    parsed, other = parse(DOCS[4]), parse(DOCS[4])
    assert other.root is not None
    assert [id(n) for n in parsed.subtree(other.root)] == [id(n) for n in reference_walk(other.root)]
    assert parsed.subtree(None) == []


@pytest.mark.parametrize("limit", [1, 2, 5, 13])
@pytest.mark.parametrize("text", [DOCS[4], DOCS[5], DOCS[9]])
def test_the_node_bound_is_the_walk_bound(monkeypatch: pytest.MonkeyPatch, text: str, limit: int) -> None:
    monkeypatch.setattr(yn, "_MAX_NODES", limit)
    parsed = parse(text)
    expected = [id(n) for n in reference_walk(parsed.root)]
    assert len(expected) <= limit
    assert [id(n) for n in parsed.nodes] == expected
    for node in parsed.nodes:  # a cut-off document falls back to fresh, bounded walks
        assert [id(n) for n in parsed.subtree(node)] == [id(n) for n in reference_walk(node)]


def test_cut_off_document_is_not_a_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yn, "_MAX_NODES", 3)
    parsed = parse(DOCS[4])
    assert len(parsed.nodes) == 3
    assert parsed._collected[1] is False


def test_alias_bomb_stays_bounded_and_unexpanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 20):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    parsed = parse("\n".join(lines) + "\n")
    assert len(parsed.nodes) < 200
    assert [id(n) for n in parsed.nodes] == [id(n) for n in reference_walk(parsed.root)]
    last = yn.get(parsed.root, "a19")
    assert len(parsed.subtree(last)) < 200


def test_nodes_are_not_stored_on_the_tree() -> None:
    # A list holding the root, kept on the root, would be a reference cycle.
    parsed = parse(DOCS[4])
    assert parsed.nodes
    assert not [name for n in parsed.nodes for name in vars(n) if name.startswith("_")]


@pytest.mark.parametrize("text", all_docs())
def test_member_equals_the_items_lookup(text: str) -> None:
    parsed = parse(text)
    for node in parsed.nodes:
        for key in ("k", "l", "m", "k2", "y", "z", "x", "a", "c", "<<", "nope"):
            key_node, value = reference_member(node, key)
            assert tx.member(node, key) is value
            assert tx.member_key(node, key) is key_node


def test_member_resolves_merge_keys_and_repeats() -> None:
    parsed = parse(DOCS[6] + "dup: {a: 1, a: 2}\n")
    use = yn.get(parsed.root, "use")
    assert tx.member(use, "x") is not None and tx.member(use, "x").value == "1"
    assert tx.member(use, "y").value == "3"
    dup = yn.get(parsed.root, "dup")
    assert tx.member(dup, "a").value == "2"
    assert tx.member_key(dup, "a").start_mark.column == 12


def test_find_duplicates_with_and_without_the_shared_list() -> None:
    parsed = parse(DOCS[8])
    pairs = [(a.start_mark.line, b.start_mark.line) for a, b in parsed.duplicates]
    assert pairs == [(0, 2), (3, 3)]
    assert yn.find_duplicates(parsed.root) == parsed.duplicates
