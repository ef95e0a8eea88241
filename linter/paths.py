"""Paths as the linter compares and shows them: relative to a config root or the cwd."""

from __future__ import annotations

import os
from pathlib import Path


def relpath(path: str, root: str, cwd: str | None = None) -> str:
    """POSIX path relative to ``root``; absolute when outside it.

    ``cwd``: the working directory, when the caller already knows it
    (``os.path.abspath`` asks the OS for it on every call).
    """
    # Fast path (thousands of calls per run): a normalised absolute path
    # below a normalised absolute root is just a suffix of it.
    if cwd is not None and not os.path.isabs(path):
        absolute = os.path.normpath(os.path.join(cwd, path))
    else:
        absolute = os.path.abspath(path)
    if _is_normal_abs(root):
        prefix = root if root.endswith(os.sep) else root + os.sep
        if absolute.startswith(prefix) and len(absolute) > len(prefix):
            rel = absolute[len(prefix) :]
            return rel if os.sep == "/" else rel.replace(os.sep, "/")
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:  # different drive on Windows
        return Path(absolute).as_posix()
    if rel == ".." or rel.startswith(".." + os.sep):
        # Absolute, so config patterns can tell it is outside their tree.
        return Path(absolute).as_posix()
    return Path(rel).as_posix()


def relpath_of_absolute(absolute: str, root: str) -> str:
    """``relpath`` for a path already made absolute and normal (``os.path.abspath``)."""
    if _is_normal_abs(root):
        prefix = root if root.endswith(os.sep) else root + os.sep
        if absolute.startswith(prefix) and len(absolute) > len(prefix):
            rel = absolute[len(prefix) :]
            return rel if os.sep == "/" else rel.replace(os.sep, "/")
    return relpath(absolute, root)


_NORMAL: dict[str, bool] = {}


def _is_normal_abs(root: str) -> bool:
    if root not in _NORMAL:
        _NORMAL[root] = os.path.isabs(root) and os.path.normpath(root) == root.rstrip(os.sep) or root == os.sep
    return _NORMAL[root]


def display(path: str, cwd: str | None = None) -> str:
    """The path as shown in diagnostics: relative to the cwd when below it."""
    cwd = cwd or os.getcwd()
    rel = relpath(path, cwd, cwd)
    return rel if not os.path.isabs(rel) else Path(path).as_posix()
