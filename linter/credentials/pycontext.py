"""Python context from the stdlib ``ast`` (compiled, never executed).

Why ``ast`` and not the LibCST tree the engine may already hold: the engine
parses with LibCST only files with registry markers and only when Python
rules are enabled, and LibCST positions cost a codegen pass; ``ast`` is a
C parser with positions on every node and runs only when the text mentions
a credential word. Files ``ast`` cannot parse (syntax errors, syntax newer
than this interpreter) fall back to the generic line matcher.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator

from .slot import Role, Slot

_ENV_CALLS = ("getenv", "environ.get", "env.get", "environ.setdefault")
_SECRET_DEFAULT_CALLS = ("get_or_default",)
# Calls whose second positional argument is a password (`smtp.login(user, password)`).
_BASIC_AUTH_CALLS = ("HTTPBasicAuth", "BasicAuth", "HTTPDigestAuth", "DigestAuth")
_SECRET_WRAPPERS = ("SecretStr", "SecretBytes")
_FIELD_CALLS = ("Field", "Query", "Body", "Header", "Param", "Form")
# `secrets.get("K") or "literal"`, `os.getenv("K") or "..."`, `config.get("K") or "..."`: a lookup
# by key whose fallback is a literal.
_LOOKUP_CALLS = ("get", "getenv", "get_secret", "get_or_default")


class _Offsets:
    """ast (line, UTF-8 byte column) -> character offset in the text."""

    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.base = base
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)

    def __call__(self, line: int, col: int) -> int:
        start = self.starts[line - 1] if line - 1 < len(self.starts) else len(self.text)
        end = self.text.find("\n", start)
        raw = self.text[start : end if end != -1 else len(self.text)]
        if raw.isascii():
            return self.base + start + col
        return self.base + start + len(raw.encode("utf-8")[:col].decode("utf-8", "replace"))


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return ""


def lookup_key(node: ast.AST) -> str | None:
    """``K`` of ``secrets.get("K")``, ``os.environ.get("K")``, ``os.getenv("K")`` (else None)."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    if dotted(node.func).rsplit(".", 1)[-1] not in _LOOKUP_CALLS:  # `budget(...)` is not `get(...)`
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def _target_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _string(node: ast.AST | None) -> ast.Constant | None:
    if isinstance(node, ast.Call) and dotted(node.func).endswith(_SECRET_WRAPPERS) and node.args:
        node = node.args[0]
    # An f-string without fields is a plain string (`f"Bearer 9f3b..."`).
    if isinstance(node, ast.JoinedStr) and len(node.values) == 1 and isinstance(node.values[0], ast.Constant):
        inner = node.values[0]
        return ast.Constant(inner.value, lineno=node.lineno, col_offset=node.col_offset,
                            end_lineno=node.end_lineno, end_col_offset=node.end_col_offset)
    # `"Bearer " + "9f3b..."`: a static concatenation is one string.
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left), _string(node.right)
        if left is not None and right is not None:
            return ast.Constant(left.value + right.value, lineno=node.lineno, col_offset=node.col_offset,
                                end_lineno=node.end_lineno, end_col_offset=node.end_col_offset)
    if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
        return ast.Constant(node.value.decode("latin-1"), lineno=node.lineno, col_offset=node.col_offset,
                            end_lineno=node.end_lineno, end_col_offset=node.end_col_offset)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node
    return None


