"""Render ``${{ SECRETS.name.KEY }}`` in template step arguments.

Like Tracecat's ``eval_templated_object``: a string that is exactly one
expression becomes the value itself; expressions inside a longer string
are replaced by their text. ``A || B`` picks the first present value. Only
expressions made of SECRETS references are evaluated here; others
(``inputs``, ``steps``, functions) are left as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..expressions import find_expressions
from .problems import Problem, ResolutionError, dedupe
from .values import SecretValue

if TYPE_CHECKING:
    from .resolver import Resolution

_REF = r"SECRETS\s*\.\s*([A-Za-z0-9_-]+)\s*\.\s*([A-Za-z0-9_-]+)"
_ONLY_SECRETS = re.compile(rf"\s*{_REF}(?:\s*\|\|\s*{_REF})*\s*")
_EACH = re.compile(_REF)


def render(obj: object, resolution: Resolution) -> object:
    problems: list[Problem] = []
    out = _walk(obj, resolution, problems, 0)
    if problems:
        raise ResolutionError(dedupe(problems))
    return out


def _walk(obj: object, resolution: Resolution, problems: list[Problem], depth: int) -> object:
    if depth > 100:
        return obj
    if isinstance(obj, str):
        return _string(obj, resolution, problems)
    if isinstance(obj, dict):
        return {k: _walk(v, resolution, problems, depth + 1) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk(v, resolution, problems, depth + 1) for v in obj]
    return obj


def _evaluate(body: str, resolution: Resolution, problems: list[Problem]) -> SecretValue | None:
    chosen: SecretValue | None = None
    for match in _EACH.finditer(body):
        found = resolution.lookup(match.group(1), match.group(2))
        if isinstance(found, Problem):
            problems.append(found)
        elif found is not None and chosen is None and found:
            chosen = found
    return chosen


def _string(text: str, resolution: Resolution, problems: list[Problem]) -> object:
    exprs = [e for e in find_expressions(text) if _ONLY_SECRETS.fullmatch(e.body)]
    if not exprs:
        return text
    if len(exprs) == 1 and exprs[0].start == 0 and exprs[0].end == len(text):
        return _evaluate(exprs[0].body, resolution, problems)
    parts: list[str] = []
    last = 0
    for expr in exprs:
        value = _evaluate(expr.body, resolution, problems)
        parts.append(text[last : expr.start])
        # Tracecat interpolates str(result): an absent optional value is "None".
        parts.append(value.get_secret_value() if value is not None else "None")
        last = expr.end
    parts.append(text[last:])
    return SecretValue("".join(parts))
