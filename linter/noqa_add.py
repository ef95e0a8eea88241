"""``check --add-noqa``: a ``# noqa: RLxxx`` on the line of every current finding.

For adopting the linter on an old registry, as ruff's ``--add-noqa``:

- One directive per line, listing every code found there, sorted. A line
  that already has a ``# noqa: ...`` gets the new codes appended to it
  (``# noqa: E501`` -> ``# noqa: E501, RL304``); otherwise ``  # noqa:
  CODES`` is appended to the line, after any comment already there.
- Only where a comment can go (noqa_lines.py): a finding inside a Python
  multi-line string gets its directive where the string ends, one inside a
  YAML block scalar on the scalar's header line, one on a
  backslash-continued line where the continuation ends, as in ruff.
  Suppression honours the same mapping, so the next ``check`` is clean.
- TypeScript and JavaScript (with the ``typescript`` extra): ``  // noqa:
  CODES`` at the end of the finding's own line, where suppression reads it,
  unless that line ends inside a multi-line string, template literal, block
  comment or JSX (noqa_ts.py); such findings are listed.
- Never in other text files (``.env``, JSON, Markdown, ...): a ``#`` there
  may be part of a value. Never for RL003 (it cannot be suppressed) or RL010
  (an unused directive: ``--fix`` removes it). Nor in a file that does not
  tokenize or scan. Each finding left without a directive is listed (path,
  line, column, code, reason) and the exit code is 1.
- Files are rewritten in place with their encoding, BOM and line endings;
  the token stream (comments aside) is checked to be unchanged before
  writing. Nothing of a line is ever printed, so no secret is revealed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Diagnostic
from .noqa_lines import LineMap, line_map
from .results import UNREADABLE, UNUSED_NOQA
from .source import kind_for
from .suppress import _CODE_SPLIT, NOQA_RE, TS_NOQA_RE

if TYPE_CHECKING:
    import re

    from .fix import RawText
    from .noqa_ts import TsLines

#: Never given a directive: RL003 cannot be suppressed; RL010 is a stale directive.
_NEVER = {UNREADABLE: "it cannot be suppressed (see README: RL003)", UNUSED_NOQA: "it is an unused directive: remove it with --fix"}


@dataclass
class AddOutcome:
    #: Lines that got a new or an extended directive.
    added: int = 0
    skipped: list[tuple[Diagnostic, str]] = field(default_factory=list)

    def skipped_lines(self) -> Iterator[str]:
        for d, reason in self.skipped:
            loc = d.location
            yield f"{loc.path}:{loc.line}:{loc.col}: {d.code}: no noqa directive added: {reason}"


def add_noqa(diagnostics: Sequence[Diagnostic]) -> AddOutcome:
    outcome = AddOutcome()
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.code in _NEVER:
            outcome.skipped.append((d, _NEVER[d.code]))
        elif kind_for(d.location.path) not in ("python", "yaml", "typescript"):
            outcome.skipped.append((d, "not a Python, YAML or TypeScript file: a comment may be part of a value there (use per-file-ignores or a baseline)"))
        else:
            by_path.setdefault(d.location.path, []).append(d)
    for path, diags in sorted(by_path.items()):
        reason = _add_to_file(path, diags, outcome)
        if reason:
            outcome.skipped.extend((d, reason) for d in diags)
    return outcome


def _add_to_file(path: str, diags: list[Diagnostic], outcome: AddOutcome) -> str | None:
    """Edit one file; returns why nothing was added, or None."""
    from .fix import RawText

    kind = kind_for(path)
    try:
        with open(path, "rb") as fh:
            raw = RawText.decode(fh.read())
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or type(exc).__name__})"
    if raw is None:
        return "the file is not UTF-8"
    if kind == "typescript":
        return _add_to_ts_file(path, raw, diags, outcome)
    lines_map = line_map(raw.text, kind)
    if lines_map is None:
        return "the file does not tokenize" if kind == "python" else "the file is not valid YAML"
    wanted: dict[int, set[str]] = {}
    for d in diags:
        wanted.setdefault(lines_map.line_for(d.location.line), set()).add(d.code)
    return _rewrite(
        path, raw, wanted, outcome,
        directive=lambda line, number, codes: _with_directive(line, number, codes, lines_map, kind),
        same=lambda before, after: _same_code(before, after, kind),
    )


def _rewrite(
    path: str,
    raw: RawText,
    wanted: dict[int, set[str]],
    outcome: AddOutcome,
    *,
    directive: Callable[[str, int, set[str]], str],
    same: Callable[[str, str], bool],
) -> str | None:
    """Give each wanted line its directive; write the file only when ``same`` proves the code unchanged."""
    lines = raw.text.split("\n")
    edited = 0
    for number, codes in sorted(wanted.items()):
        if 1 <= number <= len(lines):
            new = directive(lines[number - 1], number, codes)
            if new != lines[number - 1]:
                lines[number - 1] = new
                edited += 1
    text = "\n".join(lines)
    if not edited:
        return None
    try:
        unchanged = same(raw.text, text)
    except Exception:  # any failure means "not proven the same"
        unchanged = False
    if not unchanged:
        return "adding a comment here would change the code (please report this bug)"
    with open(path, "wb") as fh:  # in place: keeps mode, owner and hard links
        fh.write(raw.encode(text))
    outcome.added += edited
    return None


def _add_to_ts_file(path: str, raw: RawText, diags: list[Diagnostic], outcome: AddOutcome) -> str | None:
    from .noqa_ts import same_code, ts_lines

    where = ts_lines(raw.text, path)
    if where is None:
        return "TypeScript needs the `typescript` extra (pip install 'registry-lint[typescript]')"
    wanted: dict[int, set[str]] = {}
    for d in diags:
        why = where.blocked.get(d.location.line)
        if why is not None:
            outcome.skipped.append((d, f"{why}: no comment can go there (use per-file-ignores or a baseline)"))
        else:
            wanted.setdefault(d.location.line, set()).add(d.code)
    return _rewrite(
        path, raw, wanted, outcome,
        directive=lambda line, number, codes: _with_ts_directive(line, number, codes, where),
        same=lambda before, after: same_code(before, after, path),
    )


def _with_ts_directive(line: str, number: int, codes: set[str], where: TsLines) -> str:
    cr = "\r" if line.endswith("\r") else ""
    body = line[: len(line) - len(cr)]
    for match in TS_NOQA_RE.finditer(body):
        if not where.in_comment(number, match.start()):
            continue  # inside a string on this line, not a comment
        merged = _merged(match, codes)
        if merged is None:
            return line
        prefix = body[match.start() : match.start() + 2] if body.startswith("//", match.start()) else "#"
        return body[: match.start()] + f"{prefix} noqa: {merged}" + body[match.end() :] + cr
    stripped = body.rstrip(" \t")
    sep = "  " if stripped.strip() else ""
    return f"{stripped}{sep}// noqa: {', '.join(sorted(codes))}{cr}"


def _merged(match: re.Match[str], codes: set[str]) -> str | None:
    """The codes an existing directive lists plus the new ones; None when it covers them already."""
    existing = [c.upper() for c in _CODE_SPLIT.split(match.group("codes") or "") if c]
    if not existing:
        return None  # a bare noqa already covers every code
    new = sorted(c for c in codes if not any(c == e or (len(e) < 5 and c.startswith(e)) for e in existing))
    return ", ".join(existing + new) if new else None


def _with_directive(line: str, number: int, codes: set[str], lines_map: LineMap, kind: str) -> str:
    cr = "\r" if line.endswith("\r") else ""
    body = line[: len(line) - len(cr)]
    comment_at = lines_map.comments.get(number)
    for match in NOQA_RE.finditer(body):
        if kind == "python" and (comment_at is None or match.start() < comment_at):
            continue  # inside a string on this line, not a comment
        merged = _merged(match, codes)
        if merged is None:
            return line
        return body[: match.start()] + f"# noqa: {merged}" + body[match.end() :] + cr
    stripped = body.rstrip(" \t")
    sep = "  " if stripped.strip() else ""
    return f"{stripped}{sep}# noqa: {', '.join(sorted(codes))}{cr}"


def _same_code(before: str, after: str, kind: str) -> bool:
    """Comments aside, the file means the same (the safety net of every edit)."""
    try:
        return list(_tokens(before, kind)) == list(_tokens(after, kind))
    except Exception:  # any failure means "not proven the same"
        return False


def _tokens(text: str, kind: str) -> Iterable[object]:
    if kind == "python":
        import io
        import tokenize

        skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE}
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type not in skip:
                yield (tok.type, tok.string, tok.start[0])
    else:
        import yaml

        loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
        for tok in yaml.scan(text, Loader=loader):
            yield (type(tok).__name__, getattr(tok, "value", None), getattr(tok, "style", None), tok.start_mark.line)
