"""Apply the fixes recorded on diagnostics: exact source spans, nothing re-dumped.

A fix is applied whole or not at all (two overlapping fixes: the second
waits for the next pass, as in ruff), so comments and formatting outside
the edited spans stay byte-identical. ``fix_sources`` loops lint → fix →
re-lint until nothing fixable is left (at most ``MAX_PASSES``).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .model import Diagnostic, Edit, Fix
from .results import SYNTAX_CODES
from .source import SourceFile

MAX_PASSES = 5


def _spans(src: SourceFile, edits: Iterable[Edit]) -> list[tuple[int, int, str]]:
    out = []
    for edit in edits:
        loc = edit.location
        start = src.offset(loc.line, loc.col)
        end = src.offset(loc.end_line, loc.end_col)
        out.append((start, max(start, end), edit.content))
    return sorted(set(out))


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    (s1, e1, _), (s2, e2, _) = a, b
    if s1 == e1 and s2 == e2:  # two insertions: ambiguous order at the same point
        return s1 == s2
    if s1 == e1:  # an insertion conflicts only strictly inside a replacement
        return s2 < s1 < e2
    if s2 == e2:
        return s1 < s2 < e1
    return s1 < e2 and s2 < e1


def applicable(diag: Diagnostic, *, unsafe: bool = False) -> bool:
    fix = diag.fix
    return fix is not None and bool(fix.edits) and (fix.applicability == "safe" or unsafe)


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic], *, unsafe: bool = False) -> tuple[str, int]:
    """Apply every applicable fix that does not overlap an earlier one.

    Returns (new text, number of fixes applied). Identical fixes recorded on
    several diagnostics (one shared declaration, many actions) count once.
    """
    text, codes = apply_fixes_by_code(text, diagnostics, unsafe=unsafe)
    return text, sum(codes.values())


def apply_fixes_by_code(text: str, diagnostics: Iterable[Diagnostic], *, unsafe: bool = False) -> tuple[str, Counter[str]]:
    """:func:`apply_fixes`, counting the applied fixes per rule code (``--show-fixes``)."""
    codes: dict[Fix, str] = {}
    for d in diagnostics:
        if applicable(d, unsafe=unsafe):
            codes.setdefault(d.fix, d.code)
    fixes = list(codes)
    accepted: list[int] = []
    out, _ = _apply(text, fixes, split=False, accepted=accepted)
    return out, Counter(codes[fixes[i]] for i in accepted)


def _apply(text: str, fixes: Sequence[Fix], *, split: bool, accepted: list[int] | None = None) -> tuple[str, int]:
    src = SourceFile("<fix>", text, "text")
    if split:
        groups = [(i, [s]) for i, f in enumerate(fixes) for s in _spans(src, f.edits)]
    else:
        groups = [(i, _spans(src, f.edits)) for i, f in enumerate(fixes)]
    groups = [(i, g) for i, g in groups if g]
    groups.sort(key=lambda ig: (ig[1][0][0], ig[1][0][1]))
    taken: list[tuple[int, int, str]] = []
    count = 0
    for index, group in groups:
        if any(_overlaps(s, a) for s in group for a in taken):
            continue
        if any(_overlaps(s, t) for i, s in enumerate(group) for t in group[i + 1 :]):
            continue  # a fix whose own edits collide is a rule bug: skip it
        taken.extend(group)
        count += 1
        if accepted is not None:
            accepted.append(index)
    out = text
    for start, end, content in sorted(taken, reverse=True):
        out = out[:start] + content + out[end:]
    return out, count


# The fix loop -------------------------------------------------------------------
@dataclass
class FileFix:
    path: str
    original: str
    fixed: str
    #: Fixes applied over all passes.
    applied: int = 0
    #: The same, per rule code (``--show-fixes``).
    codes: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


@dataclass
class FixOutcome:
    files: dict[str, FileFix] = field(default_factory=dict)
    #: Every diagnostic of the last lint (what is left after fixing).
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(f.applied for f in self.files.values() if f.changed)

    def changed(self) -> list[FileFix]:
        return [f for _, f in sorted(self.files.items()) if f.changed]


#: Lints the whole set with some files' text replaced; returns all final diagnostics.
Linter = Callable[[Mapping[str, str]], Sequence[Diagnostic]]


def _by_path(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    out: dict[str, list[Diagnostic]] = {}
    for diag in diagnostics:
        out.setdefault(diag.location.path, []).append(diag)
    return out


def fix_sources(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    lint: Linter,
    *,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
) -> FixOutcome:
    """Fix, re-lint and fix again until nothing applicable is left.

    ``diagnostics`` come from the first run; ``sources`` hold the text of
    each file that may be fixed. A fix that would make a file unparsable is
    dropped for that file (a rule bug must not break user code).
    """
    outcome = FixOutcome({p: FileFix(p, t, t) for p, t in sources.items()}, list(diagnostics))
    current = _by_path(diagnostics)
    stuck: set[str] = set()
    for _ in range(max_passes):
        proposals: dict[str, tuple[str, Counter[str]]] = {}
        for path, diags in sorted(current.items()):
            if path not in outcome.files or path in stuck:
                continue
            old = outcome.files[path].fixed
            new, codes = apply_fixes_by_code(old, diags, unsafe=unsafe)
            if codes and new != old:
                proposals[path] = (new, codes)
        if not proposals:
            break
        after = _by_path(lint(_texts(outcome, proposals)))
        broken = {p for p in proposals if _breaks(after.get(p, ())) and not _breaks(current.get(p, ()))}
        if broken:
            stuck |= broken
            proposals = {p: v for p, v in proposals.items() if p not in broken}
            after = _by_path(lint(_texts(outcome, proposals)))
        for path, (text, codes) in proposals.items():
            outcome.files[path].fixed = text
            outcome.files[path].applied += sum(codes.values())
            outcome.files[path].codes.update(codes)
        current = after
        outcome.diagnostics = [d for _, ds in sorted(after.items()) for d in ds]
        outcome.diagnostics.sort(key=Diagnostic.sort_key)
    return outcome


def _texts(outcome: FixOutcome, proposals: Mapping[str, tuple[str, Counter[str]]]) -> dict[str, str]:
    texts = {p: f.fixed for p, f in outcome.files.items() if f.changed}
    texts.update({p: t for p, (t, _) in proposals.items()})
    return texts


def _breaks(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.code in SYNTAX_CODES for d in diagnostics)  # the file no longer parses


#: Lines of context around each change, as in ``git diff``.
CONTEXT = 3


def _lines(text: str) -> list[str]:
    """Lines as git counts them: split at "\n" only, each keeping its end."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])  # the last line has no newline
    return lines


