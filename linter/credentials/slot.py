"""A string literal with the name that gives it meaning (:class:`Slot`), and
the cheap tests every context producer shares (``context.py`` dispatches to
the producers, ``pycontext``, ``cstcontext``, ``yamlcontext``,
``textcontext``, ``tscontext``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Role = Literal[
    "assign", "kwarg", "dict", "compare", "param-default", "env-default", "secret-default",
    "expects-default", "expects-description", "or-default", "shell-default", "text",
]
#: Roles whose literal is a fallback used when the real secret is missing (RL505).
DEFAULT_ROLES = frozenset({"param-default", "env-default", "secret-default", "expects-default",
                           "expects-description", "or-default", "shell-default"})


@dataclass(frozen=True, slots=True)
class Slot:
    name: str | None
    value: str
    #: Character offsets of the literal (quotes included) in the file.
    start: int
    end: int
    role: Role


#: Every name ``names.credential_kind`` accepts contains one of these (lowercased), and so does
#: every text the generic matcher could turn into a finding (``Bearer``/``Basic`` values,
#: ``curl -u user:pw``): a text without any cannot yield a finding on its own.
GATE_WORDS = ("pw", "pass", "auth", "bearer", "basic", "secret", "cred", "token", "key", "pat", "-u", "-a")

# A cheap test before any parse: no credential word, no context to find.
HINT = re.compile(r"(?i)pass|pwd|secret|token|key|auth|cred|bearer|getenv|environ|get_or_default|_pat\b|login|\s-u\s|--user")
# HINT's words, most frequent first (`in` stops at the first occurrence).
_HINT_WORDS = ("key", "token", "secret", "auth", "pass", "cred", "pwd", "bearer", "login", "environ",
               "getenv", "get_or_default", "--user")
_HINT_REST = re.compile(r"_pat\b|\s-u\s")


def hinted(text: str) -> bool:
    """``HINT.search(text)``, faster: a case-insensitive regex alternation runs its branches at
    every character; ``str.lower`` plus ``in`` per word does not. Only for ASCII text, where
    lowering is exactly what ``(?i)`` compares (beyond ASCII ``(?i)`` also folds ``ſ``, ``K``...)."""
    if not text.isascii():
        return HINT.search(text) is not None
    low = text.lower()
    if any(word in low for word in _HINT_WORDS):
        return True
    return ("_pat" in low or "-u" in low) and _HINT_REST.search(low) is not None
