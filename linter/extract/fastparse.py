"""The one LibCST parse of a linted module, with per-node validation paused.

LibCST validates every node in ``CSTNode.__post_init__`` (~15% of a parse,
267k calls on the Tracecat registry). The checks guard hand-built trees
(balanced parentheses, required whitespace, ...); the native parser emits
only trees of source it accepted, which hold them by construction. (The one
known disagreement, LibCST #1061 `() if 0 else(lambda:())`, is a TypeError
inside `_validate` on valid Python: skipping it lets the file be linted.)

``__post_init__`` is LibCST's, not public API: :mod:`.cstguard` verifies on
first use that it still only calls ``self._validate()`` and that a probe
parses to the same tree with and without it; otherwise every parse is the
plain ``cst.parse_module`` (tests/test_cst_guard.py).
"""

from __future__ import annotations

import dataclasses
import gc

import libcst as cst

from . import cstguard

FEATURE = "parse"


def _no_validation(self: cst.CSTNode) -> None:
    return None


_SWAPS = cstguard.Swaps([cstguard.Swap(cst.CSTNode, "__post_init__", _no_validation)])


def static_check() -> str | None:
    """``__post_init__`` is still LibCST's, and does nothing but validate."""
    original = cst.CSTNode.__dict__.get("__post_init__")
    if original is None:
        return "CSTNode defines no __post_init__"
    return _SWAPS.originals_in_place() or cstguard.names_used(original, ("_validate",))


def probe() -> str | None:
    """The probe parses to the same tree with and without validation, and
    hand-built nodes are validated afterwards."""
    if not _same(_parse(cstguard.PROBE), cstguard.probe_module()):
        return "the probe parses to a different tree without validation"
    try:
        cst.Name("x", lpar=[cst.LeftParen()])  # unbalanced: must still be refused
    except cst.CSTValidationError:
        return None
    return "hand-built nodes are not validated after a parse"


def _check() -> str | None:
    return static_check() or probe()


def _same(a: object, b: object) -> bool:
    """``deep_equals`` with exact types: its ``isinstance`` checks against
    ABCs cost a one-file run ~1.5 ms the first time."""
    if type(a) is not type(b):
        return False
    if hasattr(type(a), "__dataclass_fields__"):  # a node (isinstance on the CSTNode ABC is slow cold)
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a) if f.compare)
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(map(_same, a, b))
    return a == b


def _parse(text: str) -> cst.Module:
    if not _SWAPS.install():
        cstguard.disable(FEATURE, "CSTNode.__post_init__ was replaced by someone else")
        return cst.parse_module(text)
    try:
        return cst.parse_module(text)
    finally:
        _SWAPS.remove()


def parse_module(text: str) -> cst.Module:
    """``cst.parse_module``, without per-node validation once verified; raises
    ``ParserSyntaxError``.

    Validation is paused only for the duration of the native parse, so nodes
    built anywhere else (fixes, tests) are still validated. A swap left
    installed by an interrupted parse (the per-file SIGALRM budget can fire
    anywhere) is recognised as ours and removed by the next one. Cyclic GC
    is paused for the parse too (and left as it was found). Not for use
    while another thread builds nodes (the linter parses in one thread per
    process).
    """
    # The parse allocates ~4k nodes per 100 lines and frees none: cyclic GC
    # passes during it only re-traverse the growing tree (~10% of the parse).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if cstguard.verified(FEATURE, _check):
            return _parse(text)
        return cst.parse_module(text)
    finally:
        if collecting:
            gc.enable()
