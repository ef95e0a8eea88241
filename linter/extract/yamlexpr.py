"""The ``${{ }}`` expressions of a YAML file's strings, parsed once, with file positions.

Tracecat sees a scalar's *value* (quotes, escapes, folding and block
indentation already resolved by YAML), so expressions are found in and
parsed from the value; :func:`locate` maps value offsets back to the
source. Each distinct expression text is parsed once per file (memoised on
the :class:`YamlFile`) and short ones once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from ..expressions import template_expressions
from ..exprparse import Parsed, parse
from ..model import Location

if TYPE_CHECKING:
    import yaml

    from .yamlnodes import YamlFile

_PARSES = "_rl_expr_parses"
_MAPS = "_rl_value_maps"
#: Longest expression whose parse is kept across files (templates repeat them).
_SHARED = 512


class Found(NamedTuple):
    """One expression in a scalar: offsets into the scalar's value."""

    start: int  # of ``${{``
    end: int  # after ``}}``
    body_start: int  # of the expression text Tracecat parses
    parsed: Parsed


def expressions(parsed: YamlFile, node: yaml.ScalarNode) -> list[Found]:
    """Every expression Tracecat finds in the string scalar ``node``."""
    value = node.value
    if "${{" not in value:
        return []
    memo: dict[str, Parsed] = parsed.__dict__.setdefault(_PARSES, {})
    out = []
    for expr in template_expressions(value):
        body = expr.body
        result = memo.get(body)
        if result is None:
            result = memo[body] = _shared_parse(body) if len(body) <= _SHARED else parse(body)
        out.append(Found(expr.start, expr.end, expr.body_start, result))
    return out


_shared_parse = lru_cache(maxsize=4096)(parse)


def locate(parsed: YamlFile, node: yaml.ScalarNode, start: int, end: int) -> Location:
    """The file location of ``value[start:end]`` of the scalar ``node``."""
    return parsed.source.span(_offset(parsed, node, start), _offset(parsed, node, end))


def source_text(parsed: YamlFile, node: yaml.ScalarNode, start: int, end: int) -> str:
    """The source text that ``value[start:end]`` was written as."""
    return parsed.source.text[_offset(parsed, node, start) : _offset(parsed, node, end)]


def _offset(parsed: YamlFile, node: yaml.ScalarNode, index: int) -> int:
    """Source offset of ``value[index]`` (``index == len(value)``: the end)."""
    maps: dict[int, int | list[int]] = parsed.__dict__.setdefault(_MAPS, {})
    key = id(node)
    found = maps.get(key)
    if found is None:
        found = maps[key] = value_offsets(parsed.source.text, node.start_mark.index, node.end_mark.index,
                                          node.style, node.value)
    if isinstance(found, int):
        return found + min(index, len(node.value))
    return found[min(index, len(found) - 1)]


def value_offsets(text: str, start: int, end: int, style: str | None, value: str) -> int | list[int]:
    """Align a scalar's value with its source ``text[start:end]``.

    Every value character comes from a source character in order; what YAML
    drops (quotes, block headers, indentation, an escape's backslash, the
    second quote of ``''``) is skipped, and a folded line break maps to the
    break. One pass, linear. When the value is written as is (most scalars),
    only where it starts: the offset of its first character.
    """
    raw_start = start + (1 if style in ("'", '"') else 0)
    if style in ("|", ">"):
        newline = text.find("\n", start, end)
        raw_start = newline + 1 if newline != -1 else end
    if text.startswith(value, raw_start) and raw_start + len(value) <= end:
        return raw_start  # nothing dropped inside
    out: list[int] = []
    r = raw_start
    for char in value:
        while r < end:
            c = text[r]
            if style == '"' and c == "\\":
                if text[r + 1 : r + 2] in ("\n", "\r"):  # an escaped line break produces nothing
                    r += 2
                    while r < end and text[r] in " \t\r\n":
                        r += 1
                    continue
                break
            if c == char or (char == " " and c in "\r\n"):
                break
            r += 1
        out.append(min(r, end))
        r += _width(text, r, style)
    out.append(min(r, end))
    return out


def _width(text: str, r: int, style: str | None) -> int:
    """Source characters that produced one value character at ``r``."""
    c = text[r : r + 1]
    if style == '"' and c == "\\":
        return {"x": 4, "u": 6, "U": 10}.get(text[r + 1 : r + 2], 2)
    if style == "'" and c == "'" and text[r + 1 : r + 2] == "'":
        return 2
    if c == "\r" and text[r + 1 : r + 2] == "\n":
        return 2
    return 1
