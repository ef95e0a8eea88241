"""Does a value *look* like a secret? Entropy and shape, for values found by context.

Used only for strings a credential-like name points at (RL502/RL505): the
name already says "credential", so the question is whether the value is a
real one or a word, identifier, path, URL, number or description.
"""

from __future__ import annotations

import binascii
import math
import re
from collections import Counter

from .filters import VALUE_FILTERS, body, dropped

_SCHEME = re.compile(
    r"^(?P<scheme>Bearer|Basic|Token|token|Bot|SSWS|ApiKey|Apikey|api-key|Key|key|Digest|GenieKey|Splunk|OAuth|JWT)\s+(?P<rest>\S+)$"
)
_NUMBERISH = re.compile(r"^[\d.\-:/+_ TZ]+$")
_FILEISH = re.compile(r"\.(pem|key|json|txt|crt|cer|p12|pfx|ya?ml|env|cfg|ini|toml|py|der|jks|csv|log|md)$", re.I)
_REGEXISH = re.compile(r"\\[dwsSbDW]|\[[A-Za-z0-9]-[A-Za-z0-9]|\{\d+(?:,\d*)?\}|\(\?[:=!<P]|^\^|\$$")
_DOTTED_IDENT = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_CAMEL_PIECES = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

MIN_PASSWORD = 8
MIN_TOKEN = 12


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def char_classes(text: str) -> int:
    return sum(
        (
            any(c.islower() for c in text),
            any(c.isupper() for c in text),
            any(c.isdigit() for c in text),
            any(not c.isalnum() for c in text),
        )
    )


def split_scheme(value: str) -> tuple[str | None, str]:
    """``"Bearer abc"`` -> ``("Bearer", "abc")``; no scheme -> ``(None, value)``."""
    match = _SCHEME.match(value.strip())
    if match:
        return match.group("scheme"), match.group("rest")
    return None, value


def basic_password(encoded: str) -> str | None:
    """The password inside ``Basic <base64(user:pass)>``, or None if it is not that."""
    try:
        import base64  # rare: only base64-shaped values

        raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if ":" not in raw or not raw.isprintable():
        return None
    user, _, password = raw.partition(":")
    if password == user:
        return ""
    return password


_VERSIONISH = re.compile(r"^(?:[vV]\d{1,3}|[a-zA-Z]{1,3}\d{1,2}|\d{1,4})$")  # v1, s3, ec2, k8s, 2024
_SHORT_WORDS = frozenset(
    "id to do of in on at is it by my no or up go me we us an as be if so ok db io ui os ip ws "
    "am he hi oh ex re un pi tv "
    "v x y z".split()
) | frozenset("abcdefghijklmnopqrstuvwxyz")  # `s3`, `v1`, `ec2` split into a letter and a number
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
# Five consonants in a row: common in random letters, rare in words (`workspace` has four).
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]{5}")



def is_wordlike(text: str) -> bool:
    """``bearer``, ``my_secret_name``, ``apiKeyValue``, ``do-not-export``, ``tracecat-s3-credentials``.

    Words (with acronyms, versions and small numbers), not randomness: random
    mixed case splits into short non-words (``Nk``, ``Zf``) and stray capitals;
    a single run of lowercase letters counts as a word only up to 12 letters
    (longer ones are judged by entropy).
    """
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    pieces: list[str] = []
    for part in parts:
        found = _CAMEL_PIECES.findall(part)
        if "".join(found) != part:
            return False
        pieces.extend(found)
    if not pieces:
        return True
    if _HEX.match(text) and sum(c.isdigit() for c in text) >= 3:
        return False  # hex with digits is a digest or key, not words
    if len(pieces) == 1:
        piece = pieces[0]
        return piece.isalpha() and len(piece) <= 12 and bool(_VOWEL.search(piece))
    if sum(len(p) for p in parts) / len(pieces) < 3.0:
        return False  # random mixed case splits into many short pieces
    words = acronyms = numbers = 0
    for piece in pieces:
        if not piece.isalpha():
            if not _VERSIONISH.match(piece):
                return False
            numbers += 1
        elif piece.isupper():
            if len(piece) > 5:
                return False
            acronyms += 1
        elif len(piece) <= 2:
            if piece.lower() not in _SHORT_WORDS:
                return False
        elif (len(piece) >= 5 and not _VOWEL.search(piece)) or _CONSONANT_RUN.search(piece):
            return False
        else:
            words += 1
    return words >= 1 and numbers <= 2 and acronyms <= max(1, words // 2)


# Names of HTTP authentication schemes, given where a header value is expected.
AUTH_SCHEMES = frozenset({"aws4-hmac-sha256", "negotiate", "ntlm", "digest", "hoba", "mutual", "vapid",
                          "scram-sha-256", "scram-sha-1", "oauth", "bearer", "basic"})


def looks_random(value: str, kind: str | None) -> bool:
    """Shape and entropy test for a value a credential-like name points at."""
    v = value
    n = len(v)
    if v.lower() in AUTH_SCHEMES:
        return False
    if n > 400 or any(c.isspace() for c in v):
        return False
    if "://" in v or v.startswith(("/", "./", "../", "~/", "file:", "@")):
        return False
    if (v.startswith("*") or v.endswith("*")) and is_wordlike(v.strip("*")):
        return False  # a glob: `*directconnect*`, `rcs-tls-pw-stack*`
    if _NUMBERISH.match(v) or _FILEISH.search(v) or _REGEXISH.search(v):
        return False
    if _DOTTED_IDENT.match(v) and is_wordlike(v.rsplit(".", 1)[1]):
        return False  # `httpx.BasicAuth`, `settings.API_KEY`: a reference in code
    if is_wordlike(v) or is_wordlike(body(v)):
        return False
    if kind == "password":
        return n >= MIN_PASSWORD and (char_classes(v) >= 2 or entropy(v) >= 3.0)
    if n < MIN_TOKEN:
        return False
    ent = entropy(v)
    if _HEX.match(v):
        return n >= 16 and ent >= 3.0
    if char_classes(v) >= 2:
        return ent >= 3.0
    return n >= 20 and ent >= 3.5


def secret_value(value: str, kind: str | None, *, filename: str = "", line: str = "") -> str | None:
    """The secret part of ``value`` if it is a real-looking credential, else None.

    ``Bearer <token>`` yields the token; ``Basic <b64>`` is decoded and its
    password judged (``user:password`` in base64 is still a placeholder).
    """
    value = value.strip()
    if not value or "\n" in value:
        return None
    scheme, rest = split_scheme(value)
    if scheme is not None:
        if dropped(rest, filename=filename, line=line, filters=VALUE_FILTERS):
            return None
        if scheme.lower() == "basic":
            password = basic_password(rest)
            if password is not None:
                ok = len(password) >= 6 and not dropped(password, filename=filename, line=line)
                return rest if ok else None
        return rest if looks_random(rest, "token") else None
    if dropped(value, filename=filename, line=line, filters=VALUE_FILTERS):
        return None
    return value if looks_random(value, kind) else None
