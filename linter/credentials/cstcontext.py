"""Python context from the engine's LibCST tree (the file is never parsed twice).

The same slots as ``pycontext`` (which reads the stdlib ``ast`` and stays the
path for Python the engine did not parse: files without registry markers,
Markdown code blocks), found through the node index of the extractor's one
walk (``PythonFile.find``) instead of another traversal.

Positions cost a code-generation pass, so a candidate gets one only when it
can matter (``gate``): a literal can become a finding only if its name is
credential-like or its value says ``Bearer``/``Basic`` (``scanner``'s first
test), and a docstring or other ``name=value`` text only if it holds one of
the words every credential-like name contains. When the file has a
known-format match, every candidate is kept (a slot around a match claims it
whatever its name), exactly as ``pycontext`` would produce them.

Order matches ``pycontext``: bound literals first (an enclosing node before
the nodes inside it), then strings read as text, then comment lines. The
values of literal nodes come from ``cstvalues``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from .slot import GATE_WORDS, Role, Slot
from .cstvalues import (
    as_str,
    dotted,
    flatten,
    fstring_parts,
    literal,
    positional,
    prose_in,
    simple_value,
    string,
    target_name,
)
from .names import credential_kind
from .pycontext import (
    _BASIC_AUTH_CALLS,
    _ENV_CALLS,
    _FIELD_CALLS,
    _LOOKUP_CALLS,
    _SECRET_DEFAULT_CALLS,
    _comment_lines,
)

if TYPE_CHECKING:
    from ..extract.python import PythonFile


def _text_could_matter(raw: str) -> bool:
    low = raw.lower()
    return any(word in low for word in GATE_WORDS)


def _self_describing(value: str) -> bool:
    return value.startswith(("Bearer ", "Basic "))


class _Spans:
    """A node's character span in the file, without code generation where its text says it.

    The positions index generates code for every statement up to the node. A node whose
    own text occurs exactly once in the file sits there (LibCST's tree reproduces the file
    exactly, so the text at its span is its text): a string's raw token, or the generated
    code of a one-line node without parentheses of its own (those lie outside its span).
    Code spanning lines may depend on the enclosing indentation, so it goes to the index.
    """

    def __init__(self, parsed: PythonFile, text: str) -> None:
        self.index = parsed.scope.positions.span
        self.code = parsed.scope.code
        self.text = text

    def __call__(self, node: cst.CSTNode) -> tuple[int, int]:
        if type(node) is cst.SimpleString:
            raw = node.value
        elif len(getattr(node, "lpar", "(")) == 0:
            raw = self.code(node)
            if "\n" in raw or "\r" in raw:
                return self.index(node)
        else:
            return self.index(node)
        text = self.text
        at = text.find(raw)
        if at != -1 and raw and text.find(raw, at + 1) == -1:
            return at, at + len(raw)
        return self.index(node)


class _Emitter:
    def __init__(self, parsed: PythonFile, keep_all: bool, spans: _Spans) -> None:
        self.span = spans
        self.keep_all = keep_all
        #: (start, end, order, slot)
        self.found: list[tuple[int, int, int, Slot]] = []

    def emit(self, name: str | None, node: cst.CSTNode | None, role: Role) -> None:
        if node is None:
            return
        if not self.keep_all and credential_kind(name) is None:
            # Only a value that says what it is (`Bearer ...`) can matter without a name.
            kind = type(node)
            if kind is cst.SimpleString:
                raw = node.value
                if "\\" not in raw and "Bearer" not in raw and "Basic" not in raw:
                    return
            elif kind not in (cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation, cst.Call):
                return
            found = string(node)
            if found is None or not _self_describing(found[0]):
                return
        else:
            found = string(node)
            if found is None:
                return
        value, span_node = found
        start, end = self.span(span_node)
        self.found.append((start, end, len(self.found), Slot(name, value, start, end, role)))

    # One method per ast visitor method of ``pycontext._Visitor``.
    def assign(self, node: cst.Assign) -> None:
        value = node.value
        for target in node.targets:
            name = target_name(target.target)
            self.emit(name, value, "assign")
            if type(value) in (cst.List, cst.Tuple) and name and name.lower().endswith("s"):
                for element in value.elements:
                    self.emit(name[:-1], element.value if type(element) is cst.Element else None, "assign")
            if type(value) is cst.Tuple and len(value.elements) == 2:
                first, second = value.elements
                if type(first) is cst.Element and string(first.value) is not None:
                    if name and name.lower().endswith(("auth", "credentials", "creds", "login")):
                        self.emit("password", second.value if type(second) is cst.Element else None, "assign")

    def call(self, node: cst.Call) -> None:
        callee = dotted(node.func)
        for arg in node.args:
            if arg.keyword is None:
                continue
            value = arg.value
            if arg.keyword.value == "auth" and type(value) is cst.Tuple and len(value.elements) == 2:
                second = value.elements[1]
                self.emit("password", second.value if type(second) is cst.Element else None, "kwarg")
            else:
                self.emit(arg.keyword.value, value, "kwarg")
        wanted_key = callee.endswith(_SECRET_DEFAULT_CALLS) or callee.endswith("setenv") or callee.endswith(_ENV_CALLS)
        basic = callee.endswith(_BASIC_AUTH_CALLS) or callee.endswith(".login")
        if not (wanted_key or basic):
            return
        args = positional(node)
        if len(args) < 2:
            return
        second = None if args[1].star else args[1].value
        if wanted_key and not args[0].star:
            key = literal(args[0].value)
            if isinstance(key, str):
                if callee.endswith(_SECRET_DEFAULT_CALLS):
                    self.emit(key, second, "secret-default")
                elif callee.endswith("setenv"):
                    self.emit(key, second, "assign")
                elif callee.endswith(_ENV_CALLS):
                    self.emit(key, second, "env-default" if not callee.endswith("setdefault") else "assign")
        if basic:
            self.emit("password", second, "kwarg")

    def or_default(self, node: cst.BooleanOperation) -> None:
        """``pycontext``'s ``visit_BoolOp``: ``a or b or c`` nests to the left here, flat there."""
        if type(node.operator) is not cst.Or:
            return
        left = node.left
        if type(left) is cst.BooleanOperation and type(left.operator) is cst.Or:
            left = left.right
        if type(left) is not cst.Call or dotted(left.func).rsplit(".", 1)[-1] not in _LOOKUP_CALLS:
            return
        args = positional(left)
        key = literal(args[0].value) if args and not args[0].star else None
        if isinstance(key, str):
            self.emit(key, node.right, "or-default")

    def dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if type(element) is cst.DictElement:
                key = literal(element.key)
                if isinstance(key, str):
                    self.emit(key, element.value, "dict")

    def compare(self, node: cst.Comparison) -> None:
        if len(node.comparisons) == 1 and type(node.comparisons[0].operator) in (cst.Equal, cst.NotEqual):
            left, right = node.left, node.comparisons[0].comparator
            if string(right) is not None:
                self.emit(target_name(left), right, "compare")
            elif string(left) is not None:
                self.emit(target_name(right), left, "compare")

    def params(self, params: cst.Parameters) -> None:
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            default = param.default
            if default is None:
                continue
            name = param.name.value
            if type(default) is cst.Call and dotted(default.func).endswith(_FIELD_CALLS):
                for arg in default.args:
                    if arg.keyword is not None and arg.keyword.value == "default":
                        self.emit(name, arg.value, "param-default")
                args = positional(default)
                if args:
                    self.emit(name, None if args[0].star else args[0].value, "param-default")
                continue
            self.emit(name, default, "param-default")


