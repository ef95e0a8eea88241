"""Structure of a YAML action template for the RL6xx rules: steps, expects, expressions.

Computed once per file (cached on the :class:`YamlFile`) so the template
rules share one walk. Only what Tracecat evaluates is scanned for
expressions: every string (keys included) under a step's ``args`` and under
``returns`` (``tracecat/executor/service.py`` evaluates exactly those;
``validate_action_template`` validates them at sync). ``${{ }}`` in a
``script:`` body is evaluated like any other argument string, so it counts.
Every expression is parsed once (``yamlexpr``); the ``inputs``/``steps``
references are read from the parse, so text in quotes is a string literal and
``var.steps`` is another context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from ..exprtree import Context
from ..model import Location, Param, StepArg, StepCall, Value
from .templatekeys import stand_in
from .yamlnodes import YamlFile, plain, scalar
from .yamlexpr import Found, expressions, locate

# A runtime JSONPath's first step naming one field: .name, .'name', ."name", ['name'], ["name"].
_FIELD = re.compile(r"""\.(?:([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"]*)")|\[\s*(?:'([^']*)'|"([^"]*)")\s*\]""")
_CACHE_ATTR = "_rl6_template"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """``inputs.<name>`` or ``steps.<name>`` inside a ``${{ }}``."""

    context: str  # "inputs" or "steps"
    #: The name Tracecat's template validator checks: the path's first
    #: ``.``-separated segment (``x`` for ``.x.y``, ``['x']`` for ``['x']``,
    #: ``x[0]`` for ``.x[0]``, ``*`` for ``.*``).
    name: str
    #: The field the path reads at run time: ``x`` for ``.x``, ``['x']``,
    #: ``.'x'``; None when it reads the whole context (``[var.k]``, ``.*``, ``..x``).
    used: str | None
    location: Location
    #: Index of the step whose ``args`` hold the reference; None in ``returns``.
    step: int | None

    @property
    def dotted(self) -> bool:
        """Written ``.name``: what the validator reads as the name it is."""
        return self.name == self.used


class TemplateExpr(NamedTuple):
    """One ``${{ }}`` in a string Tracecat evaluates: a step's ``args`` or ``returns``."""

    node: yaml.ScalarNode
    found: Found
    #: Index of the step whose ``args`` hold it; None in ``returns``.
    step: int | None


@dataclass(frozen=True, slots=True)
class Step:
    index: int
    node: yaml.Node
    ref: str | None
    ref_node: yaml.Node | None
    #: The string a key standing in for a missing ``ref`` gives (``name: get_user``).
    ref_stand_in: str | None = None

    @property
    def known_ref(self) -> str | None:
        """The ref references can mean: ``ref``, else what a key standing in for it says."""
        return self.ref if self.ref is not None else self.ref_stand_in


@dataclass(frozen=True, slots=True)
class StandIn:
    """A key that is not a template field, written where a required field is missing.

    One mistake (``name:`` for a step's ``ref``, ``inputs:`` for
    ``expects``, ``typ:`` for an input's ``type``): the rule reporting the
    missing field names this key, and no other rule reports its consequences.
    """

    #: "definition", "step" or "expects".
    level: str
    #: The step's index, the input's name; None for the definition.
    owner: int | str | None
    #: The missing field it stands for.
    field: str
    key: yaml.ScalarNode
    value: yaml.Node


@dataclass
class Template:
    #: ``expects`` items (key node, value node) when ``expects`` is a mapping.
    expects: list[tuple[yaml.ScalarNode, yaml.Node]] | None = None
    #: None when ``steps`` is absent or not a list.
    steps: list[Step] | None = None
    refs: list[TemplateRef] = field(default_factory=list)
    expressions: list[TemplateExpr] = field(default_factory=list)
    #: Misspelt keys standing in for missing required fields: causes whose
    #: consequences the rules do not report again (``templatekeys``).
    stand_ins: list[StandIn] = field(default_factory=list)

    @property
    def input_names(self) -> set[str]:
        return {str(k.value) for k, _ in self.expects or ()}

    @property
    def step_refs(self) -> list[str]:
        """Every ref a reference can mean (stand-in keys' values included)."""
        return [r for r in (s.known_ref for s in self.steps or ()) if r is not None]

    def first_step(self, ref: str) -> Step | None:
        return next((s for s in self.steps or () if s.known_ref == ref), None)

    def stand_in(self, level: str, owner: int | str | None, missing: str) -> StandIn | None:
        return next((s for s in self.stand_ins if (s.level, s.owner, s.field) == (level, owner, missing)), None)

    def is_stand_in(self, key: yaml.Node) -> bool:
        return any(s.key is key for s in self.stand_ins)


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
    out.stand_ins.extend(_stand_ins("definition", None, definition))
    expects = member(definition, "expects")
    if isinstance(expects, yaml.MappingNode):
        out.expects = items(expects)
        for key, value in out.expects:
            out.stand_ins.extend(_stand_ins("expects", str(key.value), value))
    steps = member(definition, "steps")
    if isinstance(steps, yaml.SequenceNode):
        out.steps = []
        for index, node in enumerate(steps.value):
            ref_node = member(node, "ref")
            ref = scalar(ref_node) if isinstance(ref_node, yaml.ScalarNode) else None
            found = _stand_ins("step", index, node)
            out.stand_ins.extend(found)
            written = next((scalar(s.value) for s in found if s.field == "ref" and isinstance(s.value, yaml.ScalarNode)), None)
            out.steps.append(Step(
                index, node, ref if isinstance(ref, str) else None, ref_node,
                written if isinstance(written, str) and written else None,
            ))
            _scan(parsed, _meant(node, "args", found), index, out)
    _scan(parsed, _meant(definition, "returns", out.stand_ins), None, out)
    return out


def _meant(node: yaml.Node | None, field: str, stand_ins: list[StandIn]) -> yaml.Node | None:
    """The value of ``field``, else of the key standing in for it (``with:`` for ``args:``):
    its expressions are what the author meant to be evaluated, and are judged as such."""
    value = member(node, field)
    if value is None:
        value = next((s.value for s in stand_ins if s.field == field and s.level != "expects"), None)
    return value


def _stand_ins(level: str, owner: int | str | None, node: yaml.Node | None) -> list[StandIn]:
    pairs = items(node)
    meant = stand_in(level, [str(k.value) for k, _ in pairs]) if pairs else {}
    return [StandIn(level, owner, meant[str(k.value)], k, v) for k, v in pairs if str(k.value) in meant]


def _scan(parsed: YamlFile, node: yaml.Node | None, step: int | None, out: Template) -> None:
    if node is None or "${{" not in parsed.source.text:
        return
    scalar_type = yaml.ScalarNode
    for found in parsed.subtree(node):
        if not isinstance(found, scalar_type) or "${{" not in found.value:
            continue
        for expr in expressions(parsed, found):
            out.expressions.append(TemplateExpr(found, expr, step))
            text = expr.parsed.text
            if "inputs" not in text and "steps" not in text:
                continue
            for context in expr.parsed.nodes:
                if type(context) is Context and context.name in ("inputs", "steps"):
                    out.refs.append(_reference(parsed, found, expr, context, step))


def _reference(parsed: YamlFile, node: yaml.ScalarNode, expr: Found, context: Context, step: int | None) -> TemplateRef:
    path = context.path or ""
    dots = len(path) - len(path.lstrip("."))
    name = context.segments()[0]
    field_match = None if path.startswith("..") else _FIELD.match(path)  # `..x` searches every input
    used = next((g for g in field_match.groups() if g is not None), None) if field_match else None
    end = context.path_start + dots + len(name)
    location = locate(parsed, node, expr.body_start + context.start, expr.body_start + end)
    return TemplateRef(context.name, name, used, location, step)


# The model's view of a template: parameters and step calls -----------------------
def params(parsed: YamlFile) -> tuple[Param, ...] | None:
    """``expects`` as the parameters of the template's argument model
    (``create_expectation_model``): required unless the field has a ``default``
    key (``optional: true`` alone does not make it optional). None when
    ``expects`` is not a mapping (the template does not load)."""
    expects = member(parsed.definition, "expects")
    if not isinstance(expects, yaml.MappingNode):
        return None
    out = []
    for key, field_node in items(expects):
        fields = _fields(field_node)
        type_node = fields.get("type")
        type_value = scalar(type_node) if isinstance(type_node, yaml.ScalarNode) else None
        type_text = type_value if isinstance(type_value, str) else None
        if "default" in fields:
            out.append(Param(str(key.value), type_text, False, plain(fields["default"])))
        else:
            out.append(Param(str(key.value), type_text, True))
    return tuple(out)


def _fields(node: yaml.Node | None) -> dict[str, yaml.Node]:
    """A mapping's values by key, one pass (``items``: merge keys, last wins)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    scalar_node = yaml.ScalarNode
    pairs = node.value
    if any(type(k) is scalar_node and k.tag == _MERGE_TAG for k, _ in pairs):
        pairs = items(node)
    return {k.value: v for k, v in pairs if type(k) is scalar_node}


def step_calls(parsed: YamlFile) -> tuple[StepCall, ...]:
    """Every step whose ``action`` is a scalar, with its ``args`` as located plain data."""
    steps = member(parsed.definition, "steps")
    if not isinstance(steps, yaml.SequenceNode):
        return ()
    out = []
    scalar_node = yaml.ScalarNode
    for node in steps.value:
        if not isinstance(node, yaml.MappingNode):
            continue
        pairs = node.value
        if any(type(k) is scalar_node and k.tag == _MERGE_TAG for k, _ in pairs):
            pairs = items(node)
        keys = {k.value: (k, v) for k, v in pairs if type(k) is scalar_node}
        action = keys.get("action", (None, None))[1]
        if not isinstance(action, scalar_node):
            continue
        ref_node = keys.get("ref", (None, None))[1]
        ref = scalar(ref_node) if isinstance(ref_node, scalar_node) else None
        args_key, args_node = keys.get("args", (None, None))
        args = None
        if isinstance(args_node, yaml.MappingNode):
            args = tuple(StepArg(str(k.value), parsed.loc(k), plain(v), parsed.loc(v)) for k, v in items(args_node))
        out.append(
            StepCall(
                ref=ref if isinstance(ref, str) else None,
                action=Value(scalar(action), parsed.loc(action)),
                args=args,
                args_location=parsed.loc(args_key) if args_key is not None else None,
            )
        )
    return tuple(out)
