"""registry-lint: a static linter for Tracecat custom registries."""

__version__ = "0.1.0"
