"""`registry-lint init` (issue 19), through the console script: never overwrites, then says what next."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

from registry_lint.project import RELEASE_TAG, REPOSITORY_URL

from .test_output_tools import BAD_PY, console


def test_empty_directory(tmp_path: Path) -> None:
    proc = console(["init"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "registry-lint.toml: created" in proc.stdout and ".pre-commit-config.yaml: created" in proc.stdout
    assert "Next steps:" in proc.stdout and "pre-commit install" in proc.stdout
    assert tomllib.loads((tmp_path / "registry-lint.toml").read_text()) == {}  # every key commented out: the defaults
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    (repo,) = hooks["repos"]
    assert repo["repo"] == REPOSITORY_URL and repo["rev"] == RELEASE_TAG
    assert [h["id"] for h in repo["hooks"]] == ["registry-lint", "registry-lint-secrets"]
    # What it wrote is a configuration `check` uses.
    (tmp_path / "a.py").write_text(BAD_PY)
    shown = console(["check", "--show-settings", "a.py"], tmp_path)
    assert "Config file: registry-lint.toml" in shown.stdout


def test_pyproject_gets_a_table_appended_byte_for_byte(tmp_path: Path) -> None:
    original = '[project]\nname = "reg"  # keep   this spacing\n\n[tool.black]\nline-length = 100'
    (tmp_path / "pyproject.toml").write_text(original)
    proc = console(["init", str(tmp_path)], tmp_path.parent)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith(original + "\n\n[tool.registry-lint]\n")
    data = tomllib.loads(text)
    assert data["tool"]["registry-lint"] == {} and data["tool"]["black"] == {"line-length": 100}
    assert not (tmp_path / "registry-lint.toml").exists()
    (tmp_path / "a.py").write_text(BAD_PY)
    assert "Config file: pyproject.toml" in console(["check", "--show-settings", "a.py"], tmp_path).stdout


def test_inline_tool_table_falls_back_to_registry_lint_toml(tmp_path: Path) -> None:
    original = 'tool = { black = { line-length = 100 } }\n\n[project]\nname = "reg"\n'
    (tmp_path / "pyproject.toml").write_text(original)
    proc = console(["init"], tmp_path)
    assert proc.returncode == 0 and "would not be valid TOML" in proc.stdout
    assert (tmp_path / "pyproject.toml").read_text() == original
    assert (tmp_path / "registry-lint.toml").is_file()


def test_already_configured_changes_nothing(tmp_path: Path) -> None:
    pyproject = '[tool.registry-lint]\nignore = ["RL104"]\n'
    hooks = f"repos:\n  - repo: {REPOSITORY_URL}\n    rev: v0.0.1\n    hooks: [{{id: registry-lint}}]\n"
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / ".pre-commit-config.yaml").write_text(hooks)
    proc = console(["init"], tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith("registry-lint is already set up here: nothing changed.")
    assert (tmp_path / "pyproject.toml").read_text() == pyproject
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == hooks
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pre-commit-config.yaml", "pyproject.toml"]


def test_other_pre_commit_config_is_left_alone_and_the_entry_printed(tmp_path: Path) -> None:
    hooks = "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks: [{id: black}]\n"
    (tmp_path / ".pre-commit-config.yaml").write_text(hooks)
    (tmp_path / "registry-lint.toml").write_text("")
    proc = console(["init"], tmp_path)
    assert proc.returncode == 0
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == hooks
    assert f"  - repo: {REPOSITORY_URL}\n    rev: {RELEASE_TAG}\n" in proc.stdout
    assert "registry-lint.toml: already configures registry-lint (unchanged)" in proc.stdout


def test_broken_pyproject_is_an_error_and_untouched(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\n")
    proc = console(["init"], tmp_path)
    assert proc.returncode != 0 and "not valid TOML" in proc.stderr
    assert (tmp_path / "pyproject.toml").read_text() == "[project\n"
    assert not (tmp_path / ".pre-commit-config.yaml").exists()
