"""Command line. Heavy modules are imported inside commands, never at import time."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Group(click.Group):
    """Usage errors exit 2 (click's default too); config errors print cleanly."""


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="registry-lint")
def main() -> None:
    """Lint Tracecat custom registries: Python UDFs and YAML action templates."""


def _codes_option(name: str, help_text: str):  # type: ignore[no-untyped-def]
    return click.option(name, multiple=True, metavar="CODES", help=help_text)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@_codes_option("--select", "Rule codes or prefixes to enable (replaces the configured selection).")
@_codes_option("--extend-select", "Rule codes or prefixes to enable in addition.")
@_codes_option("--ignore", "Rule codes or prefixes to disable.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of each finding.")
@click.option("--stdin-filename", metavar="NAME", help="Read the source from stdin and lint it as NAME.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str), help="Config file (pyproject.toml or registry-lint.toml).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: number of cores).")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: only on a terminal).")
@click.option("--show-source/--no-show-source", default=None, help="Show the offending line with a caret (default: on a terminal).")
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
        result = engine.lint_paths(targets, config, jobs=jobs or os.cpu_count() or 1)
        _load_sources(result)

    tty = sys.stdout.isatty()
    from .report import renderer

    output = renderer(output_format)(
        result,
        color=tty if color is None else color,
        statistics=statistics,
        show_source=tty if show_source is None else show_source,
    )
    click.echo(output, nl=False)
    for err in result.internal_errors:
        click.echo(f"registry-lint: {err}; please report this bug", err=True)
    if result.internal_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.has_findings and not exit_zero else EXIT_CLEAN)


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
    """Text of files with findings, for source snippets and fixes."""
    for path in {d.location.path for d in result.diagnostics}:
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
