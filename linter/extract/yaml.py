"""YAML action templates -> ActionSpecs (``parse``: the YAML extractor).

Parses once with PyYAML's ``compose`` (C loader when available), which keeps
a line/column mark on every node and never constructs arbitrary objects; the
document and its node helpers are in ``yamlnodes.py``, the template's steps,
parameters and expressions in ``template.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from ..lazyyaml import lazy_yaml

yaml = lazy_yaml(globals())  # imported on first use

from ..model import ActionSpec, Location, SecretRef, SecretSpec, Severity, Value
from ..results import UNREADABLE, YAML_SYNTAX
from ..source import SourceFile
from . import Extraction, refused, template
from .secretdecl import secret_from_mapping
from .yamlnodes import YamlFile, find_duplicates, get, get_key, is_mapping, scalar

if TYPE_CHECKING:
    from ..budget import Refusal


def _loader() -> type:
    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

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


