"""Read a workspace's inventory from Tracecat's REST API (``resolve --workspace``).

Two ``GET`` routes, both of which accept a service-account API key and return
names only, never a value (routes, fields and why these two: the API section
of ``linter/tracecat.py``):

- ``/workspaces/{id}/secrets``: ``SecretReadMinimal`` per secret, in every
  environment: ``name``, ``keys`` (key *names*), ``environment``,
  ``is_corrupted``;
- ``/workspaces/{id}/providers``: ``ProviderReadMinimal`` per OAuth
  provider: ``id``, ``grant_type``, ``integration_status``.

What is read becomes inventory data (the file format of
``store.parse_inventory``), so a live check and a check against an exported
snapshot are the same check. Only the fields above are copied; anything
else in a response (descriptions, ids, a value should a server ever send
one) is dropped unread.

Failures raise :class:`WorkspaceError`, whose one-line message never holds
the API key nor response content (only status codes, field paths, types and
names). Nothing partial is returned: every page is read or the read fails.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.client import HTTPException

from ..tracecat import (
    API_PROVIDERS_PATH,
    API_SCOPES,
    API_SECRETS_PATH,
    API_WORKSPACE_PREFIX,
    GRANT_TYPES,
    INTEGRATION_STATUSES,
    INTEGRATION_USABLE,
)
from .store import DEFAULT_ENVIRONMENT
from .values import SecretValue

#: The environment variable holding the API key (``--api-key-file`` instead).
API_KEY_ENV = "TRACECAT_API_KEY"
DEFAULT_TIMEOUT = 30.0
#: A workspace with more pages than this is refused rather than half-read.
MAX_PAGES = 100
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024
_LOOPBACK_NAMES = ("localhost",)


class WorkspaceError(Exception):
    """Reading the workspace failed. The message is one line, without the key."""


@dataclass(frozen=True)
class Workspace:
    """Where to read from. ``url`` is the API's base URL (``.../api``)."""

    url: str
    workspace_id: str
    timeout: float = DEFAULT_TIMEOUT
    context: ssl.SSLContext | None = field(default=None, repr=False)
    max_pages: int = MAX_PAGES

    def endpoint(self, path: str) -> str:
        return self.url + API_WORKSPACE_PREFIX.format(workspace_id=self.workspace_id) + path


@dataclass(frozen=True)
class WorkspaceInventory:
    """What was read: inventory data (``store.parse_inventory`` format) and notes."""

    data: dict[str, object]
    notes: tuple[str, ...] = ()
    secrets: int = 0
    integrations: int = 0


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# HTTP ----------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: following it could send the key to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _opener(workspace: Workspace) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPSHandler(context=workspace.context), _NoRedirect()]
    if is_loopback(urllib.parse.urlsplit(workspace.url).hostname or ""):
        # $HTTP(S)_PROXY applies to real hosts; a proxy cannot reach our loopback.
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _get_json(workspace: Workspace, api_key: SecretValue, path: str, params: Mapping[str, str]) -> object:
    url = workspace.endpoint(path) + (("?" + urllib.parse.urlencode(sorted(params.items()))) if params else "")
    where = f"GET {workspace.endpoint(path)}"
    request = urllib.request.Request(url, method="GET", headers={"Accept": "application/json", "User-Agent": _user_agent()})
    # Unredirected: never copied onto another request.
    request.add_unredirected_header("Authorization", "Bearer " + api_key.get_secret_value())
    deadline = time.monotonic() + workspace.timeout
    try:
        with _opener(workspace).open(request, timeout=workspace.timeout) as response:
            content_type = response.headers.get_content_type()
            body = _read_body(response, deadline, where, workspace.timeout)
    except urllib.error.HTTPError as exc:
        try:
            detail = _read_error_body(exc)
        finally:
            exc.close()
        raise WorkspaceError(_http_error(exc.code, where, detail, exc.headers.get("Location"))) from None
    except urllib.error.URLError as exc:
        raise WorkspaceError(_connection_error(exc.reason, workspace)) from None
    except (TimeoutError, socket.timeout):
        raise WorkspaceError(f"{where}: timed out after {workspace.timeout:g} s (change with --timeout)") from None
    except ssl.SSLError as exc:
        raise WorkspaceError(_connection_error(exc, workspace)) from None
    except (HTTPException, OSError) as exc:
        raise WorkspaceError(f"{where}: connection failed ({type(exc).__name__})") from None
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        hint = " (HTML: is --workspace the API's base URL, usually ending in /api?)" if content_type == "text/html" else ""
        raise WorkspaceError(f"{where}: the response is not JSON (content type {content_type}){hint}") from None


