"""TypeScript/JavaScript -> the agent-native secrets model (:class:`AppFile`).

Only files that import ``@agent-native/core`` *and* name one of the
secrets API functions are parsed (``extract.wants_typescript_parse``, two
substring tests): a Python or YAML run never imports tree-sitter, and
neither does a run over TypeScript that does not use the registry. tree-sitter and its TypeScript
grammar are the ``typescript`` extra; without them ``load_parser`` raises
:class:`ParserMissing` and ``parse`` reports the file (RL003).

The parse is never executed. Static values (string literals, template
literals without substitutions, ``as const``, module- or block-level
``const`` names, shorthand properties, ``+`` of strings, properties of a
``const`` object literal) become :class:`~registry_lint.model.Value`; any
other expression is ``UNKNOWN``. Imports are tracked by name: named imports
with aliases, ``import * as ns``, a default import used as a namespace,
``require(...)`` and ``await import(...)`` destructuring.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING

from .. import agent_native as an
from ..appmodel import AppFile
from ..model import Location, Severity, Value
from ..results import UNREADABLE
from . import Extraction
from .tsflow import Walker
from .tsnodes import Imports, Node

if TYPE_CHECKING:
    from ..source import SourceFile

#: Suffixes parsed with the plain TypeScript grammar (no JSX, so `<T>x` casts work).
_TS_ONLY = (".ts", ".mts", ".cts")
_MAX_APP_DEPTH = 40


class ParserMissing(Exception):
    """tree-sitter or its TypeScript grammar is not installed."""


_PARSERS: dict[str, object] = {}


def load_parser(path: str) -> object:
    """A tree-sitter parser for the file's dialect (built once per process)."""
    dialect = "typescript" if path.lower().endswith(_TS_ONLY) else "tsx"
    parser = _PARSERS.get(dialect)
    if parser is None:
        try:
            import tree_sitter
            import tree_sitter_typescript
        except ImportError as exc:
            raise ParserMissing(str(exc.name or "tree_sitter")) from None
        grammar = getattr(tree_sitter_typescript, f"language_{dialect}")()
        parser = _PARSERS[dialect] = tree_sitter.Parser(tree_sitter.Language(grammar))
    return parser


def app_root(path: str) -> tuple[str, tuple[str, ...]]:
    """The directory of the nearest ``package.json`` above ``path`` ("" if none),
    and every ``package.json`` path looked at (absent ones too: creating one
    changes the answer, so the result cache re-checks them all)."""
    directory = os.path.dirname(path) or "."
    looked: list[str] = []
    for _ in range(_MAX_APP_DEPTH):
        candidate = os.path.join(directory, "package.json")
        looked.append(candidate)
        if os.path.isfile(candidate):
            return directory, tuple(looked)
        absolute = os.path.abspath(directory)
        if os.path.dirname(absolute) == absolute:
            break  # the file system root
        directory = os.path.normpath(os.path.join(directory, ".."))
    return "", tuple(looked)


class CharOffsets:
    """Byte offsets (tree-sitter) -> character offsets (``SourceFile``)."""

    def __init__(self, text: str) -> None:
        self.ascii = text.isascii()
        self.starts: list[int] = []
        if not self.ascii:
            sizes = (1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4 for o in map(ord, text))
            self.starts = [0, *accumulate(sizes)]

    def __call__(self, byte: int) -> int:
        return byte if self.ascii else bisect_left(self.starts, byte)


@dataclass
class TsFile:
    """One parsed file: the tree, the model, and what the flow checks found."""

    source: SourceFile
    tree: object
    model: AppFile
    #: (location, sink, source api, key) of secret values reaching a log/error/response.
    leaks: tuple[tuple[Location, str, str, Value | None], ...] = ()
    #: Secrets API calls inside a region tree-sitter could not parse.
    unparsed_calls: tuple[Location, ...] = ()
    #: Every ``package.json`` looked for to find the app (cache dependencies).
    app_deps: tuple[str, ...] = ()
    _offsets: CharOffsets | None = field(default=None, repr=False)

    def char(self, byte: int) -> int:
        """The character offset of a byte offset of the parsed (UTF-8) text."""
        if self._offsets is None:
            self._offsets = CharOffsets(self.source.text)
        return self._offsets(byte)

    def loc(self, node: Node) -> Location:
        return self.source.span(self.char(node.start_byte), self.char(node.end_byte))

    def deps(self) -> tuple[str, ...]:
        return self.app_deps


def parse(source: SourceFile) -> Extraction:
    """The file parsed and extracted; RL003 without the parser (the
    ``typescript`` extra) and for each secrets API call in a region
    tree-sitter cannot parse."""
    try:
        tree = parse_tree(source)
    except ParserMissing:
        message = (
            "File uses the agent-native secrets API but the TypeScript parser is not installed: "
            "`pip install 'registry-lint[typescript]'`; RL7xx not checked"
        )
        return Extraction().report(UNREADABLE, message, source.file_location(), Severity.WARNING)
    app, app_deps = app_root(source.path)
    parsed = extract(source, tree, app)
    parsed.app_deps = app_deps
    out = Extraction(parsed, app=parsed.model)
    for loc in parsed.unparsed_calls:
        message = "tree-sitter cannot parse the code around this secrets API call; it is not checked (RL7xx)"
        out.report(UNREADABLE, message, loc, Severity.WARNING)
    return out


def parse_tree(source: SourceFile) -> object:
    """Parse (never run) the file; raises :class:`ParserMissing`."""
    parser = load_parser(source.path)
    return parser.parse(source.text.encode("utf-8", "surrogatepass"))


def extract(source: SourceFile, tree: object, app: str) -> TsFile:
    parsed = TsFile(source, tree, AppFile(source.path, app))
    root = tree.root_node
    imports = Imports.scan(root)
    walker = Walker(parsed, imports, app)
    walker.run(root)
    parsed.model = AppFile(
        source.path,
        app,
        tuple(walker.registrations),
        tuple(walker.reads.values()),
        tuple(walker.fallbacks),
        tuple(walker.key_refs),
    )
    parsed.leaks = tuple(walker.leaks)
    if root.has_error:
        parsed.unparsed_calls = tuple(_unparsed_calls(parsed, root))
    return parsed


def _error_nodes(root: Node) -> Iterator[Node]:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR":
            yield node
            continue
        if node.has_error:
            stack.extend(reversed(node.children))


def _unparsed_calls(parsed: TsFile, root: Node) -> Iterator[Location]:
    """Where an API name sits in or right before a region tree-sitter gave up
    on (error recovery often leaves the callee outside the ERROR node)."""
    data = root.text
    for node in _error_nodes(root):
        before = node.prev_sibling
        start = before.start_byte if before is not None else node.start_byte
        window = data[start : node.end_byte]
        hits = [i for i in (window.find(name.encode()) for name in an.API_NAMES) if i != -1]
        if hits:
            at = parsed.char(start + min(hits))
            yield parsed.source.span(at, at)


