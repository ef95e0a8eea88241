"""Fuzzing the TypeScript side: half-typed agent-native files never crash the
extractor or the engine, and give the same answer twice."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from registry_lint.extract import typescript as tsx
from registry_lint.source import SourceFile

from .test_fuzz import _deterministic, fuzz, mutated

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "agent-native" / "server"
SOURCES = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.ts"))]
NOISE = "(){}[]<>:;,.=?!|&`'\"\\$\n\t /*+-"


@fuzz(120)
@given(mutated(st.sampled_from(SOURCES), NOISE), st.sampled_from(["a.ts", "a.tsx", "a.js"]))
def test_mutated_agent_native_files(text: str, name: str) -> None:
    _deterministic(name, text.encode("utf-8", "surrogatepass"))


@fuzz(60)
@given(mutated(st.sampled_from(SOURCES), NOISE + "é😀\x00"))
def test_extractor_directly(text: str) -> None:
    """The extractor itself, without the engine's guards around it."""
    src = SourceFile("a.ts", text, "typescript")
    parsed = tsx.extract(src, tsx.parse_tree(src), "app")
    for loc in [r.location for r in parsed.model.registrations] + [r.location for r in parsed.model.reads]:
        assert 1 <= loc.line <= text.count("\n") + 1
