"""Where a module imported by a linted file would be in the tree, and the
file-system facts that answer it, recorded as dependencies.

A cached result stays valid only while every file it read, or looked for
and did not find, is unchanged (``FileResult.deps``: the cache stores each
dep's content hash, or ``"absent"``, and checks them on every hit). So each
path probed here goes into the caller's ``deps`` whether it exists or not:
creating, deleting or renaming a sibling module changes what the answer
would be, and with it the dep's state. Never import LibCST here (rules use it).
"""

from __future__ import annotations

import os
from pathlib import Path

#: How many directories above the linted file an absolute import is looked for.
MAX_ANCESTORS = 8


def module_bases(path: str, module: str, *, absolute: bool = False) -> list[Path]:
    """``dir/a/b`` for module ``a.b`` in each directory above ``path``,
    nearest first (``absolute``: from the absolute path, so directories
    above the working directory count too; symlinks are not resolved, which
    would make the answer depend on them)."""
    here = Path(os.path.abspath(path)) if absolute else Path(path)
    parts = module.split(".")
    return [ancestor.joinpath(*parts) for ancestor in list(here.parents)[:MAX_ANCESTORS]]


def module_files(base: Path) -> tuple[Path, Path]:
    """The files that define module ``base``: ``base.py``, ``base/__init__.py``."""
    return base.with_suffix(".py"), base / "__init__.py"


def is_module_file(path: Path, deps: set[str]) -> bool:
    """Whether ``path`` is a regular file (following symlinks), recorded in ``deps``."""
    deps.add(str(path))
    return path.is_file()
