"""Checks a format match must pass beyond its regex (``Detector.validate``): a JWT's
header and payload are JSON, a PEM body is a real key, a URL's password is not its port.

Each takes the whole match (or the secret part, where the detector says so) and returns
whether it is a credential of that format.
"""

from __future__ import annotations

import binascii
import json
import re

from . import filters as f


def b64decode(part: str) -> bytes | None:
    try:
        import base64  # only for JWT-shaped candidates

        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        return None


def valid_jwt(token: str) -> bool:
    """Header and payload are JSON objects, the header names a real algorithm, it is signed."""
    parts = token.split(".")
    if len(parts) != 3 or len(parts[2]) < 16:
        return False
    try:
        header = json.loads((b64decode(parts[0]) or b"").decode("utf-8"))
        payload = json.loads((b64decode(parts[1]) or b"").decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return False
    alg = str(header.get("alg", ""))
    return bool(alg) and alg.lower() != "none"


def valid_discord_bot(token: str) -> bool:
    """The first segment of a bot token is the base64 of the bot's numeric id."""
    raw = b64decode(token.split(".", 1)[0])
    return raw is not None and raw.isdigit() and 15 <= len(raw) <= 21


def valid_aws_key_id(token: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9]{4}[A-Z2-7]{16}", token))


def random_enough(secret: str, min_classes: int = 2) -> bool:
    from .shape import char_classes, entropy

    return char_classes(secret) >= min_classes and entropy(secret) >= 3.0


def valid_pem_block(block: str) -> bool:
    """A BEGIN/END block with a real body (not ``...`` or a placeholder line)."""
    inner = re.sub(r"^-----BEGIN[^-]*-----|-----END[^-]*-----$", "", block.strip())
    inner = inner.replace("\\r", "").replace("\\n", "\n")
    body = "".join(
        re.sub(r"^[\s\"'+,(]*|[\s\"'+,)]*$", "", ln)
        for ln in inner.splitlines()
        if ":" not in ln  # Proc-Type / DEK-Info / Version headers
    )
    if len(body) < 64 or "..." in body or "\u2026" in body or "EXAMPLE" in body.upper():
        return False
    if not re.fullmatch(r"[A-Za-z0-9+/=\s\"']+", body):
        return False
    core = re.sub(r"[^A-Za-z0-9+/]", "", body)
    # Real bodies start with long runs (`b3BlbnNzaC1rZXktdjEAAAAA...`): judge diversity only.
    return len(set(core)) > 20 and len(set(core[-64:])) > 16


def valid_b64_pem(token: str) -> bool:
    raw = b64decode(token.replace("+", "-").replace("/", "_").rstrip("="))
    if raw is None:
        return False
    text = raw.decode("latin-1")
    return "PRIVATE KEY" in text and valid_pem_block(text.strip())


def basic_auth_password(url: str) -> str:
    userinfo = url.split("://", 1)[1].rsplit("@", 1)[0]
    return userinfo.partition(":")[2]


def valid_basic_auth(url: str) -> bool:
    userinfo = url.split("://", 1)[1].rsplit("@", 1)[0]
    user, _, password = userinfo.partition(":")
    if not password or password == user or password.startswith("$") or len(password) < 3:
        return False
    return not re.fullmatch(r"\d{1,5}", password)  # host:port, not a password


def query_value_ok(value: str) -> bool:
    from .shape import looks_random

    return looks_random(value, "token")


def last_segment(url: str) -> str:
    return re.split(r"[/=]", url.rstrip("/"))[-1]


def slack_token_ok(token: str) -> bool:
    return len(token.rsplit("-", 1)[-1]) >= 16 and random_enough(token.rsplit("-", 1)[-1])


def not_glued(token: str) -> bool:
    return random_enough(f.body(token))
