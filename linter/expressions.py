"""Tracecat ``${{ ... }}`` expressions: where they are in a string.

Pure string functions with offsets. :func:`template_expressions` finds them
exactly as Tracecat does (what the template rules parse, ``exprparse``);
:func:`find_expressions` and :func:`mask_strings` are the looser scans the
brace-mistake checks of RL409 and the runtime renderer use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

EXPR_OPEN = "${{"
EXPR_RE = re.compile(r"\$\{\{(?P<body>.*?)\}\}", re.DOTALL)
# Quoted strings inside an expression must not be read as references.
_STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


@dataclass(frozen=True, slots=True)
class Expression:
    start: int
    end: int
    body_start: int
    body: str


def template_expressions(text: str) -> Iterator[Expression]:
    """The expressions Tracecat evaluates in ``text``, exactly as it finds them.

    Tracecat's ``TEMPLATE_STRING`` (``tracecat/expressions/patterns.py``) is
    ``\\${{\\s*(?P<expr>.+?)\\s*}}`` with DOTALL: the expression ends at the
    first ``}}`` at least one character in, whitespace around it (Python's
    ``\\s``) is not part of it, and ``${{}}`` is no match. ``body`` is that
    ``expr`` group and ``body_start`` its offset. Linear: an unclosed ``${{``
    ends the scan, since no later one can close either (checked against
    Tracecat's regex in ``tests/grammar/templates.json``).
    """
    pos = 0
    size = len(text)
    while (start := text.find(EXPR_OPEN, pos)) != -1:
        body = start + 3
        while body < size and text[body].isspace():
            body += 1
        close = text.find("}}", body + 1)
        if close == -1:
            # Only a shorter leading-space match remains: one space, then the `}}` at `body`.
            if body > start + 3 and text.startswith("}}", body):
                yield Expression(start, body + 2, body - 1, text[body - 1 : body])
            return
        end = close
        while end > body + 1 and text[end - 1].isspace():
            end -= 1
        yield Expression(start, close + 2, body, text[body:end])
        pos = close + 2


def find_expressions(text: str) -> Iterator[Expression]:
    """What ``EXPR_RE.finditer`` finds, in linear time.

    The regex retries ``.*?`` from every unclosed ``${{``: quadratic, minutes
    for a 1 MiB scalar of ``${{``. An unclosed ``${{`` means no later one
    closes either, so the scan stops there.
    """
    pos = 0
    while True:
        start = text.find(EXPR_OPEN, pos)
        if start == -1:
            return
        close = text.find("}}", start + 3)
        if close == -1:
            return
        yield Expression(start, close + 2, start + 3, text[start + 3 : close])
        pos = close + 2


_QUOTE_RE = re.compile("['\"]")
# One quoted string's body after its opening quote (unrolled loop: no backtracking).
_STRING_BODY = {q: re.compile(rf"[^{q}\\]*(?:\\.[^{q}\\]*)*") for q in "'\""}


def mask_strings(body: str) -> str:
    """``_STRING_RE.sub(blanks, body)`` in linear time.

    The regex retries from every quote that is never closed (quadratic). A
    start that fails stops at a point no later start of the same quote can
    get past (an escaped quote or a backslash before a newline), so later
    starts before that point are skipped without scanning.
    """
    if "'" not in body and '"' not in body:
        return body
    out: list[str] = []
    last = pos = 0
    dead = {"'": -1, '"': -1}
    size = len(body)
    while True:
        m = _QUOTE_RE.search(body, pos)
        if m is None:
            break
        start, quote = m.start(), m.group()
        if start < dead[quote]:
            pos = start + 1
            continue
        stop = _STRING_BODY[quote].match(body, start + 1).end()
        if stop < size and body[stop] == quote:
            out.append(body[last:start])
            out.append(" " * (stop + 1 - start))
            last = pos = stop + 1
        else:
            dead[quote] = stop
            pos = start + 1
    out.append(body[last:])
    return "".join(out)
