"""The built-in OAuth provider catalogue (``data/oauth_providers.json``).

Read once, merged with the config's ``extra-oauth-providers`` (workspaces can
define custom providers). Pure data: no Tracecat import, no network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .config import Config


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, object]:
    try:
        # The package is plain files when installed from a wheel or editable:
        # importlib.resources would import tempfile, shutil and zipfile (~6 ms
        # of a one-file pre-commit run) to read the same bytes.
        raw = Path(__file__).with_name("data").joinpath("oauth_providers.json").read_text("utf-8")
    except OSError:
        from importlib import resources  # e.g. a zip import

        raw = resources.files("registry_lint").joinpath("data/oauth_providers.json").read_text("utf-8")
    return json.loads(raw)


@lru_cache(maxsize=1)
def builtin() -> dict[str, frozenset[str]]:
    """Provider id -> grant types, as shipped with the linter."""
    data = _catalogue()
    return {pid: frozenset(grants) for pid, grants in data["providers"].items()}


def builtin_commit() -> str:
    return str(_catalogue()["commit"])


def providers(config: Config | None = None) -> dict[str, frozenset[str]]:
    """The catalogue plus ``extra-oauth-providers`` (extras add grants, never remove)."""
    out = dict(builtin())
    if config is not None:
        for pid, grants in config.extra_oauth_providers:
            out[pid] = out.get(pid, frozenset()) | frozenset(grants)
    return out
