"""``budget.check_python``'s scan gives exactly what the plain scan it
replaced gives (the reference below is that scan, verbatim): same refusal,
code, message and position, on real code, hostile inputs and random token soup."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from registry_lint import budget
from registry_lint.budget import (
    _WORK_FREE_DEPTH,
    _WORK_WEIGHT,
    MAX_PY_BRACKET_DEPTH,
    MAX_PY_ELIF,
    MAX_PY_EXPR_DEPTH,
    MAX_PY_NESTING_WORK,
    Refusal,
    _line_col,
)

from .hostile_inputs import CASES

ROOT = Path(__file__).resolve().parent.parent


# Reference: the scan before the in-regex skip (commit 8bc8cd1) ------------------------
_REF_PY_TOKENS = re.compile(
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
    """,
    re.VERBOSE,
)
# String bodies: alternatives are disjoint, so each match is one linear pass.
_REF_STRING_END = {
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.DOTALL),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\r\n]|\\(?:\r\n|.))*'", re.DOTALL),
    '"': re.compile(r'(?:[^"\\\r\n]|\\(?:\r\n|.))*"', re.DOTALL),
}
_REF_LINE_END = re.compile(r"[\r\n]")
_REF_NEWLINES = ("\n", "\r", "\r\n")
#: ``elif`` clauses nest in LibCST (each is the ``orelse`` of the previous
#: ``If``); 20k crash it. Counted per file, not per chain: simple and unbreakable.
MAX_PY_ELIF = 2000
# Substrings of every keyword the scan counts (an upper bound for the cheap exit).
_REF_NESTING_WORDS = ("not", "and", "or", "if", "else", "await", "lambda")


def reference_check_python(text: str) -> Refusal | None:
    """Refuse Python too deeply nested for LibCST to parse safely; linear time.

    A token scan (strings and comments skipped) that tracks, per open
    bracket, the length of the current operator/trailer chain; the sum over
    open brackets approximates the depth of LibCST's tree. Separators (``,``
    ``;`` ``=`` end of line) end a chain, except inside ``lambda``
    parameters, whose defaults nest.
    """
    # Cheap exit: fewer nesting tokens than the smallest limit cannot exceed it.
    nesting = sum(text.count(c) for c in "([{.-+*/%@&|^~") + sum(text.count(w) for w in _REF_NESTING_WORDS)
    if nesting < MAX_PY_BRACKET_DEPTH and text.count("elif") < MAX_PY_ELIF:
        return None
    stack: list[int] = [0]  # chain length per open bracket level
    lambdas: list[int] = [0]  # lambdas whose ``:`` is pending, per level
    depth_sum = elifs = work = 0
    pos, end = 0, len(text)
    search = _REF_PY_TOKENS.search
    while pos < end:
        m = search(text, pos)
        if m is None:
            break
        kind = m.lastgroup
        pos = m.end()
        braces = 0
        if kind == "string":
            token = m.group()
            quote = token.lstrip("rRbBuUfFtT")
            body = _REF_STRING_END[quote].match(text, pos)
            if body is not None:
                prefix = token[: len(token) - len(quote)].lower()
                if "f" in prefix or "t" in prefix:
                    # f-string replacement fields nest (arbitrarily since 3.12).
                    braces = body.group().count("{") - 2 * body.group().count("{{")
                    stack[-1] += braces
                    depth_sum += braces
                pos = body.end()
            elif len(quote) == 3:
                break  # unterminated triple quote: the rest is string (and a syntax error)
            else:
                nl = _REF_LINE_END.search(text, pos)
                pos = nl.start() if nl else end
        elif kind == "open":
            stack[-1] += 1
            depth_sum += 1
            stack.append(0)
            lambdas.append(0)
            if len(stack) - 1 > MAX_PY_BRACKET_DEPTH:
                line, col = _line_col(text, m.start())
                return Refusal("RL001", "too many nested parentheses", line, col)
        elif kind == "close":
            if len(stack) > 1:
                depth_sum -= stack.pop()
                lambdas.pop()
        elif kind == "reset":
            at_top = len(stack) == 1
            if lambdas[-1] == 0 and (at_top or m.group() not in _REF_NEWLINES):
                depth_sum -= stack[-1]
                stack[-1] = 0
            if at_top and m.group() in _REF_NEWLINES:
                lambdas[-1] = 0
        elif kind == "colon":
            if lambdas[-1]:
                lambdas[-1] -= 1
        elif kind == "kw":
            if m.group() == "elif":
                elifs += 1
                if elifs > MAX_PY_ELIF:
                    line, col = _line_col(text, m.start())
                    return Refusal("RL003", f"More than {MAX_PY_ELIF} `elif` clauses; not linted", line, col)
                continue
            lambdas[-1] += 1
            stack[-1] += 1
            depth_sum += 1
        elif kind == "op":
            stack[-1] += 1
            depth_sum += 1
        if depth_sum > _WORK_FREE_DEPTH:
            if depth_sum > MAX_PY_EXPR_DEPTH:
                line, col = _line_col(text, m.start())
                return Refusal(
                    "RL003",
                    f"Expression nested more than {MAX_PY_EXPR_DEPTH} levels deep; not linted",
                    line,
                    col,
                )
            weight = 0 if kind == "string" and braces <= 0 else _WORK_WEIGHT.get(kind, 0)
            if weight:
                work += (depth_sum - _WORK_FREE_DEPTH) * weight
                if work > MAX_PY_NESTING_WORK:
                    line, col = _line_col(text, m.start())
                    return Refusal("RL003", "Too many deeply nested expressions to lint in time; not linted", line, col)
    return None


