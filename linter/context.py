"""What a rule sees besides the parsed file: the config and the source text."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .source import SourceFile


@dataclass(frozen=True)
class FileContext:
    config: Config
    source: SourceFile
    #: Path relative to the config root, POSIX separators (for per-file-ignores).
    relpath: str


@dataclass(frozen=True)
class ProjectContext:
    config: Config
