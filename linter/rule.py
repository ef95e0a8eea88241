"""Rule base class, embedded examples and the registry of rules.

A rule is a small class (Fixit's shape): code, name, severity, a ruff-style
docstring and VALID/INVALID examples that ``tests/test_rule_examples.py``
runs automatically. It implements one or more hooks; the engine calls only
the hooks a rule overrides, all against one parse per file.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from .model import ActionSpec, Diagnostic, Fix, Location, Severity

if TYPE_CHECKING:
    from .context import FileContext, ProjectContext
    from .extract.python import PythonFile
    from .extract.typescript import TsFile
    from .extract.yamlnodes import YamlFile
    from .source import SourceFile

# `registry_lint.rules` holds one module per rule family, imported on demand
# (keeps `--version` fast); modules whose name starts with "_" are helpers.
_REGISTRY: dict[str, type[Rule]] = {}
_LOADED = False


#: A caret line under an example line: each run of ``^`` marks where a
#: finding is expected (its first caret is the column).
_CARET_LINE = re.compile(r"[ \t]*\^[ \t^]*")
_CARET_RUN = re.compile(r"\^+")


def split_carets(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` without its caret lines, and the (line, column) each caret run
    marks on the line above it (1-based, columns as in the text)."""
    if "^" not in text:
        return text, ()
    lines: list[str] = []
    marks: list[tuple[int, int]] = []
    for raw in text.split("\n"):
        if lines and _CARET_LINE.fullmatch(raw):
            marks.extend((len(lines), m.start() + 1) for m in _CARET_RUN.finditer(raw))
            continue
        lines.append(raw)
    return "\n".join(lines), tuple(marks)


@dataclass(frozen=True)
class Valid:
    """Source that must produce no diagnostic of the rule's code."""

    source: str
    filename: str = "action.py"
    #: Other files linted together with this one (path -> source).
    files: dict[str, str] = field(default_factory=dict)
    #: Extra ``[tool.registry-lint]`` settings for this example.
    config: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The file's text: the source dedented, caret lines removed."""
        return split_carets(self._dedented)[0]

    @property
    def _dedented(self) -> str:
        import textwrap  # examples are read by tests and docs, never by a check

        return textwrap.dedent(self.source).lstrip("\n")

    def all_files(self) -> dict[str, str]:
        """Every file of the example as it is linted (caret lines removed)."""
        return {self.filename: self.text, **{name: split_carets(text)[0] for name, text in self.files.items()}}


@dataclass(frozen=True)
class Invalid(Valid):
    """Source that must produce exactly the listed diagnostics of the rule's code.

    Where they are expected is written under the text, as caret lines (each
    run of ``^`` marks the line above it at the column of its first caret),
    or, for examples built by helpers, given as ``line``/``col``/``also``.
    """

    line: int = 0
    col: int = 0
    #: Further (line, col) positions expected in the same file.
    also: tuple[tuple[int, int], ...] = ()
    #: Expected file content after applying this rule's fixes.
    fixed: str | None = None
    #: A substring the (first) message must contain.
    message: str | None = None
    #: The file the diagnostic is in when it is not ``filename``.
    path: str | None = None
    #: The severity every diagnostic of the example must have (rules whose
    #: severity depends on the case); None: not checked.
    severity: Severity | None = None

    @property
    def positions(self) -> set[tuple[int, int]]:
        if self.line:
            return {(self.line, self.col), *self.also}
        if self.path is not None and self.path != self.filename:
            return set(split_carets(self.files[self.path])[1])
        return set(split_carets(self._dedented)[1])

    @property
    def fixed_text(self) -> str | None:
        import textwrap

        return None if self.fixed is None else textwrap.dedent(self.fixed).lstrip("\n")


class Rule:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    #: Off unless selected by exact code (or ALL).
    opt_in: ClassVar[bool] = False
    #: None, "safe" or "unsafe".
    fix: ClassVar[str | None] = None
    #: Which sources the rule applies to, for docs: "python", "yaml", "typescript", "text".
    #: A rule listing "typescript" makes the engine parse agent-native files.
    sources: ClassVar[tuple[str, ...]] = ()
    #: The rule reports some cases as errors and others as warnings (its
    #: docs say which); ``severity`` is the default its diagnostics override.
    mixed_severity: ClassVar[bool] = False
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.code:
            return
        if cls.code in _REGISTRY and _REGISTRY[cls.code] is not cls:
            raise RuntimeError(f"duplicate rule code {cls.code}")
        _REGISTRY[cls.code] = cls

    # Hooks. The engine calls only the ones a rule overrides.
    def check_action(self, action: ActionSpec, ctx: FileContext) -> Iterable[Diagnostic]:
        return ()

    def check_python(self, parsed: PythonFile, ctx: FileContext) -> Iterable[Diagnostic]:
        return ()

    def check_yaml(self, parsed: YamlFile, ctx: FileContext) -> Iterable[Diagnostic]:
        return ()

    def check_text(
        self, src: SourceFile, parsed: PythonFile | YamlFile | TsFile | None, ctx: FileContext
    ) -> Iterable[Diagnostic]:
        return ()

    def check_typescript(self, parsed: TsFile, ctx: FileContext) -> Iterable[Diagnostic]:
        return ()

    def check_project(
        self, actions: Sequence[ActionSpec], ctx: ProjectContext
    ) -> Iterable[Diagnostic]:
        return ()

    @classmethod
    def implements(cls, hook: str) -> bool:
        return getattr(cls, hook) is not getattr(Rule, hook)

    def diagnostic(
        self,
        location: Location,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
        related: tuple[Location, ...] = (),
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            message=message,
            location=location,
            severity=severity or self.severity,
            fix=fix,
            related=related,
        )

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """First sentence of "What it does", for tables."""
        doc = cls.doc()
        body = " ".join(doc.split("## What it does", 1)[-1].strip().split("\n\n", 1)[0].split())
        # Stop at the first full stop outside backticks (codes like `x.y` have dots).
        ticks = 0
        for i, ch in enumerate(body):
            if ch == "`":
                ticks ^= 1
            elif ch == "." and not ticks and (i + 1 == len(body) or body[i + 1] == " "):
                return body[: i + 1]
        return body


def family_modules() -> list[str]:
    """Every public module of the rules package, found by listing it: a new
    family is picked up without being named anywhere else."""
    import pkgutil

    package = importlib.import_module("registry_lint.rules")
    return sorted(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_"))


def load_rules() -> dict[str, type[Rule]]:
    """Import every rule family once and return the registry, sorted by code."""
    global _LOADED
    if not _LOADED:
        for name in family_modules():
            importlib.import_module(f"registry_lint.rules.{name}")
        _LOADED = True
    return dict(sorted(_REGISTRY.items()))


def get_rule(code: str) -> type[Rule] | None:
    return load_rules().get(code.upper())
