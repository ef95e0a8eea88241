"""What a secret reference says: a well-formed ``name.KEY``, a key written
as a path, a token key, where a ``SECRETS`` reference fails to parse."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import SecretRef, SecretSpec
from ..tracecat import EXPRESSION_NAME_RE as CNAME_RE
from ..tracecat import SECRET_KEY_RE, TOKEN_SUFFIX_RE


def well_formed(ref: SecretRef) -> bool:
    """A template reference with exactly ``name.KEY`` (anything else is RL409)."""
    if ref.via != "template":
        return ref.key is not None
    return bool(
        ref.secret is not None
        and ref.key is not None
        and CNAME_RE.fullmatch(ref.secret)
        and CNAME_RE.fullmatch(ref.key)
    )


def path_key(raw: str) -> str | None:
    """The key a ``secrets.get`` argument meant, when it was written as a path.

    ``SECRETS.x.Y``, ``x.Y`` and ``${{ SECRETS.x.Y }}`` -> ``Y``; None when the
    argument is a plain key.
    """
    text = raw.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    elif text.startswith("{{") and text.endswith("}}"):
        text = text[2:-2].strip()
    if not ("." in text or text != raw.strip()):
        return None
    parts = [p.strip() for p in text.split(".")]
    if parts and parts[0].upper() == "SECRETS":
        parts = parts[1:]
    if len(parts) == 2 and all(SECRET_KEY_RE.fullmatch(p) for p in parts):
        return parts[1]
    return ""  # path-like but not `name.KEY`: still wrong, no fix


def token_like(key: str) -> bool:
    return bool(TOKEN_SUFFIX_RE.search(key))


def token_candidates(key: str, tokens: Sequence[tuple[str, SecretSpec]]) -> list[tuple[str, SecretSpec]]:
    """Declared token keys the reference most likely meant (same provider prefix first)."""
    prefix = TOKEN_SUFFIX_RE.sub("", key).upper()
    same = [(t, s) for t, s in tokens if s.provider_id is not None and (s.provider_id.text or "").upper() == prefix]
    return same or list(tokens)


# A secrets reference as written, right or wrong: any case, spaces around dots, `-` in segments.
_SECRETS_SPAN_RE = re.compile(r"(?<![\w.])(?i:secrets)(?:\s*\.\s*[\w-]+)*")


def secrets_parse_failure(text: str, error_offset: int) -> tuple[int, int, str] | None:
    """(start, end, message) when an expression Tracecat cannot parse fails inside a ``SECRETS`` reference.

    ``text`` is the expression and ``error_offset`` where its parse failed.
    RL409 reports such a failure (with what is wrong with the reference);
    RL611 every other one. Quoted text is not a reference.
    """
    if "ecrets" not in text.lower():
        return None
    from ..expressions import mask_strings

    for match in _SECRETS_SPAN_RE.finditer(mask_strings(text)):
        if not match.start() <= error_offset <= match.end():
            continue
        word = text[match.start() : match.start() + 7]
        segments = [s.strip() for s in text[match.start() + 7 : match.end()].split(".")[1:]]
        bad = next((s for s in segments if not CNAME_RE.fullmatch(s)), None)
        if word != "SECRETS":
            message = f"`{word}.` is not a context: the secrets context is `SECRETS` (uppercase)"
        elif bad is not None:
            message = f"`{bad}` cannot be written in an expression (letters, digits and `_`, not starting with a digit)"
        else:
            message = "Tracecat cannot parse this secrets reference: write `SECRETS.<name>.<KEY>` (no spaces, brackets or quotes)"
        return match.start(), match.end(), message
    return None
