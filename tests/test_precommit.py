"""The real pre-commit runs our `.pre-commit-hooks.yaml` on a temporary git repository.

The hook repository is a snapshot of this work tree (tracked and untracked,
not ignored files) committed into a temporary git repo, so the test checks
the code as it is, not the last commit. pre-commit builds the hook's
virtualenv with pip once per session (both hooks share it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from registry_lint.cli import main
from registry_lint.rule import get_rule

pytestmark = pytest.mark.slow  # real pre-commit runs: seconds per test (run with --run-slow)

ROOT = Path(__file__).resolve().parents[1]

GOOD_PY = '''\
"""A helper module of a registry (no action here)."""

from tracecat_registry import registry

TIMEOUT = 30
'''
BAD_PY = "from tracecat_registry import registry\n\ndef broken(:\n    pass\n"
GOOD_YML = "# not an action template\nname: ci\nsteps: [lint]\n"
# Built at run time so this test file itself holds no private key block.
KEY_BODY = "MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi" + "Z1BjP5CE/Wm/Rr500PRK+Lh9x5eJPo5CAZ3/ANBE0sTK0ZsDGMak2m1g7"
LEAK = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + KEY_BODY + "\n-----END RSA " + "PRIVATE KEY-----\n"


def _git(cwd: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="registry-lint tests",
        GIT_AUTHOR_EMAIL="tests@registry-lint.invalid",
        GIT_COMMITTER_NAME="registry-lint tests",
        GIT_COMMITTER_EMAIL="tests@registry-lint.invalid",
    )
    out = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return out.stdout


def _snapshot(dest: Path) -> str:
    """Commit the current work tree into ``dest``; returns the commit id."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if not src.is_file() or name.startswith(".git/"):
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "--no-verify", "-m", "snapshot")
    return _git(dest, "rev-parse", "HEAD").strip()


class Project:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=self.root, env=self.env, capture_output=True, text=True, timeout=900,
        )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    hook_repo = base / "hook-repo"
    hook_repo.mkdir()
    rev = _snapshot(hook_repo)
    root = base / "project"
    (root / "fixtures").mkdir(parents=True)
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [{"id": "registry-lint"}, {"id": "registry-lint-secrets"}]}]}
    files = {
        ".pre-commit-config.yaml": yaml.safe_dump(config),
        "pyproject.toml": '[tool.registry-lint]\nexclude = ["fixtures/"]\n',
        "good.py": GOOD_PY,
        "bad.py": BAD_PY,
        "ci.yml": GOOD_YML,
        "notes.txt": "Nothing secret here; the key lives in the Tracecat secret store.\n",
        "leak.txt": LEAK,
        "fixtures/bad.py": BAD_PY,
        "fixtures/leak.txt": LEAK,
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env.update(PRE_COMMIT_HOME=str(base / "cache"), PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    proj = Project(root, env)
    installed = proj.run("install-hooks")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    yield proj


def test_hooks_pass_on_good_files(project: Project) -> None:
    out = project.run("run", "--files", "good.py", "ci.yml", "notes.txt", ".pre-commit-config.yaml", "pyproject.toml")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "registry-lint" in out.stdout


def test_lint_hook_fails_on_bad_file(project: Project) -> None:
    out = project.run("run", "registry-lint", "--files", "good.py", "bad.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "bad.py:3:" in out.stdout and "RL001" in out.stdout


def test_secrets_hook_fails_on_a_leak_and_never_prints_it(project: Project) -> None:
    if get_rule("RL504") is None:
        pytest.skip("RL504 (private-key) is not implemented yet")
    out = project.run("run", "registry-lint-secrets", "--files", "leak.txt", "notes.txt")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "leak.txt" in out.stdout and "RL504" in out.stdout
    assert KEY_BODY[:12] not in out.stdout + out.stderr


def test_secrets_hook_passes_on_clean_text(project: Project) -> None:
    out = project.run("run", "registry-lint-secrets", "--files", "notes.txt", "good.py")
    assert out.returncode == 0, out.stdout + out.stderr


def test_hooks_honour_config_excludes_for_explicit_files(project: Project) -> None:
    out = project.run("run", "--files", "fixtures/bad.py", "fixtures/leak.txt")
    assert out.returncode == 0, out.stdout + out.stderr


# Without pre-commit: the same contract through the CLI (fast) -------------------
def test_explicit_paths_honour_excludes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.registry-lint]\nexclude = ["fixtures/"]\n', encoding="utf-8")
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "bad.py").write_text(BAD_PY, encoding="utf-8")
    (tmp_path / "bad.py").write_text(BAD_PY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    excluded = runner.invoke(main, ["check", "--no-color", "fixtures/bad.py"])
    assert excluded.exit_code == 0, excluded.output
    linted = runner.invoke(main, ["check", "--no-color", "bad.py", "fixtures/bad.py"])
    assert linted.exit_code == 1
    assert "bad.py:3:" in linted.output and "fixtures/bad.py" not in linted.output


def test_manifest_declares_both_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["registry-lint"]["entry"] == "registry-lint check"
    assert hooks["registry-lint"]["types_or"] == ["python", "yaml"]
    assert hooks["registry-lint"]["require_serial"] is True
    assert hooks["registry-lint-secrets"]["entry"] == "registry-lint check --select RL5"
    assert hooks["registry-lint-secrets"]["types"] == ["text"]
