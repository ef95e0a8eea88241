"""Does a value *look* like a secret? Entropy and shape, for values found by context.

Used only for strings a credential-like name points at (RL502/RL505): the
name already says "credential", so the question is whether the value is a
real one or a word, identifier, path, URL, number or description. Passwords
people choose are words and years, not randomness: ``human_password`` tells
them from identifiers and placeholders by how they mix character classes.
"""

from __future__ import annotations

import binascii
import math
import re
from collections import Counter
from collections.abc import Callable

from .filters import HUMAN_FILTERS, VALUE_FILTERS, body, dropped
from .words import is_class_list, is_natural_word

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
    if is_natural_word(v) or is_class_list(v):
        return False  # `Authentifizierungstoken` (a translation), `max-[1199px]:text-lg` (a class)
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


# Symbols people add to a password they choose. `-_./:` also join identifiers, `=` key=value
# text; a leading symbol makes a tag, anchor, glob, comment, reference or query instead.
_PASSWORD_SYMBOLS = frozenset("!@#$%^&*+?~")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
# `Password123`, `Welcome1`, `BlueHorse42`, `myPassword7`: capitalised words, then a number.
_WORDS_THEN_NUMBER = re.compile(r"^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*[0-9]+$")
# `walnut1984`, `sunshine2024`: one lowercase word of 4+ letters, then 2-4 digits.
_WORD_THEN_YEAR = re.compile(r"^[a-z]{4,}[0-9]{2,4}$")
MAX_HUMAN = 64
#: A symbol, letters and a digit make a password from 7 characters on (`Otter6#`); 8 otherwise.
MIN_HUMAN = 7


def human_password(value: str, kind: str | None) -> str | None:
    """Whether ``value`` is a password a person chose rather than an identifier, a word or a
    placeholder: ``"decorated"``, ``"plain"`` or None.

    Decorated (the value mixes what identifiers keep apart; for passwords and secrets):
    letters with a password symbol (``!@#$%^&*+?~``) and a digit or both cases
    (``Welcome1!``, ``Maple#4410river``, ``P@ssw0rd``); or both cases and a digit, either as
    capitalised words followed by a number (``Password123``, ``Summer2024``) or as pieces
    joined by ``-``/``_``/``.`` whose case styles differ (``tiger-orbit-519-Qxzv``; a naming
    convention keeps one style: ``Acme-Prod-2``). Plain (passwords only): one lowercase
    word of 4+ letters and 2-4 digits (``walnut1984``). Never: under 8 characters (7 with a
    symbol: ``Otter6#``) or over 64, whitespace, ``=``, a leading symbol, URLs, e-mail
    addresses, file names, regexes, numbers, dates, dotted references, camel-case
    identifiers with digits inside (``apiKeyV2``, ``Ec2Instance``), a lone word
    (``Password``), all-lowercase kebab names (passphrases included: they look the same).
    """
    v = value
    if not MIN_HUMAN <= len(v) <= MAX_HUMAN or not v.isascii() or not v.isprintable():
        return None
    if any(c.isspace() for c in v) or "=" in v or not v[0].isalnum() or "://" in v:
        return None
    if _EMAIL.match(v) or _FILEISH.search(v) or _REGEXISH.search(v) or _NUMBERISH.match(v):
        return None
    if _DOTTED_IDENT.match(v):
        return None
    upper = any(c.isupper() for c in v)
    lower = any(c.islower() for c in v)
    digit = any(c.isdigit() for c in v)
    if not (upper or lower):
        return None
    if any(c in _PASSWORD_SYMBOLS for c in v):
        return "decorated" if digit or (upper and lower) else None
    if len(v) < MIN_PASSWORD:
        return None
    if upper and lower and digit:
        if _WORDS_THEN_NUMBER.match(v):
            return "decorated"
        pieces = [p for p in re.split(r"[-_.]", v) if p.isalpha()]
        styles = {"lower" if p.islower() else "upper" if p.isupper() else "title" if p[1:].islower() else "mixed"
                  for p in pieces}
        return "decorated" if len(pieces) >= 2 and len(styles) >= 2 and "mixed" not in styles else None
    if kind == "password" and _WORD_THEN_YEAR.match(v):
        return "plain"
    return None


def secret_value(
    value: str, kind: str | None, *, filename: str = "", line: str = "", known_format: Callable[[str], bool] | None = None
) -> str | None:
    """The secret part of ``value`` if it is a real-looking credential, else None.

    ``Bearer <token>`` yields the token; ``Basic <b64>`` is decoded and its
    password judged (``user:password`` in base64 is still a placeholder).
    ``known_format``: as for ``filters.dropped``.
    """
    value = value.strip()
    if not value or "\n" in value:
        return None
    scheme, rest = split_scheme(value)
    if scheme is not None:
        if dropped(rest, filename=filename, line=line, filters=VALUE_FILTERS, known_format=known_format):
            return None
        if scheme.lower() == "basic":
            password = basic_password(rest)
            if password is not None:
                ok = len(password) >= 6 and not dropped(password, filename=filename, line=line, known_format=known_format)
                return rest if ok else None
        return rest if looks_random(rest, "token") else None
    if kind in ("password", "secret"):
        chosen = human_password(value, kind)
        if chosen == "decorated":
            return None if dropped(value, filename=filename, line=line, filters=HUMAN_FILTERS, known_format=known_format) else value
        if chosen == "plain":
            return None if dropped(value, filename=filename, line=line, filters=VALUE_FILTERS, known_format=known_format) else value
    if dropped(value, filename=filename, line=line, filters=VALUE_FILTERS, known_format=known_format):
        return None
    return value if looks_random(value, kind) else None
