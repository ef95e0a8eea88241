"""Structure of a YAML action template for the RL6xx rules: steps, expects, references.

Computed once per file (cached on the :class:`YamlFile`) so the template
rules share one walk. Only what Tracecat evaluates is scanned for
``inputs``/``steps`` references: every string (keys included) under a step's
``args`` and under ``returns`` (``tracecat/executor/service.py`` evaluates
exactly those). ``${{ }}`` in a ``script:`` body is evaluated like any other
argument string, so it counts; text inside quotes within an expression is a
string literal, not a reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from ..expressions import find_expressions, mask_strings
from ..model import Location
from .yaml import _CACHED_RAW, YamlFile, raw_span, scalar

# A context name not preceded by a word char or "." (so var.inputs, FN.steps,
# my_inputs are not references). Same masking of string literals as
# linter/expressions.py.
_CONTEXT_RE = re.compile(r"(?<![\w.$])(?P<ctx>inputs|steps)\b")
_STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# What follows the context: .name, .'name', ["name"] (JSONPath forms Tracecat allows).
_MEMBER_RE = re.compile(
    r"""\s*(?:\.\s*(?:(?P<dot>[A-Za-z_]\w*)|'(?P<sq>[^']*)'|"(?P<dq>[^"]*)")"""
    r"""|\[\s*(?:'(?P<bsq>[^']*)'|"(?P<bdq>[^"]*)")\s*\])"""
)
_CACHE_ATTR = "_rl6_template"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """``inputs.<name>`` or ``steps.<name>`` inside a ``${{ }}``."""

    context: str  # "inputs" or "steps"
    #: None when the whole context is used (``inputs[var.k]``, ``steps.*``).
    name: str | None
    location: Location
    #: Index of the step whose ``args`` hold the reference; None in ``returns``.
    step: int | None
    #: Plain ``.name`` form, the only one Tracecat's template validator understands
    #: (it reads ``inputs["x"]`` as an input named ``["x"]``).
    dotted: bool = True


@dataclass(frozen=True, slots=True)
class Step:
    index: int
    node: yaml.Node
    ref: str | None
    ref_node: yaml.Node | None


@dataclass
class Template:
    #: ``expects`` items (key node, value node) when ``expects`` is a mapping.
    expects: list[tuple[yaml.ScalarNode, yaml.Node]] | None = None
    #: None when ``steps`` is absent or not a list.
    steps: list[Step] | None = None
    refs: list[TemplateRef] = field(default_factory=list)

    @property
    def input_names(self) -> set[str]:
        return {str(k.value) for k, _ in self.expects or ()}

    def first_step(self, ref: str) -> Step | None:
        return next((s for s in self.steps or () if s.ref == ref), None)


def items(node: yaml.Node | None, _depth: int = 0) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """A mapping's scalar-keyed items as PyYAML's safe loader builds them.

    ``<<`` merge keys are resolved (their mappings' items, explicit keys
    winning) and a repeated key keeps its last value.
    """
    if not isinstance(node, yaml.MappingNode) or _depth > 20:
        return []
    merged: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
    own: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag == _MERGE_TAG:
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in reversed(sources):  # earlier mappings win
                merged.update((str(k.value), (k, v)) for k, v in items(source, _depth + 1))
        elif isinstance(key, yaml.ScalarNode):
            own[str(key.value)] = (key, value)
    return list({**merged, **own}.values())


def _lookup(node: yaml.Node | None, key: str) -> tuple[yaml.ScalarNode, yaml.Node] | None:
    """The ``items(node)`` entry for ``key``; without ``<<`` keys, without building ``items``."""
    if not isinstance(node, yaml.MappingNode):
        return None
    found = None
    scalar_node = yaml.ScalarNode
    for pair in node.value:
        k = pair[0]
        if isinstance(k, scalar_node):
            if k.tag == _MERGE_TAG:
                return next(((k, v) for k, v in items(node) if k.value == key), None)
            if k.value == key:
                found = pair  # a repeated key keeps its last value, as in ``items``
    return found


def member(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value of ``key`` in a mapping (merge keys resolved), else None."""
    pair = _lookup(node, key)
    return None if pair is None else pair[1]


def member_key(node: yaml.Node | None, key: str) -> yaml.ScalarNode | None:
    pair = _lookup(node, key)
    return None if pair is None else pair[0]


def template(parsed: YamlFile) -> Template:
    """The template facts of ``parsed`` (a template), computed once."""
    cached = parsed.__dict__.get(_CACHE_ATTR)
    if cached is None:
        cached = _analyse(parsed)
        parsed.__dict__[_CACHE_ATTR] = cached
    return cached


def _analyse(parsed: YamlFile) -> Template:
    out = Template()
    definition = parsed.definition
    expects = member(definition, "expects")
    if isinstance(expects, yaml.MappingNode):
        out.expects = items(expects)
    steps = member(definition, "steps")
    if isinstance(steps, yaml.SequenceNode):
        out.steps = []
        for index, node in enumerate(steps.value):
            ref_node = member(node, "ref")
            ref = scalar(ref_node) if isinstance(ref_node, yaml.ScalarNode) else None
            out.steps.append(Step(index, node, ref if isinstance(ref, str) else None, ref_node))
            out.refs.extend(_refs(parsed, member(node, "args"), index))
    out.refs.extend(_refs(parsed, member(definition, "returns"), None))
    return out


def _refs(parsed: YamlFile, node: yaml.Node | None, step: int | None) -> Iterator[TemplateRef]:
    source = parsed.source
    if node is None or "${{" not in source.text:
        return  # `references` needs it in a scalar's raw text
    scalar_type = yaml.ScalarNode
    for found in parsed.subtree(node):
        if not isinstance(found, scalar_type):
            continue
        value = found.value
        if not isinstance(value, str) or "${{" not in value:
            continue
        start, raw = raw_span(source, found)
        for offset, end, context, name, dotted in _references(raw):
            yield TemplateRef(context, name, source.span(start + offset, start + end), step, dotted)


_Found = tuple[int, int, str, str | None, bool]
_cached_references = lru_cache(maxsize=4096)(lambda raw: tuple(references(raw)))


def _references(raw: str) -> tuple[_Found, ...]:
    """``references`` (pure) once per distinct short string: templates repeat them.
    Long strings are not kept (a hostile file must not fill memory across files)."""
    return _cached_references(raw) if len(raw) <= _CACHED_RAW else tuple(references(raw))


def references(text: str) -> Iterator[tuple[int, int, str, str | None, bool]]:
    """(start, end, context, name, dotted) of every ``inputs``/``steps`` reference in ``text``."""
    for expr in find_expressions(text):
        body = expr.body
        masked = mask_strings(body)  # linear; the regex is quadratic on unclosed quotes
        for match in _CONTEXT_RE.finditer(masked):
            member = _MEMBER_RE.match(body, match.end())
            name, end, dotted = None, match.end(), False
            if member is not None:
                name = next(g for g in member.group("dot", "sq", "dq", "bsq", "bdq") if g is not None)
                end, dotted = member.end(), member.group("dot") is not None
            yield expr.body_start + match.start(), expr.body_start + end, match.group("ctx"), name, dotted
