"""Location-independent fingerprints of findings (SARIF and the baseline).

A fingerprint is a hash of the path, the code, the whitespace-normalised
offending line (plus the start of the flagged span, to tell apart two
findings of one code on one line) and the finding's index among identical
ones. No line or column goes in, so inserting lines above a finding keeps
its fingerprint.

Credential findings (RL5xx) hash text that holds the secret. Their content
digest is salted with the path and code and key-stretched (PBKDF2), so
neither the fingerprint nor a baseline lets anyone recover or cheaply
confirm a guessed value; the value itself is never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from .digest import sha256
from .model import Diagnostic, Location
from .source import SourceFile

VERSION = "1"
_SALT = b"registry-lint/fingerprint/v1\0"
#: PBKDF2 rounds for RL5xx content: a few ms per finding, costly to brute-force.
_STRETCH_ROUNDS = 20_000
_SPAN_LIMIT = 4096


def is_secret_code(code: str) -> bool:
    return code.startswith("RL5")


def secret_lines(diagnostics: Iterable[Diagnostic]) -> set[tuple[str, int]]:
    """(path, line) of every line a credential finding touches: never shown."""
    out: set[tuple[str, int]] = set()
    from .redact import holds_secret_line

    for d in diagnostics:
        if is_secret_code(d.code) or holds_secret_line(d):  # another finding on a credential's line
            loc = d.location
            out.update((loc.path, n) for n in range(loc.line, max(loc.line, loc.end_line) + 1))
    return out


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _content(loc: Location, src: SourceFile | None, *, whole_span: bool) -> str:
    if src is None:
        return ""
    line = src.line_text(loc.line)
    start = src.offset(loc.line, loc.col)
    end = max(start, src.offset(loc.end_line, loc.end_col))
    span = src.text[start : min(end, start + _SPAN_LIMIT)]
    if not whole_span:
        span = span.split("\n", 1)[0]
    return _normalise(line) + "\0" + _normalise(span)


def content_digest(path: str, diag: Diagnostic, src: SourceFile | None) -> str:
    """Digest of what is wrong where, without position."""
    secret = is_secret_code(diag.code)
    # Secrets: the whole span (a PEM body spans lines); otherwise its first
    # line, so editing the far end of a multi-line call keeps the fingerprint.
    content = _content(diag.location, src, whole_span=secret).encode("utf-8", "surrogatepass")
    head = f"{path}\0{diag.code}\0".encode("utf-8", "surrogatepass")
    if secret:
        import hashlib  # only for credential findings (and loads OpenSSL, ~2 ms)

        return hashlib.pbkdf2_hmac("sha256", content, _SALT + head, _STRETCH_ROUNDS).hex()
    return sha256(head + content).hexdigest()


def fingerprints(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    path_of: Callable[[str], str] = lambda p: p,
) -> list[str]:
    """One fingerprint per diagnostic, in the same order.

    ``path_of`` maps a diagnostic's path to the one that goes into the hash
    (relative to the baseline file, or the SARIF artifact URI).
    """
    parsed: dict[str, SourceFile | None] = {}
    keyed: list[tuple[str, tuple[int, int, int, int], int]] = []
    for i, diag in enumerate(diagnostics):
        path = diag.location.path
        if path not in parsed:
            text = sources.get(path)
            parsed[path] = SourceFile(path, text, "text") if text is not None else None
        digest = content_digest(path_of(path), diag, parsed[path])
        loc = diag.location
        keyed.append((digest, (loc.line, loc.col, loc.end_line, loc.end_col), i))
    # Occurrence index among identical findings, in source order.
    out = [""] * len(diagnostics)
    seen: dict[str, int] = {}
    for digest, _, i in sorted(keyed):
        index = seen.get(digest, 0)
        seen[digest] = index + 1
        out[i] = sha256(f"{VERSION}\0{digest}\0{index}".encode()).hexdigest()[:32]
    return out
