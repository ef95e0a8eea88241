"""Where ``--add-noqa`` can put a ``// noqa`` in TypeScript and JavaScript.

Suppression reads a TypeScript directive on the finding's own line
(``suppress.TS_NOQA_RE``), so a directive goes at the end of that line, and
only where the end of the line is code: never inside a string, a template
literal or a block comment that goes on to the next line (the text would
become part of the value), nor inside JSX (`// noqa` there is rendered
text). Those lines are left alone and listed.

tree-sitter (the ``typescript`` extra) parses the file; it is never run.
After the edit, the leaves of the tree other than comments must be exactly
what they were: the same safety net as Python's token check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Nodes whose text a comment must not be appended into when they span lines.
_NO_COMMENT_INSIDE = frozenset({
    "string", "template_string", "comment", "regex",
    "jsx_element", "jsx_self_closing_element", "jsx_fragment", "jsx_expression", "jsx_text",
})
_WHY = {
    "string": "the line ends inside a string",
    "template_string": "the line ends inside a template literal",
    "comment": "the line ends inside a block comment",
    "regex": "the line ends inside a regular expression",
}
_JSX = "the line ends inside JSX, where `// noqa` would be rendered text"


@dataclass(frozen=True)
class TsLines:
    """Per line: why no comment can go at its end, and where its comments start."""

    blocked: dict[int, str] = field(default_factory=dict)
    #: Line -> columns (characters) where a comment starts on it.
    comments: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def in_comment(self, line: int, column: int) -> bool:
        return any(start <= column for start in self.comments.get(line, ()))


def ts_lines(text: str, path: str) -> TsLines | None:
    """The map for ``text``, or None when tree-sitter is not installed."""
    from .extract.typescript import CharOffsets, ParserMissing, load_parser

    try:
        parser = load_parser(path)
    except ParserMissing:
        return None
    data = text.encode("utf-8")
    root = parser.parse(data).root_node
    blocked: dict[int, str] = {}
    comments: dict[int, list[int]] = {}
    char = CharOffsets(text)
    for node in _walk(root):
        kind = node.type
        if kind == "comment":
            row, byte_column = node.start_point
            column = char(node.start_byte) - char(node.start_byte - byte_column)
            comments.setdefault(row + 1, []).append(column)
        if kind in _NO_COMMENT_INSIDE and node.end_point[0] > node.start_point[0]:
            why = _WHY.get(kind, _JSX)
            for row in range(node.start_point[0], node.end_point[0]):
                blocked.setdefault(row + 1, why)
    return TsLines(blocked, {line: tuple(cols) for line, cols in comments.items()})


def same_code(before: str, after: str, path: str) -> bool:
    """Comments aside, the two texts parse to the same leaves (and no new error)."""
    from .extract.typescript import load_parser

    parser = load_parser(path)
    one = parser.parse(before.encode("utf-8")).root_node
    two = parser.parse(after.encode("utf-8")).root_node
    if two.has_error and not one.has_error:
        return False
    return list(_leaves(one, before.encode("utf-8"))) == list(_leaves(two, after.encode("utf-8")))


def _leaves(root: Any, data: bytes) -> Iterator[tuple[str, bytes]]:
    for node in _walk(root):
        if node.type != "comment" and node.child_count == 0:
            yield node.type, data[node.start_byte : node.end_byte]


def _walk(root: Any) -> Iterator[Any]:
    # Iterative pre-order: tree-sitter trees can be deeper than Python's recursion limit.
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if node.type == "comment":
            continue
        stack.extend(reversed(node.children))

