"""Action metadata: required fields and limits (RL1xx)."""

from __future__ import annotations

from collections.abc import Iterator

from . import Case
from ._shapes import HEAD, template

CODES = ("RL1",)


def _head(field: str, value: str | None) -> str:
    lines = []
    for line in HEAD.splitlines(keepends=True):
        if line.startswith(f"  {field}:"):
            if value is None:
                continue
            line = f"  {field}: {value}\n"
        lines.append(line)
    return "".join(lines)


def cases() -> Iterator[Case]:
    variants = [
        ("title", "x" * 100), ("title", "x" * 101), ("title", None), ("title", "''"),
        ("display_group", "x" * 101), ("display_group", None), ("display_group", "x" * 100),
        ("description", "x" * 1000), ("description", "x" * 1001), ("description", None), ("description", "''"),
        ("author", "x" * 101), ("author", None), ("doc_url", "https://example.com/" + "x" * 990), ("doc_url", None),
        ("namespace", "tools.Parity"), ("namespace", "core.parity"), ("namespace", None),
        ("name", "x" * 101), ("name", None), ("name", "1st"), ("name", "Subject"),
    ]
    for field, value in variants:
        label = "absent" if value is None else ("empty" if value == "''" else str(len(value)) if len(value) > 20 else value.replace(".", "_"))
        name = "subject"
        subject = "tools.parity.subject"
        if field == "name":
            name = value if value not in (None, "''") else "subject"
            subject = f"tools.parity.{name}"
        if field == "namespace" and value is not None:
            subject = f"{value}.subject"
        head = _head(field, value) if field != "name" else _head("name", None if value is None else "{name}")
        files = {"templates/subject.yml": template(head=head, name=name)}
        yield Case(f"meta-{field}-{label}", files, CODES, subject=subject, tags=("metadata",))
