"""Lint results checked against how secrets really resolve (DESIGN.md invariant).

For every case in ``cases/*.yml``:
- the linter reports exactly the expected RL2xx/RL3xx/RL4xx codes (for the
  rules that are implemented);
- the reference resolver gives the expected outcome against the case's store;
- invariant: with no RL2xx/RL3xx/RL4xx *error*, the action resolves against a
  store that satisfies its declarations; and every finding of a code in
  ``MUST_FAIL`` makes resolution against that store fail in the way the
  finding says (same kind of problem, about the key or secret it names);
- no secret value of the store appears in any problem, error or repr.
"""

from __future__ import annotations

from dataclasses import replace


import pytest

from registry_lint.model import Diagnostic, SecretRef, Severity
from registry_lint.rule import load_rules
from registry_lint.runtime import Invalid, Resolution, ResolutionError, SecretStore, action_declarations, check

from .harness import FAMILIES, MUST_FAIL, Case, Outcome, load_cases, matches, run

CASES = load_cases()
IMPLEMENTED = frozenset(code for code in load_rules() if code.startswith(FAMILIES))
# The RL2xx-RL4xx catalogue of RULES.md: every code needs at least one case.
CATALOGUE = frozenset(
    [f"RL2{n:02d}" for n in range(1, 15)] + [f"RL30{n}" for n in range(1, 7)] + [f"RL4{n:02d}" for n in range(1, 11)]
)
# Warning-level codes (RULES.md): they do not promise a resolution failure.
WARNINGS = frozenset({"RL203", "RL209", "RL211", "RL301", "RL404", "RL405", "RL410"})
# Findings about a declaration itself (they fail at registration).
DECLARATION_CODES = frozenset(f"RL2{n:02d}" for n in range(1, 15)) | {"RL302", "RL306"}
# Codes reported on a read (Python `secrets.get`) rather than a declaration.
READ_CODES = frozenset({"RL304", "RL401", "RL403"})
# Rules on the shared model must be exercised from both sources.
MODEL_RULES = CATALOGUE - {"RL210", "RL402", "RL403", "RL405", "RL406", "RL407", "RL408", "RL409"}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    return {}


def _outcome(case: Case, cache: dict[str, Outcome]) -> Outcome:
    if case.id not in cache:
        cache[case.id] = run(case)
    return cache[case.id]


def _ids(cases: list[Case], *, known_bugs: bool = False) -> list[object]:
    return [
        pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if known_bugs and c.xfail else [])
        for c in cases
    ]


def test_suite_size_and_coverage() -> None:
    assert len(CASES) >= 60
    covered = {code for case in CASES for code in case.lint}
    assert CATALOGUE <= covered, f"codes without a case: {sorted(CATALOGUE - covered)}"
    for code in sorted(CATALOGUE & MODEL_RULES):
        sources = {c.source for c in CASES if code in c.lint}
        assert sources >= {"python", "yaml"}, (code, sources)
    assert any(not c.lint and c.resolves for c in CASES), "no clean path"


