"""``--show-fixes`` in the text format, as ruff shows it.

Without ``--fix``: under each finding that has a fix, what the fix would
change (the removed and added lines, with line numbers). With ``--fix``:
before the summary, which fixes were applied, per file and per rule.

A fix that touches a line holding a detected credential (before or after
the fix) is described but its lines are not shown, as everywhere else.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping

from ..model import Diagnostic
from .plain import clean, count


def fix_lines(d: Diagnostic, text: str | None, hidden: set[tuple[str, int]]) -> list[str]:
    """The lines to print under ``d``: the fix's kind and message, then its diff."""
    if d.fix is None:
        return []
    from ..fix import apply_fixes

    kind = "Safe fix" if d.fix.applicability == "safe" else "Unsafe fix (needs --unsafe-fixes)"
    out = [f"      = {kind}: {clean(d.fix.message)}"]
    if text is None:
        return out
    fixed, applied = apply_fixes(text, [d], unsafe=True)
    if not applied:
        return out
    before, after = text.split("\n"), fixed.split("\n")
    path = d.location.path
    rows: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        touched = [(path, n + 1) for n in range(a1, a2)]
        # Lines after the fix are numbered as before it (a fix never moves a credential).
        touched += [(path, n + 1) for n in range(a1, a1 + (b2 - b1))]
        if any(t in hidden for t in touched):
            return [*out, "      (fix not shown: it touches a line holding a credential)"]
        rows += [f"{n + 1:>5} - {clean(before[n].rstrip(chr(13)))}" for n in range(a1, a2)]
        rows += [f"{a1 + i + 1:>5} + {clean(line.rstrip(chr(13)))}" for i, line in enumerate(after[b1:b2])]
    return out + rows


def applied_summary(fixed_codes: Mapping[str, Counter[str]]) -> list[str]:
    """``Fixed 3 problems:`` then ``- path:`` and ``    2 × RL304 (name)`` per rule."""
    from ..rule import load_rules

    total = sum(sum(c.values()) for c in fixed_codes.values())
    if not total:
        return []
    rules = load_rules()
    lines = [f"Fixed {count(total, 'problem')}:"]
    for path in sorted(fixed_codes):
        codes = fixed_codes[path]
        if not codes:
            continue
        lines.append(f"- {clean(path)}:")
        for code, n in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])):
            name = rules[code].name if code in rules else ""
            lines.append(f"    {n} × {code}" + (f" ({name})" if name else ""))
    lines.append("")
    return lines
