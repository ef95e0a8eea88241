"""``resolve --workspace``: read the inventory live, optionally export it.

The steps, each failing with a one-line :class:`WorkspaceError` (exit 2):
check the inputs and load the API key before any connection; read both
routes completely; write the snapshot if asked (before resolving, so a
failing registry still refreshes it); build the store from the same data
the snapshot holds. Every message leaving here is scrubbed of the API key,
even one built from user input (a key pasted into ``--workspace``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .store import InventoryError, SecretStore, parse_inventory
from .values import SecretValue, scrub
from .workspace import (
    Workspace,
    WorkspaceError,
    load_api_key,
    normalize_url,
    normalize_workspace_id,
    read_inventory,
    tls_context,
)


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
    except Exception as exc:  # noqa: BLE001 - a bug must not print a traceback quoting a request
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
    environments = len(read.data.get("environments", {})) + 1  # type: ignore[arg-type]
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


def _clean(text: str, key: SecretValue | None) -> str:
    return scrub(text, key) if key is not None else text
