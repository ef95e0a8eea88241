"""Command line. Heavy modules are imported inside commands, never at import time."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .cli_check import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    load_settings,
    print_files,
    print_settings,
    report_errors,
    run_add_noqa,
    run_baseline,
    run_fix,
    usage_error,
    use_color,
)
from .cli_check import default_jobs as _default_jobs
from .cli_check import load_sources as _load_sources
from .cli_check import tune_gc as _tune_gc
from .cli_extra import Extra, extra_options
from .cli_output import Sink
from .report import FORMATS


class _Group(click.Group):
    """Usage errors exit 2 (click's default too); config errors print cleanly.

    `resolve` lives in cli_resolve.py and is imported only when asked for
    (its name, `--help`, or the command list): `check` never loads it."""

    _LAZY = {"resolve": "resolve_command"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._LAZY and cmd_name not in self.commands:
            from . import cli_resolve

            self.add_command(getattr(cli_resolve, self._LAZY[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="registry-lint")
def main() -> None:
    """Lint Tracecat custom registries: Python UDFs and YAML action templates."""
    if OWNS_PROCESS and click.get_current_context().invoked_subcommand != "check":
        import gc

        gc.enable()  # the console script starts with it off; `check` decides for itself


def _codes_option(name: str, help_text: str):
    return click.option(name, multiple=True, metavar="CODES", help=help_text)


@main.command(short_help="Lint files and directories (default: the current directory).")
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
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of each finding (text and json; other formats print every finding).")
@click.option("--stdin-filename", metavar="NAME", help="Read the source from stdin and lint it as NAME (`check -` reads stdin too).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str), help="Config file for every file (default: each file's nearest pyproject.toml or registry-lint.toml).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: number of cores).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache (.registry-lint-cache/).")
@click.option("--tracecat-registry", "tracecat_registry", metavar="PATH", help="Read Tracecat's built-in actions from this checkout (or its packages/tracecat-registry) instead of the shipped catalogue.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal; NO_COLOR and FORCE_COLOR are honoured).")
@click.option("--show-source/--no-show-source", default=None, help="Show the offending line with a caret (default: on a terminal).")
@click.option("--fix", is_flag=True, help="Apply safe fixes, write the files and report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour (with --fix or --diff).")
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes without writing; exit 1 if there would be changes.")
@click.option("--baseline", "baseline_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="Report only findings not recorded in this baseline.")
@click.option("--write-baseline", "write_baseline_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="Record every current finding in FILE and exit 0.")
@click.option("--show-settings", is_flag=True, help="Print the settings that apply to PATH (one file or directory) and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, each with its config file, and exit.")
@extra_options
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
    show_settings: bool = False,
    show_files: bool = False,
    tracecat_registry: str | None = None,
    **more: object,
) -> None:
    """Lint PATHS (default: the current directory; `-` reads stdin).

    Each file uses its nearest configuration (`pyproject.toml` with
    `[tool.registry-lint]`, or `registry-lint.toml`) unless --config is
    given. Exit 0: no findings; 1: findings; 2: a usage or configuration
    error, a path that does not exist, or an internal error.
    """
    from .config import ConfigError

    extra = Extra.pop(more)
    if "-" in paths and stdin_filename is None:
        stdin_filename = "-"  # as ruff: `check -` reads stdin
    if stdin_filename is not None and any(p != "-" for p in paths):
        usage_error("--stdin-filename (or `-`) reads from stdin; do not pass other PATHS")
    extra.validate(
        stdin=stdin_filename is not None, fix=fix, diff=diff, config_path=config_path,
        show=show_settings or show_files, baseline=bool(baseline_path or write_baseline_path),
    )
    if extra.watch:
        from .watch import watch

        global OWNS_PROCESS
        OWNS_PROCESS = False  # a long-lived process: the one-shot GC tuning of `check` must not apply
        watch(click.get_current_context(), paths)
    missing: list[str] = []
    try:
        settings = load_settings(config_path, select, extend_select, ignore, tracecat_registry, isolated=extra.isolated)
        if show_settings:
            print_settings(settings, paths)
        if stdin_filename is None:
            from .discover import discover

            # A mistyped path must not pass as "nothing to lint" (ruff: E902).
            missing = [p for p in paths if not os.path.lexists(p)]
            targets = discover([p for p in paths if p not in missing] if paths else ["."], settings)
            if show_files:
                print_files(settings, targets, missing)
        elif show_files:
            print_files(settings, [stdin_filename], [])
    except ConfigError as exc:
        usage_error(str(exc))
    sink = Sink(extra.output_file, quiet=extra.quiet, silent=extra.silent)
    if stdin_filename is None and extra.output_file is not None:
        targets = [t for t in targets if not sink.excludes(t)]  # never lint the report being written

    from . import run

    if stdin_filename is not None:
        data = sys.stdin.buffer.read()
        result = run.check_text(stdin_filename, data, settings)
        result.sources[stdin_filename] = data.decode("utf-8", "replace")
    else:
        if OWNS_PROCESS:
            _tune_gc(len(targets))
        cache = None
        if not no_cache and targets:
            from .cache import ResultCache

            cache = ResultCache(Path(extra.cache_dir)) if extra.cache_dir else ResultCache.for_config(settings.for_path(targets[0]))
        result = run.check(targets, settings, jobs=jobs or _default_jobs(), cache=cache)
        _load_sources(result)
    for path in missing:
        result.errors.append(f"Failed to lint {path}: No such file or directory")
    if extra.add_noqa:
        run_add_noqa(result, sink)

    # Fixes and baselines (docs/workflows.md). With --fix on stdin the fixed
    # source goes to stdout, so the report goes to stderr (as ruff does).
    linted = [stdin_filename] if stdin_filename is not None else targets
    fixed = 0
    fixed_codes = None
    if fix or diff:
        stdin = (stdin_filename, data) if stdin_filename is not None else None
        fixed, fixed_codes = run_fix(result, settings, linted, stdin=stdin, unsafe=unsafe_fixes, diff=diff, jobs=jobs or os.cpu_count() or 1, sink=sink)
    if baseline_path or write_baseline_path:
        run_baseline(result, linted, baseline_path, write_baseline_path, sink=sink)
    to_stderr = fix and not diff and stdin_filename is not None

    tty = (sys.stderr if to_stderr else sys.stdout).isatty() and not sink.to_file
    from .report import renderer

    coloured = use_color(color, tty) and not sink.to_file
    output = renderer(output_format)(
        result,
        color=coloured,
        statistics=statistics,
        show_source=tty if show_source is None else show_source,
        fixed=fixed,
        paths=linted,
        quiet=extra.quiet,
        show_fixes=extra.show_fixes,
        fixed_codes=fixed_codes if fix else None,
    )
    # color=: click strips escape codes from anything but a terminal otherwise
    # (only the text format has colours; the others keep click's stripping).
    sink.report(output, err=to_stderr, color=coloured if output_format == "text" else None)
    sink.close()
    report_errors(result)
    if result.incomplete:
        sys.exit(EXIT_ERROR)
    if extra.exit_non_zero_on_fix and fixed and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_FINDINGS if result.has_findings and not exit_zero else EXIT_CLEAN)


#: Set by the console script (``registry_lint.entry``): this process runs one
#: command and exits, so ``check`` may tune the garbage collector. Never set
#: when the CLI is called in-process (tests, the language server).
OWNS_PROCESS = False


@main.command(short_help="Write a starter configuration and pre-commit hook.")
@click.argument("directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=str))
def init(directory: str) -> None:
    """Write a starter [tool.registry-lint] table (into pyproject.toml, else a
    new registry-lint.toml) and a .pre-commit-config.yaml with the hooks, in
    DIRECTORY (default: the current one). Existing files are never
    overwritten; an existing .pre-commit-config.yaml is left as it is and
    the entry to add is printed."""
    from .init_cmd import init as set_up

    for line in set_up(directory):
        click.echo(line)


@main.command(short_help="Show the documentation of one rule (e.g. RL304).")
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
    from .rule_examples import section

    examples = section(cls)
    if examples:
        click.echo("\n" + examples)


def _rule_dict(cls) -> dict[str, object]:
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


@main.command(name="rules", short_help="List every rule with its code, severity and name.")
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


@main.command(short_help="Run the language server for editors (LSP over stdio).")
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