def _user_agent() -> str:
    from .. import __version__

    return f"registry-lint/{__version__}"


def _read_body(response, deadline: float, where: str, timeout: float) -> bytes:
    """The whole body, within the size limit and the overall deadline (a slow
    trickle of bytes must not keep the read alive forever)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(_CHUNK)  # at most one socket read: read() would wait for all of it
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise WorkspaceError(f"{where}: the response is larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MiB")
        chunks.append(chunk)


def _read_error_body(exc: urllib.error.HTTPError) -> object:
    try:
        return json.loads(exc.read(64 * 1024))
    except Exception:  # an unreadable error body only loses detail
        return None


def _http_error(code: int, where: str, detail: object, location: str | None) -> str:
    if code == 401:
        return (
            f"{where}: HTTP 401: the workspace rejected the API key (revoked, disabled, unknown, "
            "or the organization has no service accounts)"
        )
    if code == 403:
        missing = _missing_scopes(detail)
        if missing:
            return f"{where}: HTTP 403: the API key lacks the scope(s) {', '.join(missing)} (needs {', '.join(API_SCOPES)})"
        return (
            f"{where}: HTTP 403: the API key may not read this workspace (a workspace key for another "
            f"workspace, or an organization key from another organization); it needs {', '.join(API_SCOPES)}"
        )
    if code == 404:
        return f"{where}: HTTP 404: check --workspace (the API's base URL, usually ending in /api) and --workspace-id"
    if 300 <= code < 400:
        target = _origin(location) if location else "elsewhere"
        return f"{where}: HTTP {code}: redirected to {target}; give the final API URL as --workspace (redirects are not followed)"
    return f"{where}: HTTP {code}" + (": server error" if code >= 500 else "")


def _missing_scopes(detail: object) -> list[str]:
    """``scope_denied_exception_handler``'s body (tracecat/api/app.py): ``{"error": {"missing_scopes": [...]}}``."""
    error = detail.get("error") if isinstance(detail, dict) else None
    scopes = error.get("missing_scopes") if isinstance(error, dict) else None
    if not isinstance(scopes, list):
        return []
    # Only scope-shaped strings are echoed: the body is the server's text.
    return [s for s in scopes if isinstance(s, str) and len(s) <= 64 and all(c.isalnum() or c in ":_*-." for c in s)]


def _origin(url: str) -> str:
    try:
        parts = urllib.parse.urlsplit(url)
        return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return "an invalid URL"


def _connection_error(reason: object, workspace: Workspace) -> str:
    base = f"cannot connect to {_origin(workspace.url)}"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"{base}: TLS certificate verification failed ({reason.verify_message}); pass --ca-bundle FILE or set SSL_CERT_FILE"
    if isinstance(reason, ssl.SSLError):
        return f"{base}: TLS error ({reason.reason or type(reason).__name__})"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"{base}: timed out after {workspace.timeout:g} s (change with --timeout)"
    if isinstance(reason, socket.gaierror):
        return f"{base}: host name not found"
    if isinstance(reason, ConnectionRefusedError):
        return f"{base}: connection refused"
    if isinstance(reason, OSError):
        return f"{base}: {reason.strerror or type(reason).__name__}"
    return f"{base}: {type(reason).__name__}"


def get_all(workspace: Workspace, api_key: SecretValue, path: str) -> list[object]:
    """Every item of a list route. At 4209a655 both routes answer a plain JSON
    list (complete by construction); a ``CursorPaginatedResponse`` is followed
    through ``next_cursor`` up to ``max_pages``, and anything else is refused."""
    where = f"GET {workspace.endpoint(path)}"
    items: list[object] = []
    params: dict[str, str] = {}
    seen: set[str] = set()
    for _ in range(workspace.max_pages):
        body = _get_json(workspace, api_key, path, params)
        if isinstance(body, list):
            if params:
                raise WorkspaceError(f"{where}: a page after the first is not a paginated response")
            return body
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise WorkspaceError(f"{where}: unexpected response: expected a list or {{items, next_cursor}}, got {_kind(body)}")
        items.extend(body["items"])
        cursor = body.get("next_cursor")
        if body.get("has_more") is not True and cursor is None:
            return items
        if not isinstance(cursor, str) or not cursor:
            raise WorkspaceError(f"{where}: unexpected response: has_more without a next_cursor")
        if cursor in seen:
            raise WorkspaceError(f"{where}: unexpected response: the same next_cursor twice (a pagination loop)")
        seen.add(cursor)
        params = {"cursor": cursor}
    raise WorkspaceError(
        f"{where}: more than {workspace.max_pages} pages; refusing to use a partial inventory"
    )


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


