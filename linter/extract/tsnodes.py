"""Small tree-sitter helpers shared by the TypeScript extractor modules.

String literal values, import tracking (which local names are the registry
API), bindings and origins of the flow walk, and node utilities. Nothing
here imports tree-sitter: it only reads the nodes it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import agent_native as an
from ..appmodel import AppSecretRead
from ..model import UNKNOWN

Node = Any  # tree_sitter.Node: the module is imported lazily

FUNCTIONS = frozenset({
    "function_declaration", "function_expression", "function", "arrow_function", "method_definition",
    "generator_function_declaration", "generator_function",
})
WRAPPERS = frozenset({
    "await_expression", "parenthesized_expression", "non_null_expression", "as_expression",
    "satisfies_expression", "type_assertion",
})
STRING_METHODS = frozenset({
    "trim", "trimStart", "trimEnd", "slice", "substring", "substr", "toString", "replace", "replaceAll",
    "toLowerCase", "toUpperCase", "padStart", "padEnd", "concat", "normalize", "split", "at",
})
WRAPPING_CALLS = frozenset({"String", "encodeURIComponent", "encodeURI", "btoa", "escape"})
WRAPPING_METHODS = frozenset({("JSON", "stringify"), ("Buffer", "from")})
HANDLER_FACTORIES = frozenset({"defineEventHandler", "eventHandler", "defineCachedEventHandler", "defineAction"})
HANDLER_KEYS = frozenset({"run", "handler"})
RESPONDERS = re.compile(r"(?i)^(?:res|resp|response|reply|rep)$")
MAX_DEPTH = 60


@dataclass(frozen=True)
class Origin:
    """Where a secret value came from. ``kind``: "result" for the object a
    store read returns (the value is its ``.value``), "value" for the value."""

    kind: str
    api: str
    read: AppSecretRead | None = None


def node_key(node: Node) -> tuple[int, int, str]:
    return node.start_byte, node.end_byte, node.type


def unwrap(node: Node | None) -> Node | None:
    depth = 0
    while node is not None and node.type in WRAPPERS and depth < MAX_DEPTH:
        named = node.named_children
        node = named[0] if named else None
        depth += 1
    return node


def text_of(node: Node) -> str:
    return node.text.decode("utf-8", "surrogatepass")


def last_name(node: Node | None) -> str | None:
    """The last name of an identifier or member chain (``this.logger`` -> logger)."""
    if node is None:
        return None
    if node.type in ("identifier", "property_identifier", "this"):
        return text_of(node)
    if node.type == "member_expression":
        return last_name(node.child_by_field_name("property"))
    return None


def property_name(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier", "shorthand_property_identifier"):
        return text_of(node)
    if node.type == "string":
        return string_value(node)
    return None


def pattern_names(node: Node | None):
    """Every name a parameter list or binding pattern binds."""
    if node is None:
        return
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            yield text_of(current)
        elif kind in ("object_assignment_pattern", "assignment_pattern"):
            left = current.child_by_field_name("left")
            if left is not None:
                stack.append(left)
        elif kind == "pair_pattern":
            value = current.child_by_field_name("value")
            if value is not None:
                stack.append(value)
        elif kind in ("required_parameter", "optional_parameter"):
            pattern = current.child_by_field_name("pattern")
            if pattern is not None:
                stack.append(pattern)
        elif kind in ("formal_parameters", "object_pattern", "array_pattern", "rest_pattern"):
            stack.extend(reversed(current.named_children))


def destructured(pattern: Node):
    """(name, is it the ``value`` property) for each name of a destructuring pattern."""
    for part in pattern.named_children if pattern.type == "object_pattern" else ():
        if part.type == "shorthand_property_identifier_pattern":
            yield text_of(part), text_of(part) == "value"
        elif part.type == "pair_pattern":
            key, val = property_name(part.child_by_field_name("key")), part.child_by_field_name("value")
            if val is not None and val.type == "identifier":
                yield text_of(val), key == "value"
            elif val is not None:
                for name in pattern_names(val):
                    yield name, False
        elif part.type == "object_assignment_pattern":
            left = part.child_by_field_name("left")
            if left is not None:
                yield text_of(left), text_of(left) == "value"
        else:
            for name in pattern_names(part):
                yield name, False
    if pattern.type != "object_pattern":
        for name in pattern_names(pattern):
            yield name, False


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(raw: str) -> str | None:
    body = raw[1:]
    if body.startswith(("\n", "\r")):
        return ""  # line continuation
    if body in _ESCAPES:
        return _ESCAPES[body]
    try:
        if body.startswith("x") and len(body) == 3:
            return chr(int(body[1:], 16))
        if body.startswith("u{") and body.endswith("}"):
            return chr(int(body[2:-1], 16))
        if body.startswith("u") and len(body) == 5:
            return chr(int(body[1:], 16))
    except (ValueError, OverflowError):
        return None
    return body if len(body) == 1 else None


@dataclass
class Binding:
    """What a name holds: a static value (or UNKNOWN) and, for flow checks,
    where a secret value in it came from (see ``tsflow``)."""

    static: object = UNKNOWN
    origin: object | None = None


# Imports ---------------------------------------------------------------------------
def _is_package(spec: str | None) -> bool:
    return spec is not None and (spec == an.PACKAGE or spec.startswith(an.PACKAGE + "/"))


def string_value(node: Node) -> str | None:
    """The value of a string or substitution-free template literal, else None."""
    if node.type not in ("string", "template_string"):
        return None
    out: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "string_fragment":
            out.append(child.text.decode("utf-8", "surrogatepass"))
        elif kind == "escape_sequence":
            value = _unescape(child.text.decode("utf-8", "surrogatepass"))
            if value is None:
                return None
            out.append(value)
        elif kind == "template_substitution":
            return None
    return "".join(out)


@dataclass
class Imports:
    """Local names bound to the registry API: ``local -> canonical`` for
    functions, and the names of namespace objects (``import * as ns``)."""

    functions: dict[str, str] = field(default_factory=dict)
    namespaces: set[str] = field(default_factory=set)

    @property
    def any(self) -> bool:
        return bool(self.functions or self.namespaces)

    @classmethod
    def scan(cls, root: Node) -> Imports:
        out = cls()
        for stmt in root.named_children:
            if stmt.type == "import_statement":
                out._import_statement(stmt)
            elif stmt.type in ("lexical_declaration", "variable_declaration"):
                for decl in stmt.named_children:
                    if decl.type == "variable_declarator":
                        out.declarator(decl)
        return out

    def _import_statement(self, stmt: Node) -> None:
        source = stmt.child_by_field_name("source")
        if not _is_package(string_value(source) if source is not None else None):
            return
        if any(c.type == "type" for c in stmt.children):
            return  # `import type {...}`: erased at compile time
        for clause in (c for c in stmt.named_children if c.type == "import_clause"):
            for part in clause.named_children:
                if part.type == "identifier":  # default import, used like a namespace
                    self.namespaces.add(part.text.decode())
                elif part.type == "namespace_import":
                    names = [c for c in part.named_children if c.type == "identifier"]
                    if names:
                        self.namespaces.add(names[-1].text.decode())
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier" or any(c.type == "type" for c in spec.children):
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        if name is not None:
                            self.add(name.text.decode(), (alias or name).text.decode())

    def add(self, canonical: str, local: str) -> None:
        if canonical in an.API_NAMES:
            self.functions[local] = canonical

    def declarator(self, decl: Node) -> bool:
        """``const { readAppSecret } = require(...)`` / ``await import(...)``;
        True when the declarator bound registry names."""
        value = decl.child_by_field_name("value")
        while value is not None and value.type in ("await_expression", "parenthesized_expression"):
            value = value.named_children[0] if value.named_children else None
        if value is None or value.type != "call_expression":
            return False
        func = value.child_by_field_name("function")
        args = value.child_by_field_name("arguments")
        if func is None or args is None or func.type not in ("import", "identifier"):
            return False
        if func.type == "identifier" and func.text != b"require":
            return False
        first = args.named_children[0] if args.named_children else None
        if first is None or not _is_package(string_value(first)):
            return False
        name = decl.child_by_field_name("name")
        if name is None:
            return False
        if name.type == "identifier":
            self.namespaces.add(name.text.decode())
        elif name.type == "object_pattern":
            for part in name.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    self.add(part.text.decode(), part.text.decode())
                elif part.type == "pair_pattern":
                    key, val = part.child_by_field_name("key"), part.child_by_field_name("value")
                    if key is not None and val is not None and val.type == "identifier":
                        self.add(key.text.decode(), val.text.decode())
        return True

    def canonical(self, func: Node) -> str | None:
        """The API function a callee names, if any."""
        if func.type == "identifier":
            return self.functions.get(func.text.decode())
        if func.type == "member_expression":
            obj, prop = func.child_by_field_name("object"), func.child_by_field_name("property")
            if obj is not None and prop is not None and obj.type == "identifier" and obj.text.decode() in self.namespaces:
                name = prop.text.decode()
                return name if name in an.API_NAMES else None
        return None
