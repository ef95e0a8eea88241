"""RL409: malformed ``SECRETS`` expressions in a template string.

Scans the raw source text of a YAML scalar (quotes and block indicators
included), so offsets map to exact file positions. Pure string code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from registry_lint.expressions import SECRET_REF_RE, _mask_strings

from ._secretlib import CNAME_RE, bare

_OPEN, _CLOSE = "${{", "}}"
_LOWER_RE = re.compile(r"(?<![\w.])(?!SECRETS\b)(?i:secrets)\s*\.")
_SINGLE_RE = re.compile(r"\$\{(?!\{)\s*(?i:secrets)\b")
_NO_DOLLAR_RE = re.compile(r"(?<![$\{])\{\{\s*(?i:secrets)\b")


def malformed(raw: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, message) for every malformed secrets expression in ``raw``."""
    if "secrets" not in raw.lower():
        return
    covered: list[tuple[int, int]] = []
    pos = 0
    while (i := raw.find(_OPEN, pos)) != -1:
        j = raw.find(_CLOSE, i + 3)
        k = raw.find(_OPEN, i + 3)
        if j == -1 or (k != -1 and k < j):
            end = k if k != -1 else len(raw)
            if "SECRETS" in raw[i:end].upper():
                yield i, end, "Unbalanced braces: `${{` is not closed by `}}` (write `${{ SECRETS.<name>.<KEY> }}`)"
            covered.append((i, end))
            pos = i + 3
            continue
        covered.append((i, j + 2))
        yield from _body(raw[i + 3 : j], i + 3)
        pos = j + 2
    for regex, message in (
        (_SINGLE_RE, "Single braces: Tracecat only evaluates `${{ ... }}`, so `${ SECRETS... }` stays literal text"),
        (_NO_DOLLAR_RE, "Missing `$`: Tracecat only evaluates `${{ ... }}`, so `{{ SECRETS... }}` stays literal text"),
    ):
        for match in regex.finditer(raw):
            if not any(a <= match.start() < b for a, b in covered):
                yield match.start(), match.end(), message


def _body(body: str, offset: int) -> Iterator[tuple[int, int, str]]:
    masked = _mask_strings(body)
    for match in _LOWER_RE.finditer(masked):
        word = body[match.start() : match.start() + 7]
        yield offset + match.start(), offset + match.end(), f"`{word}.` is not a context: the secrets context is `SECRETS` (uppercase)"
    for match in SECRET_REF_RE.finditer(masked):
        raw = [p.strip() for p in match.group("path").split(".")[1:]]
        parts = [bare(p) for p in raw]  # for messages only
        start, end = offset + match.start(), offset + match.end()
        if not raw:
            yield start, end, "`SECRETS` needs a secret name and a key: `SECRETS.<name>.<KEY>`"
        elif len(raw) == 1:
            yield start, end, f"`SECRETS.{parts[0]}` has no key: write `SECRETS.{parts[0]}.<KEY>`"
        elif len(raw) > 2:
            yield start, end, f"`SECRETS.{'.'.join(parts)}` has extra path segments {parts[2:]}: write `SECRETS.{parts[0]}.{parts[1]}`"
        else:
            bad = next((bare(p) for p in raw if not CNAME_RE.fullmatch(p)), None)
            if bad is not None:
                yield start, end, f"`{bad}` cannot be written in an expression (letters, digits and `_`, not starting with a digit)"