# Responses -> inventory data -----------------------------------------------------------
def read_inventory(workspace: Workspace, api_key: SecretValue) -> WorkspaceInventory:
    secrets = get_all(workspace, api_key, API_SECRETS_PATH)
    providers = get_all(workspace, api_key, API_PROVIDERS_PATH)
    return inventory_data(
        secrets, providers, secrets_where=f"GET {workspace.endpoint(API_SECRETS_PATH)}",
        providers_where=f"GET {workspace.endpoint(API_PROVIDERS_PATH)}",
    )


def inventory_data(
    secrets: list[object], providers: list[object], *, secrets_where: str = "secrets", providers_where: str = "providers"
) -> WorkspaceInventory:
    """``list[SecretReadMinimal]`` + ``list[ProviderReadMinimal]`` -> inventory data."""
    by_env: dict[str, dict[str, list[str]]] = {}
    notes: list[str] = []
    for index, item in enumerate(secrets):
        at = f"{secrets_where}: item {index}"
        name = _field(item, "name", str, at)
        env = _field(item, "environment", str, at)
        keys = _field(item, "keys", list, at)
        if not name or not env:
            raise WorkspaceError(f"{at}: `name` and `environment` must not be empty")
        if not all(isinstance(k, str) and k for k in keys):
            raise WorkspaceError(f"{at}: `keys` must be a list of key names (strings)")
        corrupted = item.get("is_corrupted", False) if isinstance(item, dict) else False
        if not isinstance(corrupted, bool):
            raise WorkspaceError(f"{at}: `is_corrupted` must be a boolean")
        target = by_env.setdefault(env, {})
        if name in target:  # UniqueConstraint(name, environment, workspace_id)
            raise WorkspaceError(f"{at}: secret {name!r} is listed twice in environment {env!r}")
        target[name] = sorted(set(keys))
        if corrupted:
            notes.append(
                f"secret {name!r} (environment {env!r}) is marked is_corrupted by Tracecat: "
                "its keys cannot be decrypted, so it is treated as having none"
            )
    oauth: list[dict[str, str]] = []
    for index, item in enumerate(providers):
        at = f"{providers_where}: item {index}"
        pid = _field(item, "id", str, at)
        grant = _field(item, "grant_type", str, at)
        status = _field(item, "integration_status", str, at)
        if not pid:
            raise WorkspaceError(f"{at}: `id` must not be empty")
        if grant not in GRANT_TYPES:
            raise WorkspaceError(f"{at}: `grant_type` is not one of {', '.join(GRANT_TYPES)}")
        if status not in INTEGRATION_STATUSES:
            raise WorkspaceError(f"{at}: `integration_status` is not one of {', '.join(INTEGRATION_STATUSES)}")
        if status == "not_configured":  # every provider is listed; most are unused
            continue
        entry = {"provider_id": pid, "grant_type": grant}
        if status != INTEGRATION_USABLE:
            entry["status"] = status
        oauth.append(entry)
    oauth.sort(key=lambda e: (e["provider_id"], e["grant_type"]))
    if len({(e["provider_id"], e["grant_type"]) for e in oauth}) != len(oauth):
        raise WorkspaceError(f"{providers_where}: a provider and grant type are listed twice")
    data: dict[str, object] = {"secrets": dict(sorted(by_env.pop(DEFAULT_ENVIRONMENT, {}).items()))}
    if by_env:
        data["environments"] = {env: {"secrets": dict(sorted(s.items()))} for env, s in sorted(by_env.items())}
    data["oauth"] = oauth
    count = sum(len(s) for s in by_env.values()) + len(data["secrets"])
    return WorkspaceInventory(data, tuple(notes), count, len(oauth))


def _field(item: object, name: str, kind: type, at: str):
    if not isinstance(item, dict):
        raise WorkspaceError(f"{at}: unexpected response: expected an object, got {_kind(item)}")
    if name not in item:
        raise WorkspaceError(f"{at}: unexpected response: no `{name}` field")
    value = item[name]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise WorkspaceError(f"{at}: unexpected response: `{name}` is {_kind(value)}")
    return value
