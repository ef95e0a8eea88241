"""Validate Tracecat ``expects.<x>.type`` expressions without lark.

A small recursive-descent parser of the language Tracecat's lark grammar
(``tracecat/expressions/expectations.py``, ``type_grammar``) accepts, plus
the checks its ``TypeTransformer`` makes when it builds the type, and the
one failure after it: a ``$Name`` reference parses, but the transformer
turns it into the string ``"$Name"`` and building the input model fails on
it (``typing.ForwardRef`` rejects ``$``; pydantic raises ``SyntaxError``), so
no ``$`` type ever registers::

    type  := atom ("|" atom)*
    atom  := "int" | "str" | "bool" | "float" | "datetime" | "duration"
           | "any" | "Any" | "None"
           | "list" "[" type "]"
           | "dict" ("[" type "," type "]")?
           | "enum" "[" STRING ("," STRING)* "]"
           | "$" NAME
    STRING := '"' [^"]* '"' | "'" [^']* "'"

Whitespace between tokens is ``[ \\t\\f\\r\\n]`` only (lark's ``common.WS``,
``%ignore``d): a vertical tab or a no-break space is an error. Names are
case-sensitive: ``null``, ``string``, ``List[str]`` and ``Optional[str]`` are
rejected by Tracecat, and get a suggestion here. Enum values must be non-empty,
unique ignoring case and at most 20 (the transformer's ``MAX_ENUM_VALUES``).

``tests/grammar/types.json`` holds Tracecat's verdicts (grammar, transformer
and pydantic model) on about a thousand types; the suite compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tracecat import EXPECTS_MAX_ENUM_VALUES as MAX_ENUM_VALUES
from .tracecat import EXPECTS_PRIMITIVE_TYPES as PRIMITIVES
EXAMPLES = "e.g. 'str', 'int', 'list[str]', 'dict[str, Any]', 'str | None', 'enum[\"a\", \"b\"]'"

# Spellings from other type systems (JSON Schema, typing, Python) -> Tracecat's.
_HINTS = {
    "string": "str", "String": "str", "text": "str", "Str": "str",
    "integer": "int", "Integer": "int", "Int": "int", "number": "float", "Float": "float",
    "boolean": "bool", "Boolean": "bool", "Bool": "bool",
    "null": "None", "none": "None", "NoneType": "None", "Null": "None",
    "object": "dict[str, Any]", "Dict": "dict", "dictionary": "dict", "map": "dict", "mapping": "dict",
    "array": "list[...]", "List": "list", "tuple": "list", "Tuple": "list", "set": "list",
    "Optional": "T | None", "Union": "A | B", "Literal": 'enum["a", "b"]',
    "date": "datetime", "Datetime": "datetime", "DateTime": "datetime", "timedelta": "duration",
}

_TOKEN_RE = re.compile(
    r"""(?P<ws>[ \t\f\r\n]+)|(?P<name>[A-Za-z_]\w*)|(?P<string>"[^"]*"|'[^']*')|(?P<punct>[\[\],|$])"""
)


@dataclass(frozen=True, slots=True)
class TypeExprError:
    """Why a type expression is invalid, and where (offset into the string)."""

    message: str
    offset: int


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "name", "string", "punct", "end"
    text: str
    offset: int


class _Invalid(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.error = TypeExprError(message, offset)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            char = text[pos]
            if char in "\"'":
                raise _Invalid("unterminated string literal", pos)
            raise _Invalid(f"unexpected character {char!r}", pos)
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.current
        self.pos += 1
        return token

    def expect(self, text: str, context: str) -> _Token:
        token = self.current
        if token.text != text or token.kind != "punct":
            found = f"{token.text!r}" if token.kind != "end" else "end of type"
            raise _Invalid(f"expected {text!r} {context}, found {found}", token.offset)
        return self.take()

    def parse(self) -> None:
        self.union()
        token = self.current
        if token.kind != "end":
            raise _Invalid(f"unexpected {token.text!r} after a complete type", token.offset)

    def union(self) -> None:
        self.atom()
        while self.current.text == "|" and self.current.kind == "punct":
            self.take()
            self.atom()

    def atom(self) -> None:
        token = self.take()
        if token.kind == "punct" and token.text == "$":
            if self.current.kind != "name":
                raise _Invalid("expected a reference name after '$'", self.current.offset)
            name = self.take().text
            raise _Invalid(
                f"'${name}': Tracecat parses '$' reference types but cannot build the input model from one"
                " (registration fails); use a concrete type such as 'dict[str, Any]'",
                token.offset,
            )
        if token.kind != "name":
            found = "end of type" if token.kind == "end" else repr(token.text)
            raise _Invalid(f"expected a type, found {found}", token.offset)
        name = token.text
        if name in PRIMITIVES:
            return
        if name == "list":
            if self.current.text != "[":
                raise _Invalid("'list' needs an item type, e.g. 'list[str]' or 'list[Any]'", token.offset)
            self.take()
            if self.current.text == "]":
                raise _Invalid("'list' needs an item type, e.g. 'list[str]' or 'list[Any]'", token.offset)
            self.union()
            self.expect("]", "to close 'list['")
        elif name == "dict":
            if self.current.text == "[":  # bare 'dict' is dict[str, Any]
                self.take()
                self.union()
                self.expect(",", "between the key and value types of 'dict'")
                self.union()
                self.expect("]", "to close 'dict[' (dict takes exactly a key and a value type)")
        elif name == "enum":
            self.enum(token)
        else:
            raise _Invalid(_unknown_name(name), token.offset)

    def enum(self, keyword: _Token) -> None:
        self.expect("[", "after 'enum'")
        seen: dict[str, str] = {}
        while True:
            token = self.take()
            if token.kind != "string":
                found = "end of type" if token.kind == "end" else repr(token.text)
                raise _Invalid(f"enum values must be quoted strings, found {found}", token.offset)
            value = token.text.strip('"').strip("'")  # exactly how Tracecat unquotes
            if not value:
                raise _Invalid("enum value cannot be empty", token.offset)
            if value.lower() in seen:
                raise _Invalid(
                    f"duplicate enum value {value!r} (same as {seen[value.lower()]!r} ignoring case)",
                    token.offset,
                )
            seen[value.lower()] = value
            if self.current.text != "," or self.current.kind != "punct":
                break
            self.take()
        self.expect("]", "to close 'enum['")
        if len(seen) > MAX_ENUM_VALUES:
            raise _Invalid(f"too many enum values ({len(seen)}, at most {MAX_ENUM_VALUES})", keyword.offset)


def _unknown_name(name: str) -> str:
    hint = _HINTS.get(name) or {p.lower(): p for p in PRIMITIVES}.get(name.lower())
    suffix = f" (did you mean '{hint}'?)" if hint else ""
    return f"unknown type {name!r}{suffix}"


def check_type_expression(text: str) -> TypeExprError | None:
    """None when Tracecat accepts ``text`` as an ``expects`` type, else the first error."""
    if not text.strip():
        return TypeExprError("empty type", 0)
    try:
        _Parser(text).parse()
    except _Invalid as exc:
        return exc.error
    return None