@pytest.mark.parametrize("case", _ids(CASES, known_bugs=True))
def test_lint_codes(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = _outcome(case, outcomes)
    expected = case.lint & IMPLEMENTED
    got = outcome.codes & (IMPLEMENTED | case.lint)
    got_implemented = got & IMPLEMENTED
    assert got_implemented == expected, _explain(outcome)


@pytest.mark.parametrize("case", _ids(CASES))
def test_resolution(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = _outcome(case, outcomes)
    resolution = outcome.resolve()
    assert resolution.resolves is case.resolves, _problems(resolution)
    for expected in case.problems:
        assert any(matches(p, expected) for p in resolution.problems), (expected, _problems(resolution))
    if case.problems:
        assert len(resolution.problems) == len(case.problems), _problems(resolution)


@pytest.mark.parametrize("case", _ids(CASES, known_bugs=True))
def test_invariant(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = _outcome(case, outcomes)
    store = outcome.satisfying_store()
    resolution = outcome.resolve(store)
    # Codes of rules not implemented yet count as if reported (from the case).
    pending = case.lint - IMPLEMENTED
    if not outcome.errors and not (pending - WARNINGS):
        # The satisfying store sets every optional key too: a collision an RL213
        # warning names (optional secrets/keys) is the one failure it may show.
        warned = [d.message for d in outcome.diagnostics if d.code == "RL213"]
        unexplained = [
            p for p in resolution.problems if not (p.kind == "key-collision" and any(_mentions(m, p.key or "") for m in warned))
        ]
        assert not unexplained, f"lint-clean (no RL2-4 error) but does not resolve: {_problems(resolution)}"
    for diag in outcome.diagnostics:
        # A warning never promises a failure (an ignored legacy grant, a read of an optional key).
        if diag.code in MUST_FAIL and diag.severity is Severity.ERROR:
            _assert_fails_as_said(outcome, _past_registration(outcome, store, diag.code, resolution), diag)
    for code in sorted(pending & set(MUST_FAIL)):
        found = _past_registration(outcome, store, code, resolution)
        assert any(p.kind in MUST_FAIL[code] for p in found.problems) or _only_defaults(outcome, found), (
            code, _problems(found),
        )


def _past_registration(outcome: Outcome, store: SecretStore, code: str, resolution: Resolution) -> Resolution:
    """The resolution once declarations Tracecat rejects are dropped.

    A rejected declaration stops the action at registration, before any
    other failure; a finding about something else (RL305 beside an RL208)
    is checked on the action as if that declaration were fixed.
    """
    if code in DECLARATION_CODES or not any(p.kind == "invalid-declaration" for p in resolution.problems):
        return resolution
    valid = tuple(s for s, d in action_declarations(outcome.action) if not isinstance(d, Invalid))
    return check(replace(outcome.action, secrets=valid), store, environment=outcome.case.environment)


def _only_defaults(outcome: Outcome, resolution: Resolution) -> bool:
    """An RL401 on get_or_default only: the default is returned, nothing raises."""
    refs = [r for r in outcome.action.refs if r.via == "get_or_default" and r.key]
    return bool(refs) and resolution.secrets is not None and any(r.key not in resolution.secrets for r in refs)


def _assert_fails_as_said(outcome: Outcome, resolution: Resolution, diag: Diagnostic) -> None:
    ref = _ref_at(outcome, diag)
    if (ref is not None and not ref.attributed) or (
        ref is None and diag.code in READ_CODES and outcome.case.source == "python"
    ):
        return  # a read in a helper no action calls never runs for this action
    if ref is not None and ref.via == "get_or_default":
        # Never raises: the run continues with the default, the value never resolves.
        assert resolution.secrets is not None and ref.key not in resolution.secrets, diag.message
        return
    kinds = MUST_FAIL[diag.code]
    found = [p for p in resolution.problems if p.kind in kinds]
    assert found, f"{diag.code} ({diag.message}) but resolution: {_problems(resolution)}"
    if ref is not None:
        assert any(p.key == ref.key or (p.key is None and p.secret == ref.secret) for p in found), (
            diag.message, ref, _problems(resolution),
        )
    if diag.code in ("RL213", "RL304", "RL401", "RL403"):
        names = [p.key for p in found if p.key] + [p.secret for p in found if p.secret]
        assert any(_mentions(diag.message, name) for name in names), (diag.message, names)


def _mentions(message: str, name: str) -> bool:
    return name in message or name.strip("${} ") in message


def _ref_at(outcome: Outcome, diag: Diagnostic) -> SecretRef | None:
    loc = diag.location
    for ref in outcome.action.refs:
        r = ref.location
        if (r.line, r.col) <= (loc.line, loc.col) <= (r.end_line, r.end_col) or (
            (loc.line, loc.col) <= (r.line, r.col) <= (loc.end_line, loc.end_col)
        ):
            return ref
    return None


@pytest.mark.parametrize("case", _ids(CASES))
def test_no_value_leaks(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = _outcome(case, outcomes)
    store = outcome.satisfying_store()
    values = [v.get_secret_value() for v in store.values() if v.get_secret_value()]
    resolution = outcome.resolve(store)
    texts = [repr(resolution), str(resolution), repr(store)]
    texts += [repr(p) for p in resolution.problems] + [p.message for p in resolution.problems]
    if resolution.secrets is not None:
        texts += [repr(resolution.secrets)] + [f"{resolution.secrets.get(k)}" for k in resolution.secrets]
    if not resolution.resolves:
        err = ResolutionError(resolution.problems)
        texts += [str(err), repr(err)]
    for text in texts:
        for value in values:
            assert value not in text


def _problems(resolution: Resolution) -> list[tuple[str, str | None, str | None]]:
    return [(p.kind, p.secret, p.key) for p in resolution.problems]


def _explain(outcome: Outcome) -> str:
    lines = [f"{outcome.case.id}: expected {sorted(outcome.case.lint)}, got {sorted(outcome.codes)}"]
    lines += [f"  {d.location.line}:{d.location.col} {d.code} {d.message}" for d in outcome.diagnostics]
    return "\n".join(lines)


