"""YAML context: mapping keys, ``expects.<x>.default`` (and a default its description
states), ``{name: K, value: v}`` pairs.

Uses the tree the engine already composed when there is one; otherwise
composes with the C loader (never constructs objects). Block scalars
(shell scripts, embedded files) and comment lines go through the generic
matcher. YAML that does not compose falls back to the generic matcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from .slot import GATE_WORDS, Slot
from .names import credential_kind

_STR = "tag:yaml.org,2002:str"
_MAX_NODES = 200_000

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader


def compose(text: str) -> yaml.Node | None:
    """Raises on anything PyYAML rejects (caller falls back)."""
    from ..budget import check_yaml

    if check_yaml(text) is not None:  # libyaml's composer would overflow the C stack
        raise ValueError("YAML nested too deeply")
    return yaml.compose(text, Loader=_Loader)


def slots(text: str, base: int, root: yaml.Node | None, composed: bool, keep_all: bool = True) -> Iterator[Slot]:
    """``keep_all`` False (no known format matched in the file): leave out scalars that
    cannot become a finding (see ``cstcontext``: name, ``Bearer``/``Basic`` value, words)."""
    from . import textcontext

    if root is None and not composed:
        try:
            root = compose(text)
        except (yaml.YAMLError, RecursionError, ValueError):
            yield from textcontext.slots(text, base)
            return
    if root is not None:
        yield from _walk(text, base, root, keep_all)
    if "#" in text:
        pos = 0
        for line in text.splitlines(keepends=True):
            stripped = line.lstrip()
            if stripped.startswith("#"):
                yield from textcontext.slots(stripped.rstrip("\r\n"), base + pos + len(line) - len(stripped))
            pos += len(line)


def _matters(name: str | None, value: str) -> bool:
    """Whether a slot could become a finding when no known format matched (scanner's first test)."""
    return credential_kind(name) is not None or value.startswith(("Bearer ", "Basic "))


def _text_matters(raw: str) -> bool:
    low = raw.lower()
    return any(word in low for word in GATE_WORDS)


def _may_yield(name: str | None, node: yaml.ScalarNode, keep_all: bool) -> bool:
    """False only when ``_scalar_slot`` would yield nothing: most scalars, so the walk
    tests this before creating a generator for one."""
    if node.tag != _STR:
        return False
    if keep_all:
        return True
    value = node.value
    return node.style in ("|", ">") or "\n" in value or "=" in value or ": " in value or _matters(name, value)


def _scalar_slot(
    text: str, base: int, name: str | None, node: yaml.ScalarNode, role: str, keep_all: bool = True
) -> Iterator[Slot]:
    # textcontext is imported in the branches that use it: a function-level import
    # costs a lookup on every call, and most scalars need none.
    if node.tag != _STR:
        return
    value = node.value
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">") or "\n" in value:
        stripped = value.strip()
        if stripped and not any(c.isspace() for c in stripped):
            # `token: >\n  9f3b...`: a block scalar holding one value.
            at = text.find(stripped, start, end)
            if at != -1:
                if keep_all or _matters(name, stripped):
                    yield Slot(name, stripped, base + at, base + at + len(stripped), role)
                return
        # A script or embedded file: read it line by line.
        if keep_all or _text_matters(text[start:end]):
            from . import textcontext

            yield from textcontext.slots(text[start:end], base + start)
        return
    if keep_all or _matters(name, value):
        yield Slot(name, value, base + start, base + end, role)
    if ("=" in value or ": " in value) and (keep_all or _text_matters(text[start:end])):
        # "X-Auth-Token: ...", "accesskey=...; secretkey=...": assignments inside a value.
        from . import textcontext

        yield from textcontext.slots(text[start:end], base + start)


# "Defaults to Summer2024! when unset.", "Default: `...`", "(default is '...')": the value an
# `expects` description says the input takes when it is not given.
_STATED_DEFAULT = re.compile(
    r"(?i)\bdefaults?(?:[ \t]+value)?(?:[ \t]+(?:is|to))?[ \t]*[:=]?[ \t]*"
    r"(?:`(?P<bt>[^`\s]{1,200})`|\"(?P<dq>[^\"\s]{1,200})\"|'(?P<sq>[^'\s]{1,200})'|(?P<bare>[^\s`\"',;()]{1,200}))"
)


def _described_default(text: str, base: int, name: str | None, node: yaml.ScalarNode) -> Iterator[Slot]:
    """Defaults stated in the description of a credential-like ``expects`` input."""
    if credential_kind(name) is None:
        return
    for m in _STATED_DEFAULT.finditer(node.value):
        value = m.group("bt") or m.group("dq") or m.group("sq") or m.group("bare").rstrip(".:")
        if not value:
            continue
        # The scalar's text in the file holds the token verbatim (a token has no whitespace to fold).
        at = text.find(value, node.start_mark.index, node.end_mark.index)
        if at != -1:
            yield Slot(name, value, base + at, base + at + len(value), "expects-description")


def _walk(text: str, base: int, root: yaml.Node, keep_all: bool = True) -> Iterator[Slot]:
    # Stack entries carry only the last two path entries (key or "[]"): nothing reads further up.
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str | None, str | None]] = [(root, None, None)]
    mapping, sequence, scalar_type = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
    while stack and len(seen) < _MAX_NODES:
        node, last, before = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, sequence):
            stack.extend([(item, "[]", last) for item in reversed(node.value)])
        elif isinstance(node, scalar_type) and last == "[]":
            if _may_yield(None, node, keep_all):
                yield from _scalar_slot(text, base, None, node, "assign", keep_all)
        elif isinstance(node, mapping):
            name_node = key_node = value_node = None  # the last of each, as a dict would keep
            for k, v in node.value:
                if isinstance(k, scalar_type):
                    word = k.value
                    if word == "name":
                        name_node = v
                    elif word == "key":
                        key_node = v
                    elif word == "value":
                        value_node = v
            named = name_node if name_node is not None else key_node
            if isinstance(named, scalar_type) and isinstance(value_node, scalar_type):
                # Kubernetes-style env lists: `- name: API_TOKEN\n  value: ...`
                if _may_yield(named.value, value_node, keep_all):
                    yield from _scalar_slot(text, base, named.value, value_node, "assign", keep_all)
            for k, v in reversed(node.value):
                if not isinstance(k, scalar_type):
                    continue
                key = str(k.value)
                if isinstance(v, scalar_type):
                    if key == "default" and before == "expects":
                        if _may_yield(last, v, keep_all):
                            yield from _scalar_slot(text, base, last, v, "expects-default", keep_all)
                        continue
                    if key == "description" and before == "expects" and v.tag == _STR and "efault" in v.value:
                        yield from _described_default(text, base, last, v)
                    if (key != "value" or named is None) and _may_yield(key, v, keep_all):
                        yield from _scalar_slot(text, base, key, v, "dict", keep_all)
                else:
                    stack.append((v, key, last))
