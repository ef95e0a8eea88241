"""Detected credential values never travel inside another rule's message or fix.

The credential rules (RL5xx) mask what they find. Other rules quote the
fields they check (`namespace`, `doc_url`, a `secrets.get` key, a
`provider_id`), so a credential pasted into such a field would reach the
report, the cache and CI logs through them. After a file's rules ran, every
value the credential scanner detected in it is masked in all messages; a
message that still carries a transformed copy (a "did you mean" suggestion
derived from the value) is withheld, and fixes that would write or show the
value are dropped.

Only when the credential rules ran for the file (they are on by default):
with RL5 switched off, nothing is detected, so nothing is masked.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .results import FileResult
    from .model import Diagnostic
    from .source import SourceFile

#: Shorter values are too likely to be ordinary words to replace in prose.
MIN_LENGTH = 8
#: A transformed copy is recognised by this many consecutive characters.
WINDOW = 8
WITHHELD = "Details withheld: the message would quote a value detected as a credential (see the RL5xx finding)"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def redact_file(source: SourceFile, parsed: object | None, result: FileResult) -> None:
    """Mask this file's detected credential values in ``result``'s diagnostics."""
    if not any(d.code.startswith("RL5") for d in result.diagnostics):
        return
    from .credentials import mask, scan

    # The RL5 rules just scanned this very source: scan() returns the memo.
    values = {f.secret for f in scan(source, parsed) if f.secret and len(f.secret) >= MIN_LENGTH}
    if not values:
        return
    ordered = sorted(values, key=len, reverse=True)  # longest first: no partial replacement
    lines = _value_lines(source, ordered)
    result.diagnostics = [_redact(d, ordered, lines, mask) for d in result.diagnostics]


def holds_secret_line(diag: Diagnostic) -> bool:
    return diag.hides_line


def _value_lines(source: SourceFile, values: list[str]) -> set[int]:
    """Every line on which a detected value (or part of a multi-line one) sits."""
    out: set[int] = set()
    text = source.text
    for value in values:
        at = text.find(value)
        while at != -1:
            first, _ = source.line_col(at)
            last, _ = source.line_col(at + len(value))
            out.update(range(first, last + 1))
            at = text.find(value, at + len(value))
    return out


def _redact(diag: Diagnostic, values: list[str], lines: set[int], mask) -> Diagnostic:
    if diag.code.startswith("RL5") or holds_secret_line(diag):
        return diag  # the credential rules mask by construction
    message = diag.message
    for value in values:
        if value in message:
            message = message.replace(value, mask(value))
    if any(_contains_copy(message, value) for value in values):
        message = WITHHELD  # e.g. a suggestion derived from the value
    fix = diag.fix
    if fix is not None and any(
        _contains_copy(text, value) for value in values for text in (fix.message, *(e.content for e in fix.edits))
    ):
        fix = None
    loc = diag.location
    hides = message != diag.message or any(n in lines for n in range(loc.line, max(loc.line, loc.end_line) + 1))
    if message == diag.message and fix is diag.fix and not hides:
        return diag
    return replace(diag, message=message, fix=fix, hides_line=hides)


def _normal(text: str) -> str:
    return _NON_ALNUM.sub("", text.lower())


def _contains_copy(text: str, value: str) -> bool:
    """``text`` holds ``value`` or WINDOW consecutive characters of it, ignoring case and separators."""
    if value in text:
        return True
    hay, needle = _normal(text), _normal(value)
    if len(needle) < WINDOW:
        return False
    return any(needle[i : i + WINDOW] in hay for i in range(len(needle) - WINDOW + 1))
