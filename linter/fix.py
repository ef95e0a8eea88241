"""Apply the edits recorded on diagnostics to a file's text."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Diagnostic, Edit
from .source import SourceFile


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, int]:
    """Apply non-overlapping edits; returns (new text, number applied).

    Overlapping edits are skipped (the next run picks them up), as ruff does.
    """
    src = SourceFile("<fix>", text, "text")
    spans = []
    for edit in edits:
        loc = edit.location
        start = src.offset(loc.line, loc.col)
        end = src.offset(loc.end_line, loc.end_col)
        spans.append((start, end, edit.content))
    spans.sort(key=lambda s: (s[0], s[1]))
    applied: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, content in spans:
        if start < last_end:
            continue
        applied.append((start, end, content))
        last_end = max(end, start + 1) if start == end else end
    out = text
    for start, end, content in reversed(applied):
        out = out[:start] + content + out[end:]
    return out, len(applied)


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic], *, unsafe: bool = False) -> tuple[str, int]:
    edits: list[Edit] = []
    for diag in diagnostics:
        if diag.fix is None or (diag.fix.applicability == "unsafe" and not unsafe):
            continue
        edits.extend(diag.fix.edits)
    return apply_edits(text, edits)
