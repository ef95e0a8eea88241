"""Key spelling for the RL7xx rules: the UPPER_SNAKE_CASE a key meant, and the
rename fix (who registers what is ``linter/analysis/appsecrets.py``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from registry_lint import agent_native as an
from registry_lint.model import Edit, Fix, Value

if TYPE_CHECKING:
    from registry_lint.source import SourceFile


_PART = re.compile(r"[a-z0-9]+(?:[A-Z][a-z0-9]+)*|[A-Z0-9]+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*")
_HUMP = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z0-9]+")


def upper_snake(key: str) -> str | None:
    """``openaiApiKey``/``openai-api-key``/``Openai.Api.Key`` -> ``OPENAI_API_KEY``;
    None when the words are not clear (``OpenAIKey``: OPEN_AI or OPENAI?)."""
    words: list[str] = []
    for part in re.split(r"[-_. ]+", key):
        if not part:
            continue
        if not _PART.fullmatch(part):
            return None
        words.extend(_HUMP.findall(part) if not part.isupper() else [part])
    new = "_".join(w.upper() for w in words)
    return new if an.KEY_STYLE_RE.match(new) and new != key else None


def rename_fix(value: Value, src: SourceFile, new: str) -> Fix | None:
    """Replace a key literal's content, keeping its quotes (only for a literal
    written right there, not a constant defined elsewhere)."""
    loc = value.location
    if loc.line != loc.end_line:
        return None
    raw = src.line_text(loc.line)[loc.col - 1 : loc.end_col - 1]
    if len(raw) < 2 or raw[0] not in "\"'`" or raw[-1] != raw[0]:
        return None
    return Fix(f"Rename the key to `{new}`", (Edit(loc, raw[0] + new + raw[0]),), applicability="unsafe")
