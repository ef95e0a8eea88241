"""Parity cases: small registries with the verdict Tracecat's own code gives them.

A case is data: the files of one registry package (paths relative to the
package directory; ``__init__.py`` is added at its root unless given), the
key of the action under test (``subject``), and the rule codes (or prefixes)
one of which the linter must report as an error when Tracecat rejects it.
Each module of this package defines ``cases() -> Iterable[Case]``; ids are
unique across modules. ``record.py`` stores Tracecat's verdict for every
case in ``verdicts.json``; ``tests/test_parity.py`` checks the linter
against it. Nothing here imports registry-lint or Tracecat, so both the
linter's tests and the recorder's Python 3.12 venv can load it.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]
    #: Rule codes or prefixes of the family that must report a rejection.
    codes: tuple[str, ...]
    #: Key of the action under test.
    subject: str = "tools.parity.subject"
    note: str = ""
    tags: tuple[str, ...] = field(default=())

    def digest(self) -> str:
        """Changes when the case does: its verdict must then be recorded again."""
        body = json.dumps({"files": self.files, "subject": self.subject}, sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:16]


def all_cases() -> list[Case]:
    out: list[Case] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        out.extend(module.cases())
    ids = [c.id for c in out]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate parity case ids: {duplicates}")
    return out


def unique(cases: Iterable[Case]) -> list[Case]:
    return list(cases)
