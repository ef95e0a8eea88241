"""Credential rules (RL5xx) in TypeScript/JavaScript context."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from registry_lint.digest import sha256

from .helpers import lint_files

_DRAWS = itertools.count(1)


def fake(n: int = 32) -> str:
    """A credential-shaped hex string built at run time (no literal secret in this file)."""
    return sha256(b"tscontext-%d" % next(_DRAWS)).hexdigest()[:n]


S = [fake() for _ in range(12)]
CODE = f'''const apiKey = "{S[0]}";
const cfg = {{ clientSecret: "{S[1]}", "x-api-key": '{S[2]}', url: "https://x.example" }};
function make(token = "{S[3]}") {{ return token; }}
const g = ({{ accessToken = `{S[4]}` }}: Opts) => accessToken;
const k = process.env.OPENAI_API_KEY ?? "{S[5]}";
const k2 = process.env["ACME_TOKEN"] || `{S[6]}`;
const k3 = config.apiKey ?? "{S[7]}";
export class Client {{ private authToken = "{S[8]}"; }}
headers.set("Authorization", "Bearer {S[9]}");
'''
EXPECTED = [
    (1, 17, "RL502"), (2, 30, "RL502"), (2, 79, "RL502"), (3, 24, "RL505"), (4, 29, "RL505"),
    (5, 42, "RL505"), (6, 42, "RL505"), (7, 30, "RL505"), (8, 44, "RL502"), (9, 38, "RL502"),
]
PLACEHOLDERS = '''const apiKey = "<OPENAI_API_KEY>";
const token = "${keys.SLACK_TOKEN}";
const headers = { Authorization: `Bearer ${token}` };
const secret = process.env.APP_SECRET ?? "";
function f(apiKey = "your-api-key-here") { return apiKey; }
const password = process.env.DB_PASSWORD || "<DB_PASSWORD>";
'''
AGENT_NATIVE = 'import { readAppSecret } from "@agent-native/core/secrets";\n'


def found(tmp_path: Path, files: dict[str, str]) -> list[tuple[int, int, str]]:
    return [(d.location.line, d.location.col, d.code) for d in lint_files(tmp_path, files, select=["RL5"])]


@pytest.mark.parametrize("name", ["a.ts", "a.tsx", "a.js", "a.mjs"])
def test_typescript_context(tmp_path: Path, name: str) -> None:
    assert found(tmp_path, {name: CODE}) == EXPECTED


def test_parsed_and_unparsed_files_give_the_same_findings(tmp_path: Path) -> None:
    # An agent-native file (parsed by tree-sitter in a full run) gets the same
    # context as any other TypeScript file and as an RL5-only run.
    shifted = [(line + 1, col, code) for line, col, code in EXPECTED]
    full = [(d.location.line, d.location.col, d.code) for d in lint_files(tmp_path / "a", {"x.ts": AGENT_NATIVE + CODE}) if d.code.startswith("RL5")]
    assert full == shifted
    assert found(tmp_path / "b", {"x.ts": AGENT_NATIVE + CODE}) == shifted


def test_placeholders_are_never_reported(tmp_path: Path) -> None:
    assert found(tmp_path, {"a.ts": PLACEHOLDERS}) == []


def test_fallback_message_names_the_expression(tmp_path: Path) -> None:
    (diag,) = lint_files(tmp_path, {"a.ts": f'const k = process.env.OPENAI_API_KEY ?? "{S[10]}";\n'}, select=["RL505"])
    assert "default of `process.env.OPENAI_API_KEY`" in diag.message
    assert S[10] not in diag.message and S[10][:8] not in diag.message
