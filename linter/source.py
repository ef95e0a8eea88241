"""A file's bytes, its decoded text and offset <-> line/column arithmetic."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from .model import Location

FileKind = Literal["python", "yaml", "typescript", "text"]

# Type stubs (.pyi) are text: Tracecat imports modules, never stubs, so no
# registry rule applies to them (parsing Tracecat's 38 KB ctx.pyi cost more
# than 40 templates); they are still scanned for credentials like any code.
PYTHON_SUFFIXES = (".py",)
YAML_SUFFIXES = (".yml", ".yaml")
# TypeScript and JavaScript: parsed (tree-sitter) only when they import
# @agent-native/core and name a secrets API function; scanned for credentials always.
TYPESCRIPT_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def kind_for(path: str) -> FileKind:
    lower = path.lower()
    if lower.endswith(PYTHON_SUFFIXES):
        return "python"
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    if lower.endswith(TYPESCRIPT_SUFFIXES):
        return "typescript"
    return "text"


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first 8 KiB, unless it is UTF-16 (which has a BOM)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head


class DecodeError(ValueError):
    pass


def decode(data: bytes) -> str:
    """UTF-8 (BOM stripped) or BOM-marked UTF-16; anything else is an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"invalid UTF-16 at byte {exc.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not valid UTF-8 (byte {exc.start})") from None


@dataclass
class SourceFile:
    """One file to lint. ``path`` is the display path used in every diagnostic."""

    path: str
    text: str
    kind: FileKind
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            text = self.text
            i = text.find("\n")
            while i != -1:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        starts = self.line_starts
        idx = bisect.bisect_right(starts, offset) - 1
        return idx + 1, offset - starts[idx] + 1

    def offset(self, line: int, col: int) -> int:
        starts = self.line_starts
        line = max(1, min(line, len(starts)))
        return starts[line - 1] + col - 1

    def span(self, start: int, end: int) -> Location:
        line, col = self.line_col(start)
        end_line, end_col = self.line_col(end)
        return Location(self.path, line, col, end_line, end_col)

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end].rstrip("\r")

    def file_location(self) -> Location:
        return Location(self.path, 1, 1, 1, 1)
