"""String values of LibCST nodes, as the stdlib ``ast`` gives them (``cstcontext``'s reading
of literals): plain, concatenated and f-strings without fields, byte strings, wrapped
secrets (``SecretStr("...")``), ``"a" + "b"``, and the names values are bound to.
"""

from __future__ import annotations

import ast
import warnings

import libcst as cst

from .pycontext import _SECRET_WRAPPERS


def dotted(node: cst.CSTNode) -> str:
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        inner = dotted(node.value)
        attr = node.attr.value
        return f"{inner}.{attr}" if inner else attr
    if type(node) is cst.Call:
        return dotted(node.func)
    return ""


def positional(call: cst.Call) -> list[cst.Arg]:
    """``ast.Call.args``: positional arguments, ``*x`` included (as a non-string)."""
    return [a for a in call.args if a.keyword is None and a.star != "**"]


def simple_value(node: cst.SimpleString) -> str | bytes | None:
    raw = node.value
    quote_at = min(i for i in (raw.find("'"), raw.find('"')) if i != -1)
    prefix = raw[:quote_at].lower()
    if "\\" not in raw or "r" in prefix:
        q = 3 if raw[quote_at : quote_at + 3] in ('"""', "'''") else 1
        body = raw[quote_at + q : len(raw) - q]
        if "b" in prefix:
            try:
                return body.encode("ascii")
            except UnicodeEncodeError:
                return None
        return body
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = ast.literal_eval(raw)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, (str, bytes)) else None


def _fstring_text(node: cst.FormattedString) -> str | None:
    """The value of an f-string without replacement fields (else None)."""
    prefix = node.prefix.lower().replace("f", "")
    out: list[str] = []
    for part in node.parts:
        if type(part) is not cst.FormattedStringText:
            return None
        value = _part_value(part.value, prefix)
        if value is None:
            return None
        out.append(value)
    return "".join(out)


def flatten(node: cst.CSTNode) -> list[cst.CSTNode]:
    out: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.ConcatenatedString:
            stack.append(current.right)
            stack.append(current.left)
        else:
            out.append(current)
    return out


def literal(node: cst.CSTNode | None) -> str | bytes | None:
    """The value ``ast`` would give as a ``Constant`` (str or bytes), else None."""
    kind = type(node)
    if kind is cst.SimpleString:
        return simple_value(node)
    if kind is cst.ConcatenatedString:
        parts = flatten(node)
        if any(type(p) is cst.FormattedString for p in parts):
            return None  # a JoinedStr, not a Constant
        values = [simple_value(p) for p in parts]
        if any(v is None for v in values) or len({type(v) for v in values}) != 1:
            return None
        return values[0][:0].join(values)
    return None


def string(node: cst.CSTNode | None) -> tuple[str, cst.CSTNode] | None:
    """``pycontext._string``: (value, node whose span is the literal's)."""
    kind = type(node)
    if kind is cst.Call and dotted(node.func).endswith(_SECRET_WRAPPERS):
        args = positional(node)
        if args:
            first = args[0]
            if first.star:
                return None
            node, kind = first.value, type(first.value)
    if kind is cst.SimpleString or kind is cst.ConcatenatedString:
        if kind is cst.ConcatenatedString and any(type(p) is cst.FormattedString for p in flatten(node)):
            return _joined(node)
        value = literal(node)
        if value is None:
            return None
        return (value if isinstance(value, str) else value.decode("latin-1")), node
    if kind is cst.FormattedString:
        return _joined(node)
    if kind is cst.BinaryOperation and type(node.operator) is cst.Add:
        left, right = string(node.left), string(node.right)
        if left is not None and right is not None:
            return left[0] + right[0], node
    return None


def _joined(node: cst.CSTNode) -> tuple[str, cst.CSTNode] | None:
    """An f-string (or a concatenation with one) is a string only without fields and not empty."""
    pieces: list[str] = []
    for part in flatten(node):
        if type(part) is cst.FormattedString:
            text = _fstring_text(part)
        else:
            value = simple_value(part)
            text = value if isinstance(value, str) else None
        if text is None:
            return None
        pieces.append(text)
    joined = "".join(pieces)
    return (joined, node) if joined else None


def target_name(node: cst.CSTNode) -> str | None:
    kind = type(node)
    if kind is cst.Name:
        return node.value
    if kind is cst.Attribute:
        return node.attr.value
    if kind is cst.Subscript:
        elements = node.slice
        if len(elements) == 1 and type(elements[0].slice) is cst.Index and elements[0].comma is cst.MaybeSentinel.DEFAULT:
            index = elements[0].slice
            if index.star is None:
                value = literal(index.value)
                if isinstance(value, str):
                    return value
    return None


def _part_value(raw: str, prefix: str) -> str | None:
    """A text part of an f-string as ``ast`` gives it (escapes applied, ``{{`` halved)."""
    if "\\" in raw and "r" not in prefix:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = ast.literal_eval(prefix + '"""' + raw.replace('"', '\\"') + '"""')
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return None
        if not isinstance(value, str):
            return None
        raw = value
    return raw.replace("{{", "{").replace("}}", "}")


def prose_in(value: str | None) -> bool:
    return value is not None and ("=" in value or ":" in value)


def fstring_parts(node: cst.FormattedString) -> tuple[bool, bool]:
    """(a text part or ``{x=}`` holds ``=``/``:``, a format spec does)."""
    prefix = node.prefix.lower().replace("f", "")
    text = spec = False
    for part in node.parts:
        if type(part) is cst.FormattedStringText:
            text = text or prose_in(_part_value(part.value, prefix))
        elif type(part) is cst.FormattedStringExpression:
            if part.equal is not None:
                text = True
            for sub in part.format_spec or ():
                if type(sub) is cst.FormattedStringText and prose_in(_part_value(sub.value, prefix)):
                    spec = True
    return text, spec


def as_str(value: str | bytes | None) -> str | None:
    return value if isinstance(value, str) else None
