"""An agent-native app's stored secrets: the ``app_secrets`` inventory format.

One user and the workspace/org they work in, as the app's settings would
show them (agent-native c31e9b58, ``packages/core/src/secrets/storage.ts``
rows are ``(scope, scope_id, key)``)::

    app_secrets:
      user:                           # scope -> key -> entry
        OPENAI_API_KEY: null          # stored; the value is optional, never printed
        SLACK_WEBHOOK:
          url_allowlist: [https://hooks.slack.com]
      workspace:
        GEMINI_API_KEY: {value: "..."}
      org: [POSTHOG_API_KEY]          # a list of keys is fine too
    oauth: [google]                   # providers the user has connected (kind: "oauth")
    keys_workspace_fallback: false    # AGENT_NATIVE_KEYS_WORKSPACE_FALLBACK

Values are optional and wrapped in :class:`SecretValue`, never printed.
Error messages name the file and the field, never a value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..agent_native import KEYS_FALLBACK_DEFAULT, SCOPES
from .keys import url_allowed
from .store import InventoryError, inventory_data
from .values import SecretValue

_TOP_LEVEL = ("app_secrets", "oauth", "keys_workspace_fallback")
_ENTRY_FIELDS = ("value", "url_allowlist", "description")


@dataclass(frozen=True)
class AppSecretRow:
    value: SecretValue
    #: Origins the key may be sent to with ``${keys.NAME}``; empty: anywhere.
    url_allowlist: tuple[str, ...] = ()

    def allows(self, url: str) -> bool:
        return url_allowed(url, self.url_allowlist)


@dataclass(frozen=True)
class AppSecretStore:
    """``{scope: {key: row}}`` plus connected OAuth providers."""

    scopes: Mapping[str, Mapping[str, AppSecretRow]] = field(default_factory=dict)
    oauth: frozenset[str] = frozenset()
    keys_workspace_fallback: bool = KEYS_FALLBACK_DEFAULT

    def row(self, scope: str, key: str) -> AppSecretRow | None:
        return self.scopes.get(scope, {}).get(key)


def is_app_inventory(path: str | Path) -> bool:
    """Whether ``path`` is an agent-native inventory (top-level ``app_secrets``).
    Unreadable or malformed files are not: the Tracecat loader reports them."""
    try:
        data = inventory_data(path)
    except (InventoryError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and "app_secrets" in data


def load_app_inventory(path: str | Path) -> AppSecretStore:
    return parse_app_inventory(inventory_data(path), source=str(path))


def parse_app_inventory(data: object, *, source: str = "inventory") -> AppSecretStore:
    if not isinstance(data, dict):
        raise InventoryError(f"{source}: the inventory must be a mapping with `app_secrets`")
    unknown = sorted(str(k) for k in data if k not in _TOP_LEVEL)
    if unknown:
        raise InventoryError(
            f"{source}: unknown top-level field(s) {', '.join(map(repr, unknown))} in an agent-native inventory; "
            f"expected {', '.join(_TOP_LEVEL)} (a Tracecat inventory has no `app_secrets`)"
        )
    raw = data.get("app_secrets") or {}
    if not isinstance(raw, dict):
        raise InventoryError(f"{source}: app_secrets must map scopes ({', '.join(SCOPES)}) to keys")
    scopes: dict[str, Mapping[str, AppSecretRow]] = {}
    for scope, rows in raw.items():
        if scope not in SCOPES:
            raise InventoryError(f"{source}: app_secrets.{scope}: unknown scope; expected one of {', '.join(SCOPES)}")
        scopes[scope] = MappingProxyType(_rows(rows, f"{source}: app_secrets.{scope}"))
    oauth = data.get("oauth") or []
    if not isinstance(oauth, list) or not all(isinstance(p, str) and p for p in oauth):
        raise InventoryError(f"{source}: oauth must be a list of provider ids (e.g. [google])")
    fallback = data.get("keys_workspace_fallback", KEYS_FALLBACK_DEFAULT)
    if not isinstance(fallback, bool):
        raise InventoryError(f"{source}: keys_workspace_fallback must be true or false")
    return AppSecretStore(MappingProxyType(scopes), frozenset(oauth), fallback)


def _rows(raw: object, where: str) -> dict[str, AppSecretRow]:
    if raw is None:
        return {}
    if isinstance(raw, list):
        if not all(isinstance(k, str) and k for k in raw):
            raise InventoryError(f"{where}: keys must be non-empty strings")
        return {k: AppSecretRow(SecretValue.unset()) for k in raw}
    if not isinstance(raw, dict):
        raise InventoryError(f"{where}: expected a list of keys or a KEY: entry mapping")
    out: dict[str, AppSecretRow] = {}
    for key, entry in raw.items():
        at = f"{where}.{key}"
        if not isinstance(key, str) or not key:
            raise InventoryError(f"{where}: keys must be non-empty strings")
        if entry is None:
            out[key] = AppSecretRow(SecretValue.unset())
            continue
        if isinstance(entry, str):
            out[key] = AppSecretRow(SecretValue(entry))
            continue
        if not isinstance(entry, dict):
            raise InventoryError(f"{at}: expected null, a value, or a mapping with {', '.join(_ENTRY_FIELDS)}")
        extra = sorted(str(k) for k in entry if k not in _ENTRY_FIELDS)
        if extra:
            raise InventoryError(f"{at}: unknown field(s) {', '.join(map(repr, extra))}")
        value = entry.get("value")
        if value is not None and not isinstance(value, str):
            raise InventoryError(f"{at}.value: must be a string or empty")  # never echo it
        allow = entry.get("url_allowlist") or []
        if not isinstance(allow, list) or not all(isinstance(u, str) and u for u in allow):
            raise InventoryError(f"{at}.url_allowlist: must be a list of URLs")
        out[key] = AppSecretRow(SecretValue(value) if value is not None else SecretValue.unset(), tuple(allow))
    return out
