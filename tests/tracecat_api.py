"""A stand-in for Tracecat's REST API on 127.0.0.1, for ``resolve --workspace`` tests.

Response bodies are built from Tracecat's schemas at 4209a655, field for
field: ``SecretReadMinimal`` (tracecat/secrets/schemas.py),
``ProviderReadMinimal`` (tracecat/integrations/schemas.py),
``CursorPaginatedResponse`` (tracecat/pagination.py) and the error bodies of
tracecat/auth/credentials.py (``UNAUTHORIZED_EXCEPTION``) and
tracecat/api/app.py (``scope_denied_exception_handler``). Authentication
follows ``_authenticate_api_key``: a ``Bearer`` service-account key, a
workspace key bound to one workspace.

Stdlib only; the server runs in a thread on a random free port and is
stopped by the fixture that started it. ``faults`` per route path inject
what a real deployment can do wrong: an error status, a slow or trickling
response, malformed JSON, an HTML page, pagination (endless, looping).
"""

from __future__ import annotations

import json
import ssl
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

API_ROOT = "/api"  # TRACECAT__API_ROOT_PATH's default (tracecat/config.py)
WORKSPACE_ID = "3f0e5b4c-8d1a-4c2e-9b7f-6a5d4c3b2a10"
#: Recognisable, fake, and in the shape Tracecat issues (``tc_ws_sk_`` + key id + secret).
API_KEY = "tc_ws_sk_" + "LEAKCANARYid" + "_" + "Zq8vN3xR7tY2wK9mB4cL6pD1sE5fH0jUa"
#: Every built-in provider ``list_providers`` returns (``all_providers()``), a few of them.
BUILTIN_PROVIDERS = (
    ("github", "authorization_code"),
    ("google", "client_credentials"),
    ("microsoft_entra", "authorization_code"),
    ("microsoft_teams", "authorization_code"),
    ("microsoft_teams", "client_credentials"),
    ("slack", "authorization_code"),
)


def secret_read_minimal(
    name: str, keys: list[str], environment: str = "default", *, type: str = "custom", is_corrupted: bool = False
) -> dict[str, object]:
    """``SecretReadMinimal``: id, type, name, description, keys, environment, is_corrupted."""
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"secret/{environment}/{name}")),
        "type": type,
        "name": name,
        "description": f"{name} credentials",
        "keys": keys,
        "environment": environment,
        "is_corrupted": is_corrupted,
    }


def provider_read_minimal(provider_id: str, grant_type: str, integration_status: str = "not_configured") -> dict[str, object]:
    """``ProviderReadMinimal``: id, name, description, requires_config, integration_status, enabled, grant_type."""
    return {
        "id": provider_id,
        "name": provider_id.replace("_", " ").title(),
        "description": f"{provider_id} OAuth provider",
        "requires_config": True,
        "integration_status": integration_status,
        "enabled": True,
        "grant_type": grant_type,
    }


def providers(connected: dict[tuple[str, str], str]) -> list[dict[str, object]]:
    """The provider list with the given ``{(id, grant): status}``; the rest not configured."""
    keys = sorted(set(BUILTIN_PROVIDERS) | set(connected))
    return [provider_read_minimal(pid, grant, connected.get((pid, grant), "not_configured")) for pid, grant in keys]


@dataclass
class Fault:
    status: int = 200
    body: bytes | None = None
    content_type: str = "application/json"
    delay: float = 0.0  # before the status line
    trickle: float = 0.0  # between body bytes, after the headers
    headers: dict[str, str] = field(default_factory=dict)
    #: Body bytes written so far (a client that gave up early leaves this short).
    sent: int = 0


