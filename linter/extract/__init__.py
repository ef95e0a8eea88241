"""Extractors: parsed files -> the shared action model.

``has_markers`` lives here, not in ``python.py``, so the engine can decide to
skip a Python file without importing LibCST.
"""

from __future__ import annotations

# Substrings without which a file cannot define an action or read a secret.
MARKERS = ("tracecat_registry", "register", "secrets")


def has_markers(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


def wants_typescript_parse(text: str) -> bool:
    """Whether a TypeScript/JavaScript file can register or read an agent-native
    app secret: it imports ``@agent-native/core`` and names a secrets API
    function (two substring tests, before tree-sitter is imported)."""
    from ..agent_native import API_NAMES, PACKAGE

    return PACKAGE in text and any(name in text for name in API_NAMES)
