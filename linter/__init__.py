"""registry-lint: a static linter for Tracecat custom registries."""

__version__ = "0.1.0"

if __name__ != "registry_lint":  # e.g. `python -m linter` in a checkout: a second copy
    from .importname import refuse

    refuse(__name__, "registry_lint")
