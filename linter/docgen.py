"""Generate the README rule table from the rules' own docstrings.

Run ``python -m registry_lint.docgen README.md`` to rewrite the table in
place; ``tests/test_docs.py`` fails when the README is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .rule import load_rules

START = "<!-- rules:start -->"
END = "<!-- rules:end -->"


def rule_table() -> str:
    rows = ["| Code | Name | Severity | Fix | Applies to | What it does |", "|---|---|---|---|---|---|"]
    for code, cls in load_rules().items():
        summary = cls.summary().replace("|", "\\|")
        severity = cls.severity.label + (" (opt-in)" if cls.opt_in else "")
        rows.append(
            f"| {code} | `{cls.name}` | {severity} | {cls.fix or ''} | {', '.join(cls.sources) or 'all files'} | {summary} |"
        )
    return "\n".join(rows)


def update(text: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"README has no {START} ... {END} block")
    return pattern.sub(lambda _: f"{START}\n{rule_table()}\n{END}", text)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "README.md")
    path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
