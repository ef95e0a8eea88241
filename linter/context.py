"""What a rule sees besides the parsed file: the config and the source text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .config import Config
from .source import SourceFile

if TYPE_CHECKING:
    from .appmodel import AppFile


@dataclass(frozen=True)
class FileContext:
    config: Config
    source: SourceFile
    #: Path relative to the config root, POSIX separators (for per-file-ignores).
    relpath: str
    #: Other files a rule read or looked for (found or not): part of the
    #: result's cache key (``FileResult.deps``). A rule that reads the file
    #: system must add every path it looked at.
    deps: set[str] = field(default_factory=set, compare=False)


@dataclass(frozen=True)
class ProjectContext:
    config: Config
    #: Every agent-native file of the linted set (registrations, reads, ...).
    app_files: tuple[AppFile, ...] = ()
    #: Every file of the run (project rules see specs only; some need to know
    #: which files the run did not cover).
    paths: tuple[str, ...] = ()
    #: What a project rule read besides the run's files (e.g. the names the
    #: project's other files define): the run's result then depends on files
    #: no cache key covers, and no run entry is stored for it.
    outside_reads: list[str] = field(default_factory=list, compare=False)
