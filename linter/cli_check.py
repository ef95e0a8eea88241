"""The parts of ``check`` besides its options: settings, --show-*, errors,
colour, --fix/--diff and baselines. Light imports only (the CLI imports it
for ``--version`` too); the rest is imported where it is used."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def usage_error(message: str) -> NoReturn:
    click.echo(f"registry-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def report_errors(result) -> None:
    for err in result.errors:
        click.echo(f"registry-lint: error: {err}", err=True)
    for err in result.internal_errors:
        click.echo(f"registry-lint: {err}; please report this bug", err=True)


def use_color(flag: bool | None, tty: bool) -> bool:
    """--color/--no-color, else NO_COLOR (https://no-color.org), else
    FORCE_COLOR (colour even when not on a terminal), else the terminal."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return tty


def load_settings(
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    tracecat_registry: str | None = None,
    *,
    isolated: bool = False,
):
    from .settings import Settings

    if isolated:  # --isolated: the defaults for every file, as if no configuration file existed
        from .config import Config

        fixed = Config(root=os.getcwd())
        return Settings(
            fixed=fixed, select=select or None, extend_select=extend_select, ignore=ignore, tracecat_registry=tracecat_registry
        )
    return Settings(
        config_file=config_path, select=select or None, extend_select=extend_select, ignore=ignore, tracecat_registry=tracecat_registry
    )


def print_settings(settings, paths: tuple[str, ...]) -> NoReturn:
    from .show import settings_text

    if len(paths) != 1 or paths[0] == "-":
        usage_error("--show-settings needs exactly one PATH (a file or a directory)")
    click.echo(settings_text(settings, paths[0]), nl=False)
    sys.exit(EXIT_CLEAN)


def print_files(settings, targets: list[str], missing: list[str]) -> NoReturn:
    from .show import files_text

    click.echo(files_text(settings, targets), nl=False)
    for path in missing:
        click.echo(f"registry-lint: error: Failed to lint {path}: No such file or directory", err=True)
    sys.exit(EXIT_ERROR if missing else EXIT_CLEAN)


#: Runs on at most this many files lint without the cyclic GC.
_FEW_FILES = 16


def tune_gc(files: int) -> None:
    """Fewer cyclic-GC passes while linting (as mypy does).

    A cold check allocates millions of short-lived objects (LibCST nodes, YAML
    nodes, values) that reference counting frees; with the default gen-0
    threshold of 700 the collector still ran ~800 times per check of the
    Tracecat registry and cost ~9% of the CPU (benchmarks/README.md). Freezing
    what is alive now (imports, the config) also keeps every later full pass
    and the forked workers from traversing it. Peak RSS moved by ~2 MB. A
    pre-commit run on a few files turns the collector off: it would only walk
    the LibCST import's ~100k objects (~6 ms of a one-file run), and the
    garbage of a few files is freed at exit.
    """
    import gc

    gc.freeze()
    if files <= _FEW_FILES:
        gc.disable()
    else:
        gc.set_threshold(20_000, 10, 10)
        gc.enable()


def default_jobs() -> int:
    from .parallel import default_jobs

    return default_jobs()


def load_sources(result) -> None:
    """Text of files with findings, for source snippets and fixes.

    Not of files with RL003: they were never scanned for credentials (not
    UTF-8, too large, too deep), so none of their lines may be shown.
    """
    from .results import UNREADABLE

    unread = {d.location.path for d in result.diagnostics if d.code == UNREADABLE}
    for path in {d.location.path for d in result.diagnostics} - unread:
        try:
            result.sources[path] = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue


# check --fix / --diff / --baseline ------------------------------------------------
def run_fix(result, config, linted, *, stdin, unsafe: bool, diff: bool, jobs: int, sink):
    """Apply fixes; update ``result`` to what is left. Returns the number
    fixed and, per file, the number fixed per rule code (``--show-fixes``).

    --diff prints the diff and exits (1 if anything would change).
    """
    from .fingerprint import secret_lines
    from .fix import run_fixes, unified_diff, write_fixed

    outcome, raw = run_fixes(result.diagnostics, linted, config, unsafe=unsafe, jobs=jobs, stdin=stdin)
    changed = outcome.changed()
    if diff:
        from .report.plain import count

        before, after = secret_lines(result.diagnostics), secret_lines(outcome.diagnostics)
        for file_fix in changed:
            hide_before = {n for p, n in before if p == file_fix.path}
            hide_after = {n for p, n in after if p == file_fix.path}
            patch, withheld = unified_diff(file_fix, hide_before=hide_before, hide_after=hide_after)
            sink.report(patch)
            if withheld:
                # Masking the line would break the patch; printing it would leak it.
                click.echo(
                    f"registry-lint: note: {count(withheld, 'hunk')} for {file_fix.path} withheld: "
                    f"{'it touches' if withheld == 1 else 'they touch'} a line holding a detected credential "
                    "(`--fix` applies the fix without printing it)",
                    err=True,
                )
        n = outcome.applied
        sink.note(f"Would fix {count(n, 'problem')} in {count(len(changed), 'file')}." if n else "No fixes available.")
        sink.close()
        report_errors(result)
        if result.incomplete:
            sys.exit(EXIT_ERROR)
        sys.exit(EXIT_FINDINGS if changed else EXIT_CLEAN)
    if stdin is not None:
        text = outcome.files[stdin[0]].fixed if stdin[0] in outcome.files else None
        sys.stdout.buffer.write(raw[stdin[0]].encode(text) if text is not None else stdin[1])
        sys.stdout.flush()
    else:
        write_fixed(outcome, raw)
    result.diagnostics = outcome.diagnostics
    for file_fix in changed:
        result.sources[file_fix.path] = file_fix.fixed
    return outcome.applied, {f.path: f.codes for f in changed}


def run_add_noqa(result, sink) -> NoReturn:
    """--add-noqa: a directive on the line of every finding that can take one (noqa_add.py)."""
    from .noqa_add import add_noqa

    outcome = add_noqa(result.diagnostics)
    n = outcome.added
    sink.note(f"Added {n} noqa directive{'s' if n != 1 else ''}." if n else "No noqa directives to add.")
    for line in outcome.skipped_lines():
        click.echo(f"registry-lint: {line}", err=True)
    sink.close()
    report_errors(result)
    if result.incomplete:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if outcome.skipped else EXIT_CLEAN)


def run_baseline(result, linted, baseline_path: str | None, write_path: str | None, *, sink) -> None:
    """--write-baseline records every finding and exits 0; --baseline hides recorded ones."""
    from . import baseline

    if write_path:
        try:
            count = baseline.write(write_path, result.diagnostics, result.sources)
        except OSError as exc:
            click.echo(f"registry-lint: error: cannot write baseline {write_path}: {exc.strerror}", err=True)
            sys.exit(EXIT_ERROR)
        sink.note(f"registry-lint: wrote {count} finding{'s' if count != 1 else ''} to {write_path}")
        sink.close()
        report_errors(result)
        sys.exit(EXIT_ERROR if result.incomplete else EXIT_CLEAN)
    assert baseline_path is not None
    try:
        known = baseline.load(baseline_path)
    except baseline.BaselineError as exc:
        click.echo(f"registry-lint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    result.diagnostics, stale = baseline.filter_new(result.diagnostics, result.sources, baseline_path, known, linted)
    if stale:
        sink.note(
            f"registry-lint: {stale} baseline entr{'ies' if stale != 1 else 'y'} no longer found "
            f"(fixed?); refresh with --write-baseline {baseline_path}"
        )
