"""Does a literal step argument fit its parameter's type? (RL618)

Tracecat validates a step's ``args`` with the called action's pydantic model
in lax mode (``BoundRegistryAction.validate_args``: ``model_validate``), so
this answers what pydantic 2 answers for the values YAML can hold, and stays
silent where it is not sure: only a value pydantic certainly rejects is
reported. The coercions it accepts (read off pydantic 2.12, the version
Tracecat pins, and pinned by ``tests/parity/``): ``"1"``, ``1.0`` and
``True`` for ``int``; numeric strings for ``float``; ``"yes"``/``"off"``/``0``
for ``bool``; unix timestamps for ``datetime``.

Expressions: a UDF's parameters carry Tracecat's ``TemplateValidator``, which
accepts a *standalone* ``${{ ... }}`` string in place of a value at the top
level and, recursively, as the items of a list/set/tuple or the values of a
dict (but not inside a union such as ``list[int] | None``: pydantic builds
a nullable schema the validator does not descend into). A template's
``expects`` model has no such validator: there an expression is just a
string, accepted only where a string is.

Type expressions are a UDF's normalised annotation (``extract/pytypes.py``)
or a template's ``expects`` type (Tracecat's grammar: ``enum[...]``,
``duration``, bare ``dict``, ``$ref``); both parse here.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from ..model import UNKNOWN
from ..tracecat import BOOL_FALSE_STRINGS, BOOL_TRUE_STRINGS, STANDALONE_TEMPLATE_RE

# A parsed type: ("any",) ("prim", name) ("seq", item) ("tuple", items)
# ("dict", value) ("union", members) ("literal", values) ("opaque", name)
Type = tuple

_TOKEN_RE = re.compile(
    r"""\s*(?:(?P<name>[A-Za-z_][\w.]*)|(?P<string>"[^"]*"|'[^']*')|(?P<number>-?\d+)|(?P<punct>\.\.\.|[\[\],|$]))"""
)
_PRIMS = {
    "str": "str", "int": "int", "float": "float", "bool": "bool", "bytes": "bytes", "None": "None",
    "datetime": "datetime", "date": "date", "time": "time", "timedelta": "timedelta", "duration": "timedelta",
}
_SEQUENCES = ("list", "set", "frozenset", "List", "Set", "Sequence")
_BOOL_STRINGS = BOOL_TRUE_STRINGS | BOOL_FALSE_STRINGS  # pydantic's lax bool
_INT_STRING = re.compile(r"\s*[+-]?\d+(?:_\d+)*(?:\.0*)?\s*")


class _Bad(Exception):
    pass


@lru_cache(maxsize=1024)
def parse(text: str | None) -> Type | None:
    """The type of a type expression; None when it cannot be read (never judged)."""
    if text is None:
        return ("any",)
    tokens = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].strip() == "":
                break
            return None
        tokens.append((match.lastgroup, match.group(match.lastgroup or "")))
        pos = match.end()
    try:
        parsed, rest = _union(tokens, 0)
    except (_Bad, IndexError):
        return None
    return parsed if rest == len(tokens) else None


def _union(tokens: list, i: int) -> tuple[Type, int]:
    members = []
    node, i = _atom(tokens, i)
    members.append(node)
    while i < len(tokens) and tokens[i] == ("punct", "|"):
        node, i = _atom(tokens, i + 1)
        members.append(node)
    return (members[0] if len(members) == 1 else ("union", tuple(members))), i


def _args(tokens: list, i: int) -> tuple[list[Type], int]:
    if tokens[i] != ("punct", "["):
        raise _Bad
    out = []
    i += 1
    while True:
        if tokens[i] == ("punct", "..."):
            out.append(("ellipsis",))
            i += 1
        else:
            node, i = _union(tokens, i)
            out.append(node)
        if tokens[i] == ("punct", ","):
            i += 1
            continue
        if tokens[i] == ("punct", "]"):
            return out, i + 1
        raise _Bad


