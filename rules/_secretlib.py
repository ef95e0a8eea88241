"""How the secret, OAuth and usage rule families talk: suggestions, message
parts (values never shown when they may be a pasted credential), severities
and the literal-replacement fixes. What they compute from the model is in
``linter/analysis/`` (declared keys, references, reads, names). No libcst
import here (YAML-only runs).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from registry_lint.model import Edit, Fix, Location, SecretSpec, Severity, Value
from registry_lint.source import SourceFile

if TYPE_CHECKING:
    from registry_lint.analysis.reads import ReadScope

UPPER_SNAKE_RE = re.compile(r"[A-Z0-9_]+")
_STRING_LITERAL_RE = re.compile(r"^(?P<prefix>[rRuU]?)(?P<q>'''|\"\"\"|'|\")(?P<body>.*)(?P=q)$", re.DOTALL)


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    import difflib  # only when there is a near miss to name

    match = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    return match[0] if match else None


def short_list(items: Iterable[str], limit: int = 6) -> str:
    values = list(dict.fromkeys(items))
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def where(loc: Location, path: str) -> str:
    """``line 12`` for this file, ``other.py:12`` for a declaration elsewhere."""
    if loc.path == path:
        return f"line {loc.line}"
    return f"{os.path.basename(loc.path)}:{loc.line}"


def required_severity(spec: SecretSpec) -> Severity:
    """Error when the action needs the declaration (Tracecat fails without
    it), warning when it is declared ``optional`` (the action runs without)."""
    from registry_lint.tracecat import lax_bool

    optional = spec.optional.value if spec.optional is not None else False
    return Severity.WARNING if lax_bool(optional) is True else Severity.ERROR


def describe_tokens(tokens: Sequence[tuple[str, SecretSpec]]) -> str:
    parts = []
    for token, spec in tokens:
        grant = spec.grant_type.text if spec.grant_type else "?"
        parts.append(f"{token} for grant_type {grant}")
    return " or ".join(dict.fromkeys(parts))


# Fixes -----------------------------------------------------------------------
def replace_string(source: SourceFile, loc: Location, old: str, new: str, message: str) -> Fix | None:
    """Replace a string literal/scalar whose text is exactly ``old``; None if unsure."""
    if loc.path != source.path or loc.line != loc.end_line:
        return None
    start, end = source.offset(loc.line, loc.col), source.offset(loc.end_line, loc.end_col)
    text = source.text[start:end]
    if text == old:
        content = new
    else:
        match = _STRING_LITERAL_RE.match(text)
        if match is None or match.group("body") != old or "\\" in old:
            return None
        content = f"{match.group('prefix')}{match.group('q')}{new}{match.group('q')}"
    return Fix(message, (Edit(loc, content),))


def replace_tail(loc: Location, length: int, new: str, message: str) -> Fix | None:
    """Replace the last ``length`` characters of a one-line range (a template key)."""
    if loc.line != loc.end_line or loc.end_col - length < loc.col:
        return None
    edit_loc = Location(loc.path, loc.line, loc.end_col - length, loc.end_line, loc.end_col)
    return Fix(message, (Edit(edit_loc, new),))


def value_text(value: Value | None) -> str | None:
    return value.text if value is not None and value.known else None


def failing_label(scopes: Sequence[ReadScope], failing: Sequence[ReadScope]) -> str:
    if len(failing) == 1:
        return failing[0].label
    names = [s.label.removeprefix("action ") for s in failing]
    return "actions " + short_list(names, limit=4)


def plain(value: object, limit: int = 40) -> str:
    """A short rendering of a declaration value for messages.

    Containers are named, not shown: a list or mapping in the wrong place
    could hold a pasted credential, and messages never carry one.
    """
    while isinstance(value, Value):
        value = value.value
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SEGMENT_SPLIT_RE = re.compile(r"[_\-. ]+")


def shown(text: str) -> str:
    """``repr(text)`` for a name, a neutral stand-in for what may be a pasted credential.

    Declarations hold names (`ACME_API_KEY`), but a value pasted into `keys`
    by mistake must not end up in a report: a long segment, or one mixing
    letters with several digits, is not shown.
    """
    for segment in _SEGMENT_SPLIT_RE.split(text):
        digits = sum(c.isdigit() for c in segment)
        if len(segment) >= 20 or (len(segment) >= 12 and digits >= 3) or not segment.isascii():
            return f"<{len(text)} characters, not shown>"
    return repr(text) if len(text) <= 64 else f"<{len(text)} characters, not shown>"


def bare(text: str) -> str:
    """Like :func:`shown`, without quotes (for lists of names)."""
    rendered = shown(text)
    return text if rendered == repr(text) else rendered


