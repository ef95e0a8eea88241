"""``resolve --workspace``: read the inventory live, optionally export it.

The steps, each failing with a one-line :class:`WorkspaceError` (exit 2):
check the inputs and load the API key before any connection; read both
routes completely; write the snapshot if asked (before resolving, so a
failing registry still refreshes it); build the store from the same data
the snapshot holds. Every message leaving here is scrubbed of the API key,
even one built from user input (a key pasted into ``--workspace``).
"""

from __future__ import annotations

import ssl
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..tracecat import API_KEY_PREFIXES
from .store import InventoryError, SecretStore, parse_inventory
from .values import SecretValue, scrub
from .workspace import API_KEY_ENV, Workspace, WorkspaceError, is_loopback, read_inventory

MAX_KEY_FILE_BYTES = 4096


@dataclass(frozen=True)
class LiveInventory:
    store: SecretStore
    #: For stderr: what was read (and written), corrupted secrets.
    notes: tuple[str, ...]


def read_workspace(
    url: str,
    workspace_id: str | None,
    *,
    environ: Mapping[str, str],
    api_key_file: str | None = None,
    timeout: float = 30.0,
    ca_bundle: str | None = None,
    insecure: bool = False,
    export_path: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> LiveInventory:
    key: SecretValue | None = None
    try:
        key = load_api_key(environ, api_key_file)
        return _read(url, workspace_id, key, timeout, ca_bundle, insecure, export_path, warn)
    except WorkspaceError as exc:
        raise WorkspaceError(_clean(str(exc), key)) from None
    except Exception as exc:  # a bug must not print a traceback quoting a request
        raise WorkspaceError(
            f"internal error while reading the workspace ({type(exc).__name__}); please report this bug"
        ) from None


def _read(
    url: str,
    workspace_id: str | None,
    key: SecretValue,
    timeout: float,
    ca_bundle: str | None,
    insecure: bool,
    export_path: str | None,
    warn: Callable[[str], None],
) -> LiveInventory:
    if not workspace_id:
        raise WorkspaceError("--workspace needs --workspace-id (the workspace's UUID)")
    if insecure and ca_bundle:
        raise WorkspaceError("--insecure turns verification off; it cannot be combined with --ca-bundle")
    base, warnings = normalize_url(url, insecure=insecure)
    wid = normalize_workspace_id(workspace_id)
    if insecure:
        warnings.insert(0, "--insecure: TLS certificates are not verified; anyone on the path can read the API key")
    for message in warnings:
        warn(_clean(message, key))
    workspace = Workspace(base, wid, timeout=timeout, context=tls_context(ca_bundle, insecure))
    read = read_inventory(workspace, key)
    notes = list(read.notes)
    environments = len(read.data.get("environments", {})) + 1
    summary = (
        f"read {read.secrets} secret{'s' if read.secrets != 1 else ''} in {environments} "
        f"environment{'s' if environments != 1 else ''} and {read.integrations} OAuth "
        f"integration{'s' if read.integrations != 1 else ''} from workspace {wid}"
    )
    if export_path is not None:
        from . import snapshot

        text = snapshot.render(
            read.data, workspace=base, workspace_id=wid, path=export_path, json_format=export_path.lower().endswith(".json")
        )
        snapshot.write(export_path, _clean(text, key))
        summary += f"; wrote {export_path}"
    notes.append(summary)
    try:
        store = parse_inventory(read.data, source=f"workspace {wid}")
    except InventoryError as exc:  # the data was checked while reading; a mismatch is a bug
        raise WorkspaceError(f"unexpected response: {exc}") from None
    return LiveInventory(store, tuple(_clean(n, key) for n in notes))


# Inputs, checked before any connection ------------------------------------------
def normalize_url(raw: str, *, insecure: bool = False) -> tuple[str, list[str]]:
    """The base URL without a trailing slash, plus warnings. Raises WorkspaceError.

    Credentials in the URL are refused without echoing it; plain ``http`` is
    allowed to a loopback host, elsewhere only with ``--insecure``.
    """
    try:
        parts = urllib.parse.urlsplit(raw.strip())
        host = parts.hostname
        parts.port  # raises ValueError on a bad port
    except ValueError:
        raise WorkspaceError("--workspace is not a valid URL") from None
    if parts.username is not None or parts.password is not None:
        raise WorkspaceError(f"--workspace must not contain credentials; put the API key in ${API_KEY_ENV} or --api-key-file")
    if parts.scheme not in ("https", "http") or not host:
        raise WorkspaceError("--workspace must be an http(s) URL, e.g. https://tracecat.example.com/api")
    if parts.query or parts.fragment:
        raise WorkspaceError("--workspace must not have a query or fragment; give the API's base URL")
    warnings: list[str] = []
    if parts.scheme == "http" and not is_loopback(host):
        if not insecure:
            raise WorkspaceError(
                "--workspace uses plain http: the API key would travel unencrypted; use https (or --insecure to allow it)"
            )
        warnings.append("--insecure: plain http, the API key is sent unencrypted")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", "")), warnings


def normalize_workspace_id(raw: str) -> str:
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise WorkspaceError("--workspace-id must be the workspace's UUID (in Tracecat's URL: /workspaces/<id>/...)") from None


def load_api_key(environ: Mapping[str, str], key_file: str | None) -> SecretValue:
    """From ``--api-key-file`` if given, else ``$TRACECAT_API_KEY``. Never from argv."""
    if key_file is not None:
        if key_file.strip().startswith(API_KEY_PREFIXES):
            # The key itself where its file was expected: never echo it back.
            raise WorkspaceError("--api-key-file takes a file holding the API key, not the key itself; nothing was sent")
        try:
            with open(key_file, "rb") as handle:
                raw = handle.read(MAX_KEY_FILE_BYTES + 1)
        except OSError as exc:
            raise WorkspaceError(f"cannot read --api-key-file {key_file}: {exc.strerror or type(exc).__name__}") from None
        if len(raw) > MAX_KEY_FILE_BYTES:
            raise WorkspaceError(f"--api-key-file {key_file} is larger than {MAX_KEY_FILE_BYTES} bytes; expected one API key")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise WorkspaceError(f"--api-key-file {key_file} is not UTF-8 text") from None
        origin = f"--api-key-file {key_file}"
    else:
        text = environ.get(API_KEY_ENV, "")
        origin = f"${API_KEY_ENV}"
        if not text.strip():
            raise WorkspaceError(f"no API key: set ${API_KEY_ENV} or pass --api-key-file FILE (a Tracecat service-account API key)")
    key = text.strip()
    if not key:
        raise WorkspaceError(f"{origin} is empty")
    # Checked before anything is sent; a bad character would otherwise reach
    # http.client, whose ValueError quotes the header value.
    if not all("!" <= ch <= "~" for ch in key):
        raise WorkspaceError(f"{origin} must hold one API key: printable ASCII, no spaces or line breaks inside")
    if not key.startswith(API_KEY_PREFIXES):
        raise WorkspaceError(
            f"{origin} is not a Tracecat service-account API key (expected {' or '.join(p + '...' for p in API_KEY_PREFIXES)}); "
            "Tracecat ignores other bearer tokens"
        )
    return SecretValue(key)


def tls_context(ca_bundle: str | None, insecure: bool) -> ssl.SSLContext:
    """Verification on, with the system store (OpenSSL honours ``SSL_CERT_FILE``/``SSL_CERT_DIR``)
    or ``--ca-bundle``; off only with ``--insecure``."""
    if insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    try:
        return ssl.create_default_context(cafile=ca_bundle)
    except FileNotFoundError:
        raise WorkspaceError(f"--ca-bundle {ca_bundle}: file not found") from None
    except (OSError, ssl.SSLError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or type(exc).__name__
        raise WorkspaceError(f"--ca-bundle {ca_bundle}: cannot load certificates ({reason})") from None


def _clean(text: str, key: SecretValue | None) -> str:
    return scrub(text, key) if key is not None else text
