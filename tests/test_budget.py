"""The per-file time budget (``linter/budget.py``): a runaway file gets RL003,
the run goes on, the timer is restored, results are never cached, and the
pre-checks accept real code."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from registry_lint import budget, engine, run
from registry_lint.config_table import parse_config
from registry_lint.discover import discover

from .test_hostile import _assert_sentinels, _lint_tree, _tree


# The time budget ---------------------------------------------------------------------------
@pytest.mark.slow
def test_time_budget_stops_a_runaway_file_and_the_run_continues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, {"slow.yml": b"a: b\n"})
    real = engine._run_rules

    def slow_rules(rules, source, parsed, ctx, result):
        if source.path.endswith("slow.yml"):
            while True:  # a runaway rule: only the budget ends it
                time.sleep(0.01)
        return real(rules, source, parsed, ctx, result)

    monkeypatch.setattr(engine, "_run_rules", slow_rules)
    monkeypatch.setenv(budget.TIMEOUT_ENV, "0.5")
    internal, diags = _lint_tree(root)
    assert internal == []
    [(_, code, _, message)] = [d for d in diags if d[0] == "slow.yml"]
    assert code == "RL003" and "took longer than 0.5 s" in message
    _assert_sentinels(diags)


def test_time_budget_result_is_transient_and_timer_is_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers")
    before = signal.getsignal(signal.SIGALRM)
    monkeypatch.setattr(engine, "_lint_file", lambda *a: time.sleep(5))
    monkeypatch.setenv(budget.TIMEOUT_ENV, "0.2")
    from registry_lint.config import Config

    result = engine.lint_file("x.yml", Config(), b"a: b\n")
    assert result.transient and [d.code for d in result.diagnostics] == ["RL003"]
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_budget_defers_to_an_existing_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone else's ITIMER_REAL (pytest-timeout, an embedding app) is left alone."""
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers")
    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with budget.time_limit(0.1) as active:
            assert active is False
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_budget_env_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in (("", budget.DEFAULT_FILE_TIMEOUT), ("2.5", 2.5), ("0", 0.0), ("-3", 0.0), ("nope", budget.DEFAULT_FILE_TIMEOUT)):
        monkeypatch.setenv(budget.TIMEOUT_ENV, raw)
        assert budget.file_timeout() == expected


def test_pre_checks_accept_real_code() -> None:
    """The linter's own sources and its dependencies' stay far below every limit."""
    import libcst
    import yaml

    roots = [Path(engine.__file__).parent, Path(libcst.__file__).parent, Path(yaml.__file__).parent]
    checked = 0
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert budget.check_python(text) is None, path
            checked += 1
    assert checked > 100




def test_timed_out_results_are_never_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file stopped by the budget is linted again next run (a faster machine may finish it)."""
    cache_mod = pytest.importorskip("registry_lint.cache")
    root = _tree(tmp_path, {"slow.yml": b"a: [\n"})
    cfg = parse_config({}, root=root)
    files = discover([str(root)], cfg)
    real = engine._run_rules

    def hang_on_slow(rules, source, parsed, ctx, result):
        if source.path.endswith("slow.yml"):
            time.sleep(30)
        return real(rules, source, parsed, ctx, result)

    monkeypatch.setenv(budget.TIMEOUT_ENV, "0.3")
    monkeypatch.setattr(engine, "_run_rules", hang_on_slow)
    first = run.check(files, cfg, cache=cache_mod.ResultCache.for_config(cfg))
    assert [d.message for d in first.diagnostics if d.location.path.endswith("slow.yml")] == [
        "File took longer than 0.3 s to lint (per-file time budget); not linted"
    ]
    monkeypatch.setattr(engine, "_run_rules", real)
    second = run.check(files, cfg, cache=cache_mod.ResultCache.for_config(cfg))
    assert {d.code for d in second.diagnostics if d.location.path.endswith("slow.yml")} == {"RL002"}
