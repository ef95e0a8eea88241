"""Hardcoded-credential detection for RL501-RL505.

``scan(source, parsed)`` returns :class:`Finding` records for one file;
the five rules share one scan per file (cached on the source object).
Nothing here prints or logs; a finding's value leaves this package only
through :func:`mask`.

Modules: ``detectors`` (known formats), ``filters`` (placeholder filters),
``public`` (documentation hosts, URL parameters public by design),
``shape`` (entropy and shape), ``words`` (natural-language words, stylesheet
classes), ``names`` (credential-like names),
``context``/``pycontext``/``yamlcontext``/``textcontext`` (which name a
literal is bound to), ``scanner`` (the one pass), ``mask``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .mask import mask, url_host
from .scanner import Finding, scan_text

if TYPE_CHECKING:
    from ..source import SourceFile

__all__ = ["Finding", "mask", "scan", "scan_text", "url_host"]

# One-slot memo: the engine runs the five RL5 rules on one file, then the next
# file; this keeps it to one scan per file without a cache that outlives it.
_last: tuple[object, str, list[Finding]] | None = None


def scan(source: SourceFile, parsed: object | None = None) -> list[Finding]:
    """Findings for one file; the five RL5 rules call this for the same file in a row."""
    global _last
    if _last is not None and _last[0] is source and _last[1] is source.text:
        return _last[2]
    findings = scan_text(source.path, source.text, source.kind, parsed)
    _last = (source, source.text, findings)
    return findings
