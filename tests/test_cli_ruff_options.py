"""ruff's everyday options, through the real console script (issue 19):
--output-file, --quiet, --silent, --show-fixes, --exit-non-zero-on-fix,
--isolated, --cache-dir / REGISTRY_LINT_CACHE_DIR."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .test_output_tools import BAD_PY, console, token

# Every test runs the real console script several times (slow: CI runs them).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
FIXABLE = ROOT / "examples" / "registry" / "udfs" / "acme.py"  # RL304 and RL403 carry safe fixes


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "udfs").mkdir()
    (tmp_path / "udfs" / "bad.py").write_text(BAD_PY)
    return tmp_path


def _fixable(tmp_path: Path) -> Path:
    shutil.copy(FIXABLE, tmp_path / "acme.py")
    return tmp_path / "acme.py"


# --output-file ---------------------------------------------------------------------------
def test_output_file_gets_the_report_and_stdout_nothing(repo: Path) -> None:
    plain = console(["check", ".", "--no-cache"], repo)
    proc = console(["check", ".", "--no-cache", "--output-file", "reports/lint.txt"], repo)
    assert proc.returncode == plain.returncode == 1
    assert proc.stdout == ""
    assert (repo / "reports" / "lint.txt").read_text() == plain.stdout  # parent directory created, same report
    again = console(["check", ".", "--no-cache", "-o", "reports/lint.txt"], repo)
    assert again.returncode == 1 and "reports/lint.txt" not in (repo / "reports" / "lint.txt").read_text()  # never lints itself


def test_output_file_with_json_and_diff(repo: Path, tmp_path: Path) -> None:
    proc = console(["check", ".", "--no-cache", "--output-format", "json", "--output-file", "out.json"], repo)
    assert proc.stdout == "" and json.loads((repo / "out.json").read_text())
    _fixable(repo)
    proc = console(["check", "acme.py", "--no-cache", "--diff", "--output-file", "fix.patch"], repo)
    assert proc.returncode == 1 and proc.stdout == ""
    assert (repo / "fix.patch").read_text().startswith("--- a/acme.py")


def test_output_file_that_cannot_be_written_is_an_error(repo: Path) -> None:
    (repo / "blocker").write_text("a file, not a directory")
    proc = console(["check", ".", "--no-cache", "--output-file", "blocker/out.txt"], repo)
    assert proc.returncode == 2 and "cannot write output file blocker/out.txt" in proc.stderr


def test_output_file_has_no_colour(repo: Path) -> None:
    console(["check", ".", "--no-cache", "--color", "--output-file", "out.txt"], repo, FORCE_COLOR="1")
    assert "\033[" not in (repo / "out.txt").read_text()


# --quiet / --silent ----------------------------------------------------------------------
def test_quiet_prints_findings_without_summary(repo: Path) -> None:
    proc = console(["check", ".", "--no-cache", "-q"], repo)
    assert proc.returncode == 1
    assert "RL102" in proc.stdout and "Found" not in proc.stdout
    clean = repo / "clean"
    clean.mkdir()
    (clean / "x.py").write_text("x = 1\n")
    proc = console(["check", "clean", "--no-cache", "--quiet"], repo)
    assert (proc.returncode, proc.stdout) == (0, "")  # no "All checks passed!"
    proc = console(["check", ".", "--no-cache", "-q", "--statistics"], repo)
    assert "RL102" in proc.stdout and "Found" not in proc.stdout


def test_silent_prints_nothing_but_errors(repo: Path) -> None:
    proc = console(["check", ".", "--no-cache", "--silent"], repo)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", "")
    proc = console(["check", ".", "missing/", "--no-cache", "--silent"], repo)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "missing/" in proc.stderr  # an exit 2 always says why
    proc = console(["check", ".", "--no-cache", "--silent", "-o", "out.txt"], repo)
    assert proc.stdout == "" and "RL102" in (repo / "out.txt").read_text()


# --show-fixes / --exit-non-zero-on-fix -------------------------------------------------------
def test_show_fixes_without_fix_shows_each_fix(tmp_path: Path) -> None:
    _fixable(tmp_path)
    proc = console(["check", "acme.py", "--no-cache", "--show-fixes"], tmp_path)
    assert "= Safe fix:" in proc.stdout
    removed = [line for line in proc.stdout.splitlines() if line[5:8] == " - "]
    added = [line for line in proc.stdout.splitlines() if line[5:8] == " + "]
    assert removed and added
    plain = console(["check", "acme.py", "--no-cache"], tmp_path)
    assert "Safe fix" not in plain.stdout


def test_show_fixes_with_fix_lists_what_was_fixed(tmp_path: Path) -> None:
    _fixable(tmp_path)
    proc = console(["check", "acme.py", "--no-cache", "--fix", "--show-fixes"], tmp_path)
    out = proc.stdout
    assert "Fixed 2 problems:\n- acme.py:\n" in out
    assert "    1 × RL304 (oauth-token-key-mismatch)" in out and "    1 × RL403 (secrets-path-in-get)" in out
    assert out.index("Fixed 2 problems:") < out.index("Fixed 2 problems. Found")  # before the summary, as ruff


def test_show_fixes_never_shows_a_credential_line(tmp_path: Path) -> None:
    secret = token(3)
    # RL010's fix would rewrite the directive on the credential's line.
    (tmp_path / "a.py").write_text(f'KEY = "{secret}"  # noqa: RL101\n')
    proc = console(["check", "a.py", "--no-cache", "--show-fixes", "--show-source"], tmp_path)
    assert "RL010" in proc.stdout and secret not in proc.stdout and secret[4:20] not in proc.stdout
    assert "fix not shown" in proc.stdout


def test_exit_non_zero_on_fix(tmp_path: Path) -> None:
    path = _fixable(tmp_path)
    text = path.read_text()
    plain = console(["check", "acme.py", "--no-cache", "--fix", "--select", "RL304,RL403"], tmp_path)
    assert plain.returncode == 0 and "Fixed 2 problems" in plain.stdout  # everything fixed: exit 0 ...
    path.write_text(text)
    strict = console(["check", "acme.py", "--no-cache", "--fix", "--select", "RL304,RL403", "--exit-non-zero-on-fix"], tmp_path)
    assert strict.returncode == 1  # ... unless fixing anything is a failure
    nothing = console(["check", "acme.py", "--no-cache", "--fix", "--select", "RL304,RL403", "--exit-non-zero-on-fix"], tmp_path)
    assert nothing.returncode == 0  # nothing left to fix
    assert console(["check", "acme.py", "--exit-non-zero-on-fix"], tmp_path).returncode == 2  # needs --fix


# --isolated --------------------------------------------------------------------------------
def test_isolated_ignores_configuration(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.registry-lint]\nignore = ["RL1"]\nexclude = ["udfs/"]\n')
    assert console(["check", ".", "--no-cache"], repo).returncode == 0
    proc = console(["check", ".", "--no-cache", "--isolated"], repo)
    assert proc.returncode == 1 and "RL102" in proc.stdout
    shown = console(["check", "--isolated", "--show-settings", "udfs/bad.py"], repo)
    assert "Config file: (none: the defaults)" in shown.stdout
    proc = console(["check", ".", "--isolated", "--config", "pyproject.toml"], repo)
    assert proc.returncode == 2 and "--isolated" in proc.stderr


# --cache-dir -------------------------------------------------------------------------------
def test_cache_dir_option_and_environment(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("cache")
    first = console(["check", ".", "--cache-dir", str(elsewhere / "a")], repo)
    assert first.returncode == 1
    assert not (repo / ".registry-lint-cache").exists()
    assert any((elsewhere / "a").rglob("*.json")) or any((elsewhere / "a").rglob("*pack*"))
    console(["check", "."], repo, REGISTRY_LINT_CACHE_DIR=str(elsewhere / "b"))
    assert (elsewhere / "b").is_dir() and not (repo / ".registry-lint-cache").exists()
    again = console(["check", ".", "--cache-dir", str(elsewhere / "a")], repo)
    assert again.stdout == first.stdout  # a hit gives the same report
