"""GitHub Actions workflow commands: findings become annotations on the PR diff.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RL304::message``.
Property values escape ``%``, CR, LF, ``:`` and ``,``; the message escapes
``%``, CR and LF (the escaping of actions/toolkit's ``command.ts``).
"""

from __future__ import annotations

from ..results import RunResult
from ..model import Diagnostic


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(d: Diagnostic) -> str:
    loc = d.location
    props = [("file", loc.path), ("line", str(loc.line))]
    # GitHub accepts columns only on single-line annotations.
    if loc.end_line == loc.line:
        props += [("col", str(loc.col)), ("endLine", str(loc.end_line)), ("endColumn", str(max(loc.col, loc.end_col)))]
    else:
        props.append(("endLine", str(loc.end_line)))
    props.append(("title", d.code))
    level = "error" if d.severity.value == "E" else "warning"
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{level} {joined}::{escape_data(d.message)}"


def render(result: RunResult, **_: object) -> str:
    return "".join(command(d) + "\n" for d in result.diagnostics)
