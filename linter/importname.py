"""The package has one import name, ``registry_lint``; any other is an error.

In a checkout, ``linter/`` and ``rules/`` sit next to each other and the
checkout root is often on ``sys.path`` (``python -m`` from the checkout,
pytest's rootdir). Imported as ``linter``, the package would be a second
copy: its ``Rule`` registry is empty (the rule modules register into
``registry_lint``'s), so a run would check nothing and pass. Importing
``rules`` as a top-level package would register every rule twice.
"""

from __future__ import annotations

import sys
from typing import NoReturn


def refuse(name: str, canonical: str) -> NoReturn:
    """Stop an import of this package under ``name`` instead of ``canonical``."""
    message = (
        f"registry-lint: error: imported as `{name}`, but this package is only importable as "
        f"`{canonical}`; run `registry-lint ...` or `python -m registry_lint ...`"
    )
    # While `python -m X` locates X, sys.argv[0] is "-m" (documented): that
    # is a command line, so answer as the CLI does for a usage error.
    if sys.argv[:1] == ["-m"]:
        print(message, file=sys.stderr)
        raise SystemExit(2)
    raise ImportError(message, name=name)
