"""Which actions Tracecat's loader reaches (RL619), from a file's path.

``Repository._register_udfs_from_package`` imports every module of the
registry package that ``iter_valid_files`` yields, and
``load_template_actions_from_package`` reads every template it yields
(``tracecat/registry/repository.py`` at the commit in ``tracecat.py``):
it prunes directories whose name starts with ``.`` or ``_``, is one of
``DEFAULT_EXCLUDE_DIRNAMES`` (``tests``, ``build``, ...) or is not an
identifier, and skips files whose name starts with ``.`` or ``_``
(``__init__.py`` included); a module path must be importable; templates
under a ``schemas`` directory are skipped. The built-in registry
(``tracecat_registry``) imports UDF modules from ``core/`` and
``integrations/`` only, ``sdk/`` excluded.

The package directory is not in the linted files: it is the topmost of the
chain of directories holding an ``__init__.py`` above the file, looked for
up to the project (the nearest directory with a ``pyproject.toml``: what
Tracecat installs) or the config root, whichever is nearer. Without a
package, a template's directories below that boundary are judged, and a
Python module is not (its dotted path, which the loader imports, is unknown).
A template outside every ``__init__.py`` package is also never loaded when
the project's ``pyproject.toml`` names the package it installs (a directory
of the project, at its root or under ``src/``) and the template is not
under it: Tracecat imports that one package (``Repository._load_repository``)
and reads templates from its directory only (a repository's ``testing/``
next to ``custom_actions/``). A package whose
own name the loader would prune (a repository's ``tests/`` package) is not
a registry package: Tracecat imports the package its repository installs.
Every ``__init__.py`` and ``pyproject.toml`` probed, present or not, and
the package directories looked for, are dependencies of the file's cached
result.

After the rules ran, :func:`drop_consequences` keeps only RL619 (and the
file-level and credential findings) for what is never loaded: judging such
an action as live would be a cascade of findings about an action that does
not exist.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache

from .model import Diagnostic
from .tracecat import (
    BASE_UDF_DIRS,
    BASE_UDF_EXCLUDED_DIRS,
    BUILTIN_REGISTRY_PACKAGE,
    LOADER_EXCLUDED_DIRS,
    LOADER_IGNORED_TEMPLATE_PART,
    LOADER_SKIPPED_FILE_PREFIXES,
)

_MAX_LEVELS = 32
#: What Tracecat requires at a repository's root (``load_from_origin``).
PROJECT_FILE = "pyproject.toml"
#: Families that judge an action as live; RL619 stays, and so do file-level
#: (RL0xx) and credential (RL5xx) findings: a leaked key in a fixture is a leak.
_ACTION_FAMILIES = ("RL1", "RL2", "RL3", "RL4", "RL6")
UNLOADABLE_CODE = "RL619"
#: ``_directory_reach``'s answer when no package (and, for templates, no boundary) is found.
_NO_PACKAGE = "<no package>"


def clear_memo() -> None:
    """Forget what the file system looked like (tests; a server that wants to re-probe)."""
    _has_init.cache_clear()
    _is_project.cache_clear()
    _directory_reach.cache_clear()
    _installed_packages.cache_clear()


@lru_cache(maxsize=4096)
def _has_init(directory: str) -> bool:
    # Memoised for the process (a CLI run); a long-lived server sees a new
    # __init__.py after a restart (its cached results do follow: they record the probes).
    return os.path.isfile(os.path.join(directory, "__init__.py"))


@lru_cache(maxsize=4096)
def _is_project(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, PROJECT_FILE))


def template_reach(path: str, root: str) -> tuple[str | None, tuple[str, ...]]:
    """(why the loader never reaches the template at ``path``, or None; files probed)."""
    name = os.path.basename(path)
    if name.startswith(LOADER_SKIPPED_FILE_PREFIXES):
        return f"its file name starts with `{name[0]}` (the loader skips hidden and private files)", ()
    reason, probed = _directory_reach(os.path.dirname(os.path.abspath(path)), os.path.abspath(root), "yaml")
    return (None if reason is _NO_PACKAGE else reason), probed


def module_reach(path: str, root: str) -> tuple[str | None, tuple[str, ...]]:
    """(why the UDF loader never imports the module at ``path``, or None; files probed).

    Only judged inside a package: the loader imports a package's modules
    by their dotted path, which a module outside any package does not have
    (a single file linted on its own is not reported)."""
    name = os.path.basename(path)
    stem = name[:-3] if name.endswith(".py") else name
    reason, probed = _directory_reach(os.path.dirname(os.path.abspath(path)), os.path.abspath(root), "python")
    if reason is _NO_PACKAGE:
        return None, probed
    if reason is not None:
        return reason, probed
    if name.startswith(LOADER_SKIPPED_FILE_PREFIXES):
        return (f"its file name starts with `{name[0]}`: the loader never imports hidden and private modules "
                "(`__init__.py` included), so its actions register only where a module it imports re-exports them"), probed
    if not stem.isidentifier():
        return f"`{name}` is not a module name (the loader imports only importable module paths)", probed
    return None, probed


@lru_cache(maxsize=4096)
def _directory_reach(directory: str, top: str, kind: str) -> tuple[str | None, tuple[str, ...]]:
    """Per directory: a function of ``_has_init``'s and ``_is_project``'s (memoised) answers and the names."""
    probed: list[str] = []
    chain: list[str] = []  # directories from the file's up to the package (or the boundary)
    package: str | None = None
    boundary: str | None = None
    current = directory
    for _ in range(_MAX_LEVELS):
        probed.append(os.path.join(current, "__init__.py"))
        if _has_init(current):
            package = current
        elif package is not None:
            break  # the chain of packages ended: the topmost one is the package
        chain.append(current)
        probed.append(os.path.join(current, PROJECT_FILE))
        if current == top or _is_project(current):
            boundary = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    if package is not None:
        below = [os.path.basename(d) for d in chain if d != package and d.startswith(package + os.sep)]
        judged = list(reversed(below))
        parts = [os.path.basename(package), *judged]
        reason = _package_reason(os.path.basename(package), judged, kind)
        if reason is not None:
            return reason, tuple(probed)
    elif boundary is not None and kind == "yaml":
        parts = judged = [p for p in os.path.relpath(directory, boundary).split(os.sep) if p not in ("", ".")]
        installed, looked_at = _installed_packages(boundary) if _is_project(boundary) else ((), ())
        probed.extend(looked_at)
        if installed and not any(name in parts for name in installed):
            names = " and ".join(f"`{name}`" for name in installed)
            return (f"it is outside {names}, the package the repository's pyproject.toml installs (Tracecat "
                    "imports that package and loads the templates under its directory only)"), tuple(probed)
    else:
        # No package and no boundary: where the loader starts is unknown. A
        # module outside any package: which module path Tracecat would import is unknown.
        return _NO_PACKAGE, tuple(probed)
    if kind == "yaml" and LOADER_IGNORED_TEMPLATE_PART in parts:
        return f"it is under a `{LOADER_IGNORED_TEMPLATE_PART}` directory (the loader skips `schemas` paths)", tuple(probed)
    for part in judged:
        reason = _directory_reason(part)
        if reason is not None:
            return reason, tuple(probed)
    return None, tuple(probed)


@lru_cache(maxsize=256)
def _installed_packages(project: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The packages a project's pyproject.toml installs that are directories
    of the project (none when it does not say, or names no such directory),
    and the paths looked at for them (dependencies of the cached result).

    Tracecat imports one package of a repository (named by its settings, else
    the repository's name) and loads its templates from that package's
    directory; the names the build configuration gives are the best static
    answer: ``[project].name`` (the convention Tracecat's template repository
    documents), Poetry's name, and the packages Hatch and setuptools list.
    """
    import tomllib

    try:
        with open(os.path.join(project, PROJECT_FILE), "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, ValueError, RecursionError):
        return (), ()
    names: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, str) and value.strip():
            names.append(os.path.basename(value.strip().rstrip("/")).replace("-", "_").replace(".", "_"))

    add(_at(data, "project", "name"))
    add(_at(data, "tool", "poetry", "name"))
    for entry in _list_at(data, "tool", "poetry", "packages"):
        add(entry.get("include") if isinstance(entry, dict) else None)
    for entry in _list_at(data, "tool", "hatch", "build", "targets", "wheel", "packages"):
        add(entry)
    for entry in _list_at(data, "tool", "setuptools", "packages"):
        add(entry.split(".")[0] if isinstance(entry, str) else None)
    # Only names that are directories of the project (at its root or under
    # src/): anything else says nothing about where templates live.
    candidates = [os.path.join(project, base, n) for n in dict.fromkeys(names) for base in ("", "src")]
    found = tuple(dict.fromkeys(os.path.basename(c) for c in candidates if os.path.isdir(c)))
    return found, tuple(candidates)