def _atom(tokens: list, i: int) -> tuple[Type, int]:
    kind, text = tokens[i]
    if (kind, text) == ("punct", "$"):
        return ("opaque", "$" + tokens[i + 1][1]), i + 2
    if kind != "name":
        raise _Bad
    subscripted = i + 1 < len(tokens) and tokens[i + 1] == ("punct", "[")
    if text in ("Literal", "enum") and subscripted:
        values, i = _literal_values(tokens, i + 2)
        return ("literal", tuple(values)), i
    if text in ("any", "Any"):
        return ("any",), i + 1
    if text in _PRIMS:
        return ("prim", _PRIMS[text]), i + 1
    if text in _SEQUENCES or text in ("dict", "Dict", "tuple", "Tuple"):
        if not subscripted:
            bare = {"dict": ("dict", ("any",)), "Dict": ("dict", ("any",))}
            return bare.get(text, ("seq", ("any",))), i + 1
        args, i = _args(tokens, i + 1)
        if text in ("dict", "Dict"):
            if len(args) != 2:
                raise _Bad
            return ("dict", args[1]), i
        if text in ("tuple", "Tuple"):
            if len(args) == 2 and args[1] == ("ellipsis",):
                return ("seq", args[0]), i
            return ("tuple", tuple(args)), i
        if len(args) != 1:
            raise _Bad
        return ("seq", args[0]), i
    if subscripted:  # a generic class the checker does not know
        _, i = _args(tokens, i + 1)
        return ("opaque", text), i
    return ("opaque", text), i + 1


def _literal_values(tokens: list, i: int) -> tuple[list[object], int]:
    values: list[object] = []
    while True:
        kind, text = tokens[i]
        if kind == "string":
            values.append(text[1:-1])
        elif kind == "number":
            values.append(int(text))
        elif kind == "name" and text in ("True", "False", "None"):
            values.append({"True": True, "False": False, "None": None}[text])
        else:
            raise _Bad
        i += 1
        if tokens[i] == ("punct", ","):
            i += 1
            continue
        if tokens[i] == ("punct", "]"):
            return values, i + 1
        raise _Bad


def is_standalone_expression(value: object) -> bool:
    return isinstance(value, str) and STANDALONE_TEMPLATE_RE.match(value) is not None


# Checking ------------------------------------------------------------------------
OK, UNSURE = "ok", "unsure"
#: A rejection is (path to the offending item, e.g. "" or "[0]" or "['a']", reason).
Verdict = tuple[str, str] | str


def check(raw: object, type_: Type, *, expressions: bool, path: str = "") -> Verdict:
    """OK, UNSURE, or (path, reason) when pydantic certainly rejects the YAML value ``raw``.

    ``expressions``: whether a standalone expression is accepted at this
    level (Tracecat's ``TemplateValidator``, UDF parameters only).
    """
    if raw is UNKNOWN:
        return UNSURE
    if expressions and is_standalone_expression(raw):
        return OK
    kind = type_[0]
    if kind == "any":
        return OK
    if kind == "opaque":
        return UNSURE
    if kind == "union":
        verdicts = [check(raw, member, expressions=False, path=path) for member in type_[1]]
        if OK in verdicts:
            return OK
        if UNSURE in verdicts:
            return UNSURE
        # A container member that rejected one of its items says more than "none matched".
        nested = [v for v in verdicts if isinstance(v, tuple) and v[0] != path]
        if len(nested) == 1:
            return nested[0]
        return (path, f"{describe(raw)} matches none of {render(type_)}")
    if kind == "literal":
        return _literal(raw, type_[1], path)
    if kind == "prim":
        return _primitive(raw, type_[1], path)
    if kind == "seq":
        if not isinstance(raw, tuple):
            return (path, f"{describe(raw)} is not a list")
        return _combine([check(v, type_[1], expressions=expressions, path=f"{path}[{i}]") for i, v in enumerate(raw)])
    if kind == "tuple":
        if not isinstance(raw, tuple):
            return (path, f"{describe(raw)} is not a list")
        if len(raw) != len(type_[1]):
            return (path, f"a list of {len(raw)} items where {len(type_[1])} are expected")
        return _combine([check(v, t, expressions=expressions, path=f"{path}[{i}]") for i, (v, t) in enumerate(zip(raw, type_[1]))])
    if kind == "dict":
        if not isinstance(raw, dict):
            return (path, f"{describe(raw)} is not a mapping")
        # Nested positions are wrapped by TemplateValidator only when the container is
        # the parameter's own schema (``expressions`` stays as the caller had it).
        return _combine([check(v, type_[1], expressions=expressions, path=f"{path}[{k!r}]") for k, v in raw.items()])
    return UNSURE


