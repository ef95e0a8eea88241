"""End-to-end CLI behaviour through click's CliRunner and one real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint import __version__
from registry_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD_PY = (
    "from tracecat_registry import registry\n\n"
    "@registry.register(description='d')\n"
    "async def act(x: int) -> int:\n    return x\n"
)
GOOD_PY = (
    "from typing import Annotated\nfrom typing_extensions import Doc\n"
    "from tracecat_registry import registry\n\n"
    "@registry.register(default_title='Act', description='Do it', display_group='Acme',\n"
    "                   doc_url='https://acme.example', namespace='tools.acme')\n"
    "async def act(x: Annotated[int, Doc('A number')]) -> int:\n    return x\n"
)


def run(args: list[str], cwd: Path, stdin: str | None = None):
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(GOOD_PY)
    result = run(["check", "a.py"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output


def test_findings_exit_one_with_clickable_locations(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    result = run(["check", "."], tmp_path)
    assert result.exit_code == 1
    assert "a.py:4:11: RL105 " in result.output
    assert "a.py:4:15: RL153 " in result.output


def test_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    assert run(["check", "--exit-zero", "."], tmp_path).exit_code == 0


@pytest.mark.parametrize(
    ("args", "present", "absent"),
    [
        (["--select", "RL105"], {"RL105"}, {"RL153", "RL102"}),
        (["--select", "RL1", "--ignore", "RL105"], {"RL102", "RL153"}, {"RL105"}),
        (["--select", "RL1", "--ignore", "RL15"], {"RL105"}, {"RL153"}),
        (["--ignore", "RL1", "--extend-select", "RL153"], {"RL153"}, {"RL105"}),
        (["--select", "RL105,RL102"], {"RL105", "RL102"}, {"RL153"}),
    ],
)
def test_select_ignore_extend_select(tmp_path: Path, args: list[str], present: set[str], absent: set[str]) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    result = run(["check", "--output-format", "json", *args, "."], tmp_path)
    codes = {d["code"] for d in json.loads(result.output)}
    assert present <= codes and not (absent & codes), codes


def test_opt_in_rule_needs_exact_code(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY.replace("description='d'", "description=make()"))
    codes = lambda args: {d["code"] for d in json.loads(run(["check", "--output-format", "json", *args, "."], tmp_path).output)}
    assert "RL111" not in codes(["--select", "RL1"])
    assert "RL111" in codes(["--select", "RL111"])
    assert "RL111" in codes(["--select", "ALL"])


def test_json_output_has_both_position_conventions(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    data = json.loads(run(["check", "--output-format", "json", "--select", "RL105", "."], tmp_path).output)
    [diag] = data
    assert diag["location"] == {"row": 4, "column": 11}
    assert diag["range"]["start"] == {"line": 3, "character": 10}
    assert diag["severity"] == "warning" and diag["name"] == "missing-namespace"  # it defaults to `core`


def test_statistics(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    out = run(["check", "--statistics", "."], tmp_path).output
    assert "RL105" in out and "missing-namespace" in out


def test_stdin_filename(tmp_path: Path) -> None:
    result = run(["check", "--stdin-filename", "pkg/a.py"], tmp_path, stdin=BAD_PY)
    assert result.exit_code == 1
    assert "pkg/a.py:4:11: RL105" in result.output
    yml = "type: action\ndefinition:\n  name: bad-name\n  namespace: tools.x\n"
    result = run(["check", "--stdin-filename", "t.yml", "--select", "RL110"], tmp_path, stdin=yml)
    assert "t.yml:3:9: RL110" in result.output


def test_config_from_pyproject_and_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.registry-lint]\nignore = ["RL153"]\nper-file-ignores = { "legacy/*.py" = ["RL105"] }\nexclude = ["skip/"]\n'
    )
    for d in ("legacy", "new", "skip"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "a.py").write_text(BAD_PY)
    data = json.loads(run(["check", "--output-format", "json", "."], tmp_path).output)
    found = {(Path(d["filename"]).parts[0], d["code"]) for d in data}
    assert ("new", "RL105") in found
    assert ("legacy", "RL105") not in found
    assert not any(code == "RL153" for _, code in found)
    assert not any(part == "skip" for part, _ in found)
    # Explicitly named excluded files stay excluded (pre-commit passes names).
    assert json.loads(run(["check", "--output-format", "json", "skip/a.py"], tmp_path).output) == []


@pytest.mark.parametrize(
    "config",
    [
        '[tool.registry-lint]\nselect = "RL1"\n',
        '[tool.registry-lint]\nselcet = ["RL1"]\n',
        '[tool.registry-lint]\nselect = ["XX1"]\n',
        '[tool.registry-lint]\nmax-file-size = -1\n',
        '[tool.registry-lint]\nnamespace-pattern = "("\n',
        '[tool.registry-lint\n',
        '[tool.registry-lint]\nextra-oauth-providers = { acme = ["password"] }\n',
    ],
)
def test_invalid_config_is_a_clean_exit_2(tmp_path: Path, config: str) -> None:
    (tmp_path / "pyproject.toml").write_text(config)
    (tmp_path / "a.py").write_text(GOOD_PY)
    result = run(["check", "."], tmp_path)
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output


def test_explicit_config_option(tmp_path: Path) -> None:
    (tmp_path / "lint.toml").write_text('select = ["RL105"]\n')
    (tmp_path / "a.py").write_text(BAD_PY)
    data = json.loads(run(["check", "--config", "lint.toml", "--output-format", "json", "."], tmp_path).output)
    assert {d["code"] for d in data} == {"RL105"}
    assert run(["check", "--config", "missing.toml", "."], tmp_path).exit_code == 2


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(["check", "--select", "nope", "."], tmp_path).exit_code == 2
    assert run(["check", "--output-format", "xml", "."], tmp_path).exit_code == 2
    assert run(["rule", "RL999"], tmp_path).exit_code == 2


def test_rule_and_rules_commands(tmp_path: Path) -> None:
    out = run(["rule", "rl105"], tmp_path).output
    assert "missing-namespace" in out and "## Why is this bad?" in out
    listing = run(["rules"], tmp_path).output
    assert "RL001" in listing and "RL105" in listing
    data = json.loads(run(["rules", "--output-format", "json"], tmp_path).output)
    assert {"code", "name", "severity", "fix", "opt_in"} <= set(data[0])


def test_real_subprocess_on_examples() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "registry_lint", "check", "--no-show-source", "examples/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    lines = [l for l in proc.stdout.splitlines() if ": RL" in l]
    assert lines and all("/acme" in l for l in lines), "the clean exa integration must have no findings"
    assert any("/exa" in p for p in map(str, (ROOT / "examples").rglob("*")))


def test_in_process_check_leaves_the_garbage_collector_alone(tmp_path: Path) -> None:
    # Only the console script (registry_lint.entry) may tune the GC of its own
    # short-lived process; a check run in-process (tests, the language server)
    # must not turn it off or freeze the caller's objects.
    import gc

    (tmp_path / "a.yml").write_text("title: x\n")
    before = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path / "a.yml")])
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == before


def test_console_script_tunes_the_collector_for_a_few_files(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("title: x\n")
    probe = (
        "import gc, sys\n"
        "sys.argv = ['registry-lint', 'check', '--no-cache', 'a.yml']\n"
        "from registry_lint import entry, cli\n"
        "real = cli.main\n"
        "def report(*a, **k):\n"
        "    try:\n        real(*a, **k)\n"
        "    finally:\n        print('GC', gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)\n"
        "cli.main = report\n"
        "entry.main()\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "GC False True" in out.stderr, out.stderr
