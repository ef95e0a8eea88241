"""SARIF 2.1.0, as GitHub code scanning (upload-sarif) accepts it.

Every rule is described in ``tool.driver.rules`` (so a result's ``ruleIndex``
is stable whatever was selected), with its full documentation as markdown
help. Results carry end positions, fixes and ``partialFingerprints`` that
survive line shifts (see :mod:`registry_lint.fingerprint`). No source
snippet is ever embedded: a credential finding's line holds the secret.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..project import REPOSITORY_URL, rule_doc_url
from ..results import RunResult
from ..fingerprint import fingerprints, is_secret_code
from ..model import Diagnostic, Location
from ..rule import Rule, load_rules

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "registryLintFingerprint/v1"
SRCROOT = "%SRCROOT%"
def _uri(path: str) -> tuple[str, str | None]:
    """A relative, percent-encoded URI against %SRCROOT% (absolute paths: file URIs)."""
    posix = Path(path).as_posix()
    if os.path.isabs(path):
        return Path(path).as_uri(), None
    if posix.startswith("./"):
        posix = posix[2:]
    # surrogateescape: a non-UTF-8 file name percent-encodes its raw bytes instead of crashing
    return quote(posix, safe="/", errors="surrogateescape"), SRCROOT


def _artifact(path: str) -> dict[str, object]:
    uri, base = _uri(path)
    return {"uri": uri, "uriBaseId": base} if base else {"uri": uri}


def _region(loc: Location) -> dict[str, int]:
    # SARIF columns are 1-based and endColumn is exclusive, like ours.
    return {
        "startLine": max(1, loc.line),
        "startColumn": max(1, loc.col),
        "endLine": max(loc.line, loc.end_line, 1),
        "endColumn": max(1, loc.end_col if (loc.end_line, loc.end_col) >= (loc.line, loc.col) else loc.col),
    }


def _physical(loc: Location) -> dict[str, object]:
    return {"physicalLocation": {"artifactLocation": _artifact(loc.path), "region": _region(loc)}}


def rule_descriptor(cls: type[Rule]) -> dict[str, object]:
    doc = cls.doc()
    summary = cls.summary() or cls.name
    return {
        "id": cls.code,
        "name": cls.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _section(doc, "What it does") or summary},
        "help": {"text": doc or summary, "markdown": doc or summary},
        # docs/rules/<code>.md, generated from the same docs, at this release's tag.
        "helpUri": rule_doc_url(cls.code),
        "defaultConfiguration": {"level": cls.severity.label, "enabled": not cls.opt_in},
        "properties": _rule_properties(cls),
    }


def _section(doc: str, title: str) -> str:
    """The text of one ``## title`` section of a ruff-style docstring."""
    marker = f"## {title}"
    if marker not in doc:
        return ""
    body = doc.split(marker, 1)[1].split("\n## ", 1)[0]
    return " ".join(body.split())


def _rule_properties(cls: type[Rule]) -> dict[str, object]:
    props: dict[str, object] = {"tags": ["tracecat", "registry"] + (["fixable"] if cls.fix else [])}
    if is_secret_code(cls.code):
        # GitHub ranks security alerts by this score (CVSS-like, 0-10).
        props["tags"] = [*props["tags"], "security"]
        props["security-severity"] = "8.0"
        props["precision"] = "high"
    return props


def _fix(d: Diagnostic) -> list[dict[str, object]]:
    if d.fix is None or not d.fix.edits:
        return []
    by_path: dict[str, list[dict[str, object]]] = {}
    for edit in d.fix.edits:
        by_path.setdefault(edit.location.path, []).append(
            {"deletedRegion": _region(edit.location), "insertedContent": {"text": edit.content}}
        )
    return [
        {
            "description": {"text": d.fix.message + (" (unsafe)" if d.fix.applicability == "unsafe" else "")},
            "artifactChanges": [
                {"artifactLocation": _artifact(path), "replacements": reps} for path, reps in sorted(by_path.items())
            ],
        }
    ]


def _result(d: Diagnostic, index: int | None, fingerprint: str) -> dict[str, object]:
    out: dict[str, object] = {"ruleId": d.code}
    if index is not None:
        out["ruleIndex"] = index
    out["level"] = d.severity.label
    out["message"] = {"text": d.message}
    out["locations"] = [_physical(d.location)]
    if d.related:
        out["relatedLocations"] = [
            {"id": i, **_physical(loc), "message": {"text": "related location"}} for i, loc in enumerate(d.related, 1)
        ]
    out["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    fixes = _fix(d)
    if fixes:
        out["fixes"] = fixes
    return out


def build(result: RunResult, diagnostics: Sequence[Diagnostic] | None = None) -> dict[str, object]:
    diags = list(result.diagnostics if diagnostics is None else diagnostics)
    rules = load_rules()
    codes = list(rules)
    index = {code: i for i, code in enumerate(codes)}
    fps = fingerprints(diags, result.sources, lambda p: _uri(p)[0])
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "registry-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": REPOSITORY_URL,
                "rules": [rule_descriptor(rules[c]) for c in codes],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "invocations": [{"executionSuccessful": not result.incomplete}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index.get(d.code), fp) for d, fp in zip(diags, fps)],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, **_: object) -> str:
    return json.dumps(build(result), indent=2, ensure_ascii=False) + "\n"
