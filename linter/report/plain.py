"""Plain-text pieces the human-readable reports share: text made safe for a
terminal, and counted nouns."""

from __future__ import annotations

import re

# Control characters from a hostile file must not drive the terminal.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 file``, ``2 files``."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
