"""JSON for editors and scripts.

Each diagnostic has ruff-style 1-based ``location``/``end_location``
(``row``/``column``) and an LSP-style 0-based ``range``; fixes carry their
edits in both conventions so an editor can apply them directly.
"""

from __future__ import annotations

import json

from ..results import RunResult
from ..model import Diagnostic, Location
from ..rule import load_rules


def _pos(loc: Location) -> dict[str, object]:
    return {
        "location": {"row": loc.line, "column": loc.col},
        "end_location": {"row": loc.end_line, "column": loc.end_col},
        "range": {
            "start": {"line": loc.line - 1, "character": loc.col - 1},
            "end": {"line": loc.end_line - 1, "character": loc.end_col - 1},
        },
    }


def diagnostic_dict(d: Diagnostic) -> dict[str, object]:
    rule = load_rules().get(d.code)
    fix = None
    if d.fix is not None:
        fix = {
            "message": d.fix.message,
            "applicability": d.fix.applicability,
            "edits": [{"content": e.content, **_pos(e.location)} for e in d.fix.edits],
        }
    return {
        "code": d.code,
        "name": rule.name if rule else None,
        "severity": d.severity.label,
        "message": d.message,
        "filename": d.location.path,
        **_pos(d.location),
        "fix": fix,
        "related": [{"filename": r.path, **_pos(r)} for r in d.related],
    }


def render(result: RunResult, *, statistics: bool = False, **_: object) -> str:
    if statistics:
        # As ruff: [{"code", "name", "count", "fixable"}], most frequent first.
        from .text_format import statistics_rows

        return json.dumps(statistics_rows(result), indent=2) + "\n"
    return json.dumps([diagnostic_dict(d) for d in result.diagnostics], indent=2, sort_keys=False) + "\n"