def _combine(verdicts: list[Verdict]) -> Verdict:
    for verdict in verdicts:
        if isinstance(verdict, tuple):
            return verdict
    return UNSURE if UNSURE in verdicts else OK


def _literal(raw: object, allowed: tuple[object, ...], path: str) -> Verdict:
    for option in allowed:
        if raw == option and (isinstance(raw, str) == isinstance(option, str)) and (raw is None) == (option is None):
            return OK
    if all(isinstance(o, str) for o in allowed) or isinstance(raw, str) or raw is None:
        choices = ", ".join(repr(o) for o in allowed)
        return (path, f"{describe(raw)} is not one of {choices}")
    return UNSURE


def _primitive(raw: object, name: str, path: str) -> Verdict:
    bad = (path, f"{describe(raw)} is not {_ARTICLE.get(name, name)}")
    if isinstance(raw, (tuple, dict)) or (raw is None and name != "None"):
        return bad
    if name == "None":
        return OK if raw is None else bad
    if name == "str":
        return OK if isinstance(raw, (str, bytes)) else bad
    if name == "bool":
        if isinstance(raw, bool):
            return OK
        if isinstance(raw, (int, float)):
            return OK if raw in (0, 1) else bad
        if isinstance(raw, str):
            return OK if raw.lower() in _BOOL_STRINGS else bad
        return UNSURE
    if name == "int":
        if isinstance(raw, (bool, int)):
            return OK
        if isinstance(raw, float):
            return OK if raw.is_integer() else bad
        if isinstance(raw, str):
            return OK if _INT_STRING.fullmatch(raw) else bad
        return UNSURE
    if name == "float":
        if isinstance(raw, (bool, int, float)):
            return OK
        if isinstance(raw, str):
            return OK if _is_float(raw) else bad
        return UNSURE
    if name in ("datetime", "date", "time", "timedelta"):
        if isinstance(raw, bool):
            return bad
        if isinstance(raw, (datetime, date, time, timedelta, int, float)):
            return OK
        if isinstance(raw, str) and not any(c.isdigit() for c in raw):
            return bad
        return UNSURE
    return UNSURE


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_ARTICLE = {
    "str": "a string", "int": "an integer", "float": "a number", "bool": "a boolean", "None": "null",
    "bytes": "bytes", "datetime": "a datetime", "date": "a date", "time": "a time", "timedelta": "a duration",
}


def describe(raw: object) -> str:
    """A YAML value for messages. Strings are never quoted: project rules run
    after the per-file masking of detected credentials, and an argument may
    hold one."""
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "`true`" if raw else "`false`"
    if isinstance(raw, tuple):
        return "a list"
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, str):
        return "an expression string" if is_standalone_expression(raw) else "a string"
    if isinstance(raw, (int, float)):
        return f"`{raw}`"
    return "the value"


def render(type_: Type) -> str:
    kind = type_[0]
    if kind == "any":
        return "Any"
    if kind in ("prim", "opaque"):
        return str(type_[1])
    if kind == "seq":
        return f"list[{render(type_[1])}]"
    if kind == "tuple":
        return f"tuple[{', '.join(render(t) for t in type_[1])}]"
    if kind == "dict":
        return f"dict[str, {render(type_[1])}]"
    if kind == "union":
        return " | ".join(render(t) for t in type_[1])
    if kind == "literal":
        return f"one of {', '.join(repr(v) for v in type_[1])}"
    return "?"
