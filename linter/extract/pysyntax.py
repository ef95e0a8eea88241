"""Where a Python syntax error really is (RL001), on the error path only."""

from __future__ import annotations

import ast
import re

from ..model import Diagnostic, Location, Severity
from ..results import PYTHON_SYNTAX
from ..source import SourceFile

_LONG_QUOTED = re.compile(r"'[^']{16,}'|\"[^\"]{16,}\"")


def syntax_error(source: SourceFile, exc: Exception) -> Diagnostic:
    """RL001 for LibCST's ``ParserSyntaxError`` ``exc``, at the position CPython gives."""
    line, col, message = _position(source.text, exc)
    loc = Location(source.path, line, col, line, col)
    return Diagnostic(code=PYTHON_SYNTAX, message=f"Syntax error: {message}", location=loc, severity=Severity.ERROR)


def _position(text: str, exc: Exception) -> tuple[int, int, str]:
    """LibCST's native parser reports the token after the one that failed; on
    this error path only, CPython's parser (compile to an AST, never run)
    usually pinpoints it. When CPython accepts the file (newer syntax than
    this interpreter knows is not the case here: LibCST already failed), fall
    back to LibCST's position.
    """
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes etc. in linted code: not ours to print
            compile(text, "<lint>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as err:
        if err.lineno:
            msg = _LONG_QUOTED.sub("'...'", err.msg or "invalid syntax")
            return err.lineno, max(1, err.offset or 1), msg
    except (ValueError, MemoryError, RecursionError):
        pass
    line = getattr(exc, "raw_line", 1) or 1
    col = (getattr(exc, "raw_column", 0) or 0) + 1
    return line, col, "invalid syntax"
