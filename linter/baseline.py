"""Baselines: adopt the linter on an existing registry and fail only on new findings.

The file is sorted, stable JSON without timestamps or line numbers, so it
diffs cleanly and survives unrelated edits (detect-secrets users fight
line-number churn: its issue 394). Each entry is path + code + a
fingerprint (see :mod:`registry_lint.fingerprint`); a credential finding's
fingerprint is a salted, stretched digest, never the value.

Paths are relative to the baseline file's directory, so the same baseline
matches whichever directory the linter runs from.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .fingerprint import fingerprints
from .model import Diagnostic

FORMAT_VERSION = 1


class BaselineError(ValueError):
    """An unreadable or malformed baseline file: a usage error (exit 2)."""


@dataclass(frozen=True)
class Entry:
    path: str
    code: str
    fingerprint: str


def _path_mapper(baseline_file: str):
    base = os.path.dirname(os.path.abspath(baseline_file))

    def path_of(path: str) -> str:
        try:
            rel = os.path.relpath(os.path.abspath(path), base)
        except ValueError:  # another drive on Windows
            return Path(path).as_posix()
        return Path(rel).as_posix()

    return path_of


def entries(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], baseline_file: str) -> list[Entry]:
    path_of = _path_mapper(baseline_file)
    fps = fingerprints(diagnostics, sources, path_of)
    return [Entry(path_of(d.location.path), d.code, fp) for d, fp in zip(diagnostics, fps)]


def dumps(items: Sequence[Entry]) -> str:
    findings = sorted({(e.path, e.code, e.fingerprint) for e in items})
    doc = {
        "version": FORMAT_VERSION,
        "tool": "registry-lint",
        "findings": [{"path": p, "code": c, "fingerprint": f} for p, c, f in findings],
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: str, diagnostics: Sequence[Diagnostic], sources: Mapping[str, str]) -> int:
    """Write the baseline of ``diagnostics``; returns the number of entries."""
    items = entries(diagnostics, sources, path)
    text = dumps(items)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as fh:  # non-UTF-8 file names
        fh.write(text)
    os.replace(tmp, path)  # never leave a half-written baseline behind
    return len(items)


def load(path: str) -> Counter[Entry]:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("version") != FORMAT_VERSION or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{path} is not a registry-lint baseline (version {FORMAT_VERSION})")
    out: Counter[Entry] = Counter()
    for item in doc["findings"]:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("path", "code", "fingerprint")):
            raise BaselineError(f"{path}: malformed entry {item!r:.80}")
        out[Entry(item["path"], item["code"], item["fingerprint"])] += 1
    return out


def filter_new(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    baseline_file: str,
    known: Counter[Entry],
    linted: Iterable[str] | None = None,
) -> tuple[list[Diagnostic], int]:
    """Diagnostics not in the baseline, and how many baseline entries are stale.

    Stale entries (fixed findings) are counted only for files in ``linted``:
    pre-commit lints a few files, and the rest of the baseline is not stale.
    """
    remaining = Counter(known)
    new: list[Diagnostic] = []
    for diag, entry in zip(diagnostics, entries(diagnostics, sources, baseline_file)):
        if remaining[entry] > 0:
            remaining[entry] -= 1
        else:
            new.append(diag)
    if linted is None:
        return new, sum(remaining.values())
    path_of = _path_mapper(baseline_file)
    seen = {path_of(p) for p in linted}
    return new, sum(n for e, n in remaining.items() if e.path in seen)
