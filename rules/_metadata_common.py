"""Shared pieces of the RL1xx rules: blank-value test and example builders."""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePath

from registry_lint.model import ActionSpec, Location, Value
from registry_lint.tracecat import BUILTIN_REGISTRY_PACKAGE

# Shared example prologue: a clean action each example perturbs.
PY_HEAD = "from tracecat_registry import registry\n\n"


def py_action(**kwargs: str) -> str:
    """A registered Python action with the given register() keywords."""
    defaults = {
        "default_title": '"Search"',
        "description": '"Search the web"',
        "display_group": '"Exa"',
        "doc_url": '"https://docs.exa.ai"',
        "namespace": '"tools.exa"',
    }
    defaults.update(kwargs)
    args = "".join(f"    {k}={v},\n" for k, v in defaults.items() if v is not None)
    return f"{PY_HEAD}@registry.register(\n{args})\nasync def lookup() -> dict:\n    return {{}}\n"


def yml_action(**fields: str | None) -> str:
    """A YAML template with the given definition fields (None removes one)."""
    defaults: dict[str, str | None] = {
        "title": "Search",
        "description": "Search the web",
        "display_group": "Exa",
        "doc_url": "https://docs.exa.ai",
        "namespace": "tools.exa",
        "name": "lookup",
    }
    defaults.update(fields)
    body = "".join(f"  {k}: {v}\n" for k, v in defaults.items() if v is not None)
    return (
        "type: action\ndefinition:\n"
        + body
        + "  expects: {}\n  steps:\n    - ref: call\n      action: core.http_request\n"
        + "      args:\n        url: https://api.exa.ai\n  returns: ${{ steps.call.result }}\n"
    )


def is_blank(value: Value | None) -> bool:
    """Absent, null or an empty/whitespace string; unknown values are not blank."""
    if value is None:
        return True
    if not value.known:
        return False
    return value.value is None or (isinstance(value.value, str) and not value.value.strip())


def where(action: ActionSpec, value: Value | None) -> Location:
    return value.location if value is not None else action.location


@lru_cache(maxsize=4096)
def is_builtin_registry(path: str) -> bool:
    """A file of Tracecat's own registry package (``tracecat_registry/...``):
    its actions own the reserved namespaces (``core``, ``ai``) and rely on
    ``register``'s ``core`` default. A custom registry cannot use that
    package name (it would shadow the SDK it imports)."""
    return BUILTIN_REGISTRY_PACKAGE in PurePath(path).parts[:-1]
