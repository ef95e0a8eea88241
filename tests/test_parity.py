"""The recorded parity cases (tests/parity/) against the linter.

Tracecat rejects a case => the linter reports an error of the case's
family; Tracecat accepts it => no error at all; Tracecat never loads the
action => RL619 and no error. A case the linter does not agree with yet is
listed in ``tests/parity/expected_failures.json`` with its reason
(``pending``: the rule is not written yet; ``stricter``: the linter is
deliberately stricter, and the rule's docs say why). Those run as strict
xfails: when the linter starts to agree, the entry must go.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry_lint.model import Severity

from .helpers import lint_files, rel
from .parity.cases import Case, all_cases

HERE = Path(__file__).resolve().parent / "parity"
VERDICTS = json.loads((HERE / "verdicts.json").read_text("utf-8"))["verdicts"]
EXPECTED_FAILURES: dict[str, dict[str, str]] = json.loads((HERE / "expected_failures.json").read_text("utf-8"))
CASES = all_cases()
PACKAGE = "parity_pkg"


def disagreement(case: Case, tmp_path: Path) -> str | None:
    """Why the linter disagrees with Tracecat's recorded verdict, or None."""
    verdict = VERDICTS[case.id]
    files = {f"{PACKAGE}/{name}": text for name, text in {"__init__.py": "", **case.files}.items()}
    diags = lint_files(tmp_path, files)
    errors = [d for d in diags if d.severity is Severity.ERROR]
    shown = [f"{rel(d, tmp_path)}:{d.location.line}:{d.location.col} {d.code} {d.message}" for d in errors]
    if verdict["verdict"] == "reject":
        if not any(d.code.startswith(case.codes) for d in errors):
            return f"Tracecat rejects ({verdict['details']}) but the linter reports no {'/'.join(case.codes)} error: {shown}"
        return None
    if errors:
        return f"Tracecat {verdict['verdict']}s but the linter reports errors: {shown}"
    if verdict["verdict"] == "not_loaded" and not any(d.code == "RL619" for d in diags):
        return "Tracecat never loads the action but the linter does not report RL619"
    return None


def _params() -> list[object]:
    out = []
    for case in CASES:
        marks = []
        expected = EXPECTED_FAILURES.get(case.id)
        if expected is not None:
            marks.append(pytest.mark.xfail(reason=f"{expected['kind']}: {expected['reason']}", strict=True))
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_parity_case(case: Case, tmp_path: Path) -> None:
    problem = disagreement(case, tmp_path)
    assert problem is None, problem


def test_every_case_has_a_current_verdict() -> None:
    stale = [c.id for c in CASES if c.id not in VERDICTS or VERDICTS[c.id]["digest"] != c.digest()]
    assert not stale, f"record these cases again (tests/parity/README.md): {stale}"


def test_expected_failures_name_real_cases_with_a_reason() -> None:
    ids = {c.id for c in CASES}
    for case_id, entry in EXPECTED_FAILURES.items():
        assert case_id in ids, case_id
        assert entry["kind"] in ("pending", "stricter") and entry["reason"].strip(), case_id
