"""TypeScript/JavaScript context for the credential scan.

The same slots Python gets, in TypeScript's syntax:

- ``const apiKey = "..."``, ``apiKey: string = "..."``, class fields,
  ``this.apiKey = "..."`` and object properties ``{ apiKey: "..." }``,
  ``{ "x-api-key": "..." }`` (the generic matcher, quoted values only:
  an unquoted value is an expression);
- template literals: ``const apiKey = `...``` is a literal; one with a
  ``${...}`` substitution is a placeholder for the scanner's filters;
- parameter defaults ``function f(apiKey = "...")``, ``(apiKey = "...") =>``
  and destructuring defaults ``({ apiKey = "..." }) =>``: role
  ``param-default`` (RL505);
- fallbacks ``process.env.OPENAI_API_KEY ?? "..."`` (also ``||`` and
  ``process.env["X"]``) and ``config.apiKey ?? "..."``: role ``env-default``
  named by the expression (RL505);
- ``headers.set("Authorization", "Bearer ...")``: the header name.

Placeholders (``<OPENAI_API_KEY>``, ``${keys.NAME}``) are the scanner's
filters' business, as for every other source.

Parameter lists come from the tree when the engine parsed the file with
tree-sitter (an agent-native file), and from a bracket matcher otherwise.
Everything else is text matching on every TypeScript file alike, so a
``--select RL5`` run (which parses nothing) finds exactly what a full run
finds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from . import textcontext
from .slot import Slot, hinted

# `process.env.X ?? "lit"`, `cfg.apiKey || 'lit'`: found at the operator, then the
# name (the whole left operand) is read backwards from it.
_FALLBACK = re.compile(r"""(?:\?\?|\|\|)[ \t]*(?P<q>["'`])(?P<value>[^"'`\n\\]{0,400})(?P=q)""")
_OPERAND = re.compile(
    r"""(?<![\w$.])(?P<name>[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*|\[\s*["'][\w.-]{1,100}["']\s*\])*)\s*!?\s*\Z"""
)
_ENV_INDEX = re.compile(r"""\[\s*["']([\w.-]{1,100})["']\s*\]""")
# `headers.set("Authorization", "Bearer ...")`, `res.setHeader('x-api-key', '...')`
_HEADER_CALL = re.compile(
    r"""\.(?:set|append|setHeader|header)\(\s*(?P<nq>["'])(?P<name>[\w-]{1,80})(?P=nq)\s*,\s*"""
    r"""(?P<q>["'`])(?P<value>[^"'`\n\\]{0,400})(?P=q)"""
)
_FUNCTION = re.compile(r"\bfunction\b\s*\*?\s*[\w$]*\s*(?:<[^>()]*>)?\s*\(")
_ARROW = re.compile(r"\)\s*(?::[^=;{}()]{0,120})?=>")
_BRACKETS = re.compile(r"""[()"'`]""")


def slots(text: str, parsed: object | None = None, *, has_formats: bool = True) -> Iterator[Slot]:
    """Every string literal bound to a name in one TypeScript/JavaScript file."""
    if not hinted(text):
        return
    params: tuple[list[int], list[int]] | None = None
    for slot in textcontext.slots(text, 0, python=True):
        if slot.role == "assign" and "=" in text[max(0, slot.start - 200) : slot.start]:
            if params is None:
                spans = _tree_params(parsed) if parsed is not None else None
                params = _merged(spans if spans is not None else _text_params(text))
            if _inside(params, slot.start):
                slot = Slot(slot.name, slot.value, slot.start, slot.end, "param-default")
        yield slot
    if "??" in text or "||" in text:
        for m in _FALLBACK.finditer(text):
            operand = _OPERAND.search(text, max(0, m.start() - 200), m.start())
            if operand is None:
                continue
            name = _ENV_INDEX.sub(lambda x: "." + x.group(1), operand.group("name"))
            yield Slot(name, m.group("value"), m.start("q"), m.end(), "env-default")
    if "(" in text:
        for m in _HEADER_CALL.finditer(text):
            yield Slot(m.group("name"), m.group("value"), m.start("q"), m.end(), "dict")


def _inside(spans: tuple[list[int], list[int]], pos: int) -> bool:
    starts, ends = spans
    i = bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The union of the spans as disjoint sorted intervals (starts, ends)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _tree_params(parsed: object) -> list[tuple[int, int]] | None:
    """Character spans of every parameter list in the engine's tree."""
    tree = getattr(parsed, "tree", None)
    char = getattr(parsed, "char", None)
    if tree is None or char is None:
        return None
    spans: list[tuple[int, int]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "formal_parameters":
            spans.append((char(node.start_byte), char(node.end_byte)))
        stack.extend(node.named_children)
    return spans


def _text_params(text: str) -> list[tuple[int, int]]:
    """Spans of ``function f(...)`` and ``(...) =>`` parameter lists, by matching brackets."""
    if "=" not in text:
        return []
    spans = []
    if "function" in text:
        for m in _FUNCTION.finditer(text):
            end = _close(text, m.end())
            spans.append((m.end(), end))
    if "=>" in text:
        for m in _ARROW.finditer(text):
            start = _open(text, m.start())
            if start is not None:
                spans.append((start + 1, m.start()))
    return spans


def _close(text: str, pos: int) -> int:
    """The offset of the ``)`` closing a ``(`` just before ``pos`` (strings skipped)."""
    depth = 1
    n = len(text)
    while depth and pos < n:
        m = _BRACKETS.search(text, pos)
        if m is None:
            return n
        ch, pos = m.group(), m.end()
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        else:
            end = text.find(ch, pos)
            newline = text.find("\n", pos)
            if end == -1 or (ch != "`" and newline != -1 and newline < end):
                return pos  # an unclosed quote: give up at it
            pos = end + 1
    return pos - 1


def _open(text: str, pos: int) -> int | None:
    """The offset of the ``(`` matching the ``)`` at ``pos`` (backwards, on a few lines)."""
    depth = 0
    low = max(0, pos - 2000)
    for i in range(pos, low - 1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                return i
    return None
