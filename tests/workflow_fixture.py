"""A small registry with fixable and unfixable findings, shared by the workflow tests.

Written for these tests (no third-party files). ``examples/registry`` is
used as well when present: see ``example_dirs``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

FILES: dict[str, str] = {
    # RL010 (fixable) in Python, with comments and odd spacing that must survive.
    "udfs/helpers.py": (
        '"""Helpers."""\n'
        "from tracecat_registry import registry  # keep this comment\n"
        "\n"
        "TIMEOUT   = 30  # noqa: RL101\n"
        "RETRIES = 3  # noqa: RL102, E501\n"
        "\n"
        "\n"
        "def   spaced( x ):   # odd spacing stays\n"
        "    return x  # noqa: RL104 trailing words\n"
    ),
    # RL010 (fixable) in YAML: comments and quoting elsewhere stay byte-identical.
    "templates/notes.yml": (
        "# A YAML file that is not an action template.\n"
        "name:   'notes'   # quoted, padded\n"
        "items: [a,  b]  # noqa: RL601\n"
        "nested:\n"
        "  key: value\n"
    ),
    # RL001 (not fixable).
    "udfs/broken.py": "from tracecat_registry import registry\n\ndef broken(:\n    pass\n",
}


def write(root: Path, files: dict[str, str] | None = None) -> Path:
    for name, text in (files or FILES).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


def example_dirs() -> list[Path]:
    """The lead's example registry, when it exists."""
    reg = EXAMPLES / "registry"
    return [reg] if reg.is_dir() and any(reg.rglob("*.py")) else []


def copy_examples(dest: Path) -> Path | None:
    dirs = example_dirs()
    if not dirs:
        return None
    shutil.copytree(dirs[0], dest)
    return dest


def runner() -> CliRunner:
    """stdout and stderr apart (click < 8.2 mixes them unless told not to)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()