def _at(table: object, *keys: str) -> object:
    """``table[k1][k2]...``, or None where a level is missing or not a table (a hand-written pyproject.toml)."""
    for key in keys:
        if not isinstance(table, dict):
            return None
        table = table.get(key)
    return table


def _list_at(table: object, *keys: str) -> list[object]:
    found = _at(table, *keys)
    return found if isinstance(found, list) else []


def _package_reason(name: str, below: list[str], kind: str) -> str | None:
    if _directory_reason(name) is not None:
        return (f"it is in the `{name}` package, not a registry package (Tracecat loads the package its "
                f"repository installs and never enters a directory named `{name}`)")
    if kind == "python" and name == BUILTIN_REGISTRY_PACKAGE:
        if not below or below[0] not in BASE_UDF_DIRS:
            return f"the built-in registry imports UDF modules from {' and '.join(f'`{d}/`' for d in BASE_UDF_DIRS)} only"
        excluded = next((d for d in below if d in BASE_UDF_EXCLUDED_DIRS), None)
        if excluded is not None:
            return f"the built-in registry never imports UDF modules under `{excluded}/`"
    return None


def _directory_reason(part: str) -> str | None:
    if part.startswith(LOADER_SKIPPED_FILE_PREFIXES):
        return f"directory `{part}` starts with `{part[0]}` (the loader never enters it)"
    if part in LOADER_EXCLUDED_DIRS:
        return f"directory `{part}` is one the loader never enters"
    if not part.isidentifier():
        return f"directory `{part}` is not a Python identifier (the loader never enters it)"
    return None