@dataclass
class Workspace:
    secrets: list[dict[str, object]] = field(default_factory=list)
    providers: list[dict[str, object]] = field(default_factory=lambda: providers({}))
    api_key: str = API_KEY
    workspace_id: str = WORKSPACE_ID
    scopes: tuple[str, ...] = ("secret:read", "integration:read")
    #: Serve lists as CursorPaginatedResponse pages of this size (0: a plain list, as Tracecat does).
    page_size: int = 0
    #: "endless": has_more forever; "loop": the same next_cursor again; "has_more": has_more without a cursor.
    pagination_bug: str = ""
    faults: dict[str, Fault] = field(default_factory=dict)
    #: (method, path with query, Authorization header) of every request.
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # http.server's naming
        ws = self.server.workspace
        auth = self.headers.get("Authorization")
        ws.requests.append(("GET", self.path, auth))
        url = urlsplit(self.path)
        prefix = f"{API_ROOT}/workspaces/"
        route = url.path[len(prefix):].split("/", 1) if url.path.startswith(prefix) else []
        fault = ws.faults.get(route[1] if len(route) == 2 else "")
        if fault is not None and self._fault(fault):
            return
        if len(route) != 2 or route[1] not in ("secrets", "providers"):
            return self._json(404, {"detail": "Not Found"})
        scheme, _, token = (auth or "").partition(" ")
        if scheme.lower() != "bearer" or token.strip() != ws.api_key:
            # UNAUTHORIZED_EXCEPTION; a non-key bearer token is ignored, so also 401.
            return self._json(401, {"detail": "Unauthorized"}, {"WWW-Authenticate": "Cookie"})
        if route[0] != ws.workspace_id:
            return self._json(403, {"detail": "Forbidden"})  # a workspace key used for another workspace
        scope = "secret:read" if route[1] == "secrets" else "integration:read"
        if scope not in ws.scopes:
            return self._json(403, {"error": {
                "code": "insufficient_scope", "message": f"Missing required scopes: {scope}",
                "required_scopes": [scope], "missing_scopes": [scope],
            }})
        items = ws.secrets if route[1] == "secrets" else ws.providers
        if not ws.page_size:
            return self._json(200, items)
        cursor = parse_qs(url.query).get("cursor", ["0"])[0]
        start = int(cursor)
        page = items[start:start + ws.page_size]
        more = start + ws.page_size < len(items)
        next_cursor: str | None = str(start + ws.page_size) if more else None
        if ws.pagination_bug == "endless":
            more, next_cursor = True, str(start + 1)
        elif ws.pagination_bug == "loop":
            more, next_cursor = True, "7"
        elif ws.pagination_bug == "has_more":
            more, next_cursor = True, None
        self._json(200, {
            "items": page, "next_cursor": next_cursor, "prev_cursor": None,
            "has_more": more, "has_previous": start > 0, "total_estimate": len(items),
        })

    def _fault(self, fault: Fault) -> bool:
        if fault.delay and self.server.stopping.wait(fault.delay):
            return True
        if fault.status == 200 and fault.body is None and not fault.trickle:
            return False  # only a delay: answer normally
        body = fault.body if fault.body is not None else b"[]"
        self.send_response(fault.status)
        self.send_header("Content-Type", fault.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in fault.headers.items():
            self.send_header(name, value)
        self.end_headers()
        for i in range(len(body)):
            if fault.trickle and self.server.stopping.wait(fault.trickle):
                return True
            chunk = body[i:i + 1] if fault.trickle else body[i:]
            self.wfile.write(chunk)
            self.wfile.flush()
            fault.sent += len(chunk)
            if not fault.trickle:
                break
        return True

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    workspace: Workspace
    stopping: threading.Event

    def handle_error(self, request, client_address) -> None:
        pass  # clients that time out and hang up are expected here


@contextmanager
def serve(workspace: Workspace, *, cert: tuple[Path, Path] | None = None) -> Iterator[str]:
    """Run the API on 127.0.0.1:<free port>; yields the base URL (``.../api``)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.workspace = workspace
    server.stopping = threading.Event()
    scheme = "http"
    if cert is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}{API_ROOT}"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def free_port() -> int:
    """A port nothing listens on (for connection-refused tests)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
