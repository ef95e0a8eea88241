"""What stops an action from resolving: each problem names a secret and a
key, never a value (the resolver and the template renderer report them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Location

ProblemKind = Literal[
    "missing-secret",
    "missing-key",
    "missing-oauth-integration",
    "key-collision",
    "invalid-declaration",
    "undeclared-secret",
]


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    secret: str | None
    key: str | None
    message: str
    location: Location | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "secret": self.secret, "key": self.key, "message": self.message}


class ResolutionError(Exception):
    """The action would fail before (or while) running: missing credentials."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems) or "does not resolve")


def dedupe(problems: list[Problem]) -> tuple[Problem, ...]:
    seen: set[tuple[str, str | None, str | None]] = set()
    out: list[Problem] = []
    for problem in problems:
        ident = (problem.kind, problem.secret, problem.key)
        # A missing secret or integration already explains its missing keys.
        if problem.kind != "missing-secret" and ("missing-secret", problem.secret, None) in seen:
            continue
        if problem.kind == "missing-key" and ("missing-oauth-integration", problem.secret, problem.key) in seen:
            continue
        if ident not in seen:
            seen.add(ident)
            out.append(problem)
    return tuple(out)
