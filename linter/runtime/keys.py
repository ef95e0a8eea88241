"""``${keys.NAME}`` substitution in outgoing HTTP requests.

Semantics (DESIGN.md; Tracecat at 4209a655 has no such feature, so this
follows the design, which matches the usual "key vault + fetch tool"
shape):
- references match ``\\$\\{keys\\.([A-Za-z0-9_-]+)\\}`` in the URL, header
  values and the body (strings anywhere inside JSON-like bodies);
- a name resolves in the requested scope; ``user`` falls back to
  ``workspace``; an undefined name is an error naming the key;
- each referenced key may carry a URL allowlist; the request's final URL
  must have the same origin (scheme, host, port; default ports
  normalised) as one entry; an empty allowlist allows any origin. The
  allowlist comes from the scope the key was found in. Every key
  referenced anywhere in the request is checked: a key in a header is sent
  to the URL's origin just as much as one in the URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from .values import SecretValue, reveal, scrub

KEY_REFERENCE = re.compile(r"\$\{keys\.([A-Za-z0-9_-]+)\}")
Scope = Literal["user", "workspace"]
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}


@dataclass(frozen=True)
class StoredKey:
    value: SecretValue
    #: Origins (or URLs) the key may be sent to; empty = anywhere.
    url_allowlist: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyStore:
    user: Mapping[str, StoredKey] = field(default_factory=dict)
    workspace: Mapping[str, StoredKey] = field(default_factory=dict)

    def lookup(self, name: str, scope: Scope = "user") -> tuple[StoredKey, Scope] | None:
        if scope == "user" and name in self.user:
            return self.user[name], "user"
        if name in self.workspace:
            return self.workspace[name], "workspace"
        return None


class KeyReferenceError(Exception):
    """Base class; messages name keys and origins, never values."""


class UndefinedKeyError(KeyReferenceError):
    def __init__(self, name: str, scope: Scope) -> None:
        self.name = name
        self.scope = scope
        where = "user or workspace scope" if scope == "user" else "workspace scope"
        super().__init__(f"Referenced key {name!r} is not defined in the {where}")


class KeyNotAllowedError(KeyReferenceError):
    def __init__(self, name: str, origin: str | None) -> None:
        self.name = name
        self.origin = origin
        target = origin or "an invalid URL"
        super().__init__(f"Key {name!r} may not be sent to {target}: not in its URL allowlist")


@dataclass(frozen=True)
class HttpRequest:
    url: str | SecretValue
    headers: Mapping[str, str | SecretValue] = field(default_factory=dict)
    body: object = None
    method: str = "GET"


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` with lower-case scheme/host and default ports dropped."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if not scheme or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def url_allowed(url: str, allowlist: tuple[str, ...] | list[str] | None) -> bool:
    if not allowlist:
        return True
    target = origin(url)
    return target is not None and any(origin(entry) == target for entry in allowlist)


def referenced_keys(obj: object) -> list[str]:
    """Key names referenced anywhere in a string or JSON-like object, in order."""
    found: dict[str, None] = {}
    for text in _strings(obj):
        for match in KEY_REFERENCE.finditer(text):
            found.setdefault(match.group(1), None)
    return list(found)


def substitute_keys(request: HttpRequest, keys: KeyStore, *, scope: Scope = "user") -> HttpRequest:
    """The request with every ``${keys.NAME}`` replaced; strings that received a value become SecretValues."""
    names = referenced_keys([request.url, list(request.headers.values()), request.body])
    resolved: dict[str, StoredKey] = {}
    for name in names:
        found = keys.lookup(name, scope)
        if found is None:
            raise UndefinedKeyError(name, scope)
        resolved[name] = found[0]
    url = _substitute(request.url, resolved)
    final_url = str(reveal(url))
    values = [k.value for k in resolved.values()]
    for name in names:
        if not url_allowed(final_url, resolved[name].url_allowlist):
            target = origin(final_url)
            raise KeyNotAllowedError(name, scrub(target, values) if target else None)
    headers = {h: _substitute(v, resolved) for h, v in request.headers.items()}
    return HttpRequest(url, headers, _substitute(request.body, resolved), request.method)


def _substitute(obj: object, resolved: Mapping[str, StoredKey]) -> object:
    if isinstance(obj, SecretValue):
        text = obj.get_secret_value()
        return SecretValue(KEY_REFERENCE.sub(lambda m: resolved[m.group(1)].value.get_secret_value(), text))
    if isinstance(obj, str):
        if not KEY_REFERENCE.search(obj):
            return obj
        return SecretValue(KEY_REFERENCE.sub(lambda m: resolved[m.group(1)].value.get_secret_value(), obj))
    if isinstance(obj, dict):
        return {k: _substitute(v, resolved) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_substitute(v, resolved) for v in obj)
    return obj


def _strings(obj: object, depth: int = 0) -> list[str]:
    if depth > 100:
        return []
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, SecretValue):
        return [obj.get_secret_value()]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v, depth + 1)]
    if isinstance(obj, (list, tuple)):
        return [s for v in obj for s in _strings(v, depth + 1)]
    return []
