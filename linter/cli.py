"""Command line. Heavy modules are imported inside commands, never at import time."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .report import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Group(click.Group):
    """Usage errors exit 2 (click's default too); config errors print cleanly."""


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="registry-lint")
def main() -> None:
    """Lint Tracecat custom registries: Python UDFs and YAML action templates."""
    if OWNS_PROCESS and click.get_current_context().invoked_subcommand != "check":
        import gc

        gc.enable()  # the console script starts with it off; `check` decides for itself


def _codes_option(name: str, help_text: str):  # type: ignore[no-untyped-def]
    return click.option(name, multiple=True, metavar="CODES", help=help_text)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@_codes_option("--select", "Rule codes or prefixes to enable (replaces the configured selection).")
@_codes_option("--extend-select", "Rule codes or prefixes to enable in addition.")
@_codes_option("--ignore", "Rule codes or prefixes to disable.")
@click.option(
    "--output-format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of each finding.")
@click.option("--stdin-filename", metavar="NAME", help="Read the source from stdin and lint it as NAME.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str), help="Config file (pyproject.toml or registry-lint.toml).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: number of cores).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache (.registry-lint-cache/).")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: only on a terminal).")
@click.option("--show-source/--no-show-source", default=None, help="Show the offending line with a caret (default: on a terminal).")
@click.option("--fix", is_flag=True, help="Apply safe fixes, write the files and report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour (with --fix or --diff).")
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes without writing; exit 1 if there would be changes.")
@click.option("--baseline", "baseline_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="Report only findings not recorded in this baseline.")
@click.option("--write-baseline", "write_baseline_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="Record every current finding in FILE and exit 0.")
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    exit_zero: bool,
    statistics: bool,
    stdin_filename: str | None,
    config_path: str | None,
    jobs: int | None,
    color: bool | None,
    show_source: bool | None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
    baseline_path: str | None = None,
    write_baseline_path: str | None = None,
    no_cache: bool = False,
) -> None:
    """Lint PATHS (default: the current directory)."""
    from .config import ConfigError

    try:
        config = _load_config(config_path, paths, stdin_filename)
        config = config.with_overrides(
            select=select if select else None, extend_select=extend_select, ignore=ignore
        )
    except ConfigError as exc:
        click.echo(f"registry-lint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)

    from . import engine

    if stdin_filename is not None:
        if any(p != "-" for p in paths):
            click.echo("registry-lint: error: --stdin-filename reads from stdin; do not pass PATHS", err=True)
            sys.exit(EXIT_ERROR)
        data = sys.stdin.buffer.read()
        result = engine.lint_text(stdin_filename, data, config)
        result.sources[stdin_filename] = data.decode("utf-8", "replace")
    else:
        from .discover import discover

        targets = discover(list(paths) or ["."], config)
        if OWNS_PROCESS:
            _tune_gc(len(targets))
        cache = None
        if not no_cache:
            from .cache import ResultCache

            cache = ResultCache.for_config(config)
        result = engine.lint_paths(targets, config, jobs=jobs or _default_jobs(), cache=cache)
        _load_sources(result)

    # Fixes and baselines (docs/workflows.md). With --fix on stdin the fixed
    # source goes to stdout, so the report goes to stderr (as ruff does).
    linted = [stdin_filename] if stdin_filename is not None else targets
    fixed = 0
    if fix or diff:
        stdin = (stdin_filename, data) if stdin_filename is not None else None
        fixed = _fix(result, config, linted, stdin=stdin, unsafe=unsafe_fixes, diff=diff, jobs=jobs or os.cpu_count() or 1)
    if baseline_path or write_baseline_path:
        _baseline(result, linted, baseline_path, write_baseline_path)
    to_stderr = fix and not diff and stdin_filename is not None

    tty = (sys.stderr if to_stderr else sys.stdout).isatty()
    from .report import renderer

    output = renderer(output_format)(
        result,
        color=tty if color is None else color,
        statistics=statistics,
        show_source=tty if show_source is None else show_source,
        fixed=fixed,
        paths=linted,
    )
    click.echo(output, nl=False, err=to_stderr)
    for err in result.internal_errors:
        click.echo(f"registry-lint: {err}; please report this bug", err=True)
    if result.internal_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.has_findings and not exit_zero else EXIT_CLEAN)


#: Set by the console script (``registry_lint.entry``): this process runs one
#: command and exits, so ``check`` may tune the garbage collector. Never set
#: when the CLI is called in-process (tests, the language server).
OWNS_PROCESS = False
#: Runs on at most this many files lint without the cyclic GC.
_FEW_FILES = 16


def _tune_gc(files: int) -> None:
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


def _default_jobs() -> int:
    from .parallel import default_jobs

    return default_jobs()


def _load_config(config_path: str | None, paths: tuple[str, ...], stdin_filename: str | None):  # type: ignore[no-untyped-def]
    from .config import ConfigError, find_config, load_config

    if config_path is not None:
        if not Path(config_path).is_file():
            raise ConfigError(f"config file not found: {config_path}")
        return load_config(Path(config_path), default_root=Path.cwd())
    anchor = Path(stdin_filename or (paths[0] if paths and paths[0] != "-" else "."))
    start = anchor if anchor.is_dir() else anchor.parent
    if not start.exists():
        start = Path.cwd()
    found = find_config(start) or find_config(Path.cwd())
    return load_config(found, default_root=Path.cwd())


def _load_sources(result) -> None:  # type: ignore[no-untyped-def]
    """Text of files with findings, for source snippets and fixes.

    Not of files with RL003: they were never scanned for credentials (not
    UTF-8, too large, too deep), so none of their lines may be shown.
    """
    unread = {d.location.path for d in result.diagnostics if d.code == "RL003"}
    for path in {d.location.path for d in result.diagnostics} - unread:
        try:
            result.sources[path] = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue


@main.command()
@click.argument("code")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule(code: str, output_format: str) -> None:
    """Show the documentation of rule CODE (e.g. RL304)."""
    from .rule import get_rule

    cls = get_rule(code)
    if cls is None:
        click.echo(f"registry-lint: error: unknown rule code {code!r}; see `registry-lint rules`", err=True)
        sys.exit(EXIT_ERROR)
    if output_format == "json":
        import json

        click.echo(json.dumps(_rule_dict(cls), indent=2))
        return
    click.echo(f"# {cls.name} ({cls.code})\n")
    click.echo(f"Severity: {cls.severity.label}" + ("  (opt-in)" if cls.opt_in else ""))
    click.echo(f"Applies to: {', '.join(cls.sources) or 'all files'}")
    click.echo(f"Fix: {cls.fix or 'none'}\n")
    click.echo(cls.doc())


def _rule_dict(cls) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "code": cls.code,
        "name": cls.name,
        "severity": cls.severity.label,
        "opt_in": cls.opt_in,
        "fix": cls.fix,
        "sources": list(cls.sources),
        "summary": cls.summary(),
        "explanation": cls.doc(),
    }


