"""One pass per file: known formats through one combined regex, then context.

1. Cheap prefilter: a detector takes part only when one of its
   ``required_substrings`` occurs in the file (``in``, no regex).
2. The regexes of the participating detectors are joined into one
   alternation (compiled once per combination and cached) and run once
   over the whole text.
3. Context (Python ``ast``, YAML tree, generic matcher) runs only when the
   text mentions a credential word, and yields string literals bound to
   names; a literal becomes RL502/RL505 when the name is credential-like
   and the value secret-looking. A known format inside a default becomes
   RL505 (naming the format); otherwise a span reported by a format
   detector is not reported again.

Overlapping matches of two *different* formats at the same place report
only the leftmost (one alternation); in practice formats do not overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import filters as flt
from .context import DEFAULT_ROLES, Slot, slots
from .detectors import DETECTORS, Detector
from .names import credential_kind
from .shape import secret_value


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    kind: str
    label: str
    start: int
    end: int
    #: The secret part. Never printed: only ``mask(secret)`` may be.
    secret: str
    name: str | None = None
    role: str | None = None


@lru_cache(maxsize=256)
def _combined(indices: tuple[int, ...]) -> tuple[re.Pattern[str], dict[str, Detector]]:
    parts: list[str] = []
    groups: dict[str, Detector] = {}
    for i in indices:
        det = DETECTORS[i]
        for j, source in enumerate(det.sources()):
            group = f"d{i}_{j}"
            groups[group] = det
            parts.append(f"(?P<{group}>{source})")
    return re.compile("|".join(parts)), groups


def _prefilters() -> tuple[
    tuple[int, ...], tuple[tuple[int, tuple[str, ...], bool], ...], tuple[tuple[int, re.Pattern[str]], ...]
]:
    """Detectors whose substrings are everywhere (``=``, ``.``) run when their ``precheck``
    regex finds something (always, without one); the rest are tested by substring."""
    always, tested, checked = [], [], []
    for i, det in enumerate(DETECTORS):
        subs = det.required_substrings
        if any(len(s) < 2 for s in subs):
            if det.precheck is not None:
                checked.append((i, re.compile(det.precheck)))
            else:
                always.append(i)
        else:
            tested.append((i, tuple(s.lower() for s in subs) if det.ignore_case else subs, det.ignore_case))
    return tuple(always), tuple(tested), tuple(checked)


_ALWAYS, _TESTED, _CHECKED = _prefilters()


def active_detectors(text: str) -> tuple[int, ...]:
    """Indices of the detectors one of whose ``required_substrings`` occurs in ``text``
    (and whose ``precheck``, if any, matches)."""
    lowered: str | None = None
    out = list(_ALWAYS)
    for i, pattern in _CHECKED:
        if pattern.search(text):
            out.append(i)
    for i, subs, ignore_case in _TESTED:
        haystack = text
        if ignore_case:
            lowered = lowered if lowered is not None else text.lower()
            haystack = lowered
        for sub in subs:
            if sub in haystack:
                out.append(i)
                break
    return tuple(sorted(out))


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end != -1 else len(text)]


def format_findings(text: str, path: str = "") -> list[Finding]:
    indices = active_detectors(text)
    if not indices:
        return []
    pattern, groups = _combined(indices)
    found: list[Finding] = []
    for m in pattern.finditer(text):
        det = groups[m.lastgroup or ""]
        start, end = m.span()
        if det.left and start > 0 and re.match(f"[{det.left}]", text[start - 1]):
            continue
        match = m.group()
        if det.validate is not None and not det.validate(match):
            continue
        secret = det.secret(match)
        if flt.dropped(secret, filename=path, line=_line_at(text, start), filters=det.filters):
            continue
        if det.narrow and secret and match.endswith(secret):
            start = end - len(secret)
        found.append(Finding(det.code, det.kind, det.label, start, end, secret))
    return found


def _secret_span(text: str, start: int, end: int, secret: str) -> tuple[int, int]:
    """Narrow a literal's span to the secret itself (inside quotes, after ``Bearer``)."""
    at = text.find(secret, start, end)
    if at != -1:
        return at, at + len(secret)
    head = text[start : start + 4]
    for quote in ('"""', "'''", '"', "'"):
        i = head.find(quote)
        if 0 <= i <= 2 and head[:i].isalpha() and text.endswith(quote, start, end) and end - start > 2 * len(quote):
            return start + i + len(quote), end - len(quote)
    return start, end


_SELF_DESCRIBING = re.compile(r"^(?:Bearer|Basic) \S{16,}$")


def _context_finding(slot: Slot, path: str, text: str) -> Finding | None:
    kind = credential_kind(slot.name)
    if kind is None:
        # `AUTH_HEADER = "Bearer 9f3b..."`: the value says what it is, whatever the name.
        if not _SELF_DESCRIBING.match(slot.value):
            return None
        kind = "header"
    secret = secret_value(slot.value, kind, filename=path, line=_line_at(text, slot.start))
    if secret is None:
        return None
    start, end = _secret_span(text, slot.start, slot.end, secret)
    if slot.role in DEFAULT_ROLES:
        return Finding("RL505", "hardcoded-fallback", "credential", start, end, secret, slot.name, slot.role)
    return Finding("RL502", "generic-secret", "secret", start, end, secret, slot.name, slot.role)


def scan_text(path: str, text: str, kind: str, parsed: object | None = None) -> list[Finding]:
    """Every credential finding in one file, in order of position."""
    formats = format_findings(text, path)
    results: list[Finding] = []
    claimed: list[tuple[int, int]] = []
    by_start = sorted(formats, key=lambda x: x.start)
    context = list(slots(path, text, kind, parsed, has_formats=bool(formats)))
    upgraded: set[int] = set()
    seen: set[tuple[int, int, str | None, str]] = set()
    for slot in context:
        key = (slot.start, slot.end, slot.name, slot.role)
        if key in seen:
            continue
        seen.add(key)
        inside = [i for i, fnd in enumerate(by_start) if slot.start <= fnd.start and fnd.end <= slot.end]
        if inside:
            if slot.role in DEFAULT_ROLES:
                for i in inside:
                    fnd = by_start[i]
                    if fnd.code == "RL501" and i not in upgraded:
                        upgraded.add(i)
                        results.append(
                            Finding("RL505", fnd.kind, fnd.label, fnd.start, fnd.end, fnd.secret, slot.name, slot.role)
                        )
            claimed.append((slot.start, slot.end))
            continue
        if any(s < slot.end and slot.start < e for s, e in claimed):
            continue
        finding = _context_finding(slot, path, text)
        if finding is not None:
            results.append(finding)
            claimed.append((slot.start, slot.end))
    results.extend(fnd for i, fnd in enumerate(by_start) if i not in upgraded)
    results.sort(key=lambda x: (x.start, x.code))
    return _dedupe(results)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per span; a format finding wins over a context one on the same span."""
    out: list[Finding] = []
    spans: list[tuple[int, int]] = []
    for fnd in sorted(findings, key=lambda x: (x.code not in ("RL504", "RL503", "RL505", "RL501"), x.start)):
        if any(s < fnd.end and fnd.start < e for s, e in spans) and fnd.code == "RL502":
            continue
        spans.append((fnd.start, fnd.end))
        out.append(fnd)
    out.sort(key=lambda x: (x.start, x.code))
    return out
