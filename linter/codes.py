"""Rule codes and prefixes in options and configuration: validation with
suggestions (``--select RL999`` is an error, never a selection of nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .results import UNREADABLE

CODE_RE = re.compile(r"^(ALL|RL[0-9]{0,3})$")


class ConfigError(ValueError):
    """A user error in configuration or options: exit code 2, no traceback."""


#: Reported whatever the selection (as ruff's E902): naming it in an ignore
#: list is a mistake, not a way to hide unchecked files.
UNIGNORABLE = UNREADABLE


def normalise_codes(values: Iterable[str], option: str, where: str | None = None) -> tuple[str, ...]:
    """Upper-cased codes and prefixes from ``values`` (comma-separated or
    repeated). A code or prefix no rule has is an error, with a suggestion:
    ``--select RL999`` must not pass by checking nothing."""
    out = []
    for raw in values:
        for part in str(raw).split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not CODE_RE.match(code) or not _is_known(code):
                raise ConfigError(_unknown_code(part.strip(), option, where))
            if code == UNIGNORABLE and ("ignore" in option):
                raise ConfigError(
                    f"{where + ': ' if where else ''}{option}: {UNIGNORABLE} cannot be ignored: a file that could not "
                    "be read or linted is always reported (as ruff's E902); exclude the file, or raise max-file-size"
                )
            out.append(code)
    return tuple(out)


_codes = normalise_codes


_SELECTORS: frozenset[str] | None = None


def known_selectors() -> frozenset[str]:
    """Every valid selector: ALL, each rule code and each prefix of one."""
    global _SELECTORS
    if _SELECTORS is None:
        from .rule import load_rules

        codes = load_rules()
        _SELECTORS = frozenset({"ALL", *(code[:i] for code in codes for i in range(2, len(code) + 1))})
    return _SELECTORS


def _is_known(code: str) -> bool:
    return code in known_selectors()


def _unknown_code(given: str, option: str, where: str | None) -> str:
    suggestion = suggest_code(given)
    hint = f" (did you mean {suggestion}?)" if suggestion else ""
    prefix = f"{where}: " if where else ""
    return (
        f"{prefix}{option}: {given!r} is not a rule code or prefix of registry-lint{hint}; "
        "see `registry-lint rules` (e.g. RL304, RL3, ALL)"
    )


def suggest_code(given: str) -> str | None:
    """The code a mistyped selector most likely meant: look-alike letters
    (`RL1O5`), one digit too many (`RL1011`), else the closest code of the
    longest family prefix it starts with (`RL40X` -> RL401)."""
    import difflib

    from .rule import load_rules

    code = given.strip().upper()
    if code.startswith("RL"):
        code = "RL" + code[2:].translate(str.maketrans("OIL", "011"))
    if _is_known(code):
        return code
    if len(code) > 5 and _is_known(code[:5]):
        return code[:5]
    codes = sorted(load_rules())
    for n in range(len(code), 2, -1):
        pool = [c for c in codes if c.startswith(code[:n])]
        if pool:
            break
    else:
        pool, n = codes, 0
    scores = [(difflib.SequenceMatcher(None, code, c).ratio(), -i, c) for i, c in enumerate(pool)]
    score, _, best = max(scores)
    return best if n >= 3 or score >= 0.8 else None
