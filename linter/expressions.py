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
    if EXPR_OPEN not in text:
        return
    for match in EXPR_RE.finditer(text):
        yield Expression(match.start(), match.end(), match.start("body"), match.group("body"))


def _mask_strings(body: str) -> str:
    return _STRING_RE.sub(lambda m: " " * len(m.group()), body)


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
