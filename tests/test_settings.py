"""Configuration applies per file (issue 13, item 4; ruff's hierarchical model).

Each file uses its nearest `registry-lint.toml` or `pyproject.toml` with
`[tool.registry-lint]`; patterns are relative to the file that declares
them; `--config` applies one to all; the order of PATHS never matters.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from registry_lint.settings import Settings

from .workflow_fixture import runner

EXE = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"
# RL105 (no namespace) and RL104 (no doc_url) at 5:11, nothing else.
ACTION = (
    "from typing import Annotated\nfrom typing_extensions import Doc\nfrom tracecat_registry import registry\n"
    "@registry.register(default_title='Act', description='Do it', display_group='Acme')\n"
    "async def {name}(x: Annotated[int, Doc('A number')]) -> int:\n    return x\n"
)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    from registry_lint.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = runner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def findings(args: list[str], cwd: Path) -> list[tuple[str, str]]:
    code, out, err = run(["check", "--no-cache", "--output-format", "json", *args], cwd)
    assert code in (0, 1), err
    return sorted((d["filename"], d["code"]) for d in json.loads(out))


@pytest.fixture()
def two_projects(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "a/pyproject.toml": '[tool.registry-lint]\nselect = ["RL105"]\nexclude = ["gen/"]\n',
            "a/x.py": ACTION.format(name="ax"),
            "a/gen/g.py": ACTION.format(name="ag"),
            "a/legacy/l.py": ACTION.format(name="al"),
            "b/registry-lint.toml": 'select = ["RL104", "RL105"]\nper-file-ignores = { "legacy/*.py" = ["RL105"] }\n',
            "b/y.py": ACTION.format(name="by"),
            "b/gen/g.py": ACTION.format(name="bg"),
            "b/legacy/l.py": ACTION.format(name="bl"),
        },
    )


def test_each_file_uses_its_nearest_config_whatever_the_order(two_projects: Path) -> None:
    one = findings(["a/x.py", "b/y.py"], two_projects)
    other = findings(["b/y.py", "a/x.py"], two_projects)
    assert one == other == [("a/x.py", "RL105"), ("b/y.py", "RL104"), ("b/y.py", "RL105")]


def test_excludes_and_per_file_ignores_are_relative_to_their_config(two_projects: Path) -> None:
    got = findings(["."], two_projects)
    assert ("a/gen/g.py", "RL105") not in got  # a's exclude
    assert ("b/gen/g.py", "RL105") in got  # b has no such exclude
    assert ("b/legacy/l.py", "RL105") not in got and ("b/legacy/l.py", "RL104") in got  # b's per-file-ignores
    assert ("a/legacy/l.py", "RL105") in got  # not a's
    # The same from inside a project, and with the files named (pre-commit).
    assert findings(["gen/g.py", "x.py"], two_projects / "a") == [("x.py", "RL105")]
    named = ["a/gen/g.py", "a/legacy/l.py", "b/gen/g.py", "b/legacy/l.py"]
    assert findings(named, two_projects) == sorted(d for d in got if d[0] in named)


def test_a_parent_exclude_covers_a_subproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.registry-lint]\nexclude = ["vendor/"]\n',
            "vendor/pkg/registry-lint.toml": 'select = ["RL105"]\n',
            "vendor/pkg/v.py": ACTION.format(name="v"),
            "app/a.py": ACTION.format(name="a"),
        },
    )
    assert {f for f, _ in findings(["."], tmp_path)} == {"app/a.py"}
    assert findings(["vendor/pkg/v.py"], tmp_path) == []
    assert findings(["vendor/pkg"], tmp_path) == []


def test_config_option_applies_to_every_file(two_projects: Path) -> None:
    (two_projects / "only.toml").write_text('select = ["RL104"]\n', encoding="utf-8")
    got = findings(["--config", "only.toml", "a/x.py", "b/y.py", "a/gen/g.py"], two_projects)
    assert got == [("a/gen/g.py", "RL104"), ("a/x.py", "RL104"), ("b/y.py", "RL104")]


def test_cli_selection_applies_on_top_of_each_config(two_projects: Path) -> None:
    assert findings(["--ignore", "RL105", "a/x.py", "b/y.py"], two_projects) == [("b/y.py", "RL104")]
    assert findings(["--extend-select", "RL104", "a/x.py"], two_projects) == [("a/x.py", "RL104"), ("a/x.py", "RL105")]


def test_project_rule_findings_follow_the_config_of_their_file(tmp_path: Path) -> None:
    """RL109 runs over every file; each finding is kept by its own file's config."""
    write(
        tmp_path,
        {
            "a/registry-lint.toml": 'select = ["RL109"]\n',
            "a/x.py": ACTION.format(name="same"),
            "b/registry-lint.toml": 'select = ["RL105"]\n',
            "b/y.py": ACTION.format(name="same"),
        },
    )
    assert findings(["."], tmp_path) == [("a/x.py", "RL109"), ("b/y.py", "RL105")]
    code, out, _ = run(["check", "--no-cache", "a/x.py", "b/y.py"], tmp_path)
    assert "a/x.py:5:11: RL109 Action `core.same` is also defined at b/y.py:5" in out


