"""One walk over a TypeScript tree: registry calls, and where secret values go.

The walk is pre-order in source order with a scope stack (functions and
blocks), so a name is looked up in the scopes open at its use and a
``const`` is known from its declaration on. It collects:

- ``registerRequiredSecret({...})`` and the store reads (``readAppSecret``,
  ``readAppSecretMeta``, ``getAppSecretMeta``, ``resolveSecret``);
- an *origin* for every expression holding a secret value: the result of
  ``readAppSecret`` (its ``.value``), of ``resolveSecret``, or a validator's
  first parameter, followed through ``const``/``let``, destructuring,
  assignment, ``await``, ``??``/``||``, ternaries, ``+``, template literals,
  string methods and ``String()``/``JSON.stringify()``/``encodeURIComponent()``;
- ``process.env.X`` as the fallback of such a value (``??``, ``||``,
  ternary) and ``process.env.X`` as a parameter default (RL708);
- such values reaching ``console.*``/a logger, an ``Error`` message, a
  response (``send``, ``res.json``, ``new Response``) or the return value
  of an event handler or action (RL709);
- ``${keys.NAME}`` references in string literals, with their URL (resolve).

No flow is followed across functions or files: a value passed to a helper
is not tracked into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import agent_native as an
from ..appmodel import AppSecretRead, AppSecretRegistration, EnvFallback, KeyReference
from ..model import UNKNOWN, Location, Value
from . import tscalls
from .tsnodes import (
    FUNCTIONS,
    MAX_DEPTH,
    STRING_METHODS,
    WRAPPING_CALLS,
    WRAPPING_METHODS,
    Binding,
    Imports,
    Node,
    Origin,
    destructured,
    last_name,
    node_key,
    pattern_names,
    property_name,
    string_value,
    text_of,
    unwrap,
)

if TYPE_CHECKING:
    from .typescript import TsFile


class Walker:
    def __init__(self, parsed: TsFile, imports: Imports, app: str) -> None:
        self.parsed = parsed
        self.imports = imports
        self.app = app
        self.registrations: list[AppSecretRegistration] = []
        self.reads: dict[tuple[int, int, str], AppSecretRead] = {}
        self.fallbacks: list[EnvFallback] = []
        self.key_refs: list[KeyReference] = []
        self.leaks: list[tuple[Location, str, str, Value | None]] = []
        self.validators: set[tuple[int, int, str]] = set()
        self.handlers: set[tuple[int, int, str]] = set()
        self.scopes: list[dict[str, Binding]] = [{}]
        self.funcs: list[tuple[int, int, str] | None] = [None]

    # The walk -------------------------------------------------------------------
    def run(self, root: Node) -> None:
        for stmt in root.named_children:  # module constants are known everywhere below
            target = stmt.named_children[0] if stmt.type == "export_statement" and stmt.named_children else stmt
            if target.type == "lexical_declaration" and target.child_by_field_name("kind") is not None:
                if target.child_by_field_name("kind").type == "const":
                    for decl in target.named_children:
                        if decl.type == "variable_declarator":
                            self._declare(decl, const=True)
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self.scopes.pop()
                self.funcs.pop()
                continue
            if self._enter(node):
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.named_children))

    def _enter(self, node: Node) -> bool:
        kind = node.type
        if kind in FUNCTIONS:
            self._open_function(node)
            return True
        if kind == "statement_block":
            self.scopes.append({})
            self.funcs.append(None)
            return True
        handler = _DISPATCH.get(kind)
        if handler is not None:
            handler(self, node)
        return False

    def lookup(self, name: str) -> Binding | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def _open_function(self, node: Node) -> None:
        key = node_key(node)
        scope: dict[str, Binding] = {}
        params = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        names = list(pattern_names(params)) if params is not None else []
        for name in names:
            scope[name] = Binding()
        if key in self.validators and names:
            scope[names[0]] = Binding(origin=Origin("value", "validator"))
        self.scopes.append(scope)
        self.funcs.append(key)
        body = node.child_by_field_name("body")
        if key in self.handlers and body is not None and body.type != "statement_block":
            tscalls.returned(self, body)

    # Declarations and assignments -------------------------------------------------
    def _declare(self, decl: Node, *, const: bool) -> None:
        name, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
        if name is None:
            return
        origin = self.origin(value) if value is not None else None
        if name.type == "identifier":
            static = self.static(value) if const and value is not None else UNKNOWN
            self.scopes[-1][text_of(name)] = Binding(static, origin)
            return
        for part_name, is_value in destructured(name):
            bound = Origin("value", origin.api, origin.read) if origin is not None and origin.kind == "result" and is_value else None
            self.scopes[-1][part_name] = Binding(origin=bound)

    def _variable_declarator(self, node: Node) -> None:
        if self.imports.declarator(node):
            return
        parent = node.parent
        kind = parent.child_by_field_name("kind") if parent is not None else None
        self._declare(node, const=kind is not None and kind.type == "const")

    def _assignment(self, node: Node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier":
            return
        name = text_of(left)
        origin = self.origin(right)
        for scope in reversed(self.scopes):
            if name in scope:
                scope[name] = Binding(origin=origin)
                return
        self.scopes[-1][name] = Binding(origin=origin)

    def _for_in(self, node: Node) -> None:
        left = node.child_by_field_name("left")
        for name in pattern_names(left) if left is not None else ():
            self.scopes[-1][name] = Binding()

    # Static values ---------------------------------------------------------------
    def static(self, node: Node | None, depth: int = 0) -> object:
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return UNKNOWN
        kind = node.type
        if kind in ("string", "template_string"):
            value = string_value(node)
            return UNKNOWN if value is None else value
        if kind in ("true", "false"):
            return kind == "true"
        if kind in ("null", "undefined"):
            return None
        if kind == "number":
            try:
                return int(text_of(node).replace("_", ""), 0)
            except ValueError:
                try:
                    return float(text_of(node).replace("_", ""))
                except ValueError:
                    return UNKNOWN
        if kind in ("identifier", "shorthand_property_identifier"):
            bound = self.lookup(text_of(node))
            return bound.static if bound is not None else UNKNOWN
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and op.type == "+":
                left = self.static(node.child_by_field_name("left"), depth + 1)
                right = self.static(node.child_by_field_name("right"), depth + 1)
                if isinstance(left, str) and isinstance(right, str):
                    return left + right
            return UNKNOWN
        if kind == "member_expression":
            obj = self.static(node.child_by_field_name("object"), depth + 1)
            prop = node.child_by_field_name("property")
            if isinstance(obj, dict) and prop is not None:
                return obj.get(text_of(prop), UNKNOWN)
            return UNKNOWN
        if kind == "object":
            out: dict[str, object] = {}
            for pair in node.named_children:
                if pair.type == "pair":
                    key = property_name(pair.child_by_field_name("key"))
                    if key is not None:
                        out[key] = self.static(pair.child_by_field_name("value"), depth + 1)
            return out
        return UNKNOWN

    def value(self, node: Node) -> Value:
        """A model value: static scalars only (an object or function is UNKNOWN)."""
        found = self.static(node)
        if isinstance(found, dict):
            found = UNKNOWN
        if node.type in FUNCTIONS:
            found = "<function>"
        loc = self.parsed.loc(node)
        return Value(found, loc, None if found is not UNKNOWN else text_of(node)[:80])

    # Origins -------------------------------------------------------------------
    def origin(self, node: Node | None, depth: int = 0) -> Origin | None:
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return None
        kind = node.type
        if kind in ("identifier", "shorthand_property_identifier"):
            bound = self.lookup(text_of(node))
            return bound.origin if bound is not None else None
        if kind == "call_expression":
            return self._call_origin(node, depth)
        if kind in ("member_expression", "subscript_expression"):
            obj = self.origin(node.child_by_field_name("object"), depth + 1)
            prop = node.child_by_field_name("property") or node.child_by_field_name("index")
            name = string_value(prop) if prop is not None and prop.type == "string" else (text_of(prop) if prop is not None else None)
            if obj is not None and obj.kind == "result" and name == "value":
                return Origin("value", obj.api, obj.read)
            return None
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            op_type = op.type if op is not None else ""
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            if op_type == "&&":
                sides = sides[1:]
            elif op_type not in ("+", "??", "||"):
                return None
            for side in sides:
                found = self.origin(side, depth + 1)
                if found is not None:
                    return found if op_type != "+" else Origin("value", found.api, found.read)
            return None
        if kind == "ternary_expression":
            for part in ("consequence", "alternative"):
                found = self.origin(node.child_by_field_name(part), depth + 1)
                if found is not None:
                    return found
            return None
        if kind == "template_string":
            for child in node.named_children:
                if child.type == "template_substitution" and child.named_children:
                    found = self.origin(child.named_children[0], depth + 1)
                    if found is not None:
                        return Origin("value", found.api, found.read)
            return None
        if kind in ("object", "array"):
            for child in node.named_children:
                inner = child.child_by_field_name("value") if child.type == "pair" else child
                if child.type == "spread_element" and child.named_children:
                    inner = child.named_children[0]
                found = self.origin(inner, depth + 1)
                if found is not None:
                    return found
        return None

    def _call_origin(self, node: Node, depth: int) -> Origin | None:
        func = node.child_by_field_name("function")
        if func is None:
            return None
        canonical = self.imports.canonical(func)
        if canonical in an.VALUE_READS:
            return Origin("result", canonical, tscalls.read(self, node))
        if canonical in an.RESOLVE_SECRET:
            return Origin("value", canonical, tscalls.read(self, node))
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        if func.type == "identifier" and text_of(func) in WRAPPING_CALLS:
            return self.origin(first, depth + 1)
        if func.type == "member_expression":
            obj = func.child_by_field_name("object")
            method = last_name(func)
            if obj is not None and obj.type == "identifier" and (text_of(obj), method) in WRAPPING_METHODS:
                return self.origin(first, depth + 1)
            if method in STRING_METHODS:
                found = self.origin(obj, depth + 1)
                if found is not None and found.kind == "value":
                    return found
        return None


_DISPATCH = {
    "variable_declarator": Walker._variable_declarator,
    "assignment_expression": Walker._assignment,
    "for_in_statement": Walker._for_in,
    **tscalls.DISPATCH,
}
