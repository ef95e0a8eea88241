"""Finding and loading configuration files: the nearest ``registry-lint.toml``
or ``pyproject.toml`` with ``[tool.registry-lint]``, and ``extend`` chains."""

from __future__ import annotations

import os
from pathlib import Path

from .config import Config
from .config_table import parse_config, read_table


def find_config(start: Path) -> Path | None:
    """The nearest registry-lint.toml, or pyproject.toml with [tool.registry-lint]."""
    start = Path(os.path.abspath(start))
    for directory in (start, *start.parents):
        found = config_in(directory)
        if found is not None:
            return found
    return None


def config_in(directory: Path | str) -> Path | None:
    """The configuration file in ``directory`` itself, if it has one.

    Asked once per directory of a run (settings.py): plain ``os.path``
    calls, no Path objects until a file is found."""
    base = os.fspath(directory)
    dedicated = os.path.join(base, "registry-lint.toml")
    if os.path.isfile(dedicated):
        return Path(dedicated)
    pyproject_path = os.path.join(base, "pyproject.toml")
    if not os.path.isfile(pyproject_path):
        return None
    pyproject = Path(pyproject_path)
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "registry-lint" not in text and "\\u" not in text and "\\U" not in text:
        return None  # cannot name the table (even escaped): skip the TOML parse
    import tomllib  # here, not at the top: most runs never parse TOML

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):  # tomllib recurses: deep arrays overflow it
        # Broken TOML that mentions us is our config: report it, don't skip it.
        return pyproject if "registry-lint" in text else None
    tool = data.get("tool", {})
    return pyproject if isinstance(tool, dict) and "registry-lint" in tool else None


def load_config(path: Path | None, *, default_root: Path) -> Config:
    if path is None:
        return Config(root=str(default_root.resolve()))
    table = read_table(path)
    if "extend" in table:
        from .config_extend import load_extending  # here: few configurations extend another

        return load_extending(path, table)
    # Absolute, not resolved: discovery and relpath() see paths as given (a
    # symlinked checkout keeps its own path), and so must the patterns.
    return parse_config(table, root=Path(os.path.abspath(path)).parent, source=str(path))
