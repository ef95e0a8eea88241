"""One pass per file: known formats through one combined regex, then context.

1. Cheap prefilter: a detector takes part only when one of its
   ``required_substrings`` occurs in the file (one regex scan that stops
   only at the rarest character of a substring that is really there).
2. The participating detectors' regexes are searched one by one (each
   with its own literal prefix, or an anchored finder) and merged into
   exactly what ``finditer`` of their alternation would give.
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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import filters as flt
from .anchored import Finder, finder
from .context import slots
from .detectors import DETECTORS, PLUGIN_NEEDS, Detector, needs_hold, plugin_pattern
from .names import credential_kind
from .shape import secret_value
from .slot import DEFAULT_ROLES, Slot


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


# Characters from most to least frequent in code and YAML (measured on the Tracecat
# monorepo); a substring is looked for at its rarest character. Only speed depends on it.
_FREQUENT = ' etsraoincldp_u"m.f:g,=hy)(vbwk-/TAE{}SxCR0NI1P2D>O4[]3MLFU5`6<8q79z|*#BjGWV@HK\'$Y?QXZ&J;+'
# Substrings found in nearly every file: `in` stops at the first occurrence, cheaper than
# taking part in the anchored scan (which would stop at every URL).
_PLAIN = frozenset({"://"})


def _rarest(sub: str) -> int:
    return max(range(len(sub)), key=lambda i: (_FREQUENT.find(sub[i]) % (len(_FREQUENT) + 1), -i))


@lru_cache(maxsize=256)
def _combined(indices: tuple[int, ...], left_out: tuple[str, ...] = ()) -> tuple[tuple[Finder, Detector], ...]:
    """The searches of the participating detectors' regexes, in alternation order
    (``Detector.sources`` order), without the plugin regexes ``left_out``."""
    out: list[tuple[Finder, Detector]] = []
    for i in indices:
        det = DETECTORS[i]
        sources = list(det.patterns) + [plugin_pattern(ref) for ref in det.plugin if ref not in left_out]
        out.extend((finder(source), det) for source in sources)
    return tuple(out)


_NEEDS = {ref: re.compile(source) for ref, source in PLUGIN_NEEDS.items()}


def _left_out(text: str, indices: tuple[int, ...]) -> tuple[str, ...]:
    """Plugin regexes that cannot match in ``text`` (``detectors.PLUGIN_NEEDS``): a regex
    that never matches changes nothing in the alternation, and is never read."""
    refs = [ref for i in indices for ref in DETECTORS[i].plugin if ref in _NEEDS]
    if not refs or not needs_hold():
        return ()
    return tuple(ref for ref in refs if not _NEEDS[ref].search(text))


@dataclass(frozen=True, slots=True)
class _Gate:
    """Which detectors take part in a file (see ``active_detectors``)."""

    always: tuple[int, ...]
    #: (detector, characters one of which the precheck needs, precheck regex)
    checked: tuple[tuple[int, str, re.Pattern[str]], ...]
    #: (substring, detectors) tested with ``in``
    plain: tuple[tuple[str, tuple[int, ...]], ...]
    #: ignore-case detectors: (detector, lowered substrings)
    lowered: tuple[tuple[int, tuple[str, ...]], ...]
    #: one scan for all other substrings: a match is the rarest character of one of them
    anchors: re.Pattern[str] | None
    #: character -> (substring, offset of that character in it, detectors)
    by_anchor: dict[str, tuple[tuple[str, int, tuple[int, ...]], ...]]


def _build_gate() -> _Gate:
    """Detectors whose substrings are everywhere (``=``, ``.``) run when their ``precheck``
    regex finds something (always, without one); the rest are tested by substring."""
    always: list[int] = []
    checked: list[tuple[int, str, re.Pattern[str]]] = []
    lowered: list[tuple[int, tuple[str, ...]]] = []
    owners: dict[str, list[int]] = {}
    for i, det in enumerate(DETECTORS):
        subs = det.required_substrings
        if any(len(s) < 2 for s in subs):
            if det.precheck is not None:
                checked.append((i, det.precheck_chars, re.compile(det.precheck)))
            else:
                always.append(i)
        elif det.ignore_case:
            lowered.append((i, tuple(s.lower() for s in subs)))
        else:
            for sub in subs:
                owners.setdefault(sub, []).append(i)
    plain = tuple((sub, tuple(idx)) for sub, idx in owners.items() if sub in _PLAIN)
    grouped: dict[str, list[tuple[str, int, tuple[int, ...]]]] = {}
    for sub, idx in owners.items():
        if sub not in _PLAIN:
            k = _rarest(sub)
            grouped.setdefault(sub[k], []).append((sub, k, tuple(idx)))
    # `c(?<=<sub up to c>)(?=<rest of sub>)`: each match consumes only the anchor character,
    # so no occurrence hides another; every branch starts with a literal, so `re` skips
    # ahead to the anchor characters. Other substrings at the same anchor are checked after.
    parts = []
    for char, items in grouped.items():
        branches = [
            (f"(?<={re.escape(sub[: k + 1])})" if k else "") + (f"(?={re.escape(sub[k + 1 :])})" if sub[k + 1 :] else "")
            for sub, k, _ in items
        ]
        parts.append(re.escape(char) + ("(?:" + "|".join(branches) + ")" if all(branches) else ""))
    return _Gate(
        tuple(always), tuple(checked), plain, tuple(lowered),
        re.compile("|".join(parts)) if parts else None,
        {char: tuple(items) for char, items in grouped.items()},
    )


_GATE = _build_gate()


def active_detectors(text: str) -> tuple[int, ...]:
    """Indices of the detectors one of whose ``required_substrings`` occurs in ``text``
    (and whose ``precheck``, if any, matches)."""
    gate = _GATE
    out = set(gate.always)
    for i, chars, pattern in gate.checked:
        # `c in text` is a memchr; the precheck regex only where it can match.
        if (not chars or any(c in text for c in chars)) and pattern.search(text):
            out.add(i)
    for sub, owners in gate.plain:
        if sub in text:
            out.update(owners)
    if gate.lowered:
        low = text.lower()
        for i, subs in gate.lowered:
            if any(sub in low for sub in subs):
                out.add(i)
    if gate.anchors is not None:
        by_anchor = gate.by_anchor
        startswith = text.startswith
        for m in gate.anchors.finditer(text):
            at = m.start()
            for sub, k, owners in by_anchor[text[at]]:
                if at >= k and startswith(sub, at - k):
                    out.update(owners)
    return tuple(sorted(out))


def _matches(text: str, searches: tuple[tuple[Finder, Detector], ...]) -> Iterator[tuple[re.Match[str], Detector]]:
    """What ``re.finditer`` of the alternation of all the detectors' regexes (in this order)
    would yield, from one search per regex: at the leftmost position where any of them
    matches, the first one in order wins, and the next search starts after its match. A
    regex's next match stays valid until the position passes its start. Every format regex
    consumes at least one character."""
    nexts = [search(text, 0) for search, _ in searches]
    pos = 0
    while True:
        best = -1
        best_start = 0
        for b, m in enumerate(nexts):
            if m is None:
                continue
            start = m.start()
            if start < pos:
                m = nexts[b] = searches[b][0](text, pos)
                if m is None:
                    continue
                start = m.start()
            if best < 0 or start < best_start:
                best, best_start = b, start
        if best < 0:
            return
        m = nexts[best]
        yield m, searches[best][1]
        pos = max(m.end(), pos + 1)


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end != -1 else len(text)]


def format_findings(text: str, path: str = "") -> list[Finding]:
    indices = active_detectors(text)
    if not indices:
        return []
    found: list[Finding] = []
    for m, det in _matches(text, _combined(indices, _left_out(text, indices))):
        start, end = m.span()
        if det.left and start > 0 and re.match(f"[{det.left}]", text[start - 1]):
            continue
        match = m.group()
        if det.validate is not None and not det.validate(match):
            continue
        secret = det.secret(match)
        if flt.dropped(secret, filename=path, line=_line_at(text, start), filters=det.filters, known_format=_known_format):
            continue
        if det.narrow and secret and match.endswith(secret):
            start = end - len(secret)
        found.append(Finding(det.code, det.kind, det.label, start, end, secret))
    return found


def _known_format(secret: str) -> bool:
    """A token of a known format (RL501) in the value: the query match hides it from the
    format detectors (one alternation), so the URL finding stays."""
    return any(f.code == "RL501" for f in format_findings(secret))


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
    secret = secret_value(slot.value, kind, filename=path, line=_line_at(text, slot.start), known_format=_known_format)
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
    if kind == "typescript":  # TypeScript/JavaScript: defaults, `??` fallbacks, parameters
        from .tscontext import slots as ts_slots

        context = list(ts_slots(text, parsed, has_formats=bool(formats)))
    else:
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
