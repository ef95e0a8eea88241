"""Shared pytest configuration. Keep additions independent of each other."""

from __future__ import annotations

import os

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
