"""Extractors: source text -> the shared model. The only code that knows the
syntaxes (Python, YAML, TypeScript).

Each extractor module (``python``, ``yaml``, ``typescript``) has
``parse(source) -> Extraction``: the parsed and extracted file, or the
findings that kept it from being parsed (a syntax error, a budget refusal,
a template that is not a mapping). The engine picks the module by the
file's kind after the cheap tests here (:func:`wants`), so a file that
cannot matter never imports its parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Diagnostic, Location, Severity
from ..results import PYTHON_SYNTAX, UNREADABLE

if TYPE_CHECKING:
    from ..appmodel import AppFile
    from ..budget import Refusal
    from ..model import ActionSpec
    from ..source import SourceFile

# Substrings without which a file cannot define an action or read a secret.
MARKERS = ("tracecat_registry", "register", "secrets")


def has_markers(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


def wants_typescript_parse(text: str) -> bool:
    """Whether a TypeScript/JavaScript file can register or read an agent-native
    app secret: it imports ``@agent-native/core`` and names a secrets API
    function (two substring tests, before tree-sitter is imported)."""
    from ..agent_native import API_NAMES, PACKAGE

    return PACKAGE in text and any(name in text for name in API_NAMES)


def wants(kind: str, text: str) -> bool:
    """Whether a file of ``kind`` can hold anything its extractor finds
    (substring tests, before the parser is imported)."""
    if kind == "python":
        return has_markers(text)
    if kind == "typescript":
        return wants_typescript_parse(text)
    return kind == "yaml"


@dataclass
class Extraction:
    """One file's parse: the extracted file (``PythonFile``, ``YamlFile``,
    ``TsFile``), or None when it could not be parsed, and what parsing found."""

    file: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The actions the file defines (Python, YAML).
    actions: list[ActionSpec] = field(default_factory=list)
    #: What an agent-native file registers and reads (TypeScript).
    app: AppFile | None = None

    def report(self, code: str, message: str, location: Location, severity: Severity) -> Extraction:
        self.diagnostics.append(Diagnostic(code=code, message=message, location=location, severity=severity))
        return self


def refused(source: SourceFile, refusal: Refusal) -> Extraction:
    """A file the budget pre-checks keep from the parser: RL001 (a limit
    CPython has too) or RL003."""
    loc = Location(source.path, refusal.line, refusal.col, refusal.line, refusal.col)
    if refusal.code == PYTHON_SYNTAX:
        return Extraction().report(PYTHON_SYNTAX, f"Syntax error: {refusal.message}", loc, Severity.ERROR)
    return Extraction().report(UNREADABLE, refusal.message, loc, Severity.WARNING)