def test_show_settings_and_show_files(two_projects: Path) -> None:
    proc = subprocess.run([EXE, "check", "--show-settings", "b/legacy/l.py"], cwd=two_projects, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Config file: b/registry-lint.toml" in out
    assert f"Root (patterns are relative to it): {two_projects / 'b'}" in out
    assert "Ignored here by per-file-ignores: RL105" in out
    assert "Enabled rules (2): RL104, RL105" in out
    assert 'per-file-ignores = { "legacy/*.py" = ["RL105"] }' in out
    code, out, _ = run(["check", "--show-settings", "a/gen/g.py"], two_projects)
    assert code == 0 and "Excluded: yes, by a/pyproject.toml" in out and 'exclude = ["gen/"]' in out
    code, out, _ = run(["check", "--show-settings", "--select", "RL1", "--ignore", "RL104", "x.py"], two_projects / "a")
    assert "Config file: pyproject.toml" in out and "RL104" not in out.split("Enabled rules", 1)[1].split("\n")[0]
    code, _, err = run(["check", "--show-settings", "a/x.py", "b/y.py"], two_projects)
    assert code == 2 and "exactly one PATH" in err

    proc = subprocess.run([EXE, "check", "--show-files"], cwd=two_projects, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "a/x.py\ta/pyproject.toml" in lines and "b/gen/g.py\tb/registry-lint.toml" in lines
    assert not [line for line in lines if line.startswith("a/gen/")]
    code, out, _ = run(["check", "--show-files", "--config", "b/registry-lint.toml", "a/x.py"], two_projects)
    assert out == "a/x.py\tb/registry-lint.toml\n"
    code, out, err = run(["check", "--show-files", "a/x.py", "a/nope.py"], two_projects)
    assert code == 2 and out == "a/x.py\ta/pyproject.toml\n" and "Failed to lint a/nope.py" in err


def test_files_without_a_config_use_the_current_directorys(tmp_path: Path) -> None:
    write(tmp_path, {"registry-lint.toml": 'select = ["RL104"]\n', "proj/a.py": ACTION.format(name="a")})
    outside = tmp_path.parent / (tmp_path.name + "-outside")
    write(outside, {"o.py": ACTION.format(name="o")})
    try:
        assert findings([str(outside / "o.py"), "proj/a.py"], tmp_path) == [
            (str(outside / "o.py"), "RL104"),
            ("proj/a.py", "RL104"),
        ]
    finally:
        shutil.rmtree(outside)


def test_cache_is_keyed_by_each_files_config(two_projects: Path) -> None:
    """A cached run gives what --no-cache gives, also after one project's config changes."""
    def cached() -> list[tuple[str, str]]:
        code, out, err = run(["check", "--output-format", "json", "."], two_projects)
        assert code in (0, 1), err
        return sorted((d["filename"], d["code"]) for d in json.loads(out))

    assert cached() == cached() == findings(["."], two_projects)
    (two_projects / "b" / "registry-lint.toml").write_text('select = ["RL104"]\n', encoding="utf-8")
    assert cached() == findings(["."], two_projects)
    assert ("b/legacy/l.py", "RL104") in cached() and ("b/y.py", "RL105") not in cached()
    (two_projects / "a" / "gen" / "registry-lint.toml").write_text('select = ["RL104"]\n', encoding="utf-8")
    assert cached() == findings(["."], two_projects)


def test_settings_lookup_is_memoised_per_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from registry_lint import settings as settings_module

    write(tmp_path, {"pyproject.toml": '[tool.registry-lint]\nselect = ["RL1"]\n', **{f"d{i}/e/f.py": "" for i in range(20)}})
    asked: list[Path] = []
    real = settings_module.config_in
    monkeypatch.setattr(settings_module, "config_in", lambda d: asked.append(d) or real(d))
    settings = Settings(cwd=str(tmp_path))
    for i in range(20):
        for _ in range(3):
            assert settings.for_path(str(tmp_path / f"d{i}" / "e" / "f.py")).select == ("RL1",)
    assert len(asked) == len(set(asked)) <= 2 * 20 + 1 + len(tmp_path.parts)


def test_language_server_uses_the_files_own_config(two_projects: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pygls")
    from registry_lint.lsp import RegistryLintServer

    monkeypatch.chdir(two_projects)
    server = RegistryLintServer()
    assert server.config_for(str(two_projects / "a" / "x.py")).select == ("RL105",)
    assert server.config_for(str(two_projects / "b" / "y.py")).select == ("RL104", "RL105")
    assert server.excluded(str(two_projects / "a" / "gen" / "g.py"))
    assert not server.excluded(str(two_projects / "b" / "gen" / "g.py"))


def test_resolve_uses_each_files_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "sub/registry-lint.toml": 'exclude = ["skip.py"]\n',
            "sub/skip.py": ACTION.format(name="skipped").replace("display_group='Acme'", "display_group='Acme', namespace='tools.acme'"),
            "sub/keep.py": ACTION.format(name="kept").replace("display_group='Acme'", "display_group='Acme', namespace='tools.acme'"),
            "inventory.yml": "secrets: {}\n",
        },
    )
    code, out, err = run(["resolve", ".", "--inventory", "inventory.yml", "--output-format", "json"], tmp_path)
    assert code == 0, err
    assert [a["action"] for a in json.loads(out)["actions"]] == ["tools.acme.kept"]
