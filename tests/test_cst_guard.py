"""The LibCST fast paths are verified once per process and fall back to the
public path when LibCST's internals differ; findings never change.

Each scenario simulates a LibCST release that changed something the fast
paths rely on, runs the linter on real-looking registry files (examples/
and every rule's Python examples), and compares the findings with the
public path's under the same change.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import libcst as cst
import pytest
from libcst._nodes.base import CSTNode
from libcst._nodes.internal import CodegenState
from libcst._nodes.op import _BaseOneTokenOp

from registry_lint import run
from registry_lint.config_table import parse_config
from registry_lint.discover import discover
from registry_lint.extract import cstguard, fastparse, fastspans, positions, pyeval
from registry_lint.rule import load_rules
from registry_lint.source import SourceFile

from .helpers import write_files

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_guard() -> Iterator[None]:
    cstguard.forget()
    yield
    cstguard.forget()  # later tests verify against the real LibCST again


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    files: dict[str, str] = {}
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.is_file():
            files[f"examples/{path.relative_to(ROOT / 'examples').as_posix()}"] = path.read_text(encoding="utf-8")
    n = 0
    for cls in load_rules().values():
        for example in (*cls.VALID, *cls.INVALID):
            if example.filename.endswith(".py"):
                n += 1
                files[f"ex{n}/{example.filename}"] = example.text
                files.update({f"ex{n}/{name}": text for name, text in example.files.items()})
    write_files(root, files)
    return root


def findings(root: Path) -> list[tuple[object, ...]]:
    pyeval._SCOPE_CACHE.clear()  # sibling modules parsed by an earlier run
    config = parse_config({}, root=root).with_overrides(extend_select=sorted(load_rules()))
    result = run.check(discover([str(root)], config), config, jobs=1)
    assert not result.internal_errors
    return [(d.location.path, d.location.line, d.location.col, d.location.end_line, d.location.end_col, d.code, d.message) for d in result.diagnostics]


def public(root: Path) -> list[tuple[object, ...]]:
    """The findings with both fast paths off from the start."""
    cstguard.forget()
    cstguard.disable(fastparse.FEATURE, "test")
    cstguard.disable(positions.FEATURE, "test")
    try:
        return findings(root)
    finally:
        cstguard.forget()


def test_this_libcst_passes_the_guard(corpus: Path) -> None:
    # If this fails on a new LibCST, the linter is still right, only slower:
    # update the fast paths (fastparse.py, fastspans.py) to the new internals.
    fast = findings(corpus)
    assert cstguard.status() == {"parse": "fast", "positions": "fast"}
    assert len({f[5] for f in fast}) > 40  # the corpus is real: most rules fire somewhere
    assert fast == public(corpus)


# Simulated LibCST changes ---------------------------------------------------------
def post_init_does_more(mp: pytest.MonkeyPatch) -> None:
    original = CSTNode.__dict__["__post_init__"]

    def post_init(self: CSTNode) -> None:
        original(self)
        _ = self.__class__

    mp.setattr(CSTNode, "__post_init__", post_init)


def validation_normalises(mp: pytest.MonkeyPatch) -> None:
    # __post_init__ unchanged, but validating a Name now rewrites it: a tree
    # built without validation would differ (only the probe can tell).
    def validate(self: cst.Name) -> None:
        if not self.value.endswith("_"):
            object.__setattr__(self, "value", self.value + "_")

    mp.setattr(cst.Name, "_validate", validate)


def internals_moved(mp: pytest.MonkeyPatch) -> None:
    import registry_lint.extract

    mp.delattr(registry_lint.extract, "fastspans", raising=False)
    mp.delitem(sys.modules, "registry_lint.extract.fastspans", raising=False)
    mp.setitem(sys.modules, "libcst._nodes.op", None)  # ImportError on import


def state_gained_a_method(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(CodegenState, "add_whitespace", lambda self, value: self.add_token(value), raising=False)


def op_position_includes_whitespace(mp: pytest.MonkeyPatch) -> None:
    # Same names used as LibCST's own (the static check passes); the
    # operator's recorded position now starts at its leading whitespace.
    def codegen_impl(self: _BaseOneTokenOp, state: CodegenState) -> None:
        self.whitespace_before._codegen(state)
        with state.record_syntactic_position(self, start_node=self.whitespace_before):
            state.add_token(self._get_token())
        self.whitespace_after._codegen(state)

    mp.setattr(_BaseOneTokenOp, "_codegen_impl", codegen_impl)


def swapped_method_replaced(mp: pytest.MonkeyPatch) -> None:
    fallback = cst.Name._codegen

    def theirs(self: cst.Name, state: CodegenState, **kwargs: object) -> None:
        fallback(self, state, **kwargs)

    mp.setattr(cst.Name, "_codegen", theirs)


SCENARIOS: list[tuple[Callable[[pytest.MonkeyPatch], None], str, str]] = [
    (post_init_does_more, "parse", "CSTNode.__post_init__ changed since import"),
    (validation_normalises, "parse", "the probe parses to a different tree without validation"),
    (internals_moved, "positions", "LibCST internals unavailable (ModuleNotFoundError"),
    (state_gained_a_method, "positions", "CodegenState's methods changed: ['add_whitespace']"),
    (op_position_includes_whitespace, "positions", "the fast path gives"),
    (swapped_method_replaced, "positions", "Name._codegen changed since import"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("change", "feature", "reason"), SCENARIOS, ids=[s[0].__name__ for s in SCENARIOS])
def test_changed_libcst_falls_back_with_same_findings(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[pytest.MonkeyPatch], None], feature: str, reason: str
) -> None:
    with monkeypatch.context() as mp:
        change(mp)
        expected = public(corpus)
        got = findings(corpus)
        status = cstguard.status()
    assert status[feature].startswith(f"public: {reason}"), status
    assert got == expected
    for swap in (*fastspans.SWAPS.swaps, *fastparse._SWAPS.swaps):
        assert swap.current() is swap.original  # nothing of ours left behind


def test_the_scenarios_would_change_findings_without_the_guard(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The comparison above has teeth: forcing the fast parse through the
    # changed validation gives other findings than the public path.
    with monkeypatch.context() as mp:
        validation_normalises(mp)
        expected = public(corpus)
        cstguard._VERDICTS[fastparse.FEATURE] = True  # as if never checked
        forced = findings(corpus)
    assert forced != expected


def test_someone_elses_method_is_left_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    swapped_method_replaced(monkeypatch)
    theirs = cst.Name.__dict__["_codegen"]
    module = fastparse.parse_module("x = (a) + b\n")
    index = positions.PositionIndex(module, SourceFile("m.py", module.code, "python"))
    name = module.body[0].body[0].value.right
    assert index.loc(name).col == 11
    assert cst.Name.__dict__["_codegen"] is theirs
    assert cstguard.status()["positions"].startswith("public:")


def test_guard_runs_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = positions._check
    monkeypatch.setattr(positions, "_check", lambda: calls.append("x") or real())
    for text in ("a = 1\n", "b = (2)\n"):
        module = fastparse.parse_module(text)
        positions.PositionIndex(module, SourceFile("m.py", text, "python")).span(module.body[0])
    assert calls == ["x"]


def test_debug_environment_prints_the_reason(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REGISTRY_LINT_DEBUG", "1")
    state_gained_a_method(monkeypatch)
    positions.fast_path_ok()
    err = capsys.readouterr().err
    assert "registry-lint: debug: LibCST positions fast path off, using the public path: CodegenState's methods changed" in err
    monkeypatch.delenv("REGISTRY_LINT_DEBUG")
    cstguard.forget()
    positions.fast_path_ok()
    assert capsys.readouterr().err == ""
