"""Mistakes are errors, never a clean pass (issue 13, item 3).

An unknown rule code anywhere, a path that does not exist and an internal
error exit 2 and never print "All checks passed!"; a file that could not be
read is reported whatever the selection (RL003, like ruff's E902).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from registry_lint.report import FORMATS

from .workflow_fixture import runner

EXE = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"
BAD_PY = (
    "from tracecat_registry import registry\n\n"
    "@registry.register(description='d')\n"
    "async def act(x: int) -> int:\n    return x\n"
)


def token() -> str:
    rng = random.Random(13)
    return "gh" + "p_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    from registry_lint.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = runner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def console(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env={**environ, **env}, check=False)


# Unknown codes ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "given", "suggestion"),
    [
        (["--select", "RL999"], "RL999", None),
        (["--select", "RL1O5"], "RL1O5", "RL105"),
        (["--extend-select", "RL1011"], "RL1011", "RL101"),
        (["--ignore", "RL9"], "RL9", None),
        (["--select", "RL105,RL40X"], "RL40X", "RL401"),
        (["--ignore", "rl1050"], "rl1050", "RL105"),
    ],
)
def test_unknown_code_on_the_command_line_is_an_error(args: list[str], given: str, suggestion: str | None, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    code, out, err = run(["check", *args, "a.py"], tmp_path)
    assert code == 2, (out, err)
    assert "All checks passed" not in out and out == ""
    assert f"'{given}' is not a rule code or prefix" in err and args[0] in err
    if suggestion:
        assert f"did you mean {suggestion}?" in err


def test_known_prefixes_and_all_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    for selector in ("RL", "RL1", "RL10", "RL105", "ALL", "rl1"):
        code, out, err = run(["check", "--select", selector, "a.py"], tmp_path)
        assert code == 1, (selector, err)


@pytest.mark.parametrize(
    ("table", "option"),
    [
        ('select = ["RL1", "RL777"]', "select"),
        ('extend-select = ["RL4044"]', "extend-select"),
        ('ignore = ["RL60"]', None),  # a real prefix: fine
        ('ignore = ["RL66"]', "ignore"),
        ('per-file-ignores = { "legacy/*.py" = ["RL105", "RL15X"] }', 'per-file-ignores.legacy/*.py'),
    ],
)
def test_unknown_code_in_config_names_the_file(table: str, option: str | None, tmp_path: Path) -> None:
    sub = tmp_path / "proj"
    sub.mkdir()
    (sub / "pyproject.toml").write_text(f"[tool.registry-lint]\n{table}\n")
    (sub / "a.py").write_text(BAD_PY)
    code, out, err = run(["check", "proj/a.py"], tmp_path)
    if option is None:
        assert code == 1, err
        return
    assert code == 2 and "All checks passed" not in out
    assert f"proj{os.sep}pyproject.toml: {option}:" in err or f"proj/pyproject.toml: {option}:" in err, err


def test_unknown_code_in_a_nested_config_is_an_error_too(tmp_path: Path) -> None:
    """A configuration found while walking (not the first path's) is checked as well."""
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.py").write_text(BAD_PY)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "registry-lint.toml").write_text('select = ["RL5O1"]\n')
    (tmp_path / "broken" / "b.py").write_text(BAD_PY)
    proc = console(["check", "--no-cache", "."], tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "registry-lint.toml: select: 'RL5O1'" in proc.stderr and "did you mean RL501?" in proc.stderr


# Paths that do not exist --------------------------------------------------------------
def test_missing_path_is_an_error_and_the_rest_is_still_linted(tmp_path: Path) -> None:
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "a.py").write_text(BAD_PY)
    proc = console(["check", "--no-cache", "--select", "RL5", "registy/"], tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Failed to lint registy/: No such file or directory" in proc.stderr
    assert "All checks passed" not in proc.stdout
    proc = console(["check", "--no-cache", "registry/a.py", "gone.py"], tmp_path)
    assert proc.returncode == 2
    assert "registry/a.py:4:11: RL105" in proc.stdout and "Failed to lint gone.py" in proc.stderr
    for fmt in FORMATS:
        code, out, err = run(["check", "--output-format", fmt, "--no-cache", "nope.py"], tmp_path)
        assert code == 2 and "All checks passed" not in out and "Failed to lint nope.py" in err, fmt


# Internal errors ----------------------------------------------------------------------
def _break_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    from registry_lint.extract import python as pyx

    def boom(*args: object, **kwargs: object) -> object:
        raise AttributeError("'Module' object has no attribute '_private_thing'")  # a changed LibCST, say

    monkeypatch.setattr(pyx, "parse_python", boom)


@pytest.mark.parametrize("extra", [[], ["--statistics"], ["--show-source"], ["--exit-zero"]], ids=["plain", "statistics", "source", "exit-zero"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_internal_error_exits_2_in_every_format(fmt: str, extra: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "good.py").write_text(BAD_PY.replace("description='d'", "description='d', namespace='tools.a', default_title='T', display_group='G', doc_url='https://x.example'").replace("x: int", "x"))
    _break_libcst(monkeypatch)
    code, out, err = run(["check", "--no-cache", "--select", "RL105", "--output-format", fmt, *extra, "good.py"], tmp_path)
    assert code == 2, (out, err)
    assert "All checks passed" not in out
    assert "internal error AttributeError" in err and "please report this bug" in err
    if fmt == "text":
        assert "the check is incomplete: 1 error" in out
    if fmt == "sarif":
        assert json.loads(out)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_internal_error_exits_2_in_a_real_process(tmp_path: Path) -> None:
    """The console script's own entry point, with LibCST's parse failing."""
    (tmp_path / "a.py").write_text(BAD_PY)
    probe = (
        "import sys\n"
        "from registry_lint.extract import python as pyx\n"
        "def boom(*a, **k):\n    raise AttributeError('changed LibCST')\n"
        "pyx.parse_python = boom\n"
        "from registry_lint.entry import main\n"
        "sys.argv = ['registry-lint', 'check', '--no-cache', 'a.py']\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "All checks passed" not in proc.stdout and "please report this bug" in proc.stderr


def test_a_rule_too_deep_for_its_recursion_is_reported_not_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from registry_lint.rule import get_rule

    cls = get_rule("RL105")
    assert cls is not None

    def deep(self: object, *args: object) -> object:
        raise RecursionError

    monkeypatch.setattr(cls, "check_action", deep)
    (tmp_path / "a.py").write_text(BAD_PY)
    code, out, _ = run(["check", "--no-cache", "--select", "RL105", "a.py"], tmp_path)
    assert code == 1 and "RL003" in out and "RL105 not checked" in out


# Unreadable files whatever the selection -----------------------------------------------
def _latin1_env(root: Path) -> Path:
    path = root / ".env"
    path.write_bytes(f"# caf\xe9\nGITHUB_TOKEN={token()}\n".encode("latin-1"))
    return path


def test_unreadable_file_is_reported_whatever_the_selection(tmp_path: Path) -> None:
    """The credentials hook (`--select RL5`) used to pass a Latin-1 .env holding a token."""
    _latin1_env(tmp_path)
    for args in (["--select", "RL5"], ["--select", "RL109"], ["--ignore", "RL0"], []):
        proc = console(["check", "--no-cache", *args, ".env"], tmp_path)
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        assert ".env:1:1: RL003 File is not valid UTF-8" in proc.stdout, proc.stdout
        assert token() not in proc.stdout + proc.stderr


@pytest.mark.parametrize("kind", ["too-large", "permission-denied"])
def test_too_large_and_unreadable_files_are_reported_whatever_the_selection(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.env"
    path.write_text(f"GITHUB_TOKEN={token()}\n" + "# padding\n" * 50, encoding="utf-8")
    if kind == "too-large":
        (tmp_path / "registry-lint.toml").write_text("max-file-size = 100\n", encoding="utf-8")
        expected = "RL003 File is larger than max-file-size"
    else:
        path.chmod(0)
        if os.access(path, os.R_OK):
            pytest.skip("running as root: every file is readable")
        expected = "RL003 Cannot read file: Permission denied"
    try:
        proc = console(["check", "--no-cache", "--select", "RL5", "notes.env"], tmp_path)
    finally:
        path.chmod(0o600)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert f"notes.env:1:1: {expected}" in proc.stdout
    assert token() not in proc.stdout + proc.stderr


def test_pre_commit_credentials_hook_reports_an_unreadable_file(tmp_path: Path) -> None:
    hooks = (Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = next(line.split("entry:", 1)[1].split() for line in hooks.splitlines() if "entry:" in line and "RL5" in line)
    _latin1_env(tmp_path)
    proc = console([*entry[1:], "--no-cache", ".env"], tmp_path)
    assert proc.returncode == 1 and "RL003" in proc.stdout


@pytest.mark.parametrize(
    "args_or_table",
    [["--ignore", "RL003"], 'ignore = ["RL003"]', 'per-file-ignores = { ".env" = ["RL003"] }'],
    ids=["cli", "config-ignore", "per-file-ignores"],
)
def test_rl003_cannot_be_ignored(args_or_table: list[str] | str, tmp_path: Path) -> None:
    _latin1_env(tmp_path)
    args = args_or_table if isinstance(args_or_table, list) else []
    if isinstance(args_or_table, str):
        (tmp_path / "registry-lint.toml").write_text(args_or_table + "\n")
    code, out, err = run(["check", "--no-cache", *args, ".env"], tmp_path)
    assert code == 2 and out == ""
    assert "RL003 cannot be ignored" in err


def test_noqa_does_not_hide_rl003(tmp_path: Path) -> None:
    deep = "from tracecat_registry import registry\nx = " + "-" * 450 + "1  # noqa: RL003\n"
    (tmp_path / "a.py").write_text(deep)
    code, out, _ = run(["check", "--no-cache", "a.py"], tmp_path)
    assert code == 1 and "RL003" in out
