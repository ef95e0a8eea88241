"""``check --watch``: lint again whenever something that changes the result changes.

As ruff's ``--watch``: the screen is cleared (on a terminal) and the same
report is printed as a plain ``check`` would print, after every change.
Changes are found by polling (standard library only, no file-system event
dependency): every ``INTERVAL`` seconds the size and modification time of
each linted file, of the directories holding them (a file added, removed
or renamed changes its directory), of the paths given and of every
configuration file in use (``extend`` bases too) are compared with the
previous run's. The result cache makes each re-run cost only the changed
files. Ctrl-C stops (exit 130).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable

import click

#: Seconds between two looks at the watched files.
INTERVAL = float(os.environ.get("REGISTRY_LINT_WATCH_INTERVAL", "0.5"))
_CLEAR = "\x1b[2J\x1b[3J\x1b[H"


def watch(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Run ``check`` with the same options forever; never returns."""
    import gc

    # A long-lived process (the caller no longer tunes the GC for one check).
    gc.enable()
    params = dict(ctx.params)
    params["watch"] = False
    _CACHE[:] = [os.path.abspath(str(params["cache_dir"]))] if params.get("cache_dir") else []
    watched = _watched(params, paths)
    try:
        while True:
            # Taken before the run: a file saved while it runs starts another.
            before = _snapshot(watched)
            if sys.stdout.isatty():
                sys.stdout.write(_CLEAR)
            try:
                ctx.invoke(ctx.command, **params)
            except SystemExit:
                pass  # the run's exit code: in watch mode only the report matters
            sys.stdout.flush()
            watched = _watched(params, paths)
            before.update(_snapshot(p for p in watched if p not in before))  # found by this run
            click.echo(f"registry-lint: watching {', '.join(paths) or '.'} for changes (Ctrl-C to stop)", err=True)
            while _snapshot(watched) == {p: before[p] for p in watched}:
                time.sleep(INTERVAL)
    except KeyboardInterrupt:
        sys.exit(130)


_LAST: list[str] = []


def _watched(params: dict[str, object], paths: tuple[str, ...]) -> list[str]:
    """Every path whose change means a new run (computed after each run)."""
    from .cli_check import load_settings
    from .config import ConfigError
    from .discover import discover

    roots = list(paths) or ["."]
    out: set[str] = set(roots)
    try:
        settings = load_settings(
            params.get("config_path"),
            params.get("select") or (),
            params.get("extend_select") or (),
            params.get("ignore") or (),
            isolated=bool(params.get("isolated")),
        )
        targets = discover([p for p in roots if os.path.lexists(p)], settings)
    except ConfigError:
        # A broken configuration (saved half-edited): keep watching what was
        # watched, so that fixing it starts a new run.
        targets, settings = [], None
        out.update(_LAST)
    out.update(targets)
    out.update(_directories(targets, roots))
    if settings is not None:
        for cfg in settings.configs():
            out.update(s for s in (cfg.source, *cfg.extends) if s)
    if params.get("config_path"):
        out.add(str(params["config_path"]))
    out.add(".")  # a configuration file appearing where none was
    _LAST[:] = sorted(out)
    return _LAST


def _directories(files: Iterable[str], roots: list[str]) -> set[str]:
    stops = {os.path.abspath(r) for r in roots}
    out: set[str] = set()
    for file in files:
        directory = os.path.dirname(os.path.abspath(file))
        while directory not in out:
            out.add(directory)
            parent = os.path.dirname(directory)
            if directory in stops or parent == directory:
                break
            directory = parent
    return out


#: Directory entries that never mean a new run (the cache the run itself writes).
_NOT_INPUTS = (".registry-lint-cache", ".git")
#: --cache-dir or REGISTRY_LINT_CACHE_DIR, when given.
_CACHE: list[str] = []


def _snapshot(paths: Iterable[str]) -> dict[str, object]:
    """Files by size and modification time; directories by the names in them
    (so creating the result cache, which a run does, is not a change)."""
    out: dict[str, object] = {}
    for path in paths:
        try:
            if os.path.isdir(path):
                out[path] = frozenset(
                    n for n in os.listdir(path)
                    if n not in _NOT_INPUTS and os.path.abspath(os.path.join(path, n)) not in _CACHE
                )
            else:
                st = os.stat(path)
                out[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[path] = None
    return out
