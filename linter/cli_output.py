"""Where ``check`` writes: stdout or ``--output-file``, and how much
(``--quiet``, ``--silent``), as ruff does.

- The report (findings, summary, ``--diff`` patches, ``--show-fixes``) goes
  to ``--output-file FILE`` when given (parent directories are created, as
  ruff does, and colour is off), else to stdout. With ``--output-file``
  nothing of the report reaches stdout.
- ``--quiet`` keeps the findings and drops the summary line and the
  informational notes on stderr (``Would fix ...``, stale baseline entries).
- ``--silent`` prints no report and no notes. Unlike ruff's, it still
  prints errors that make the exit code 2 (a missing path, a bad config, a
  bug) on stderr: an exit 2 with no reason cannot be acted on. With
  ``--output-file`` the file is still written: asking for a file and for
  silence means "the file, and nothing on the terminal".
"""

from __future__ import annotations

import os
import sys
from typing import IO

import click


class Sink:
    """The report's destination and verbosity for one ``check`` run."""

    def __init__(self, output_file: str | None = None, *, quiet: bool = False, silent: bool = False) -> None:
        self.output_file = output_file
        self.quiet = quiet or silent
        self.silent = silent
        self._fh: IO[str] | None = None
        if output_file is not None:
            self._fh = _open(output_file)

    @property
    def to_file(self) -> bool:
        return self._fh is not None

    def excludes(self, path: str) -> bool:
        """``path`` is the output file: never lint the report being written."""
        return self.output_file is not None and os.path.abspath(path) == os.path.abspath(self.output_file)

    def report(self, text: str, *, err: bool = False, color: bool | None = None) -> None:
        """Part of the report (findings, summary, patches)."""
        if self._fh is not None:
            self._fh.write(text)
            return
        if not self.silent and text:
            click.echo(text, nl=False, err=err, color=color)

    def note(self, text: str) -> None:
        """An informational line on stderr (hidden by --quiet and --silent)."""
        if not self.quiet:
            click.echo(text, err=True)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _open(path: str) -> IO[str]:
    try:
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        click.echo(f"registry-lint: error: cannot write output file {path}: {exc.strerror or exc}", err=True)
        sys.exit(2)