def _range(start: int, stop: int) -> str:
    """A unified diff hunk range (1-based start, length; as difflib writes it)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def unified_diff(fix: FileFix, *, hide_before: Iterable[int] = (), hide_after: Iterable[int] = ()) -> tuple[str, int]:
    """``git diff``-style unified diff of one file's fixes, and how many hunks
    were withheld.

    A hunk that touches a line holding a detected credential (RL5xx findings
    before and after fixing), even as context, is left out whole: printing
    the line would print the secret, and masking it would make a patch that
    ``git apply`` rejects. The hunks after it are renumbered, so what is
    printed always applies.
    """
    before, after = _lines(fix.original), _lines(fix.fixed)
    hidden_before, hidden_after = set(hide_before), set(hide_after)
    out: list[str] = []
    withheld = 0
    shift = 0  # net lines added by withheld hunks: the new side of later hunks moves up
    for group in difflib.SequenceMatcher(None, before, after, autojunk=False).get_grouped_opcodes(CONTEXT):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        if any(n + 1 in hidden_before for n in range(i1, i2)) or any(n + 1 in hidden_after for n in range(j1, j2)):
            withheld += 1
            shift += (j2 - j1) - (i2 - i1)
            continue
        if not out:
            out += [f"--- a/{fix.path}\n", f"+++ b/{fix.path}\n"]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1 - shift, j2 - shift)} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out += [" " + line for line in before[a1:a2]]
                continue
            out += ["-" + line for line in before[a1:a2]]
            out += ["+" + line for line in after[b1:b2]]
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)
    return text, withheld


# Files on disk and the engine ----------------------------------------------------
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class RawText:
    """Decoded text plus what it takes to write it back byte for byte."""

    text: str
    bom: bytes = b""
    codec: str = "utf-8"

    @classmethod
    def decode(cls, data: bytes) -> RawText | None:
        for bom, codec in _BOMS:
            if data.startswith(bom):
                try:
                    return cls(data[len(bom) :].decode(codec), bom, codec)
                except UnicodeDecodeError:
                    return None
        try:
            return cls(data.decode("utf-8"))  # no newline translation: CRLF stays CRLF
        except UnicodeDecodeError:
            return None

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec, "surrogatepass")


def run_fixes(
    diagnostics: Sequence[Diagnostic],
    paths: Sequence[str],
    config,
    *,
    unsafe: bool = False,
    jobs: int = 1,
    stdin: tuple[str, bytes] | None = None,
) -> tuple[FixOutcome, dict[str, RawText]]:
    """Fix what the first run found. Nothing is written here."""
    raw: dict[str, RawText] = {}
    wanted = sorted({d.location.path for d in diagnostics if applicable(d, unsafe=unsafe)})
    if not wanted:
        return FixOutcome(diagnostics=list(diagnostics)), raw
    for path in wanted:
        if stdin is not None and path == stdin[0]:
            decoded = RawText.decode(stdin[1])
        else:
            try:
                with open(path, "rb") as fh:
                    decoded = RawText.decode(fh.read())
            except OSError:
                decoded = None
        if decoded is not None:
            raw[path] = decoded
    data = {stdin[0]: stdin[1]} if stdin is not None else None
    from .run import relinter

    lint = relinter([] if stdin is not None else paths, config, jobs=jobs, data=data)
    outcome = fix_sources(diagnostics, {p: r.text for p, r in raw.items()}, lint, unsafe=unsafe)
    return outcome, raw


def write_fixed(outcome: FixOutcome, raw: Mapping[str, RawText]) -> list[str]:
    """Write changed files in place (same encoding, BOM and newlines); returns their paths."""
    written = []
    for fix in outcome.changed():
        with open(fix.path, "wb") as fh:  # in place: keeps mode, owner and hard links
            fh.write(raw[fix.path].encode(fix.fixed))
        written.append(fix.path)
    return written
