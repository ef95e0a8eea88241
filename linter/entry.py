"""The `registry-lint` console script: quiets the cyclic GC before the CLI's imports.

click and (for Python files) LibCST build ~100k long-lived objects on import,
and the collector with its default thresholds walks them again and again
(~2 ms of a one-file pre-commit run for click alone). Kept separate from
``cli`` so that importing the CLI as a library (tests, the language server)
never changes the GC.
"""

from __future__ import annotations


def main() -> None:
    import gc

    gc.disable()  # until `check` knows how many files it lints (other commands re-enable it)
    from . import cli

    cli.OWNS_PROCESS = True
    cli.main()
