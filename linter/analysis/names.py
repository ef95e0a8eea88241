"""Identifiers: snake_case words, whether a name names a credential, whether
a type annotation is a flag rather than text."""

from __future__ import annotations

import re


def snake_case(text: str) -> str:
    """``My-Secret`` -> ``my_secret``, ``mySecret`` -> ``my_secret``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    return re.sub(r"_+", "_", text)


_CREDENTIAL_LAST = frozenset({"password", "passwd", "passphrase", "secret", "token", "apikey"})


_CREDENTIAL_PAIRS = frozenset({("api", "key"), ("private", "key"), ("secret", "key"), ("signing", "key"), ("encryption", "key"), ("master", "key"), ("access", "token")})


# `<word>_token` that is not a credential (pagination cursors and the like).
_NOT_CREDENTIAL_TOKEN = frozenset(
    {"page", "next", "continuation", "pagination", "sync", "cursor", "resume", "continue", "skip", "start", "delta",
     "change", "max", "scroll", "search", "offset", "prev", "previous", "last", "after", "before", "csrf", "num", "input", "output",
     # Slack's event-scoped `action_token` arrives with each event: it cannot be a stored secret.
     "action"}
)


# Plurals judged like their singular (`credentials` and `secrets` stay out: often lists of
# ids or names).
_PLURALS = frozenset({"passwords", "passwds", "passphrases", "tokens", "apikeys", "keys"})


# A hash of a credential (breach lookups) is not the credential.
_NOT_CREDENTIAL_WORDS = frozenset({"hash", "hashed", "sha1", "sha256", "md5", "hint", "policy"})


def name_words(name: str) -> list[str]:
    return [w for w in snake_case(name).split("_") if w]


def credential_name(name: str) -> bool:
    """Whether an identifier names a credential: judged by its last word(s).

    ``api_key``, ``client_secret``, ``password``, ``token``, ``x_access_token``,
    ``ssh_private_key`` are; ``page_token``, ``token_type``, ``secret_type``,
    ``max_tokens``, ``secret_name`` are not.
    """
    words = name_words(name)
    if not words or _NOT_CREDENTIAL_WORDS.intersection(words):
        return False
    if words[-1] in _PLURALS:  # `passwords`, `api_keys`, `access_tokens`
        words = [*words[:-1], words[-1][:-1]]
    last = words[-1]
    if last == "token":
        return len(words) == 1 or words[-2] not in _NOT_CREDENTIAL_TOKEN
    if last in _CREDENTIAL_LAST:
        return True
    if len(words) >= 3 and words[-3:] == ["secret", "access", "key"]:
        return True
    return len(words) >= 2 and (words[-2], last) in _CREDENTIAL_PAIRS


def non_text_type(type_text: str | None) -> bool:
    """True for `bool`, `int | None`, `Optional[float]`...: such a value is a flag, not a credential."""
    if not type_text:
        return False
    text = type_text.replace(" ", "")
    if text.startswith(("Optional[", "typing.Optional[")) and text.endswith("]"):
        text = text[text.index("[") + 1 : -1]
    parts = {p for p in text.split("|") if p not in ("None", "none", "null")}
    return bool(parts) and parts <= {"bool", "int", "float"}
