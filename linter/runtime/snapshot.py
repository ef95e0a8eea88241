"""Write a workspace's inventory as a file (``resolve --export-inventory``).

The file is the documented inventory format (``store.parse_inventory``), so
``resolve --inventory FILE`` checks against it offline exactly as the live
check did. It holds names and key names only (the data it is given never
holds a value), in a stable order: secrets and environments by name, key
names sorted, integrations by provider and grant type. The only line that
changes between two exports of an unchanged workspace is ``exported.at``,
so a stale snapshot is easy to spot in review, and the header says how to
refresh it.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from .workspace import API_KEY_ENV, WorkspaceError


def render(
    data: dict[str, object],
    *,
    workspace: str,
    workspace_id: str,
    path: str = "THIS_FILE",
    at: datetime | None = None,
    json_format: bool = False,
) -> str:
    stamp = (at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    exported = {"workspace": workspace, "workspace_id": workspace_id, "at": stamp}
    if json_format:
        return json.dumps({"exported": exported, **data}, indent=2, ensure_ascii=True) + "\n"
    import yaml

    workspace_, path_ = _printable(workspace), _printable(path)  # one comment line each
    header = (
        "# Inventory of a Tracecat workspace, exported by `registry-lint resolve --export-inventory`.\n"
        "# Names and key names only: no secret value, no API key. Check offline with\n"
        f"#   registry-lint resolve PATHS --inventory {path_}\n"
        f"# Refresh (API key in ${API_KEY_ENV} or --api-key-file):\n"
        f"#   registry-lint resolve PATHS --workspace {workspace_} --workspace-id {workspace_id} --export-inventory {path_}\n"
    )

    def dump(document: dict[str, object], flow: bool | None) -> str:
        return yaml.safe_dump(document, sort_keys=False, default_flow_style=flow, width=1_000_000, allow_unicode=False)

    # Provenance in block style (one field a line); key lists in flow style.
    return header + dump({"exported": exported}, False) + dump(data, None)


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def write(path: str, text: str) -> None:
    """Replace ``path`` atomically: a failed export leaves the old snapshot whole."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent if str(target.parent) else ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            # mkstemp's 0600 would follow the file into the checkout; it holds no secret.
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise WorkspaceError(f"cannot write --export-inventory {path}: {exc.strerror or type(exc).__name__}") from None