# Marking and consequences (called by the engine) ---------------------------------
def mark(parsed: object, kind: str, path: str, root: str) -> tuple[str, ...]:
    """Mark the actions of ``parsed`` the loader never reaches; the files probed.

    A file-level reason (where the file is) replaces an action's own (a
    function nested in another): it is the one cause. It is also kept as
    ``parsed.unreached`` for RL619, which reports it once per file.
    """
    reach = template_reach if kind == "yaml" else module_reach
    reason, probed = reach(path, root)
    if reason is None:
        return probed
    parsed.unreached = reason
    if kind == "yaml":
        spec = parsed.spec
        if spec is not None:
            parsed.spec = replace(spec, unloadable=reason)
    else:
        for action in parsed.actions:
            action.spec = replace(action.spec, unloadable=reason)
    return probed


def drop_consequences(parsed: object, kind: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Findings about actions Tracecat never loads, other than RL619, left out.

    A file the loader never reaches: every RL1-RL4/RL6 finding of the file.
    A function nested in another (Python): those inside its definition.
    """
    if getattr(parsed, "unreached", None) is not None:
        return [d for d in diagnostics if d.code == UNLOADABLE_CODE or not d.code.startswith(_ACTION_FAMILIES)]
    if kind != "python":
        return diagnostics
    spans = []
    for action in parsed.actions:
        if action.spec.unloadable is not None:
            start, end = parsed.loc(action.decorator), parsed.loc(action.func)
            spans.append(((start.line, start.col), (end.end_line, end.end_col)))
    if not spans:
        return diagnostics

    def inside(d: Diagnostic) -> bool:
        at = (d.location.line, d.location.col)
        return any(a <= at <= b for a, b in spans)

    return [d for d in diagnostics if d.code == UNLOADABLE_CODE or not d.code.startswith(_ACTION_FAMILIES) or not inside(d)]
