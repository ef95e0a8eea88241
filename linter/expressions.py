"""Tracecat ``${{ ... }}`` expressions: find them and the references inside.

Pure string functions with offsets, shared by the YAML extractor, the
template rules and the secret-usage rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

EXPR_OPEN = "${{"
EXPR_RE = re.compile(r"\$\{\{(?P<body>.*?)\}\}", re.DOTALL)
# A context reference: SECRETS.a.B, inputs.x, steps.ref.result, ...
SECRET_REF_RE = re.compile(r"(?<![\w.])SECRETS(?P<path>(?:\s*\.\s*[A-Za-z0-9_-]+)*)")
INPUT_REF_RE = re.compile(r"(?<![\w.])inputs\s*\.\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)")
STEP_REF_RE = re.compile(r"(?<![\w.])steps\s*\.\s*(?P<ref>[A-Za-z_][A-Za-z0-9_]*)")
# Quoted strings inside an expression must not be read as references.
_STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


@dataclass(frozen=True, slots=True)
class Expression:
    start: int
    end: int
    body_start: int
    body: str


@dataclass(frozen=True, slots=True)
class Reference:
    """``SECRETS.name.KEY`` at ``start:end`` of the scanned string."""

    start: int
    end: int
    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        return "SECRETS." + ".".join(self.parts)


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
        stop = _STRING_BODY[quote].match(body, start + 1).end()  # type: ignore[union-attr]
        if stop < size and body[stop] == quote:
            out.append(body[last:start])
            out.append(" " * (stop + 1 - start))
            last = pos = stop + 1
        else:
            dead[quote] = stop
            pos = start + 1
    out.append(body[last:])
    return "".join(out)


_mask_strings = mask_strings


def secret_references(text: str) -> Iterator[Reference]:
    """Every ``SECRETS...`` reference inside ``${{ }}`` in ``text``."""
    for expr in find_expressions(text):
        if "SECRETS" not in expr.body:
            continue
        body = _mask_strings(expr.body)
        for match in SECRET_REF_RE.finditer(body):
            parts = tuple(p.strip() for p in match.group("path").split(".")[1:])
            start = expr.body_start + match.start()
            yield Reference(start, expr.body_start + match.end(), parts)


def input_references(text: str) -> Iterator[tuple[int, int, str]]:
    for expr in find_expressions(text):
        body = _mask_strings(expr.body)
        for match in INPUT_REF_RE.finditer(body):
            yield expr.body_start + match.start(), expr.body_start + match.end(), match.group("name")


def step_references(text: str) -> Iterator[tuple[int, int, str]]:
    for expr in find_expressions(text):
        body = _mask_strings(expr.body)
        for match in STEP_REF_RE.finditer(body):
            yield expr.body_start + match.start(), expr.body_start + match.end(), match.group("ref")
