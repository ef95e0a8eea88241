"""``path:line:col: CODE message``: clickable in editors and CI logs.

On a terminal (or with ``--show-source``) each finding is followed by the
offending line, a caret under the span and the fix as a hint. A credential
finding's line (RL5xx) is never shown, whichever finding points at it.
"""

from __future__ import annotations

from collections import Counter

from ..results import RunResult
from ..fingerprint import secret_lines
from ..model import Diagnostic
from ..rule import load_rules
from .plain import clean, count

_RED, _YELLOW, _GREEN, _BOLD, _DIM, _CYAN, _RESET = (
    "\033[31m", "\033[33m", "\033[32m", "\033[1m", "\033[2m", "\033[36m", "\033[0m",
)

def render(
    result: RunResult,
    *,
    color: bool = False,
    statistics: bool = False,
    show_source: bool = False,
    fixed: int = 0,
    quiet: bool = False,
    show_fixes: bool = False,
    fixed_codes: object = None,
    **_: object,
) -> str:
    """``quiet``: no summary line (``--quiet``); ``show_fixes``: each
    finding's fix as a diff, or with ``fixed_codes`` (``--fix``) the fixes
    applied per file and rule (``--show-fixes``, report/fix_view.py)."""
    if statistics:
        return render_statistics(result, fixed=fixed, quiet=quiet)
    hidden = secret_lines(result.diagnostics)
    lines: list[str] = []
    if show_fixes:
        from .fix_view import fix_lines
    for d in result.diagnostics:
        lines.append(_headline(d, color))
        if show_source:
            lines.extend(_snippet(result, d, color, hidden))
        if show_fixes and fixed_codes is None:
            lines.extend(fix_lines(d, result.sources.get(d.location.path), hidden))
    if show_fixes and fixed_codes:
        from .fix_view import applied_summary

        lines.extend(applied_summary(fixed_codes))
    if not quiet:
        lines.append(summary(result, color=color, fixed=fixed))
    return "\n".join(lines) + "\n" if lines else ""


def _headline(d: Diagnostic, color: bool) -> str:
    loc = d.location
    fixable = " [*]" if d.fix is not None and d.fix.applicability == "safe" else ""
    path, message = clean(loc.path), clean(d.message)
    if not color:
        return f"{path}:{loc.line}:{loc.col}: {d.code}{fixable} {message}"
    sev = _RED if d.severity.value == "E" else _YELLOW
    sep = f"{_CYAN}:{_RESET}"
    return f"{_BOLD}{path}{_RESET}{sep}{loc.line}{sep}{loc.col}{sep} {sev}{_BOLD}{d.code}{_RESET}{fixable} {message}"


def _snippet(result: RunResult, d: Diagnostic, color: bool, hidden: set[tuple[str, int]]) -> list[str]:
    text = result.sources.get(d.location.path)
    loc = d.location
    pad = " " * 6 + "| "
    hint = _hint(d)
    hint_line = [f"{pad}{_DIM if color else ''}help: {clean(hint)}{_RESET if color else ''}"] if hint else []
    if text is None:
        return hint_line
    if (loc.path, loc.line) in hidden:
        # Another finding's span may not cover the whole secret: hide the line.
        return [f"{loc.line:>5} | {_DIM if color else ''}(line not shown: it holds a credential){_RESET if color else ''}", *hint_line]
    src_lines = text.splitlines()
    if not 1 <= loc.line <= len(src_lines):
        return hint_line
    raw = src_lines[loc.line - 1].rstrip("\r")
    # Expand tabs before and inside the span so the caret lines up.
    before = raw[: max(0, loc.col - 1)].expandtabs(4)
    end = loc.end_col - 1 if loc.end_line == loc.line else len(raw)
    inside = raw[max(0, loc.col - 1) : max(loc.col - 1, end)].expandtabs(4)
    line = clean(raw.expandtabs(4))
    caret = " " * len(before) + "^" * max(1, len(inside))
    gutter = f"{loc.line:>5} | "
    red, reset = (_RED, _RESET) if color else ("", "")
    return [f"{gutter}{line}", f"{pad}{red}{caret}{reset}", *hint_line]


def _hint(d: Diagnostic) -> str | None:
    if d.fix is None:
        return None
    if d.fix.applicability == "unsafe":
        return f"{d.fix.message} (unsafe fix: use `--fix --unsafe-fixes`)"
    return d.fix.message


def summary(result: RunResult, *, color: bool = False, fixed: int = 0) -> str:
    """One line: what was found, how much is fixable (and what --fix did).

    Never "All checks passed!" when something could not be checked (an
    internal error, a path that does not exist): the run exits 2.
    """
    n = len(result.diagnostics)
    done = f"Fixed {count(fixed, 'problem')}. " if fixed else ""
    scope = f"{count(result.files, 'file')}, {count(result.actions, 'action')}"
    errors = len(result.internal_errors) + len(result.errors)
    incomplete = f"the check is incomplete: {count(errors, 'error')} (see stderr)" if errors else ""
    if n == 0:
        if incomplete:
            text = f"{done}No problems found ({scope}), but {incomplete}"
            return f"{_RED}{text}{_RESET}" if color else text
        text = f"{done}All checks passed! ({scope})"
        return f"{_GREEN}{text}{_RESET}" if color else text
    errs = sum(1 for d in result.diagnostics if d.severity.value == "E")
    safe = sum(1 for d in result.diagnostics if d.fix is not None and d.fix.applicability == "safe")
    unsafe = sum(1 for d in result.diagnostics if d.fix is not None and d.fix.applicability == "unsafe")
    text = (
        f"{done}Found {n} {'remaining ' if fixed else ''}{'problem' if n == 1 else 'problems'} "
        f"({count(errs, 'error')}, {count(n - errs, 'warning')}) in {scope}"
    )
    if safe:
        text += f"; [*] {safe} fixable with `--fix`"
    if unsafe:
        text += f"; {unsafe} more with `--unsafe-fixes`"
    if incomplete:
        text += f"; {incomplete}"
    return text + "."


def statistics_rows(result: RunResult) -> list[dict[str, object]]:
    """Findings per code, most frequent first (ruff's ``--statistics``).

    ``fixable``: some finding of the code has a safe fix (``--fix`` applies
    it); unsafe fixes need ``--unsafe-fixes`` and do not count.
    """
    counts = Counter(d.code for d in result.diagnostics)
    safe = Counter(d.code for d in result.diagnostics if d.fix is not None and d.fix.applicability == "safe")
    rules = load_rules()
    return [
        {"code": code, "name": rules[code].name if code in rules else None, "count": n, "fixable": bool(safe[code])}
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def render_statistics(result: RunResult, *, fixed: int = 0, quiet: bool = False) -> str:
    rows = [
        f"{row['count']:>5}\t{row['code']}\t{'[*]' if row['fixable'] else '   '} {row['name'] or ''}"
        for row in statistics_rows(result)
    ]
    if not quiet:
        rows.append(summary(result, fixed=fixed))
    return "\n".join(rows) + "\n" if rows else ""