@main.command(name="rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule with its code, severity and name."""
    from .rule import load_rules

    registry = load_rules()
    if output_format == "json":
        import json

        click.echo(json.dumps([_rule_dict(cls) for cls in registry.values()], indent=2))
        return
    for code, cls in registry.items():
        flags = ("opt-in " if cls.opt_in else "") + ("fix" if cls.fix else "")
        click.echo(f"{code}  {cls.severity.value}  {cls.name:<34} {flags}".rstrip())


# check --fix / --diff / --baseline ------------------------------------------------
def _fix(result, config, linted, *, stdin, unsafe: bool, diff: bool, jobs: int) -> int:  # type: ignore[no-untyped-def]
    """Apply fixes; update ``result`` to what is left. Returns the number fixed.

    --diff prints the diff and exits (1 if anything would change).
    """
    from .fingerprint import secret_lines
    from .fix import run_fixes, unified_diff, write_fixed

    outcome, raw = run_fixes(result.diagnostics, linted, config, unsafe=unsafe, jobs=jobs, stdin=stdin)
    changed = outcome.changed()
    if diff:
        before, after = secret_lines(result.diagnostics), secret_lines(outcome.diagnostics)
        for file_fix in changed:
            hide_before = {n for p, n in before if p == file_fix.path}
            hide_after = {n for p, n in after if p == file_fix.path}
            click.echo(unified_diff(file_fix, hide_before=hide_before, hide_after=hide_after), nl=False)
        n = outcome.applied
        if n:
            click.echo(f"Would fix {n} problem{'s' if n != 1 else ''} in {len(changed)} file{'s' if len(changed) != 1 else ''}.", err=True)
        else:
            click.echo("No fixes available.", err=True)
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
    return outcome.applied


def _baseline(result, linted, baseline_path: str | None, write_path: str | None) -> None:  # type: ignore[no-untyped-def]
    """--write-baseline records every finding and exits 0; --baseline hides recorded ones."""
    from . import baseline

    if write_path:
        try:
            count = baseline.write(write_path, result.diagnostics, result.sources)
        except OSError as exc:
            click.echo(f"registry-lint: error: cannot write baseline {write_path}: {exc.strerror}", err=True)
            sys.exit(EXIT_ERROR)
        click.echo(f"registry-lint: wrote {count} finding{'s' if count != 1 else ''} to {write_path}", err=True)
        sys.exit(EXIT_ERROR if result.internal_errors else EXIT_CLEAN)
    assert baseline_path is not None
    try:
        known = baseline.load(baseline_path)
    except baseline.BaselineError as exc:
        click.echo(f"registry-lint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    result.diagnostics, stale = baseline.filter_new(result.diagnostics, result.sources, baseline_path, known, linted)
    if stale:
        click.echo(
            f"registry-lint: {stale} baseline entr{'ies' if stale != 1 else 'y'} no longer found "
            f"(fixed?); refresh with --write-baseline {baseline_path}",
            err=True,
        )


@main.command()
def server() -> None:
    """Run the language server (LSP over stdio) for editors; needs `registry-lint[lsp]`."""
    try:
        from .lsp import serve
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("pygls", "lsprotocol", "cattrs", "attrs"):
            click.echo(
                "registry-lint: error: the language server needs pygls; install it with "
                "`pip install 'registry-lint[lsp]'`",
                err=True,
            )
            sys.exit(EXIT_ERROR)
        raise
    serve()


@main.command(name="resolve")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--inventory",
    "inventory_path",
    type=click.Path(path_type=str),
    help="YAML or JSON file listing the workspace's secrets and OAuth integrations.",
)
@click.option("--workspace", "workspace_url", metavar="URL", help="Read the inventory live from this Tracecat API (base URL, e.g. https://tracecat.example.com/api).")
@click.option("--workspace-id", metavar="ID", help="The workspace's UUID (with --workspace).")
@click.option("--api-key-file", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="File holding the service-account API key (default: $TRACECAT_API_KEY).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True, help="Seconds per request to the workspace.")
@click.option("--ca-bundle", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="CA certificates to verify the workspace's TLS certificate (default: the system store, or $SSL_CERT_FILE).")
@click.option("--insecure", is_flag=True, help="Do not verify the workspace's TLS certificate (and allow plain http). Unsafe.")
@click.option("--export-inventory", "export_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="Write what was read from the workspace as an inventory file (names only), for offline checks.")
@click.option("--environment", default=None, help="Only this secrets environment (default: every environment in the inventory).")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def resolve_command(
    paths: tuple[str, ...],
    inventory_path: str | None,
    environment: str | None,
    output_format: str,
    workspace_url: str | None = None,
    workspace_id: str | None = None,
    api_key_file: str | None = None,
    timeout: float = 30.0,
    ca_bundle: str | None = None,
    insecure: bool = False,
    export_path: str | None = None,
) -> None:
    """Report which actions in PATHS would fail to resolve their secrets.

    The inventory comes from a file (--inventory) or live from a Tracecat
    workspace (--workspace, --workspace-id; API key in $TRACECAT_API_KEY or
    --api-key-file). Exit 0 when every action resolves in every checked
    environment, 1 when some would fail, 2 on a usage, inventory or
    connection error. Secret values are never printed.
    """
    from .config import ConfigError
    from .runtime.appinventory import is_app_inventory
    from .runtime.store import InventoryError, load_inventory

    def fail(message: str) -> NoReturn:
        click.echo(f"registry-lint: error: {message}", err=True)
        sys.exit(EXIT_ERROR)

    if (inventory_path is None) == (workspace_url is None):
        fail("give either --inventory FILE or --workspace URL (with --workspace-id)")
    if inventory_path is not None and (workspace_id or api_key_file or ca_bundle or insecure or export_path):
        fail("--workspace-id, --api-key-file, --ca-bundle, --insecure and --export-inventory go with --workspace")
    if environment is not None and not environment:
        fail("--environment must not be empty")
    if inventory_path is not None and is_app_inventory(inventory_path):  # agent-native: docs/resolve.md
        _resolve_apps(paths, inventory_path, environment, output_format)
    try:
        config = _load_config(None, paths, None)
    except ConfigError as exc:
        fail(str(exc))
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        # A mistyped path must not pass as "no actions found, all resolve".
        fail(f"no such file or directory: {', '.join(missing)}")
    if inventory_path is not None:
        try:
            store = load_inventory(inventory_path)
        except InventoryError as exc:
            fail(str(exc))
    else:
        from .runtime.live import read_workspace
        from .runtime.workspace import WorkspaceError

        assert workspace_url is not None
        try:
            live = read_workspace(
                workspace_url, workspace_id, environ=os.environ, api_key_file=api_key_file, timeout=timeout,
                ca_bundle=ca_bundle, insecure=insecure, export_path=export_path,
                warn=lambda message: click.echo(f"registry-lint: warning: {message}", err=True),
            )
        except WorkspaceError as exc:
            fail(str(exc))
        store = live.store
        for note in live.notes:
            click.echo(f"registry-lint: note: {note}", err=True)

    from .discover import discover
    from .runtime.preflight import preflight_environments, render_json, render_text

    environments = [environment] if environment else store.environment_names()
    targets = discover(list(paths) or ["."], config)
    results = preflight_environments(targets, store, config, environments, jobs=os.cpu_count() or 1)
    click.echo(render_json(results) if output_format == "json" else render_text(results), nl=False)
    internal_errors = [err for result in results for err in result.internal_errors]
    for note in (note for result in results for note in result.notes):
        click.echo(f"registry-lint: note: {note}", err=True)
    for err in internal_errors:
        click.echo(f"registry-lint: {err}; please report this bug", err=True)
    if internal_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CLEAN if all(result.all_resolve for result in results) else EXIT_FINDINGS)


def _resolve_apps(paths: tuple[str, ...], inventory_path: str, environment: str | None, output_format: str) -> None:
    """``resolve`` with an agent-native inventory; exits."""
    from .config import ConfigError
    from .runtime.apppreflight import run
    from .runtime.appinventory import load_app_inventory
    from .runtime.store import InventoryError

    try:
        store = load_app_inventory(inventory_path)
        config = _load_config(None, paths, None)
    except (InventoryError, ConfigError) as exc:
        click.echo(f"registry-lint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if environment is not None:
        click.echo("registry-lint: error: --environment is a Tracecat option; an agent-native inventory has none", err=True)
        sys.exit(EXIT_ERROR)
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        click.echo(f"registry-lint: error: no such file or directory: {', '.join(missing)}", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(run(paths, store, config, output_format, click.echo, os.cpu_count() or 1))
