"""Every rule's VALID/INVALID examples, run through the whole engine (Fixit's idea).

Adding a rule never means writing test plumbing: give it examples and they
run here, asserting code, line, column, message and fixed output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from registry_lint.fix import apply_fixes
from registry_lint.model import Severity
from registry_lint.rule import Invalid, Rule, Valid, load_rules, split_carets

from .helpers import lint_files, rel

RULES = load_rules()


def _cases() -> list[object]:
    cases = []
    for code, cls in RULES.items():
        for i, ex in enumerate(cls.VALID):
            cases.append(pytest.param(cls, ex, id=f"{code}-valid-{i}"))
        for i, ex in enumerate(cls.INVALID):
            cases.append(pytest.param(cls, ex, id=f"{code}-invalid-{i}"))
    return cases


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_docs_and_examples(code: str) -> None:
    cls = RULES[code]
    doc = cls.doc()
    for section in ("## What it does", "## Why is this bad?", "## Example"):
        assert section in doc, f"{code} docs lack {section!r}"
    assert cls.VALID, f"{code} has no VALID examples"
    assert cls.INVALID, f"{code} has no INVALID examples"
    assert cls.name and cls.name == cls.name.lower() and " " not in cls.name
    if code.startswith(("RL1", "RL2", "RL3", "RL4", "RL6")):
        # Tracecat's code decides: the docs say what it does and where.
        assert "Severity: " in doc, f"{code} docs do not say why it is an error or a warning"
    if cls.mixed_severity:
        severities = {ex.severity for ex in cls.INVALID if isinstance(ex, Invalid)}
        assert {Severity.ERROR, Severity.WARNING} <= severities, f"{code}: examples of both severities"
    if cls.fix:
        assert "## Fix safety" in doc, f"{code} is fixable but its docs lack a Fix safety section"
        assert any(isinstance(ex, Invalid) and ex.fixed is not None for ex in cls.INVALID), (
            f"{code} is fixable but no INVALID example checks the fixed output"
        )


def test_carets_mark_the_expected_positions() -> None:
    example = Invalid(
        """
        x = 1
        y = bad(1, 2)
            ^^^    ^
        """
    )
    assert example.text == "x = 1\ny = bad(1, 2)\n"
    assert example.positions == {(2, 5), (2, 12)}
    assert Invalid("a\nb\n", line=2, col=1).positions == {(2, 1)}
    other = Invalid("import x\n", path="x.py", files={"x.py": "def f(:\n     ^\n"})
    assert other.positions == {(1, 6)} and other.all_files()["x.py"] == "def f(:\n"


@pytest.mark.parametrize(("cls", "example"), _cases())
def test_each_example_says_where_once(cls: type[Rule], example: Valid) -> None:
    """An INVALID example's positions come from caret lines under its text or
    from line/col, never both; a VALID example has none."""
    marked = bool(split_carets(example._dedented)[1]) or any(split_carets(t)[1] for t in example.files.values())
    if not isinstance(example, Invalid):
        assert not marked, f"{cls.code}: caret lines in a VALID example"
        return
    assert bool(example.line) != marked, f"{cls.code}: give the position as caret lines or as line/col, once"
    assert example.positions, f"{cls.code}: no expected position"


@pytest.mark.parametrize(("cls", "example"), _cases())
def test_rule_example(cls: type[Rule], example: Valid, tmp_path: Path) -> None:
    files = example.all_files()
    diags = lint_files(tmp_path, files, config=example.config, extend_select=[cls.code])
    mine = [d for d in diags if d.code == cls.code]
    if not isinstance(example, Invalid):
        assert not mine, f"{cls.code} fired on a VALID example: {[(d.location.line, d.location.col, d.message) for d in mine]}"
        return
    target = example.path or example.filename
    here = [d for d in mine if rel(d, tmp_path) == target]
    got = {(d.location.line, d.location.col) for d in here}
    assert got == example.positions, f"{cls.code}: expected {sorted(example.positions)}, got {sorted(got)}: {[d.message for d in mine]}"
    if example.message is not None:
        assert any(example.message in d.message for d in here), [d.message for d in here]
    if example.severity is not None:
        assert {d.severity for d in here} == {example.severity}, [(d.severity, d.message) for d in here]
    if example.fixed_text is not None:
        text = (tmp_path / target).read_bytes().decode("utf-8")
        fixed, count = apply_fixes(text, here, unsafe=cls.fix == "unsafe")
        assert count, f"{cls.code}: no fix recorded"
        assert fixed == example.fixed_text