# Inputs -------------------------------------------------------------------------------
FRAGMENTS = [
    "a", "x1", "base64.b64", "_", "é", "noté", "if", "elif", "else", "not", "and", "or", "await", "lambda",
    "lambda x", "orx", "if1", "(", ")", "[", "]", "{", "}", "(" * 30, ")" * 30, "[" * 25, ".", "...", "1.e5",
    "0x1f", "1_000", "+", "-", "->", "**", "//", "<<", ">>", "<<=", ">>=", "<", ">", "<=", ">=", "!=", "==", "=",
    "+=", ":", ",", ";", "~", "@", "|", "&", "^", "%", " ", "  ", "\t", "\f", "!", "$", "?", "`", "\n", "\r\n",
    "\r", "\\\n", "# c(((\n", "'s'", '"d"', "'''t\n'''", '"""u"""', "r'\\'", "b'x'", "f'{a}'", "f'{{x}}'",
    'rf"{a}{b}"', "F'{x:{y}}'", "t'{z}'", "xr'q'", "abrf'{a}'", "'unterminated\n", '"""open', "'", '"', "'''",
    "f'{", "}'", "\x00", "😀", "a.b.c.d.e.f.g.h", "x[0][1](2)", "-~+-~+-~", "not not not", "(lambda: (lambda y=(",
    "'a\\'b'", '"\\\\"', "'\\\r\n'", "éif(", "ér'x'", "é not", "\u2028", "\x85",
]


def _soup(rng: random.Random) -> str:
    n = rng.choice([5, 20, 100, 400, 2000])
    if rng.random() < 0.4:
        # Deep: the limits are where two scans could part.
        depth = rng.choice([19, 20, 21, 199, 200, 201, 399, 400, 401, 450])
        unit = rng.choice(["(", "[", "{", "a.", "-", "not ", "lambda: ", "f'{", "x(", "a + ", "(a, ", "[\n"])
        return rng.choice(["", "x = ", "if "]) + unit * depth + "".join(rng.choice(FRAGMENTS) for _ in range(n))
    return "".join(rng.choice(FRAGMENTS) for _ in range(n))


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "linter").rglob("*.py"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").rglob("*.py"))]
    texts += [case.content.decode("utf-8", "replace") for case in CASES if case.filename.endswith(".py")]
    return texts


TEXTS = _texts()


@pytest.mark.parametrize("index", range(len(TEXTS)))
def test_same_as_reference_on_files_and_hostile_inputs(index: int) -> None:
    text = TEXTS[index]
    assert budget.check_python(text) == reference_check_python(text)


@pytest.mark.parametrize("seed", range(40))
def test_same_as_reference_on_token_soup(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        text = _soup(rng)
        expected = reference_check_python(text)
        assert budget.check_python(text) == expected, repr(text[:200])


@pytest.mark.slow
def test_soup_reaches_every_refusal() -> None:
    # The random inputs above do exercise each limit.
    codes = set()
    for seed in range(40):
        rng = random.Random(seed)
        for _ in range(60):
            found = reference_check_python(_soup(rng))
            if found is not None:
                codes.add(found.message.split(" ")[0])
    assert {"too", "Expression", "Too"} <= codes


def test_many_deep_lines_refused_the_same_way() -> None:
    text = ("x = " + "[" * 150 + "]" * 150 + "\n") * 400
    expected = reference_check_python(text)
    assert expected is not None and budget.check_python(text) == expected
