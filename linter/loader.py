"""Which templates Tracecat's loader reaches (RL619), from a template's path.

``Repository.load_template_actions_from_package`` walks the registry
package's directory (``module.__path__[0]``) with ``iter_valid_files``: it
prunes directories whose name starts with ``.`` or ``_``, is one of
``DEFAULT_EXCLUDE_DIRNAMES`` or is not an identifier, skips files whose name
starts with ``.`` or ``_``, and ``load_template_actions_from_path`` skips any
path with a ``schemas`` component (``tracecat/registry/repository.py`` at
the commit in ``tracecat.py``).

The package directory is not in the linted files: it is the topmost of the
chain of directories holding an ``__init__.py`` above the template (within
the config root). Without one, the directories below the config root are
judged. Every ``__init__.py`` probed, present or not, is a dependency of the
file's cached result.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .tracecat import LOADER_EXCLUDED_DIRS, LOADER_IGNORED_TEMPLATE_PART, LOADER_SKIPPED_FILE_PREFIXES

_MAX_LEVELS = 32


def clear_memo() -> None:
    """Forget what the file system looked like (tests; a server that wants to re-probe)."""
    _has_init.cache_clear()
    _directory_reach.cache_clear()


@lru_cache(maxsize=4096)
def _has_init(directory: str) -> bool:
    # Memoised for the process (a CLI run); a long-lived server sees a new
    # __init__.py after a restart (its cached results do follow: they record the probes).
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def template_reach(path: str, root: str) -> tuple[str | None, tuple[str, ...]]:
    """(why the loader never reaches the template at ``path``, or None; ``__init__.py`` files probed)."""
    name = os.path.basename(path)
    if name.startswith(LOADER_SKIPPED_FILE_PREFIXES):
        return f"its file name starts with `{name[0]}` (the loader skips hidden and private files)", ()
    return _directory_reach(os.path.dirname(os.path.abspath(path)), os.path.abspath(root))


@lru_cache(maxsize=4096)
def _directory_reach(directory: str, top: str) -> tuple[str | None, tuple[str, ...]]:
    """Per directory: a function of ``_has_init``'s (memoised) answers and the names."""
    probed: list[str] = []
    chain: list[str] = []  # directories from the template's up to the package (or the root)
    package: str | None = None
    current = directory
    for _ in range(_MAX_LEVELS):
        inside = current == top or current.startswith(top.rstrip(os.sep) + os.sep)
        if not inside:
            break
        probed.append(os.path.join(current, "__init__.py"))
        if _has_init(current):
            package = current
        elif package is not None:
            break  # the chain of packages ended: the topmost one is the package
        chain.append(current)
        if current == top:
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    if package is not None:
        below = [os.path.basename(d) for d in chain if d != package and d.startswith(package + os.sep)]
        parts = [os.path.basename(package), *reversed(below)]
        judged = list(reversed(below))
    else:
        if not (directory == top or directory.startswith(top.rstrip(os.sep) + os.sep)):
            return None, tuple(probed)  # outside the root: the package is unknown
        parts = judged = [p for p in os.path.relpath(directory, top).split(os.sep) if p not in ("", ".")]
    if LOADER_IGNORED_TEMPLATE_PART in parts:
        return f"it is under a `{LOADER_IGNORED_TEMPLATE_PART}` directory (the loader skips `schemas` paths)", tuple(probed)
    for part in judged:
        reason = _directory_reason(part)
        if reason is not None:
            return reason, tuple(probed)
    return None, tuple(probed)


def _directory_reason(part: str) -> str | None:
    if part.startswith(LOADER_SKIPPED_FILE_PREFIXES):
        return f"directory `{part}` starts with `{part[0]}` (the loader never enters it)"
    if part in LOADER_EXCLUDED_DIRS:
        return f"directory `{part}` is one the loader never enters"
    if not part.isidentifier():
        return f"directory `{part}` is not a Python identifier (the loader never enters it)"
    return None