def slots(parsed: PythonFile, text: str, keep_all: bool) -> Iterator[Slot]:
    """Slots of a whole Python file the engine parsed (``parsed``: its ``PythonFile``).

    ``keep_all``: the file has a known-format match, so candidates are not gated.
    """
    from . import textcontext

    spans = _Spans(parsed, text)
    emitter = _Emitter(parsed, keep_all, spans)
    for func in parsed.find(cst.FunctionDef):
        emitter.params(func.params)
    for lam in parsed.find(cst.Lambda):
        emitter.params(lam.params)
    for node in parsed.find(cst.Assign):
        emitter.assign(node)
    for node in parsed.find(cst.AnnAssign):
        emitter.emit(target_name(node.target), node.value, "assign")
    for node in parsed.find(cst.NamedExpr):
        emitter.emit(target_name(node.target), node.value, "assign")
    for node in parsed.find(cst.Dict):
        emitter.dict(node)
    for node in parsed.find(cst.Comparison):
        emitter.compare(node)
    for node in parsed.find(cst.Call):
        emitter.call(node)
    for node in parsed.find(cst.BooleanOperation):
        emitter.or_default(node)
    # An enclosing node's slot before those inside it (ast's pre-order); same span: emit order.
    emitter.found.sort(key=lambda x: (x[0], -x[1], x[2]))
    for _, _, _, slot in emitter.found:
        yield slot
    # Docstrings and other strings holding `name=value` text: the generic matcher reads them.
    for start, end in _prose_spans(parsed, keep_all, spans):
        yield from textcontext.slots(text[start:end], start)
    if "#" in text:
        for line_start, line in _comment_lines(text):
            yield from textcontext.slots(line, line_start)


def _prose_spans(parsed: PythonFile, keep_all: bool, span: _Spans) -> list[tuple[int, int]]:
    """Spans ``ast`` gives its ``str`` constants that hold ``=`` or ``:`` (3.11: the text
    parts of an f-string span the whole literal, a format spec its own f-string)."""
    code = parsed.scope.code
    inner: set[int] = set()
    for node in parsed.find(cst.ConcatenatedString):
        inner.add(id(node.left))
        inner.add(id(node.right))
    spans: set[tuple[int, int]] = set()
    for kind in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString):
        for node in parsed.find(kind):
            if id(node) in inner:
                continue
            whole = False
            spec_nodes: list[cst.CSTNode] = []
            for part in flatten(node) if kind is not cst.SimpleString else (node,):
                if type(part) is cst.SimpleString:
                    if not whole:
                        raw = part.value
                        # Without an escape the value is a slice of the token: no `=`/`:`, no prose.
                        if "\\" in raw or "=" in raw or ":" in raw:
                            whole = prose_in(as_str(simple_value(part)))
                elif type(part) is cst.FormattedString:
                    text_prose, spec_prose = fstring_parts(part)
                    whole = whole or text_prose
                    if spec_prose:
                        spec_nodes.append(part)
            for target in ([node] if whole else []) + spec_nodes:
                if keep_all or _text_could_matter(code(target)):
                    spans.add(span(target))
    return sorted(spans)
