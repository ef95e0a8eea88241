"""The credential scan's YAML walk yields exactly the slots of the walk it replaced
(full key paths, a generator per scalar), in the same order, with and without ``keep_all``."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import yaml

from registry_lint.credentials import yamlcontext
from registry_lint.credentials.slot import Slot


def reference_walk(text: str, base: int, root: yaml.Node, keep_all: bool = True) -> Iterator[Slot]:
    """The walk before the rewrite (the oracle)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())]
    while stack and len(seen) < yamlcontext._MAX_NODES:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, path + ("[]",)) for item in reversed(node.value))
        elif isinstance(node, yaml.ScalarNode) and path[-1:] == ("[]",):
            yield from yamlcontext._scalar_slot(text, base, None, node, "assign", keep_all)
        elif isinstance(node, yaml.MappingNode):
            pairs = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            named = pairs.get("name") or pairs.get("key")
            value = pairs.get("value")
            if isinstance(named, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
                yield from yamlcontext._scalar_slot(text, base, named.value, value, "assign", keep_all)
            for k, v in reversed(node.value):
                if not isinstance(k, yaml.ScalarNode):
                    continue
                key = str(k.value)
                if isinstance(v, yaml.ScalarNode):
                    if key == "default" and len(path) >= 2 and path[-2] == "expects":
                        yield from yamlcontext._scalar_slot(text, base, path[-1], v, "expects-default", keep_all)
                    elif key != "value" or named is None:
                        yield from yamlcontext._scalar_slot(text, base, key, v, "dict", keep_all)
                else:
                    stack.append((v, path + (key,)))


DOCS = [
    "a: 1\n",
    "- x\n- token: abc123def456\n",
    "env:\n  - name: API_TOKEN\n    value: 9f3b2c1d8e7a6b5c\n  - key: password\n    value: hunter2hunter2\n"
    "  - name: a\n    key: api_key\n    value: s3cr3tvalue\n  - name: [not, scalar]\n    value: x\n",
    "expects:\n  api_key:\n    type: str\n    default: sk_live_abcdefabcdef\n  other:\n    default: 1\n"
    "definition:\n  expects:\n    token: {default: 'Bearer abcdefabcdef123'}\n",
    "script: |\n  export TOKEN=abc123\n  curl -u user:pw https://x\nsingle: >\n  9f3b2c1d8e7a6b5c4d3e\n",
    "headers:\n  Authorization: Bearer abcdef0123456789\n  X: 'X-Auth-Token: abc123abc123'\n"
    "  conn: 'accesskey=AKIA; secretkey=abc'\n  n: 12\n  b: true\n",
    "base: &b {password: hunter2hunter2, list: [Basic dXNlcjpwYXNz, 'a=b']}\nuse: *b\nmore: [*b, *b]\n",
    "? [complex]\n: value\n? {password: x}\n: y\nkey: z\n",
    "value: only_value\nname: n\n",
    "- - - token: deep\n    - [a, 'b: c']\n",
]

WORDS = ["name", "key", "value", "default", "expects", "token", "password", "api_key", "x", "[]"]
VALUES = ["a", "'Bearer abcdef012345'", "'a=b'", "'k: v'", '"line\\nbreak"', "1", "true", "hunter2hunter2",
          "'Basic dXNlcjpwYXNz'", "null"]


def random_doc(rng: random.Random) -> str:
    anchors: list[str] = []

    def node(depth: int) -> str:
        roll = rng.random()
        if anchors and roll < 0.1:
            return "*" + rng.choice(anchors)
        if depth > 3 or roll < 0.4:
            return rng.choice(VALUES)
        if roll < 0.6:
            body = "[" + ", ".join(node(depth + 1) for _ in range(rng.randint(0, 3))) + "]"
        else:
            keys = rng.sample(WORDS, rng.randint(0, 5))
            body = "{" + ", ".join(f"'{k}': {node(depth + 1)}" for k in keys) + "}"
        if rng.random() < 0.25:
            anchors.append(f"a{len(anchors)}")
            return f"&{anchors[-1]} {body}"
        return body

    return "root: " + node(0) + "\n"


def all_docs() -> list[str]:
    rng = random.Random(99)
    return DOCS + [random_doc(rng) for _ in range(200)]


@pytest.mark.parametrize("keep_all", [True, False])
@pytest.mark.parametrize("text", all_docs())
def test_walk_equals_the_reference(text: str, keep_all: bool) -> None:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None
    expected = list(reference_walk(text, 7, root, keep_all))
    assert list(yamlcontext._walk(text, 7, root, keep_all)) == expected


def test_reference_docs_produce_slots() -> None:
    # Guards the test above against comparing two empty outputs.
    for keep_all in (True, False):
        produced = [
            list(yamlcontext._walk(t, 0, yaml.compose(t, Loader=yaml.SafeLoader), keep_all)) for t in DOCS
        ]
        assert sum(map(bool, produced)) >= 7
    roles = {s.role for t in DOCS for s in yamlcontext._walk(t, 0, yaml.compose(t, Loader=yaml.SafeLoader), False)}
    assert {"assign", "expects-default", "dict"} <= roles


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_node_bound_is_unchanged(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    monkeypatch.setattr(yamlcontext, "_MAX_NODES", limit)
    for text in DOCS:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        assert list(yamlcontext._walk(text, 0, root)) == list(reference_walk(text, 0, root))
