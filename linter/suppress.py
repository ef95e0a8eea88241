"""``# noqa`` / ``# pragma: allowlist secret`` directives and RL010.

Directives are read from comments in Python, YAML and any text file
(``// noqa`` in TypeScript and JavaScript too). Only ``RL`` codes take part:
``# noqa: E501`` belongs to another tool and is left alone, and so is a bare
``# noqa`` that suppresses nothing (other linters use it too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Diagnostic, Edit, Fix, Location, Severity

NOQA_RE = re.compile(
    r"#\s*noqa(?P<sep>\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
#: TypeScript/JavaScript: `// noqa: RL706` as well as `# noqa` (inside a `//` comment).
TS_NOQA_RE = re.compile(
    r"(?:#|//)\s*noqa(?P<sep>\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
ALLOWLIST_RE = re.compile(r"pragma:\s*allowlist\s+secret", re.IGNORECASE)
ALLOWLIST_NEXT_RE = re.compile(r"pragma:\s*allowlist\s+nextline\s+secret", re.IGNORECASE)
_CODE_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class Directive:
    line: int
    #: Column (0-based) of ``#`` and end of the directive on the line.
    start: int
    end: int
    #: Uppercased codes; empty for a bare ``# noqa``.
    codes: tuple[str, ...]
    #: Codes that are not ours, kept when rewriting the comment.
    foreign: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FileDirectives:
    noqa: tuple[Directive, ...] = ()
    #: Lines whose RL5xx findings are allowlisted.
    allowlisted: frozenset[int] = frozenset()


def scan(text: str, kind: str = "text") -> FileDirectives:
    """Find directives in every line (cheap substring tests first).

    In Python only real comments count: a `# noqa: RL304` inside a docstring
    or a string (rule documentation, examples) is text, not a directive.
    """
    if "noqa" not in text.lower() and "allowlist" not in text:
        return FileDirectives()
    noqa: list[Directive] = []
    allow: set[int] = set()
    comments: dict[int, int] | None = None
    tokenized = False
    pattern, marker = (TS_NOQA_RE, "/") if kind == "typescript" else (NOQA_RE, "#")
    # Split on "\n" only: str.splitlines() also breaks at \x0c, \u2028, ...,
    # which would shift line numbers against every other component.
    for index, line in enumerate(text.split("\n"), start=1):
        if ("#" in line or marker in line) and "noqa" in line.lower():
            for match in pattern.finditer(line):
                codes = tuple(c.upper() for c in _CODE_SPLIT.split(match.group("codes") or "") if c)
                ours = tuple(c for c in codes if c.startswith("RL"))
                foreign = tuple(c for c in codes if not c.startswith("RL"))
                if codes and not ours:
                    continue  # another tool's (`# noqa: D102`): no need to tokenize for it
                if kind == "python":
                    if not tokenized:
                        comments, tokenized = _python_comments(text), True
                    if comments is not None and not (index in comments and comments[index] <= match.start()):
                        continue
                noqa.append(Directive(index, match.start(), match.end(), ours, foreign))
        if "allowlist" in line:
            if ALLOWLIST_NEXT_RE.search(line):
                allow.add(index + 1)
            elif ALLOWLIST_RE.search(line):
                allow.add(index)
    return FileDirectives(tuple(noqa), frozenset(allow))


def _python_comments(text: str) -> dict[int, int] | None:
    """Line -> column where its comment starts; None when the file does not
    tokenize (then every `# noqa` on a line counts)."""
    import io
    import tokenize

    out: dict[int, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.start[1]
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return out


def _matches(code: str, directive_code: str) -> bool:
    # A family prefix (RL5) in a directive suppresses the family, as in --ignore.
    return code == directive_code or (len(directive_code) < 5 and code.startswith(directive_code))


def apply(
    diagnostics: Sequence[Diagnostic],
    directives: FileDirectives,
    *,
    ignored: frozenset[str],
    known_codes: frozenset[str],
    enabled_codes: frozenset[str],
    line_text: callable,  # type: ignore[valid-type]
    path: str,
    report_unused: bool = True,
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add RL010 for directives that did nothing.

    ``report_unused`` is off for plain text files: Markdown documentation
    quotes directives as examples; there they only suppress.
    """
    by_line: dict[int, list[Directive]] = {}
    for d in directives.noqa:
        by_line.setdefault(d.line, []).append(d)
    used: dict[tuple[int, int], set[str]] = {}
    kept: list[Diagnostic] = []
    for diag in diagnostics:
        if any(diag.code.startswith(prefix) for prefix in ignored):
            continue
        loc = diag.location
        if diag.code.startswith("RL5") and (loc.line in directives.allowlisted or loc.end_line in directives.allowlisted):
            continue
        suppressed = False
        for line in {loc.line, loc.end_line}:
            for d in by_line.get(line, ()):
                if not d.codes:
                    suppressed = True
                    used.setdefault((d.line, d.start), set()).add("*")
                else:
                    hit = [c for c in d.codes if _matches(diag.code, c)]
                    if hit:
                        suppressed = True
                        used.setdefault((d.line, d.start), set()).update(hit)
        if not suppressed:
            kept.append(diag)
    if report_unused and "RL010" in enabled_codes and not any("RL010".startswith(p) for p in ignored):
        kept.extend(_unused(directives, used, known_codes, enabled_codes, line_text, path))
    return kept


def _unused(
    directives: FileDirectives,
    used: dict[tuple[int, int], set[str]],
    known_codes: frozenset[str],
    enabled_codes: frozenset[str],
    line_text: callable,  # type: ignore[valid-type]
    path: str,
) -> Iterable[Diagnostic]:
    families = {c[:3] for c in known_codes} | {c[:4] for c in known_codes} | {"RL"}
    for d in directives.noqa:
        if not d.codes:
            continue
        hits = used.get((d.line, d.start), set())
        unknown = [c for c in d.codes if c not in known_codes and c not in families]
        # A code of a rule that is switched off in this run is not "unused".
        unused = [
            c
            for c in d.codes
            if c not in hits and c not in unknown and any(_matches(e, c) for e in enabled_codes)
        ]
        if not unknown and not unused:
            continue
        keep = [c for c in d.codes if c not in unknown and c not in unused]
        parts = []
        if unused:
            parts.append(f"unused noqa code{'s' if len(unused) > 1 else ''}: {', '.join(unused)}")
        if unknown:
            parts.append(f"unknown code{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
        loc = Location(path, d.line, d.start + 1, d.line, d.end + 1)
        text = line_text(d.line)
        remaining = keep + list(d.foreign)
        if remaining:
            replacement = f"# noqa: {', '.join(remaining)}"
            edit = Edit(loc, replacement)
            message = "Remove unused codes from the noqa directive"
        elif text[d.end :].strip():
            # Comment text follows the directive: keep it a comment.
            edit = Edit(loc, "#")
            message = "Remove the noqa directive"
        else:
            # Remove the comment and the whitespace before it.
            start = d.start
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            edit = Edit(Location(path, d.line, start + 1, d.line, d.end + 1), "")
            message = "Remove the noqa directive"
        yield Diagnostic(
            code="RL010",
            message=f"Unused `noqa` directive ({'; '.join(parts)})",
            location=loc,
            severity=Severity.WARNING,
            fix=Fix(message, (edit,)),
        )
