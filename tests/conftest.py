"""Shared pytest configuration. Keep additions independent of each other."""

from __future__ import annotations

import os

import pytest

# Hypothesis profiles (docs/robustness.md). Tests that fix their own
# ``@settings`` keep them; the fuzz tests scale their example counts with
# the profile. Nothing changes unless HYPOTHESIS_PROFILE is set.
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is a test extra
    pass
else:
    settings.register_profile(
        "long", max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    settings.register_profile("quick", max_examples=10, deadline=None)
    if os.environ.get("HYPOTHESIS_PROFILE"):
        settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


# Slow tests (robustness: hostile inputs, killed workers, real subprocesses,
# fuzzing) are marked ``@pytest.mark.slow`` and skipped by default, so a local
# run stays under a minute; ``--run-slow`` runs them too. The README's test
# command and CI (.ci/run) always pass it: they run the whole suite.
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run the tests marked slow (the README's command and CI do)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
