"""Extractors: parsed files -> the shared action model.

``has_markers`` lives here, not in ``python.py``, so the engine can decide to
skip a Python file without importing LibCST.
"""

from __future__ import annotations

# Substrings without which a file cannot define an action or read a secret.
MARKERS = ("tracecat_registry", "register", "secrets")


def has_markers(text: str) -> bool:
    return any(marker in text for marker in MARKERS)
