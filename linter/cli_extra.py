"""``check`` options that people bring from ruff: declared here, wired in cli.py.

Each behaves as its ruff namesake unless README.md says why not:
``--output-file``, ``--quiet``/``-q``, ``--silent``, ``--show-fixes``,
``--exit-non-zero-on-fix``, ``--add-noqa``, ``--isolated``, ``--cache-dir``
(and ``REGISTRY_LINT_CACHE_DIR``), ``--watch``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import click

from .cli_check import usage_error

_OPTIONS = (
    click.option("--output-file", "-o", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="Write the report to FILE instead of stdout (parent directories are created)."),
    click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary, no notes."),
    click.option("--silent", is_flag=True, help="Print nothing but errors; the exit code tells the result."),
    click.option("--show-fixes", is_flag=True, help="Show each finding's fix (text format); with --fix, list the fixes applied."),
    click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix: exit 1 if any file was fixed, even when nothing is left."),
    click.option("--add-noqa", is_flag=True, help="Add `# noqa: RLxxx` to the line of every current finding (Python, YAML; `// noqa` in TypeScript) and exit."),
    click.option("--isolated", is_flag=True, help="Ignore every configuration file (defaults plus command-line options)."),
    click.option("--cache-dir", metavar="DIR", envvar="REGISTRY_LINT_CACHE_DIR", show_envvar=True, type=click.Path(file_okay=False, path_type=str), help="Directory of the result cache (default: .registry-lint-cache/ at the configuration root)."),
    click.option("--watch", "-w", is_flag=True, help="Lint again whenever a linted file or a configuration file changes (Ctrl-C stops)."),
)


def extra_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_OPTIONS):
        f = option(f)
    return f


@dataclass(frozen=True)
class Extra:
    output_file: str | None = None
    quiet: bool = False
    silent: bool = False
    show_fixes: bool = False
    exit_non_zero_on_fix: bool = False
    add_noqa: bool = False
    isolated: bool = False
    cache_dir: str | None = None
    watch: bool = False

    @classmethod
    def pop(cls, kwargs: dict[str, Any]) -> Extra:
        return cls(**{f.name: kwargs.pop(f.name, f.default) for f in fields(cls)})

    def validate(self, *, stdin: bool, fix: bool, diff: bool, config_path: str | None, show: bool, baseline: bool) -> None:
        """Combinations that cannot mean anything are usage errors (exit 2), never ignored."""
        if self.isolated and config_path is not None:
            usage_error("--isolated ignores every configuration file; it cannot be used with --config")
        if self.add_noqa:
            if fix or diff:
                usage_error("--add-noqa cannot be used with --fix or --diff (as in ruff)")
            if stdin:
                usage_error("--add-noqa edits files in place; it cannot read stdin")
            if baseline:
                usage_error("--add-noqa cannot be used with --baseline or --write-baseline")
        if self.watch:
            if stdin:
                usage_error("--watch lints files on disk; it cannot read stdin")
            if self.add_noqa or show or baseline or diff:
                usage_error("--watch cannot be used with --add-noqa, --diff, --show-settings, --show-files, --baseline or --write-baseline")
            if self.output_file is not None:
                # ruff ignores --output-file in watch mode; a silent ignore hides a mistake.
                usage_error("--watch prints each run to the terminal; it cannot be used with --output-file")
        if self.exit_non_zero_on_fix and not fix:
            usage_error("--exit-non-zero-on-fix needs --fix")
