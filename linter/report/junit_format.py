"""JUnit XML for CI test reporters: one testcase per linted file, one failure per finding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..results import RunResult
from ..model import Diagnostic

# Characters XML 1.0 forbids even when escaped (hostile files put them in messages).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _attr(text: str) -> str:
    return quoteattr(_clean(text))


def _failure(d: Diagnostic) -> str:
    loc = d.location
    summary = f"{loc.line}:{loc.col}: {d.code} {d.message}"
    body = f"{loc.path}:{loc.line}:{loc.col}: {d.code} {d.message}"
    return (
        f"      <failure type={_attr(d.code)} message={_attr(summary)}>"
        f"{escape(_clean(body))}</failure>\n"
    )


def render(result: RunResult, *, paths: Sequence[str] | None = None, **_: object) -> str:
    by_path: dict[str, list[Diagnostic]] = {}
    for d in result.diagnostics:
        by_path.setdefault(d.location.path, []).append(d)
    files = sorted(set(paths or ()) | set(by_path))
    failing = sum(1 for f in files if by_path.get(f))
    counts = f'tests="{len(files)}" failures="{failing}" errors="{len(result.internal_errors) + len(result.errors)}"'
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<testsuites name="registry-lint" {counts}>\n']
    out.append(f'  <testsuite name="registry-lint" {counts} skipped="0">\n')
    for path in files:
        diags = by_path.get(path, [])
        name = _attr(path)
        if not diags:
            out.append(f'    <testcase classname="registry-lint" name={name} file={name}/>\n')
            continue
        out.append(f'    <testcase classname="registry-lint" name={name} file={name}>\n')
        out.extend(_failure(d) for d in diags)
        out.append("    </testcase>\n")
    if result.incomplete:
        text = "\n".join([*result.errors, *result.internal_errors])
        out.append(f"    <system-err>{escape(_clean(text))}</system-err>\n")
    out.append("  </testsuite>\n</testsuites>\n")
    return "".join(out)
