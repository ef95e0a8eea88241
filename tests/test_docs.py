"""The README is the product's promise: keep it true."""

from __future__ import annotations

import re
from pathlib import Path

from registry_lint import docgen

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    assert docgen.update(README) == README, "run: python -m registry_lint.docgen README.md"


def test_ci_runs_the_readme_test_command() -> None:
    [readme_command] = [b for b in re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL) if "pytest" in b]
    ci_lines = [l for l in (ROOT / ".ci" / "run").read_text().splitlines() if "pytest" in l and not l.lstrip().startswith("#")]
    assert ci_lines[0] == readme_command  # word for word, and first
    # then the lowest and the highest supported Python (lowest / newest dependencies)
    assert any(".venv-lowest/bin/python -m pytest" in l for l in ci_lines)
    assert any(".venv-highest/bin/python -m pytest" in l for l in ci_lines)
    # CI runs the whole suite: the slow tests too (a plain `pytest` skips them).
    assert all("--run-slow" in l for l in ci_lines), ci_lines


def test_readme_quick_start_lints_examples() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)
    assert any(b.endswith("registry-lint check examples/") for b in blocks)
