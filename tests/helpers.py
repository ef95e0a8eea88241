"""Run the linter on in-memory files written to a temporary directory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from registry_lint import run
from registry_lint.config import Config
from registry_lint.config_table import parse_config
from registry_lint.discover import discover
from registry_lint.model import Diagnostic


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogateescape"))


def lint_files(
    root: Path,
    files: Mapping[str, str | bytes],
    *,
    config: Mapping[str, object] | None = None,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
) -> list[Diagnostic]:
    write_files(root, files)
    cfg: Config = parse_config(dict(config or {}), root=root)
    cfg = cfg.with_overrides(select=select, extend_select=extend_select or ())
    result = run.check(discover([str(root)], cfg), cfg)
    assert not result.internal_errors, result.internal_errors
    return result.diagnostics


def rel(diag: Diagnostic, root: Path) -> str:
    return Path(diag.location.path).resolve().relative_to(root.resolve()).as_posix()
