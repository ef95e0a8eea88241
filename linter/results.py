"""What linting yields: one file's result, a whole run's, and the codes the
engine itself reports.

Every other module imports these from here (the engine that fills them, the
run that combines them, the cache that stores them, the reports that print
them); this module imports only the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import ActionSpec, Diagnostic

if TYPE_CHECKING:
    from .appmodel import AppFile

# Codes the engine reports itself (their Rule classes in rules/files.py only
# carry docs and examples).
PYTHON_SYNTAX = "RL001"
YAML_SYNTAX = "RL002"
#: A file that could not be linted (unreadable, too large, too deep, a
#: crashed worker): reported whatever the selection, never suppressed.
UNREADABLE = "RL003"
UNUSED_NOQA = "RL010"
#: The codes that say a file could not be parsed.
SYNTAX_CODES = frozenset({PYTHON_SYNTAX, YAML_SYNTAX})


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``# noqa`` (or file-level ``# registry-lint: noqa``) comment."""

    line: int
    #: Column (0-based) of ``#`` and end of the directive on the line.
    start: int
    end: int
    #: Uppercased codes; empty for a bare ``# noqa``.
    codes: tuple[str, ...]
    #: Codes that are not ours, kept when rewriting the comment.
    foreign: tuple[str, ...]
    #: First and last line the directive covers (0: its own line only).
    first: int = 0
    last: int = 0


@dataclass(frozen=True, slots=True)
class FileDirectives:
    noqa: tuple[Directive, ...] = ()
    #: Lines whose RL5xx findings are allowlisted.
    allowlisted: frozenset[int] = frozenset()
    #: File-level exemptions (``# registry-lint: noqa[: codes]``).
    exempt: tuple[Directive, ...] = ()


@dataclass
class FileResult:
    """Everything known from one file (and the files in ``deps``)."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    actions: list[ActionSpec] = field(default_factory=list)
    directives: FileDirectives = field(default_factory=FileDirectives)
    #: Text of lines holding a noqa directive (to build RL010 fixes).
    directive_lines: dict[int, str] = field(default_factory=dict)
    #: Other files this result depends on: read (constants imported from
    #: siblings) or looked for, found or not (``ctx.deps``, ``ModuleScope.deps``).
    deps: tuple[str, ...] = ()
    #: Set when a rule crashed: the run exits 2 (a bug, not a finding).
    internal_errors: list[str] = field(default_factory=list)
    skipped: bool = False
    #: Depends on timing (the per-file time budget ran out): never cached.
    transient: bool = False
    #: What an agent-native TypeScript file registers and reads (project rules).
    app: AppFile | None = None


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    files: int
    actions: int
    internal_errors: list[str] = field(default_factory=list)
    #: Text of each linted file that has diagnostics (for fixes and snippets).
    sources: dict[str, str] = field(default_factory=dict)
    #: Inputs that could not be linted at all (a path that does not exist):
    #: like internal errors, the run is incomplete and exits 2.
    errors: list[str] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        return bool(self.internal_errors or self.errors)

    @property
    def has_findings(self) -> bool:
        return bool(self.diagnostics)
