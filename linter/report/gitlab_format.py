"""GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array with one issue per finding, as GitLab documents the format
(docs.gitlab.com, "Code Quality", "Code Quality report format"; a subset
of the Code Climate issue spec) and as ruff writes it:

- ``check_name``: the rule code; ``description``: ``CODE: message``.
- ``fingerprint``: registry_lint.fingerprint (path, code, the offending
  line without its position, the index among identical findings): a finding
  keeps it when lines are inserted above, so GitLab does not report it as
  fixed and new again. A credential finding's is a salted, stretched digest:
  never the value.
- ``severity``: error -> ``major``, warning -> ``minor``, and a hardcoded
  credential (RL5xx) -> ``critical``: it needs rotating, not just editing.
- ``location.path``: relative to ``$CI_PROJECT_DIR`` when set (GitLab needs
  paths relative to the repository root; ruff does the same), else to the
  working directory; ``location.positions``: 1-based begin and end line
  and column.
"""

from __future__ import annotations

import json
import os

from ..results import RunResult
from ..fingerprint import fingerprints, is_secret_code
from ..model import Diagnostic


def severity(d: Diagnostic) -> str:
    if is_secret_code(d.code):
        return "critical"
    return "major" if d.severity.value == "E" else "minor"


def _path(path: str, base: str) -> str:
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, base)
    except ValueError:  # another drive on Windows
        return absolute.replace(os.sep, "/")
    return (absolute if rel.startswith("..") else rel).replace(os.sep, "/")


def render(result: RunResult, **_: object) -> str:
    base = os.path.abspath(os.environ.get("CI_PROJECT_DIR") or os.getcwd())
    paths = {d.location.path: _path(d.location.path, base) for d in result.diagnostics}
    prints = fingerprints(result.diagnostics, result.sources, lambda p: paths[p])
    issues = []
    for d, fingerprint in zip(result.diagnostics, prints):
        loc = d.location
        issues.append(
            {
                "check_name": d.code,
                "description": f"{d.code}: {d.message}",
                "severity": severity(d),
                "fingerprint": fingerprint,
                "location": {
                    "path": paths[loc.path],
                    "positions": {
                        "begin": {"line": loc.line, "column": loc.col},
                        "end": {"line": max(loc.line, loc.end_line), "column": max(1, loc.end_col)},
                    },
                },
            }
        )
    return json.dumps(issues, indent=2) + "\n"
