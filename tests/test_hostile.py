"""Hostile inputs become RL001/RL002/RL003 or silent skips: never a traceback,
exit code 2 or a hang, and every other file is still linted.

Contents live in ``tests/hostile_inputs.py``; file-system oddities (FIFOs,
symlink loops, devices, unreadable, vanishing files, strange names) are in
``test_hostile_fs.py``, the time budget in ``test_budget.py``. Inputs that
would crash a native parser without the pre-checks run in a subprocess, so a
regression fails one test instead of the session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint import run
from registry_lint.cli import main
from registry_lint.config_table import parse_config
from registry_lint.discover import discover
from registry_lint.report import FORMATS

from .hostile_inputs import CASES, SAME_KEY_ACTIONS, Case, same_key_actions

pytestmark = pytest.mark.slow  # robustness: seconds per test (run with --run-slow)

FILE_CODES = frozenset({"RL001", "RL002", "RL003"})
SENTINEL_YML = """\
type: action
definition:
  name: sentinel
  namespace: tools.sentinel
  title: Sentinel
  display_group: Sentinel
  doc_url: https://example.com/docs
  expects: {}
  steps:
    - ref: a
      action: core.http_request
      args: {url: https://example.com}
  returns: ${{ steps.a.result }}
"""
SENTINEL_PY = """\
from tracecat_registry import registry


@registry.register(
    default_title="Sentinel",
    display_group="Sentinel",
    doc_url="https://example.com/docs",
    namespace="tools.sentinel",
)
async def sentinel_py() -> str:
    return "ok"
"""
#: The sentinels' one finding each: RL101 (no description).
SENTINELS = {"sentinel.yml": ("RL101", 3), "sentinel_mod.py": ("RL101", 10)}
#: Wall-clock bound per case; the slowest legitimate case takes ~3 s.
MAX_SECONDS = 60.0


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sentinel.yml").write_text(SENTINEL_YML, encoding="utf-8")
    (root / "sentinel_mod.py").write_text(SENTINEL_PY, encoding="utf-8")
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


_WORKER = r"""
import json, sys
from registry_lint import run
from registry_lint.config_table import parse_config
from registry_lint.discover import discover
from registry_lint.paths import relpath
from pathlib import Path

root = Path(sys.argv[1])
cfg = parse_config({}, root=root)
res = run.check(discover([str(root)], cfg), cfg)
print(json.dumps({
    "internal": res.internal_errors,
    "diags": [[relpath(d.location.path, str(root)), d.code, d.location.line, d.message] for d in res.diagnostics],
}))
"""


def _lint_tree(root: Path, *, subprocess_run: bool = False) -> tuple[list[str], list[tuple[str, str, int, str]]]:
    """(internal errors, [(relpath, code, line, message)]) of linting ``root``."""
    if subprocess_run:
        proc = subprocess.run(
            [sys.executable, "-c", _WORKER, str(root)], capture_output=True, text=True, timeout=300, cwd=root
        )
        assert proc.returncode == 0, f"worker died with {proc.returncode}: {proc.stderr[-2000:]}"
        out = json.loads(proc.stdout)
        return out["internal"], [tuple(d) for d in out["diags"]]
    cfg = parse_config({}, root=root)
    res = run.check(discover([str(root)], cfg), cfg)
    rel = lambda p: Path(os.path.relpath(os.path.abspath(p), root)).as_posix()
    return res.internal_errors, [(rel(d.location.path), d.code, d.location.line, d.message) for d in res.diagnostics]


def _assert_sentinels(diags: list[tuple[str, str, int, str]]) -> None:
    for name, (code, line) in SENTINELS.items():
        assert (name, code, line) in {(p, c, ln) for p, c, ln, _ in diags}, f"{name} was not linted: {diags[:10]}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file(case: Case, tmp_path: Path) -> None:
    root = _tree(tmp_path / "tree", {case.filename: case.content})
    started = time.monotonic()
    internal, diags = _lint_tree(root, subprocess_run=case.native)
    elapsed = time.monotonic() - started
    assert internal == [], internal
    got = {code for path, code, _, _ in diags if path == case.filename}
    assert case.expect <= got, f"expected {sorted(case.expect)}, got {sorted(got)}"
    assert (got & FILE_CODES) <= case.expect, f"unexpected file-level codes {sorted(got & FILE_CODES - case.expect)}"
    if case.silent:
        assert got == set()
    _assert_sentinels(diags)
    assert elapsed < MAX_SECONDS


#: Bytes of output per RL109 finding, per format: linear in the number of
#: duplicates (each lists at most 5 others), never quadratic.
PER_FINDING_BYTES = {"text": 200, "json": 3_000, "sarif": 4_000, "github": 250, "gitlab": 1_000, "junit": 400}


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_linear_in_same_key_actions(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1000 actions of one key: 1000 RL109 findings, each listing 5 others
    ("and 994 more"), not 999 (41 MB of text, 480 MB of JSON)."""
    (tmp_path / "a.py").write_bytes(same_key_actions())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--select", "RL109", "--output-format", fmt, "a.py"])
    assert result.exit_code == 1, result.output[-2000:]
    assert result.output.count("RL109") >= SAME_KEY_ACTIONS
    assert len(result.output) <= PER_FINDING_BYTES[fmt] * SAME_KEY_ACTIONS, len(result.output)
    if fmt == "json":
        data = json.loads(result.output)
        assert {len(d["related"]) for d in data} == {5}
        assert all("and 994 more:" in d["message"] for d in data)


def test_same_key_actions_through_the_console_script(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(same_key_actions())
    exe = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"
    proc = subprocess.run(
        [exe, "check", "--no-cache", "--output-format", "json", "a.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    dups = [d for d in json.loads(proc.stdout) if d["code"] == "RL109"]
    assert len(dups) == SAME_KEY_ACTIONS and all(len(d["related"]) == 5 for d in dups)
    assert len(proc.stdout) <= PER_FINDING_BYTES["json"] * SAME_KEY_ACTIONS


def test_refusals_point_at_the_problem(tmp_path: Path) -> None:
    """A refused file's diagnostic names a position near the offending nesting."""
    body = "x = 1\n" * 5 + "y = " + "(" * 300 + ")" * 300 + "\n"
    internal, diags = _lint_tree(_tree(tmp_path, {"deep.py": ("from tracecat_registry import registry\n" + body).encode()}))
    assert not internal
    [(_, code, line, message)] = [d for d in diags if d[0] == "deep.py"]
    assert (code, line) == ("RL001", 7) and "too many nested parentheses" in message


# One tree with everything, through the CLI: exit code, formats, real process. --------
def _all_cases_tree(root: Path, *, native: bool) -> Path:
    files = {}
    for case in CASES:
        if case.native and not native:
            continue
        stem, _, ext = case.filename.rpartition(".")
        files[f"{case.id}.{ext}"] = case.content
    return _tree(root, files)


@pytest.fixture(scope="module")
def all_cases_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _all_cases_tree(tmp_path_factory.mktemp("hostile-all"), native=False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_survives_all_cases_in_one_tree(fmt: str, all_cases_tree: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", fmt, str(all_cases_tree)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output[-2000:]
    assert "Traceback" not in result.output
    assert "sentinel" in result.output


@pytest.mark.parametrize(
    "args",
    [["--select", "ALL", "--statistics"], ["--diff", "--unsafe-fixes"], ["--fix", "--unsafe-fixes"], ["--show-source"],
     ["--write-baseline", "{tmp}/baseline.json"], ["--jobs", "2"]],
    ids=["all-rules-statistics", "diff", "fix", "show-source", "write-baseline", "pool"],
)
def test_cli_modes_survive_all_cases(args: list[str], tmp_path: Path) -> None:
    root = _all_cases_tree(tmp_path / "tree", native=False)  # a fresh copy: --fix writes
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(main, ["check", "--no-cache", *args, str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output[-2000:]
    assert "Traceback" not in result.output


def test_resolve_survives_all_cases(tmp_path: Path) -> None:
    root = _all_cases_tree(tmp_path / "tree", native=False)
    (tmp_path / "inventory.yml").write_text("secrets: {}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["resolve", str(root), "--inventory", str(tmp_path / "inventory.yml")])
    assert result.exit_code in (0, 1), (result.output[-2000:], result.exception)


def test_real_process_with_pool_and_cache_over_everything(tmp_path: Path) -> None:
    """The console script, as pre-commit runs it: cache on, two workers, native crashers included."""
    root = _all_cases_tree(tmp_path / "tree", native=True)
    exe = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"
    for _ in range(2):  # cold, then from the cache
        proc = subprocess.run(
            [exe, "check", "--jobs", "2", "--output-format", "json", "."],
            cwd=root, capture_output=True, text=True, timeout=600,
        )
        assert proc.returncode == 1, proc.stderr[-3000:]
        assert "Traceback" not in proc.stderr
        found = {(Path(d["filename"]).name if "filename" in d else "", d["code"]) for d in json.loads(proc.stdout)}
        assert ("sentinel.yml", "RL101") in found and ("sentinel_mod.py", "RL101") in found, sorted(found)[:20]



def test_compiling_linted_code_prints_no_warnings(tmp_path: Path) -> None:
    """The syntax-error path compiles the file to an AST: its warnings (invalid
    escapes, ...) are about the linted code and must not reach stderr."""
    (tmp_path / "w.py").write_text('from tracecat_registry import registry\nx = "\\."\ny = (\n', encoding="utf-8")
    exe = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"
    env = {**os.environ, "PYTHONWARNINGS": "always"}
    proc = subprocess.run([exe, "check", "--no-cache", "w.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "RL001" in proc.stdout
    assert proc.stderr == ""


@pytest.mark.parametrize(
    ("pyproject", "exit_code"),
    [
        ("[tool.registry-lint]\nselect = " + "[" * 3000 + "]" * 3000 + "\n", 2),  # ours and broken: a config error
        ('x = "\\u0041"\na = ' + "[" * 3000 + "]" * 3000 + "\n", 1),  # someone else's, unparsable: ignored
        ("[tool.registry-lint\n", 2),
        ("a = [\n", 1),
    ],
    ids=["deep-ours", "deep-foreign", "broken-ours", "broken-foreign"],
)
def test_hostile_pyproject_is_a_clean_config_error_or_ignored(pyproject: str, exit_code: int, tmp_path: Path) -> None:
    """tomllib recurses: a deeply nested pyproject.toml must not escape as a traceback."""
    root = _tree(tmp_path, {"pyproject.toml": pyproject.encode()})
    result = CliRunner().invoke(main, ["check", "--no-cache", str(root)])
    assert result.exit_code == exit_code, result.output[-1500:]
    assert not isinstance(result.exception, RecursionError)
    if exit_code == 2:
        assert "registry-lint: error:" in result.output


def test_libyaml_own_nesting_limit_is_rl003_not_rl002(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A libyaml whose own depth limit is below ours (PyYAML 6.0.4 stops at 1000) still gives RL003."""
    import yaml

    from registry_lint import budget

    monkeypatch.setattr(budget, "MAX_YAML_DEPTH", 10**9)  # the pre-check never decides

    def too_deep(*args: object, **kwargs: object) -> None:
        mark = yaml.Mark("<unicode string>", 0, 0, 7, None, None)
        raise yaml.scanner.ScannerError("while increasing flow level", mark, "exceeded maximum nesting depth", mark)

    monkeypatch.setattr(yaml, "compose", too_deep)
    monkeypatch.setattr(yaml, "parse", too_deep)
    (tmp_path / "t.yml").write_text("a: [[[]]]\n")
    result = run.check([str(tmp_path / "t.yml")], parse_config({}, root=tmp_path))
    assert [(d.code, d.location.line, d.location.col) for d in result.diagnostics] == [("RL003", 1, 8)]
