"""``# noqa`` / ``# pragma: allowlist secret`` / ``# registry-lint: noqa``
directives and RL010.

Directives are read from comments in Python, YAML and any text file
(``// noqa`` in TypeScript and JavaScript too). Only ``RL`` codes take part:
``# noqa: E501`` belongs to another tool and is left alone, and so is a bare
``# noqa`` that suppresses nothing (other linters use it too).

A directive on a line where a string ends (Python), or on a YAML block
scalar's header, also covers the lines that cannot hold a comment
(noqa_lines.py), as ruff's does.

``# registry-lint: noqa`` anywhere in a file (as ruff's ``# ruff: noqa``;
``// registry-lint: noqa`` in TypeScript) exempts the whole file from every
rule; ``# registry-lint: noqa: RL304, RL5`` from those codes and families
only. RL003 is never exempted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .model import Diagnostic, Edit, Fix, Location, Severity
from .results import UNUSED_NOQA, Directive, FileDirectives

NOQA_RE = re.compile(
    r"#\s*noqa(?P<sep>\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
#: TypeScript/JavaScript: `// noqa: RL706` as well as `# noqa` (inside a `//` comment).
TS_NOQA_RE = re.compile(
    r"(?:#|//)\s*noqa(?P<sep>\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
FILE_NOQA_RE = re.compile(
    r"#\s*registry-lint\s*:\s*noqa(?P<sep>\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
TS_FILE_NOQA_RE = re.compile(
    r"(?:#|//)\s*registry-lint\s*:\s*noqa(?P<sep>\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
ALLOWLIST_RE = re.compile(r"pragma:\s*allowlist\s+secret", re.IGNORECASE)
ALLOWLIST_NEXT_RE = re.compile(r"pragma:\s*allowlist\s+nextline\s+secret", re.IGNORECASE)
_CODE_SPLIT = re.compile(r"[\s,]+")


def scan(text: str, kind: str = "text") -> FileDirectives:
    """Find directives in every line (cheap substring tests first).

    In Python only real comments count: a `# noqa: RL304` inside a docstring
    or a string (rule documentation, examples) is text, not a directive.
    """
    if "noqa" not in text.lower() and "allowlist" not in text:
        return FileDirectives()
    found: list[Directive] = []
    exempt: list[Directive] = []
    allow: set[int] = set()
    ts = kind == "typescript"
    patterns = ((TS_NOQA_RE, found), (TS_FILE_NOQA_RE, exempt)) if ts else ((NOQA_RE, found), (FILE_NOQA_RE, exempt))
    marker = "/" if ts else "#"
    # Split on "\n" only: str.splitlines() also breaks at \x0c, \u2028, ...,
    # which would shift line numbers against every other component.
    for index, line in enumerate(text.split("\n"), start=1):
        if ("#" in line or marker in line) and "noqa" in line.lower():
            for regex, out in patterns:
                for match in regex.finditer(line):
                    codes = tuple(c.upper() for c in _CODE_SPLIT.split(match.group("codes") or "") if c)
                    ours = tuple(c for c in codes if c.startswith("RL"))
                    foreign = tuple(c for c in codes if not c.startswith("RL"))
                    if codes and not ours:
                        continue  # another tool's (`# noqa: D102`): no need to tokenize for it
                    out.append(Directive(index, match.start(), match.end(), ours, foreign))
        if "allowlist" in line:
            if ALLOWLIST_NEXT_RE.search(line):
                allow.add(index + 1)
            elif ALLOWLIST_RE.search(line):
                allow.add(index)
    if found or exempt:
        found, exempt = _in_comments(text, kind, found), _in_comments(text, kind, exempt)
    return FileDirectives(tuple(found), frozenset(allow), tuple(exempt))


def _in_comments(text: str, kind: str, directives: list[Directive]) -> list[Directive]:
    """Python: only directives in real comments; Python and YAML: with the
    lines each covers. A file that does not tokenize keeps every directive
    on its own line."""
    if not directives or kind not in ("python", "yaml"):
        return directives
    from .noqa_lines import line_map

    lines = line_map(text, kind)
    if lines is None:
        return directives
    out = []
    for d in directives:
        if kind == "python" and not (d.line in lines.comments and lines.comments[d.line] <= d.start):
            continue
        first, last = lines.covered(d.line)
        out.append(Directive(d.line, d.start, d.end, d.codes, d.foreign, first, last) if (first, last) != (d.line, d.line) else d)
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
    line_text: callable,
    path: str,
    report_unused: bool = True,
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add RL010 for directives that did nothing.

    ``report_unused`` is off for plain text files: Markdown documentation
    quotes directives as examples; there they only suppress.
    """
    by_line: dict[int, list[Directive]] = {}
    for d in directives.noqa:
        for line in range(d.first or d.line, (d.last or d.line) + 1):
            by_line.setdefault(line, []).append(d)
    used: dict[tuple[int, int], set[str]] = {}
    exempt_all = any(not d.codes for d in directives.exempt)
    exempt = [(d, c) for d in directives.exempt for c in d.codes]
    kept: list[Diagnostic] = []
    for diag in diagnostics:
        if any(diag.code.startswith(prefix) for prefix in ignored):
            continue
        if exempt_all:
            continue
        hits = [(d, c) for d, c in exempt if _matches(diag.code, c)]
        if hits:
            for d, c in hits:
                used.setdefault((d.line, d.start), set()).add(c)
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
    exempted = exempt_all or any(_matches(UNUSED_NOQA, c) for _, c in exempt)
    if report_unused and UNUSED_NOQA in enabled_codes and not exempted and not any(UNUSED_NOQA.startswith(p) for p in ignored):
        covered = {c for _, c in exempt}
        kept.extend(_unused(directives.noqa, used, known_codes, enabled_codes, line_text, path, covered))
        kept.extend(_unused(directives.exempt, used, known_codes, enabled_codes, line_text, path, set(), exemption=True))
    return kept


def _unused(
    directives: Iterable[Directive],
    used: dict[tuple[int, int], set[str]],
    known_codes: frozenset[str],
    enabled_codes: frozenset[str],
    line_text: callable,
    path: str,
    exempted: set[str],
    *,
    exemption: bool = False,
) -> Iterable[Diagnostic]:
    families = {c[:3] for c in known_codes} | {c[:4] for c in known_codes} | {"RL"}
    for d in directives:
        if not d.codes:
            continue
        hits = used.get((d.line, d.start), set())
        unknown = [c for c in d.codes if c not in known_codes and c not in families]
        # A code of a rule that is switched off in this run is not "unused",
        # nor one the file-level exemption already covers.
        unused = [
            c
            for c in d.codes
            if c not in hits
            and c not in unknown
            and any(_matches(e, c) for e in enabled_codes)
            and not any(_matches(c, x) for x in exempted)
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
        if exemption:
            # A file-level exemption: rewrite its codes; one that exempts nothing is left to the author.
            fix = Fix("Remove unused codes from the exemption", (Edit(loc, f"# registry-lint: noqa: {', '.join(keep)}"),)) if keep else None
            yield Diagnostic(
                code=UNUSED_NOQA,
                message=f"Unused file-level `registry-lint: noqa` exemption ({'; '.join(parts)})",
                location=loc,
                severity=Severity.WARNING,
                fix=fix,
            )
            continue
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
            code=UNUSED_NOQA,
            message=f"Unused `noqa` directive ({'; '.join(parts)})",
            location=loc,
            severity=Severity.WARNING,
            fix=Fix(message, (edit,)),
        )
