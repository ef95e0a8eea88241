"""The only form in which a detected value may appear in a message."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Below this length nothing of the value is shown, only its length.
REVEAL_MIN = 20


def mask(secret: str) -> str:
    """``sk-p…9f (48 chars)``: 4 leading and 2 trailing characters of long values only."""
    n = len(secret)
    if n >= REVEAL_MIN:
        return f"`{secret[:4]}…{secret[-2:]}` ({n} chars)"
    return f"{n} chars"


def url_host(url: str) -> str:
    """The host of a URL (never its userinfo, path or query)."""
    if "@" in url:
        # Raw (unencoded) passwords may hold `#`/`?`: split after the last `@`.
        host = re.split(r"[:/?#]", url.rsplit("@", 1)[1], maxsplit=1)[0].lower()
    else:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
    return host[:80] or "an unknown host"
