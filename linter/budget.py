"""Per-file limits that keep pathological inputs from crashing or hanging a run.

Two layers, both ending in a diagnostic for that one file (never a traceback,
a hang or exit code 2):

1. Pre-checks before parsing. LibCST's native parser and libyaml's composer
   recurse in C/Rust: a few thousand nesting levels overflow the C stack
   (a segfault no ``except`` can catch) and time grows super-linearly with
   depth (LibCST: 3000 chained subscripts take ~14 s). Native code also cannot
   be interrupted by a signal, so these inputs must be refused *before* they
   reach the parser. The scans are linear and cheap next to parsing.
2. A wall-clock budget per file (``SIGALRM`` where available): anything the
   pre-checks let through but that still runs away in Python code (a rule, a
   regex, an alias-expanding walk) is stopped, and the file gets RL003.

The numbers are documented in RL003 (``rules/files.py``) and docs/robustness.md.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .results import PYTHON_SYNTAX, UNREADABLE

#: CPython's own limit (tokenizer MAXLEVEL): deeper brackets are a SyntaxError
#: ("too many nested parentheses") in every Python version, so this is RL001.
MAX_PY_BRACKET_DEPTH = 200
#: Nesting of one Python expression counting brackets, trailers (``a.b``,
#: ``f()``, ``x[0]``), unary and binary operators, ``not``/``and``/``or``,
#: ``lambda`` and conditional expressions. LibCST parses 400 levels in well
#: under a second and crashes somewhere between 3000 and 10000.
MAX_PY_EXPR_DEPTH = 400
#: LibCST's time per expression grows with the square of its depth and the
#: native parse cannot be interrupted, so a file of many just-under-limit
#: lines (1 MiB of 199-deep lists would take ~4 minutes) is refused too:
#: the sum over nesting tokens of their depth beyond 20 (real code stays far
#: below: registry code is rarely nested more than 10 deep).
MAX_PY_NESTING_WORK = 300_000
_WORK_FREE_DEPTH = 20
# Measured LibCST cost per unit of depth: brackets ~3x and f-string fields
# ~5x that of operators and trailers.
_WORK_WEIGHT = {"op": 1, "kw": 1, "open": 3, "string": 5}
#: Nesting of YAML collections (flow ``[{``, block sequences and mappings).
#: libyaml's composer crashes between 10k and 30k levels; real templates use <20.
#: libyaml 0.2.6 (bundled since PyYAML 6.0.4) stops by itself at 1000 flow
#: levels or 1000 block levels, counted separately; older ones never stop.
#: Our limit on the total depth is half that, so this check always decides
#: first and the result is the same with every PyYAML/libyaml version.
MAX_YAML_DEPTH = 500
#: libyaml's own nesting-limit error (``ScannerError.problem``), for a build
#: whose limit is lower than ours: mapped to the same RL003.
_LIBYAML_NESTING = "maximum nesting depth"
#: Nodes a YAML document would have with every alias expanded ("billion laughs").
MAX_YAML_EXPANDED_NODES = 1_000_000
#: Wall-clock seconds per file; ``REGISTRY_LINT_FILE_TIMEOUT`` overrides (0 disables).
DEFAULT_FILE_TIMEOUT = 10.0
TIMEOUT_ENV = "REGISTRY_LINT_FILE_TIMEOUT"


@dataclass(frozen=True)
class Refusal:
    """Why a file is not parsed: ``code`` (RL001/RL003), message and 1-based position."""

    code: str
    message: str
    line: int = 1
    col: int = 1


# Python ---------------------------------------------------------------------------
# Compiled only as part of _PY_SCAN below (each compile costs a one-file run).
_PY_TOKENS = (
    r"""
    (?P<string>[rRbBuUfFtT]{0,2}(?:'''|\"\"\"|'|"))
  | (?P<comment>\#[^\r\n]*)
  | (?P<contin>\\\r?\n)
  | (?P<number>\.?[0-9][0-9a-zA-Z_]*(?:\.[0-9a-zA-Z_]*)?(?:[eE][-+]?[0-9_]+)?)
  | (?P<ellipsis>\.\.\.)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<reset>[,;]|\r\n|\n|\r|(?:\*\*|//|>>|<<|[-+*/%@&|^:])?=(?!=))
  | (?P<colon>:)
  | (?P<kw>\b(?:lambda|elif)\b)
  | (?P<op>\*\*|//|<<|>>|->|[-+*/%@&|^~.]|\b(?:not|and|or|if|else|await)\b)
    """
)
# String bodies: alternatives are disjoint, so each match is one linear pass.
_STRING_END = {
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.DOTALL),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\r\n]|\\(?:\r\n|.))*'", re.DOTALL),
    '"': re.compile(r'(?:[^"\\\r\n]|\\(?:\r\n|.))*"', re.DOTALL),
}
# The scan's tokens, each preceded by a possessive skip over what can never
# start one: runs of tabs, blanks, ``!`` and non-ASCII characters (a negated
# class: spelling out \x80-\U0010ffff tripled the compile time, which every
# one-file run pays), identifiers that are not a counted keyword and do not
# end in a string prefix, lone ``<`` and ``>``. Skipping inside the regex
# instead of one failed attempt per character halves the scan; ``other`` (one
# character no token starts with) and ``end`` make every search succeed, so no
# skip is ever retried (no quadratic case). tests/test_budget_scan.py checks it
# against the plain scan.
_PY_SCAN = re.compile(
    r"""(?:[^\x00-\x08\n-\x1f\x22-\x7f]++|<(?!<)|>(?!>)
      |(?!(?:lambda|elif|not|and|or|if|else|await)(?![A-Za-z_0-9]))[A-Za-z_]++(?!['"])
    )*+
    (?:"""
    + _PY_TOKENS
    + r"""| (?P<other>[\s\S]) | (?P<end>\Z))""",
    re.VERBOSE,
)
_LINE_END = re.compile(r"[\r\n]")
_NEWLINES = ("\n", "\r", "\r\n")
#: ``elif`` clauses nest in LibCST (each is the ``orelse`` of the previous
#: ``If``); 20k crash it. Counted per file, not per chain: simple and unbreakable.
MAX_PY_ELIF = 2000
# Substrings of every keyword the scan counts (an upper bound for the cheap exit).
_NESTING_WORDS = ("not", "and", "or", "if", "else", "await", "lambda")


def check_python(text: str) -> Refusal | None:
    """Refuse Python too deeply nested for LibCST to parse safely; linear time.

    A token scan (strings and comments skipped) that tracks, per open
    bracket, the length of the current operator/trailer chain; the sum over
    open brackets approximates the depth of LibCST's tree. Separators (``,``
    ``;`` ``=`` end of line) end a chain, except inside ``lambda``
    parameters, whose defaults nest.
    """
    # Cheap exit: fewer nesting tokens than the smallest limit cannot exceed it.
    nesting = sum(text.count(c) for c in "([{.-+*/%@&|^~") + sum(text.count(w) for w in _NESTING_WORDS)
    if nesting < MAX_PY_BRACKET_DEPTH and text.count("elif") < MAX_PY_ELIF:
        return None
    stack: list[int] = [0]  # chain length per open bracket level
    lambdas: list[int] = [0]  # lambdas whose ``:`` is pending, per level
    depth_sum = elifs = work = 0
    pos, end = 0, len(text)
    search = _PY_SCAN.search
    while pos < end:
        m = search(text, pos)  # never None: see _PY_SCAN
        kind = m.lastgroup
        pos = m.end()
        # Tokens that cannot raise depth_sum skip the limit checks below: the
        # token that raised it past a limit was already refused.
        if kind == "reset":
            at_top = len(stack) == 1
            token = m.group(kind)
            if lambdas[-1] == 0 and (at_top or token not in _NEWLINES):
                depth_sum -= stack[-1]
                stack[-1] = 0
            if at_top and token in _NEWLINES:
                lambdas[-1] = 0
            continue
        braces = 0
        if kind == "op":
            stack[-1] += 1
            depth_sum += 1
        elif kind == "open":
            stack[-1] += 1
            depth_sum += 1
            stack.append(0)
            lambdas.append(0)
            if len(stack) - 1 > MAX_PY_BRACKET_DEPTH:
                line, col = _line_col(text, m.start(kind))
                return Refusal(PYTHON_SYNTAX, "too many nested parentheses", line, col)
        elif kind == "close":
            if len(stack) > 1:
                depth_sum -= stack.pop()
                lambdas.pop()
            continue
        elif kind == "string":
            token = m.group(kind)
            quote = token.lstrip("rRbBuUfFtT")
            body = _STRING_END[quote].match(text, pos)
            if body is not None:
                prefix = token[: len(token) - len(quote)].lower()
                pos = body.end()
                if "f" not in prefix and "t" not in prefix:
                    continue
                # f-string replacement fields nest (arbitrarily since 3.12).
                braces = body.group().count("{") - 2 * body.group().count("{{")
                stack[-1] += braces
                depth_sum += braces
            elif len(quote) == 3:
                break  # unterminated triple quote: the rest is string (and a syntax error)
            else:
                nl = _LINE_END.search(text, pos)
                pos = nl.start() if nl else end
                continue
        elif kind == "colon":
            if lambdas[-1]:
                lambdas[-1] -= 1
            continue
        elif kind == "kw":
            if m.group(kind) == "elif":
                elifs += 1
                if elifs > MAX_PY_ELIF:
                    line, col = _line_col(text, m.start(kind))
                    return Refusal(UNREADABLE, f"More than {MAX_PY_ELIF} `elif` clauses; not linted", line, col)
                continue
            lambdas[-1] += 1
            stack[-1] += 1
            depth_sum += 1
        elif kind == "end":
            break
        else:  # comment, continuation, number, ellipsis, other
            continue
        if depth_sum > _WORK_FREE_DEPTH:
            if depth_sum > MAX_PY_EXPR_DEPTH:
                line, col = _line_col(text, m.start(kind))
                return Refusal(
                    UNREADABLE,
                    f"Expression nested more than {MAX_PY_EXPR_DEPTH} levels deep; not linted",
                    line,
                    col,
                )
            weight = 0 if kind == "string" and braces <= 0 else _WORK_WEIGHT[kind]
            if weight:
                work += (depth_sum - _WORK_FREE_DEPTH) * weight
                if work > MAX_PY_NESTING_WORK:
                    line, col = _line_col(text, m.start(kind))
                    return Refusal(UNREADABLE, "Too many deeply nested expressions to lint in time; not linted", line, col)
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# YAML -----------------------------------------------------------------------------
_INDENT = re.compile(r"^[ ]+", re.MULTILINE)


def check_yaml(text: str) -> Refusal | None:
    """Refuse YAML nested deeper than :data:`MAX_YAML_DEPTH`.

    Every nesting level needs a ``[``, ``{``, ``-``, ``?`` or one more column
    of indentation, so their count bounds the depth; only above the limit is
    the exact depth measured, with libyaml's event parser (iterative, so it
    cannot overflow) stopping at the limit.
    """
    bound = text.count("[") + text.count("{") + text.count("-") + text.count("?")
    if bound < MAX_YAML_DEPTH:
        indents = _INDENT.findall(text)
        if bound + max(map(len, indents), default=0) + 1 < MAX_YAML_DEPTH:
            return None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, starts):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    mark = event.start_mark
                    return Refusal(
                        UNREADABLE,
                        f"YAML nested more than {MAX_YAML_DEPTH} levels deep; not linted",
                        mark.line + 1,
                        mark.column + 1,
                    )
            elif isinstance(event, ends):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        return nesting_refusal(exc)  # None for a syntax error: compose reports it (RL002)
    except (yaml.YAMLError, RecursionError):
        return None
    return None


def nesting_refusal(exc: BaseException) -> Refusal | None:
    """The RL003 refusal for libyaml's own nesting-limit error, else None.

    Every parse of linted YAML maps this error through here, so a libyaml
    whose limit is lower than :data:`MAX_YAML_DEPTH` still gives RL003 (at
    the position libyaml stopped), never RL002.
    """
    if _LIBYAML_NESTING not in str(getattr(exc, "problem", "") or ""):
        return None
    mark = getattr(exc, "problem_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Refusal(UNREADABLE, "YAML nested deeper than the YAML parser allows; not linted", line, col)


def yaml_expanded_size(root: object, limit: int = MAX_YAML_EXPANDED_NODES) -> int:
    """Node count of ``root`` with aliases expanded, capped at ``limit + 1``.

    Aliases are shared node objects after ``compose``, so the size is a sum
    over a DAG: memoised by node identity, linear in the composed size. An
    alias inside its own anchor (``&a [*a]``) expands forever: ``limit + 1``.
    """
    import yaml

    cap = limit + 1
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node, yaml)
        if done:
            active.discard(key)
            sizes[key] = min(cap, 1 + sum(sizes[id(c)] for c in children))
            continue
        if key in sizes:
            continue
        if key in active:
            return cap  # a cycle: reached again while still expanding it
        active.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in active:
                return cap
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes.get(id(root), 0)


def _children(node: object, yaml: object) -> list[object]:
    if isinstance(node, yaml.MappingNode):
        return [x for pair in node.value for x in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


# Time budget ------------------------------------------------------------------------
class BudgetExceeded(BaseException):
    """Raised by the timer inside ``lint_file``.

    A ``BaseException`` (like ``KeyboardInterrupt``), so the ``except
    Exception`` guards around rules do not swallow it as a rule crash.
    """


def file_timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_FILE_TIMEOUT
    except ValueError:
        return DEFAULT_FILE_TIMEOUT


_armed = threading.local()


def _on_alarm(signum: int, frame: object) -> None:
    if getattr(_armed, "on", False):
        _armed.on = False
        raise BudgetExceeded


@contextmanager
def time_limit(seconds: float) -> Iterator[bool]:
    """Raise :class:`BudgetExceeded` in this block after ``seconds``.

    Only in the main thread of a process with ``setitimer`` (POSIX), and
    only when no one else's interval timer is running (pytest-timeout, an
    embedding application): then the block runs without a budget. Yields
    whether the budget is active.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield False
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _armed.on = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        _armed.on = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
