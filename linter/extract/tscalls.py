"""The walk's handlers: registry calls, env fallbacks, sinks and key references.

Each handler takes the :class:`~registry_lint.extract.tsflow.Walker` and one
node of the type it is registered for in :data:`DISPATCH`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import agent_native as an
from ..appmodel import AppSecretRead, AppSecretRegistration, EnvFallback, KeyReference
from ..model import Value
from .tsnodes import (
    FUNCTIONS,
    HANDLER_FACTORIES,
    HANDLER_KEYS,
    RESPONDERS,
    Node,
    Origin,
    last_name,
    node_key,
    property_name,
    string_value,
    text_of,
    unwrap,
)

if TYPE_CHECKING:
    from .tsflow import Walker

#: ``registerRequiredSecret`` field name -> AppSecretRegistration attribute.
_REG_FIELDS = {
    "key": "key", "label": "label", "description": "description", "docsUrl": "docs_url", "scope": "scope",
    "kind": "kind", "required": "required", "validator": "validator", "oauthProvider": "oauth_provider",
    "oauthConnectUrl": "oauth_connect_url",
}
_READ_FIELDS = {"key": "key", "scope": "scope", "scopeId": "scope_id"}


def _args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def object_fields(obj: Node | None) -> tuple[dict[str, tuple[Node, Node]], bool]:
    """``{name: (name node, value node)}`` of an object literal, and whether
    that is all of it (no spread, no computed key, a literal at all)."""
    obj = unwrap(obj)
    if obj is None or obj.type != "object":
        return {}, False
    out: dict[str, tuple[Node, Node]] = {}
    complete = True
    for part in obj.named_children:
        kind = part.type
        if kind == "pair":
            name = property_name(part.child_by_field_name("key"))
            value = part.child_by_field_name("value")
            if name is None or value is None:
                complete = False
            else:
                out[name] = (part.child_by_field_name("key"), value)
        elif kind == "shorthand_property_identifier":
            out[text_of(part)] = (part, part)
        elif kind == "method_definition":
            name = property_name(part.child_by_field_name("name"))
            if name is not None:
                out[name] = (part.child_by_field_name("name"), part)
        elif kind != "comment":
            complete = False  # spread_element, computed names
    return out, complete


def read(walker: Walker, call: Node) -> AppSecretRead:
    """The model of a store read or ``resolveSecret`` call (built once per node)."""
    key = node_key(call)
    found = walker.reads.get(key)
    if found is not None:
        return found
    func = call.child_by_field_name("function")
    api = walker.imports.canonical(func) or ""
    args = _args(call)
    values: dict[str, Value] = {}
    complete = bool(args)
    if api in an.RESOLVE_SECRET:
        if args:
            values["key"] = walker.value(args[0])
    elif args:
        fields, complete = object_fields(args[0])
        for name, attr in _READ_FIELDS.items():
            if name in fields:
                values[attr] = walker.value(fields[name][1])
    made = AppSecretRead(api, walker.parsed.loc(func), walker.app, complete=complete, **values)
    walker.reads[key] = made
    return made


def _register(walker: Walker, call: Node, func: Node) -> None:
    args = _args(call)
    fields, complete = object_fields(args[0] if args else None)
    values: dict[str, Value] = {}
    unknown: list[Value] = []
    for name, (name_node, value_node) in fields.items():
        attr = _REG_FIELDS.get(name)
        if attr is None:
            unknown.append(Value(name, walker.parsed.loc(name_node)))
            continue
        values[attr] = walker.value(value_node)
        if name == "validator":
            target = unwrap(value_node)
            if target is not None and target.type in FUNCTIONS:
                walker.validators.add(node_key(target))
    walker.registrations.append(
        AppSecretRegistration(walker.parsed.loc(func), walker.app, unknown_fields=tuple(unknown), complete=complete, **values)
    )


def call_expression(walker: Walker, node: Node) -> None:
    func = node.child_by_field_name("function")
    if func is None:
        return
    api = walker.imports.canonical(func)
    if api == an.REGISTER:
        _register(walker, node, func)
    elif api in an.STORE_READS or api in an.RESOLVE_SECRET:
        read(walker, node)
    callee = last_name(func)
    if callee in HANDLER_FACTORIES:
        for arg in _args(node):
            arg = unwrap(arg)
            if arg is not None and arg.type in FUNCTIONS:
                walker.handlers.add(node_key(arg))
            fields, _ = object_fields(arg)
            for name in HANDLER_KEYS & fields.keys():
                target = unwrap(fields[name][1])
                if target is not None and target.type in FUNCTIONS:
                    walker.handlers.add(node_key(target))
    sink = _call_sink(func, callee)
    if sink is not None:
        args = _args(node)
        if sink == "response" and callee == "send" and func.type == "identifier":
            args = args[1:]  # h3 `send(event, body)`
        for arg in args:
            _sink(walker, arg, sink)


def _call_sink(func: Node, callee: str | None) -> str | None:
    if func.type == "member_expression":
        obj = func.child_by_field_name("object")
        owner = last_name(obj)
        if callee in an.LOG_METHODS and owner is not None and (owner == "console" or "log" in owner.lower()):
            return f"{owner}.{callee}"
        if callee in ("json", "send", "end", "write") and owner is not None and (owner == "Response" or RESPONDERS.match(owner)):
            return "response"
        return None
    if func.type == "identifier":
        if callee == "createError" or (callee or "").endswith("Error"):
            return "error"
        if callee == "send":
            return "response"
    return None


def new_expression(walker: Walker, node: Node) -> None:
    ctor = last_name(node.child_by_field_name("constructor"))
    if ctor is None:
        return
    sink = "error" if ctor.endswith("Error") else "response" if ctor == "Response" else None
    if sink is not None:
        for arg in _args(node):
            _sink(walker, arg, sink)


def _sink(walker: Walker, expr: Node, sink: str) -> None:
    origin = walker.origin(expr)
    if origin is None:
        return
    if origin.api == "validator" and sink in ("error", "response", "return"):
        return  # routes.ts redacts the value from a validator's error before responding
    if sink == "error" and origin.kind != "value":
        return  # `${result}` of the read's object is "[object Object]"
    key = origin.read.key if origin.read is not None else None
    walker.leaks.append((walker.parsed.loc(expr), sink, origin.api, key))


def returned(walker: Walker, expr: Node) -> None:
    _sink(walker, expr, "return")


def return_statement(walker: Walker, node: Node) -> None:
    func = next((f for f in reversed(walker.funcs) if f is not None), None)
    if func is not None and func in walker.handlers and node.named_children:
        returned(walker, node.named_children[0])


# process.env fallbacks -----------------------------------------------------------------
def env_key(node: Node | None) -> tuple[str | None, Node] | None:
    """``process.env.X`` / ``process.env["X"]`` / ``import.meta.env.X``: (X or None, node)."""
    node = unwrap(node)
    if node is None or node.type not in ("member_expression", "subscript_expression"):
        return None
    obj = node.child_by_field_name("object")
    if obj is None or obj.type != "member_expression" or last_name(obj) != "env":
        return None
    base = obj.child_by_field_name("object")
    if base is None or text_of(base) not in ("process", "import.meta"):
        return None
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return (text_of(prop) if prop is not None else None), node
    index = node.child_by_field_name("index")
    return (string_value(index) if index is not None else None), node


def _fallback(walker: Walker, env: tuple[str | None, Node], via: str, origin: Origin | None) -> None:
    read_ = origin.read if origin is not None else None
    walker.fallbacks.append(EnvFallback(walker.parsed.loc(env[1]), env[0], via, read_))


def binary_expression(walker: Walker, node: Node) -> None:
    op = node.child_by_field_name("operator")
    if op is None or op.type not in ("??", "||"):
        return
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    for env_side, other in ((right, left), (left, right)):
        env = env_key(env_side)
        if env is not None:
            origin = walker.origin(other)
            if origin is not None and origin.api != "validator":
                _fallback(walker, env, op.type, origin)


def ternary_expression(walker: Walker, node: Node) -> None:
    parts = [node.child_by_field_name(p) for p in ("condition", "consequence", "alternative")]
    for i in (1, 2):
        env = env_key(parts[i])
        if env is None:
            continue
        origin = next((o for o in (walker.origin(p) for j, p in enumerate(parts) if j != i) if o is not None), None)
        if origin is not None and origin.api != "validator":
            _fallback(walker, env, "?:", origin)


def parameter_default(walker: Walker, node: Node) -> None:
    default = node.child_by_field_name("value") or node.child_by_field_name("right")
    env = env_key(default)
    if env is not None:
        _fallback(walker, env, "default", None)


# ${keys.NAME} ---------------------------------------------------------------------------
def string_literal(walker: Walker, node: Node) -> None:
    raw = text_of(node)
    if "${keys." not in raw:
        return
    value = string_value(node)
    url = _own_url(walker, node, value) or _object_url(walker, node)
    scope = _substitution_scope(walker, node)
    start = walker.parsed.char(node.start_byte)
    for match in an.KEY_REFERENCE_RE.finditer(raw):
        if node.type == "template_string" and raw[match.start() - 1 : match.start()] != "\\":
            continue  # `${keys.X}` in a template literal is JavaScript, not a reference
        loc = walker.parsed.source.span(start + match.start(), start + match.end())
        walker.key_refs.append(KeyReference(match.group(1), loc, url, scope))


def _own_url(walker: Walker, node: Node, value: str | None) -> Value | None:
    if value is None or "://" not in value:
        return None
    host = value.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
    if "${" in host or "${" in value.split("://", 1)[0]:
        return None  # the reference is (part of) the origin: nothing to check statically
    return Value(value, walker.parsed.loc(node))


def _object_url(walker: Walker, node: Node) -> Value | None:
    current = node.parent
    for _ in range(8):
        if current is None:
            return None
        if current.type == "object":
            fields, _ = object_fields(current)
            if "url" in fields:
                target = unwrap(fields["url"][1])
                if target is not None:
                    found = walker.value(target)
                    return found if isinstance(found.value, str) and "://" in found.value else None
        current = current.parent
    return None


def _substitution_scope(walker: Walker, node: Node) -> Value | None:
    current = node.parent
    for _ in range(6):
        if current is None:
            return None
        if current.type == "call_expression":
            func = current.child_by_field_name("function")
            if func is not None and walker.imports.canonical(func) in an.KEY_SUBSTITUTION:
                args = _args(current)
                return walker.value(args[1]) if len(args) > 1 else None
            return None
        current = current.parent
    return None


DISPATCH = {
    "call_expression": call_expression,
    "new_expression": new_expression,
    "return_statement": return_statement,
    "binary_expression": binary_expression,
    "ternary_expression": ternary_expression,
    "required_parameter": parameter_default,
    "optional_parameter": parameter_default,
    "object_assignment_pattern": parameter_default,
    "assignment_pattern": parameter_default,
    "string": string_literal,
    "template_string": string_literal,
}
