"""Guards for the LibCST internals the parse and position fast paths use.

``fastparse`` (node validation paused during the parse) and ``positions``
(``_codegen`` fast paths) rely on private LibCST attributes that any release
may rename or change. Each fast path is verified once per process, on first
use: every private attribute it touches must be present and unchanged, and
a probe module must come out exactly as LibCST's own public path makes it.
When anything differs, that fast path is off for the rest of the process and
the public path is used (same findings, only slower); why is kept in
:func:`status` and printed to stderr when ``REGISTRY_LINT_DEBUG`` is set.

LibCST's classes are changed only through :class:`Swaps`: an attribute is
replaced only while it still holds the object recorded at import (else the
swap is refused and nothing is touched), and put back only while it still
holds our replacement, so an attribute LibCST (or anyone else) set is never
overwritten or deleted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

_MISSING: Any = object()

#: feature -> True (fast path verified) / False (public path)
_VERDICTS: dict[str, bool] = {}
#: feature -> why its fast path is off
_REASONS: dict[str, str] = {}


def verified(feature: str, check: Callable[[], str | None]) -> bool:
    """True when ``feature``'s fast path may be used; ``check`` (which returns
    why not, or None) runs once per process. An exception in the check counts
    as a failure, except ``BaseException``s such as the per-file time budget:
    those propagate and the check runs again next time."""
    ok = _VERDICTS.get(feature)
    if ok is None:
        try:
            reason = check()
        except Exception as exc:  # any surprise means "not verified"
            reason = f"probe raised {type(exc).__name__}: {exc}"
        ok = _VERDICTS[feature] = reason is None
        if reason is not None:
            disable(feature, reason)
    return ok


def disable(feature: str, reason: str) -> None:
    """Turn ``feature``'s fast path off for the rest of the process."""
    _VERDICTS[feature] = False
    if feature not in _REASONS:
        _REASONS[feature] = reason
        if os.environ.get("REGISTRY_LINT_DEBUG"):
            sys.stderr.write(f"registry-lint: debug: LibCST {feature} fast path off, using the public path: {reason}\n")


def status() -> dict[str, str]:
    """Each guarded fast path checked so far: ``"fast"`` or ``"public: <why>"``."""
    return {f: "fast" if ok else f"public: {_REASONS.get(f, '?')}" for f, ok in sorted(_VERDICTS.items())}


def forget() -> None:
    """Check again on next use (tests simulate a changed LibCST)."""
    _VERDICTS.clear()
    _REASONS.clear()
    _PROBE_MODULE.clear()


# The probe ----------------------------------------------------------------------
# One small module for both fast paths (it is parsed in every process that
# parses): statements, expressions and strings the native parser builds
# through different constructors; and what the position fast paths treat
# specially: parentheses around a name and around another expression,
# one-token operators, whitespace and comments, indentation, nodes LibCST
# records no syntactic position for (Index, Parameters, Not, CompIf), a
# header and a footer, CRLF, no newline at the end.
PROBE = (
    "# h\r\n"
    "@d(k=f'{a!r:>{w}}' 'b')\r\n"
    "async def f(x: int = -(1), *, y) -> None:  # c\r\n"
    "    if not (x)[b][1:2, ::3]:\r\n"
    "        return [i for i in (y) if i]\r\n"
    "# f\r\n"
    "x = 1"
)
_PROBE_MODULE: list[Any] = []


def probe_module() -> Any:
    """``PROBE`` as LibCST's public ``parse_module`` parses it (once per process)."""
    if not _PROBE_MODULE:
        import libcst as cst

        _PROBE_MODULE.append(cst.parse_module(PROBE))
    return _PROBE_MODULE[0]


# Static checks ------------------------------------------------------------------
def missing_attributes(owner: object, names: Iterable[str]) -> str | None:
    absent = [n for n in names if not hasattr(owner, n)]
    return f"{getattr(owner, '__name__', owner)} has no {', '.join(absent)}" if absent else None


def names_used(func: object, expected: tuple[str, ...]) -> str | None:
    """None when ``func``'s code uses exactly the global/attribute names
    ``expected``: the body a fast path re-implements is unchanged."""
    func = getattr(func, "__wrapped__", func)  # through @contextmanager
    code = getattr(func, "__code__", None)
    if code is None:
        return f"{getattr(func, '__qualname__', func)} is not a Python function"
    if code.co_names != expected:
        return f"{func.__qualname__} changed (uses {code.co_names}, expected {expected})"
    return None


def subclasses(cls: type) -> list[type]:
    """Every subclass of ``cls`` at any depth."""
    found: list[type] = []
    seen = {cls}
    todo = [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                found.append(sub)
                todo.append(sub)
    return found


def overridden(cls: type, name: str) -> str | None:
    """None when no subclass of ``cls`` defines its own ``name``."""
    subs = [sub.__name__ for sub in subclasses(cls) if name in sub.__dict__]
    return f"{', '.join(sorted(subs))} override {cls.__name__}.{name}" if subs else None


# Swaps --------------------------------------------------------------------------
class Swap:
    """One class attribute, replaced for a while.

    ``original`` is what the class's own ``__dict__`` held when this was
    created (``_MISSING`` when it inherited the attribute); ``fallback`` is
    what attribute lookup found then, for the replacement to call for any
    state it does not handle.
    """

    __slots__ = ("cls", "name", "replacement", "original", "fallback")

    def __init__(self, cls: type, name: str, replacement: Any) -> None:
        self.cls = cls
        self.name = name
        self.replacement = replacement
        self.original = cls.__dict__.get(name, _MISSING)
        self.fallback = getattr(cls, name, _MISSING)

    def current(self) -> Any:
        return self.cls.__dict__.get(self.name, _MISSING)

    def install(self) -> bool:
        """Replace; False (and nothing touched) when the attribute is no longer
        the recorded original."""
        current = self.current()
        if current is self.replacement:
            return True  # left installed by an interrupted run: ours
        if current is not self.original:
            return False
        setattr(self.cls, self.name, self.replacement)
        return True

    def remove(self) -> None:
        """Put the original back, only if our replacement is still there."""
        if self.current() is not self.replacement:
            return
        if self.original is _MISSING:
            delattr(self.cls, self.name)  # the entry is our own: the class inherits again
        else:
            setattr(self.cls, self.name, self.original)


class Swaps:
    """Several swaps installed all together or not at all."""

    __slots__ = ("swaps",)

    def __init__(self, swaps: list[Swap]) -> None:
        self.swaps = swaps

    def install(self) -> bool:
        done: list[Swap] = []
        for swap in self.swaps:
            if not swap.install():
                for undo in done:
                    undo.remove()
                return False
            done.append(swap)
        return True

    def remove(self) -> None:
        for swap in self.swaps:
            swap.remove()

    def originals_in_place(self) -> str | None:
        """None when every attribute still holds what was recorded (or ours)."""
        moved = [f"{s.cls.__name__}.{s.name}" for s in self.swaps if s.current() is not s.original and s.current() is not s.replacement]
        return f"{', '.join(moved)} changed since import" if moved else None
