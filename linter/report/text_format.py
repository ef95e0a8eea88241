"""``path:line:col: CODE message``: clickable in editors and CI logs."""

from __future__ import annotations

from collections import Counter

from ..engine import RunResult
from ..rule import load_rules

_RED, _YELLOW, _BOLD, _DIM, _CYAN, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[36m", "\033[0m"


def render(result: RunResult, *, color: bool = False, statistics: bool = False, show_source: bool = False) -> str:
    if statistics:
        return render_statistics(result)
    lines: list[str] = []
    for d in result.diagnostics:
        loc = d.location
        fixable = " [*]" if d.fix is not None and d.fix.applicability == "safe" else ""
        if color:
            sev = _RED if d.severity.value == "E" else _YELLOW
            lines.append(
                f"{_BOLD}{loc.path}{_RESET}{_CYAN}:{_RESET}{loc.line}{_CYAN}:{_RESET}{loc.col}{_CYAN}:{_RESET} "
                f"{sev}{_BOLD}{d.code}{_RESET}{fixable} {d.message}"
            )
        else:
            lines.append(f"{loc.path}:{loc.line}:{loc.col}: {d.code}{fixable} {d.message}")
        if show_source:
            lines.extend(_snippet(result, d, color))
    lines.append(summary(result, color=color))
    return "\n".join(lines) + "\n"


def _snippet(result: RunResult, d, color: bool) -> list[str]:  # type: ignore[no-untyped-def]
    text = result.sources.get(d.location.path)
    if text is None:
        return []
    src_lines = text.splitlines()
    loc = d.location
    if not 1 <= loc.line <= len(src_lines):
        return []
    line = src_lines[loc.line - 1].rstrip("\r")
    width = max(1, (loc.end_col - loc.col) if loc.end_line == loc.line else len(line) - loc.col + 1)
    caret = " " * (loc.col - 1) + "^" * width
    gutter = f"{loc.line:>5} | "
    pad = " " * (len(gutter) - 2) + "| "
    out = [f"{gutter}{line}", f"{pad}{(_RED if color else '')}{caret}{(_RESET if color else '')}"]
    if d.fix is not None:
        out.append(f"{pad}{_DIM if color else ''}help: {d.fix.message}{_RESET if color else ''}")
    return out


def summary(result: RunResult, *, color: bool = False) -> str:
    n = len(result.diagnostics)
    if n == 0:
        text = f"All checks passed! ({result.files} files, {result.actions} actions)"
        return f"\033[32m{text}{_RESET}" if color else text
    errors = sum(1 for d in result.diagnostics if d.severity.value == "E")
    fixable = sum(1 for d in result.diagnostics if d.fix is not None and d.fix.applicability == "safe")
    text = (
        f"Found {n} problem{'s' if n != 1 else ''} ({errors} error{'s' if errors != 1 else ''}, "
        f"{n - errors} warning{'s' if n - errors != 1 else ''}) in {result.files} files, {result.actions} actions."
    )
    if fixable:
        text += f"\n[*] {fixable} fixable with the `--fix` option."
    return text


def render_statistics(result: RunResult) -> str:
    counts = Counter(d.code for d in result.diagnostics)
    rules = load_rules()
    fixable = Counter(d.code for d in result.diagnostics if d.fix is not None)
    rows = []
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = rules.get(code)
        name = rule.name if rule else ""
        mark = "[*]" if fixable[code] else "   "
        rows.append(f"{count:>5}\t{code}\t{mark} {name}")
    rows.append(summary(result))
    return "\n".join(rows) + "\n"
