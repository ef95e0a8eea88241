"""A safe fix never changes what resolves (RULES.md).

Every safe fix the linter offers on a conformance case is applied, the
fixed action is resolved again (against the case's store and against the
store that satisfies the original declarations), and every read that
resolved before must resolve to the same value after: a template reference
(in order), a Python ``secrets.get``/``get_or_default`` key (in order), and
the action as a whole. A fix may make something resolve that did not (that
is what it is for), never the reverse.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from registry_lint import engine
from registry_lint.config_table import parse_config
from registry_lint.fix import apply_fixes
from registry_lint.model import ActionSpec, SecretRef
from registry_lint.runtime import Problem, Resolution, SecretStore, check

from .harness import Case, load_cases, run

CASES = load_cases()


def _fixed(case: Case) -> tuple[ActionSpec, ActionSpec, str] | None:
    """(original action, fixed action, fixed text), or None when no safe fix applies."""
    outcome = run(case)
    text, count = apply_fixes(case.code, outcome.diagnostics, unsafe=False)
    if not count:
        return None
    cfg = parse_config(dict(case.config), root=Path("/conformance"))
    result = engine.lint_file(case.filename, cfg, text.encode("utf-8"))
    assert not result.internal_errors, result.internal_errors
    assert len(result.actions) == 1, f"{case.id}: the fixed text has {len(result.actions)} actions"
    return outcome.action, result.actions[0], text


def _templates(action: ActionSpec) -> list[SecretRef]:
    return [r for r in action.refs if r.via == "template" and r.secret and r.key]


def _reads(action: ActionSpec) -> list[SecretRef]:
    return [r for r in action.refs if r.via in ("get", "get_or_default") and r.key is not None]


def lost(before: ActionSpec, after: ActionSpec, store: SecretStore, environment: str = "default") -> list[str]:
    """What resolved with ``before`` and no longer does (or differs) with ``after``."""
    was, now = check(before, store, environment=environment), check(after, store, environment=environment)
    out: list[str] = []
    if was.resolves and not now.resolves:
        out.append(f"resolved before, not after: {[(p.kind, p.secret, p.key) for p in now.problems]}")
    out += _lost_templates(before, after, was, now)
    if was.secrets is not None:
        for old, new in zip(_reads(before), _reads(after)):
            if old.key in was.secrets and (now.secrets is None or now.secrets.get_or_default(new.key) != was.secrets.get(old.key)):
                out.append(f"secrets.{old.via}({old.key!r}) resolved before; after the fix ({new.key!r}) it does not")
    return out


def _lost_templates(before: ActionSpec, after: ActionSpec, was: Resolution, now: Resolution) -> list[str]:
    out: list[str] = []
    old_refs, new_refs = _templates(before), _templates(after)
    if len(old_refs) != len(new_refs):
        return [f"the fix changed the number of template references ({len(old_refs)} -> {len(new_refs)})"]
    for old, new in zip(old_refs, new_refs):
        value = was.lookup(old.secret, old.key)
        if value is None or isinstance(value, Problem):
            continue
        after_value = now.lookup(new.secret, new.key)
        if after_value != value:
            out.append(f"SECRETS.{old.secret}.{old.key} resolved before; after the fix SECRETS.{new.secret}.{new.key} does not")
    return out


FIXED = [(c, f) for c in CASES if (f := _fixed(c)) is not None]


def test_safe_fixes_are_exercised() -> None:
    # The suite must reach the safe fixes this guarantee is about.
    codes = {d.code for c, _ in FIXED for d in run(c).diagnostics if d.fix is not None and d.fix.applicability == "safe"}
    assert {"RL207", "RL210", "RL304", "RL403"} <= codes, codes


@pytest.mark.parametrize(("case", "fixed"), [pytest.param(c, f, id=c.id) for c, f in FIXED])
def test_safe_fix_never_changes_what_resolves(case: Case, fixed: tuple[ActionSpec, ActionSpec, str]) -> None:
    before, after, text = fixed
    outcome = run(case)
    for store in (outcome.case_store(), outcome.satisfying_store()):
        assert not lost(before, after, store, case.environment), (case.id, text)


def test_the_check_catches_a_fix_that_breaks_a_working_reference() -> None:
    """The old RL304 bug: a legacy mapping's grant trusted as written, its
    user-token reference "fixed" to the service token that never resolves."""
    [case] = [c for c in CASES if c.id == "legacy-oauth-grant-overwritten-yaml"]
    before = run(case).action
    broken = case.code.replace("GITHUB_USER_TOKEN", "GITHUB_SERVICE_TOKEN")
    cfg = parse_config({}, root=Path("/conformance"))
    after = engine.lint_file(case.filename, cfg, broken.encode()).actions[0]
    store = SecretStore.build(oauth=[("github", "authorization_code")])
    assert lost(before, after, store)