class _Visitor(ast.NodeVisitor):
    def __init__(self, offsets: _Offsets) -> None:
        self.offsets = offsets
        self.found: list[Slot] = []
        #: (start, end) offsets of string literals holding ``name=value`` text.
        self.prose: list[tuple[int, int]] = []

    def emit(self, name: str | None, node: ast.AST | None, role: Role) -> None:
        const = _string(node)
        if const is None or const.end_lineno is None or const.end_col_offset is None:
            return
        start = self.offsets(const.lineno, const.col_offset)
        end = self.offsets(const.end_lineno, const.end_col_offset)
        self.found.append(Slot(name, const.value, start, end, role))

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            name = _target_name(target)
            self.emit(name, node.value, "assign")
            # `API_KEYS = ["...", "..."]`: every element of a list named for credentials.
            if isinstance(node.value, (ast.List, ast.Tuple)) and name and name.lower().endswith("s"):
                for element in node.value.elts:
                    self.emit(name[:-1], element, "assign")
            # `AUTH = ("user", "password")`: the second element is the password.
            value = node.value
            if isinstance(value, ast.Tuple) and len(value.elts) == 2 and _string(value.elts[0]) is not None:
                if name and name.lower().endswith(("auth", "credentials", "creds", "login")):
                    self.emit("password", value.elts[1], "assign")
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.emit(_target_name(node.target), node.value, "assign")
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.emit(_target_name(node.target), node.value, "assign")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        # Docstrings, header lines ("X-Auth-Token: ..."), connection strings
        # ("...;Password=...;"): strings that hold assignments of their own.
        value = node.value
        if isinstance(value, str) and ("=" in value or ":" in value) and node.end_lineno:
            start = self.offsets(node.lineno, node.col_offset)
            self.prose.append((start, self.offsets(node.end_lineno, node.end_col_offset or 0)))

    def visit_Call(self, node: ast.Call) -> None:
        callee = dotted(node.func)
        for kw in node.keywords:
            if kw.arg is None:
                continue
            if kw.arg == "auth" and isinstance(kw.value, ast.Tuple) and len(kw.value.elts) == 2:
                self.emit("password", kw.value.elts[1], "kwarg")
            else:
                self.emit(kw.arg, kw.value, "kwarg")
        args = node.args
        key = args[0].value if args and isinstance(args[0], ast.Constant) else None
        if len(args) >= 2 and isinstance(key, str):
            if callee.endswith(_SECRET_DEFAULT_CALLS):
                self.emit(key, args[1], "secret-default")
            elif callee.endswith("setenv"):
                self.emit(key, args[1], "assign")
            elif callee.endswith(_ENV_CALLS):
                self.emit(key, args[1], "env-default" if not callee.endswith("setdefault") else "assign")
        if (callee.endswith(_BASIC_AUTH_CALLS) or callee.endswith(".login")) and len(args) >= 2:
            self.emit("password", args[1], "kwarg")
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        if isinstance(node.op, ast.Or):
            for left, right in zip(node.values, node.values[1:]):
                key = lookup_key(left)
                if key is not None:
                    self.emit(key, right, "or-default")
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                self.emit(k.value, v, "dict")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            left, right = node.left, node.comparators[0]
            if _string(right) is not None:
                self.emit(_target_name(left), right, "compare")
            elif _string(left) is not None:
                self.emit(_target_name(right), left, "compare")
        self.generic_visit(node)

    def _params(self, args: ast.arguments) -> None:
        positional = [*args.posonlyargs, *args.args]
        for param, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults):
            self._param(param.arg, default)
        for param, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is not None:
                self._param(param.arg, default)

    def _param(self, name: str, default: ast.expr) -> None:
        # `api_key: str = Field(default="...")` is a default too.
        if isinstance(default, ast.Call) and dotted(default.func).endswith(_FIELD_CALLS):
            for kw in default.keywords:
                if kw.arg == "default":
                    self.emit(name, kw.value, "param-default")
            if default.args:
                self.emit(name, default.args[0], "param-default")
            return
        self.emit(name, default, "param-default")

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._params(node.args)
        self.generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._params(node.args)
        self.generic_visit(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._params(node.args)
        self.generic_visit(node)


def parse(text: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in linted code are not ours to report
            return ast.parse(text, type_comments=False)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def slots(text: str, base: int) -> Iterator[Slot]:
    """Slots of a Python source (``base``: offset of ``text`` in the file)."""
    from . import textcontext

    tree = parse(text)
    if tree is None:
        yield from textcontext.slots(text, base, python=True)
        for line_start, line in _comment_lines(text):
            yield from textcontext.slots(line, base + line_start)
        return
    offsets = _Offsets(text, base)
    visitor = _Visitor(offsets)
    try:
        visitor.visit(tree)
    except RecursionError:
        pass
    yield from visitor.found
    # Docstrings and comments hold usage examples: the generic matcher reads them.
    for start, end in visitor.prose:
        yield from textcontext.slots(text[start - base : end - base], start)
    if "#" in text:
        for line_start, line in _comment_lines(text):
            yield from textcontext.slots(line, base + line_start)


def _comment_lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            yield pos + len(line) - len(stripped), stripped.rstrip("\r\n")
        pos += len(line)
