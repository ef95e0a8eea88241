"""A rule's INVALID examples as documentation (``registry-lint rule CODE`` and
``docs/rules/``): each example's text with a caret line under every position
the test suite expects the rule to report, whichever way the example gives
it (caret lines in its text, or ``line``/``col`` for examples built by
helpers). Values the credential scanner detects are masked, column for
column: the docs hold no credential-shaped string.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .source import kind_for

if TYPE_CHECKING:
    from .rule import Invalid, Rule

_FENCES = {"python": "python", "yaml": "yaml", "typescript": "typescript"}


def section(cls: type[Rule]) -> str:
    """``## Tested examples``: every INVALID example, empty when there is none."""
    from .rule import Invalid

    blocks = [_example(ex) for ex in cls.INVALID if isinstance(ex, Invalid)]
    if not blocks:
        return ""
    head = (
        "## Tested examples\n"
        "The test suite lints each of these and expects the rule exactly where a `^`\n"
        "marks the line above (line:column); values the credential scanner detects are\n"
        "shown as `*`."
    )
    return "\n\n".join([head, *blocks])


def _example(ex: Invalid) -> str:
    path = ex.path or ex.filename
    text = ex.all_files()[path]
    positions = sorted(ex.positions)
    where = ", ".join(f"{line}:{col}" for line, col in positions)
    notes = []
    if ex.path is not None and ex.path != ex.filename:
        notes.append(f"linted with `{ex.filename}`")
    others = [name for name in ex.files if name != path]
    if others:
        notes.append("with " + ", ".join(f"`{name}`" for name in others))
    if ex.config:
        notes.append("with config " + ", ".join(f"`{key}`" for key in ex.config))
    title = f"`{path}`, {where}" + (f" ({'; '.join(notes)})" if notes else "")
    shown = _annotated(_printable(_masked(path, text)), positions)
    fence = "```"
    while fence in shown:
        fence += "`"
    lang = _FENCES.get(kind_for(path), "text")
    return f"{title}:\n{fence}{lang}\n{shown.rstrip(chr(10))}\n{fence}"


def _annotated(text: str, positions: list[tuple[int, int]]) -> str:
    lines = text.split("\n")
    by_line: dict[int, list[int]] = {}
    for line, col in positions:
        by_line.setdefault(line, []).append(col)
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        out.append(line)
        if number in by_line:
            carets = ""
            for col in sorted(by_line.pop(number)):
                carets = carets.ljust(col - 1) + "^"
            out.append(carets)
    for number in sorted(by_line):  # past the last line (an empty file, a final newline)
        out.append(" " * (min(by_line[number]) - 1) + "^" + f"  (line {number})")
    return "\n".join(out)


def _masked(path: str, text: str) -> str:
    """``text`` with each detected credential value replaced by ``*`` (same length)."""
    from .credentials import scan_text

    for finding in scan_text(path, text, kind_for(path)):
        if finding.secret:
            text = text.replace(finding.secret, "*" * len(finding.secret))
    return text


def _printable(text: str) -> str:
    """Control characters and undecodable bytes escaped (examples of unreadable files)."""
    if text.isprintable() or all(c.isprintable() or c in "\n\t" for c in text):
        return text
    return "".join(c if c.isprintable() or c in "\n\t" else f"\\x{ord(c) & 0xFF:02x}" for c in text)
