"""Which line's comment a ``# noqa`` for a finding on line N goes on.

As in ruff, a directive must be a real comment, so it cannot go inside a
string, and a line ending in a backslash continuation cannot end in a
comment. Such lines are mapped to the nearest line after them that can:

- Python: a line inside a multi-line string (a triple-quoted string, a
  multi-line f-string) maps to the line where the string ends (ruff: "for
  multi-line strings, the noqa directive should come at the end of the
  string"); a line continued with a backslash maps to the line that ends
  the continuation.
- YAML: a line inside a block scalar (``run: |`` and what follows) maps to
  the scalar's header line, where YAML allows a comment after the
  indicator (``run: |  # noqa: RL501``); a line inside a quoted or plain
  scalar that spans lines maps to the line where the scalar ends.

The same map decides suppression (``suppress.scan``): a directive on line M
covers every line that maps to M. A file that does not tokenize (Python) or
scan (YAML) has no map: nothing is mapped, and ``--add-noqa`` leaves it alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LineMap:
    """``target[n]``: the line whose end takes the directive for line n (only lines that move)."""

    target: dict[int, int] = field(default_factory=dict)
    #: Line -> column where its comment starts (Python; empty for YAML).
    comments: dict[int, int] = field(default_factory=dict)

    def line_for(self, line: int) -> int:
        return self.target.get(line, line)

    def covered(self, line: int) -> tuple[int, int]:
        """The first and last line of the run of lines a directive on ``line``
        covers: the lines before it (a string's end, a continuation) or after
        it (a YAML block scalar's header)."""
        first = last = line
        while self.target.get(first - 1) == line:
            first -= 1
        while self.target.get(last + 1) == line:
            last += 1
        return first, last


def _resolve(interior: dict[int, int], continued: Iterable[int]) -> dict[int, int]:
    """Follow string ends and continuations to the line that finally takes the comment."""
    step = dict(interior)
    for line in continued:
        step.setdefault(line, line + 1)
    out: dict[int, int] = {}
    for line in sorted(step, reverse=True):  # a line always maps to a later one
        nxt = step[line]
        out[line] = out.get(nxt, nxt)
    return out


def python_map(text: str) -> LineMap | None:
    """The map of a Python file, or None when it does not tokenize."""
    import io
    import tokenize

    interior: dict[int, int] = {}
    comments: dict[int, int] = {}
    opened: list[int] = []  # start lines of open f-strings (3.12+ tokenizes them in parts)
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = tokenize.tok_name.get(tok.type, "")
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.start[1]
            elif tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
                for n in range(tok.start[0], tok.end[0]):
                    interior[n] = tok.end[0]
            elif kind.endswith("STRING_START"):
                opened.append(tok.start[0])
            elif kind.endswith("STRING_END") and opened:
                start = opened.pop()
                for n in range(start, tok.end[0]):
                    interior.setdefault(n, tok.end[0])
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = text.split("\n")
    continued = [
        n
        for n, line in enumerate(lines, start=1)
        if line.rstrip("\r").endswith("\\") and n not in interior and n not in comments
    ]
    return LineMap(_resolve(interior, continued), comments)


def yaml_map(text: str) -> LineMap | None:
    """The map of a YAML file, or None when it does not scan."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    interior: dict[int, int] = {}
    try:
        for tok in yaml.scan(text, Loader=loader):
            if type(tok).__name__ != "ScalarToken":
                continue
            start, end = tok.start_mark.line + 1, tok.end_mark.line + 1
            if tok.style in ("|", ">"):
                # The token ends where the next one starts: at column 0 that is the line after the content.
                last = end - 1 if tok.end_mark.column == 0 else end
                for n in range(start + 1, last + 1):
                    interior[n] = start
            elif end > start:
                for n in range(start, end):
                    interior[n] = end
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError):
        return None
    # Block scalars map up to their header, quoted ones down to their end:
    # no chains, so no resolution needed.
    return LineMap(interior)


def line_map(text: str, kind: str) -> LineMap | None:
    if kind == "python":
        return python_map(text)
    if kind == "yaml":
        return yaml_map(text)
    return None
