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
    ci_lines = [l for l in (ROOT / ".ci" / "run").read_text().splitlines() if "pytest" in l and not l.startswith("#")]
    assert len(ci_lines) == 1
    assert f"\n{ci_lines[0]}\n" in README


def test_readme_quick_start_lints_examples() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)
    assert any(b.endswith("registry-lint check examples/") for b in blocks)
