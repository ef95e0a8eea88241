"""``registry-lint init``: a starter configuration and pre-commit hook for a repository.

Never overwrites or rewrites anything:

- Configuration: when ``pyproject.toml`` exists without a
  ``[tool.registry-lint]`` table, the starter table is appended to it (the
  existing text is kept byte for byte; the result is parsed again before
  writing, and if appending would not give valid TOML, e.g. the file
  defines ``tool`` inline, ``registry-lint.toml`` is written instead).
  Without ``pyproject.toml``, a new ``registry-lint.toml``. Nothing when
  either already configures registry-lint.
- pre-commit: a new ``.pre-commit-config.yaml`` with this repository's
  hooks at this release's tag. An existing one is never edited (YAML cannot
  be appended to safely in general: flow style, anchors, ``repos`` not last);
  unless it already names registry-lint, the entry to add is printed.

Then the next steps are printed. Exit 0, also when nothing needed doing.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from .project import RELEASE_TAG, REPOSITORY_URL

STARTER = """\
[tool.registry-lint]
# Every rule that is not opt-in is enabled; `registry-lint rules` lists them
# and README.md ("Configuration") describes every key.
# select = ["RL"]
# extend-select = ["RL404"]        # opt-in: declared secrets never read
# ignore = ["RL104"]
# exclude = ["tests/fixtures/"]    # gitignore-like, relative to this file
# per-file-ignores = { "legacy/*.py" = ["RL151"] }
"""

PRE_COMMIT_ENTRY = f"""\
  - repo: {REPOSITORY_URL}
    rev: {RELEASE_TAG}
    hooks:
      - id: registry-lint           # Python and YAML files: every rule
      - id: registry-lint-secrets   # every text file: credentials only (RL5xx)
"""


def init(directory: str) -> list[str]:
    """Set up ``directory``; returns the lines to print."""
    root = Path(directory)
    lines = _config(root)
    lines += _pre_commit(root)
    if all("(unchanged)" in line for line in lines[:2]) and "already runs" in lines[1]:
        lines.insert(0, "registry-lint is already set up here: nothing changed.")
    return lines


def _config(root: Path) -> list[str]:
    import tomllib

    dedicated = root / "registry-lint.toml"
    pyproject = root / "pyproject.toml"
    if dedicated.exists():
        return [f"{_show(dedicated)}: already configures registry-lint (unchanged)"]
    if pyproject.is_file():
        text = pyproject.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise click.ClickException(f"{_show(pyproject)} is not valid TOML ({exc}); fix it first") from None
        if isinstance(data.get("tool"), dict) and "registry-lint" in data["tool"]:
            return [f"{_show(pyproject)}: already has [tool.registry-lint] (unchanged)"]
        sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        new = text + sep + STARTER
        try:
            appended = tomllib.loads(new)
        except tomllib.TOMLDecodeError:
            appended = {}
        if isinstance(appended.get("tool"), dict) and "registry-lint" in appended["tool"]:
            with open(pyproject, "a", encoding="utf-8", newline="") as fh:  # append only: the rest stays byte for byte
                fh.write(sep + STARTER)
            return [f"{_show(pyproject)}: added a starter [tool.registry-lint] table"]
        note = [f"{_show(pyproject)}: appending [tool.registry-lint] would not be valid TOML there (left unchanged)"]
    else:
        note = []
    _create(dedicated, STARTER.replace("[tool.registry-lint]\n", "# registry-lint configuration (the keys of [tool.registry-lint])\n"))
    return [*note, f"{_show(dedicated)}: created with a starter configuration"]


def _pre_commit(root: Path) -> list[str]:
    path = root / ".pre-commit-config.yaml"
    if not path.exists():
        _create(path, "# pre-commit hooks: `pre-commit install` runs them on every commit\nrepos:\n" + PRE_COMMIT_ENTRY)
        return [
            f"{_show(path)}: created with the registry-lint hooks ({RELEASE_TAG})",
            "",
            "Next steps:",
            "  registry-lint check .      # lint the repository now",
            "  pre-commit install         # run the hooks on every commit",
        ]
    text = path.read_text(encoding="utf-8", errors="replace")
    if REPOSITORY_URL in text or "id: registry-lint" in text:
        return [f"{_show(path)}: already runs registry-lint (unchanged)", "", "Next step:", "  registry-lint check ."]
    return [
        f"{_show(path)}: exists, left unchanged; add this entry under `repos:`:",
        "",
        *PRE_COMMIT_ENTRY.rstrip("\n").split("\n"),
        "",
        "Next steps:",
        "  registry-lint check .      # lint the repository now",
        "  pre-commit install         # after adding the entry",
    ]


def _create(path: Path, text: str) -> None:
    # O_EXCL: never overwrite, even a file created since we looked.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _show(path: Path) -> str:
    return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
