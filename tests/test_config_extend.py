"""`extend`, `fixable`/`unfixable` and `extend-per-file-ignores` (issue 19), as ruff merges them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from registry_lint.config import ConfigError
from registry_lint.config_files import load_config
from registry_lint.engine import ruleset

from .test_output_tools import BAD_PY, console

ROOT = Path(__file__).resolve().parent.parent


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _enabled(path: Path) -> frozenset[str]:
    return ruleset(load_config(path, default_root=path.parent)).enabled


def test_extend_layers_selection_as_ruff(tmp_path: Path) -> None:
    _write(tmp_path / "base.toml", 'ignore = ["RL104"]\nextend-select = ["RL404"]\n')
    child = _write(tmp_path / "proj" / "registry-lint.toml", 'extend = "../base.toml"\n')
    enabled = _enabled(child)
    assert "RL104" not in enabled and "RL404" in enabled  # inherited as is
    _write(child, 'extend = "../base.toml"\nextend-select = ["RL1"]\n')
    assert "RL104" in _enabled(child)  # the extending file's selector wins for the codes it names
    _write(child, 'extend = "../base.toml"\nignore = ["RL4"]\n')
    assert "RL404" not in _enabled(child) and "RL104" not in _enabled(child)  # ignores accumulate
    _write(child, 'extend = "../base.toml"\nselect = ["RL1"]\n')
    enabled = _enabled(child)
    assert "RL104" in enabled and "RL404" not in enabled and "RL201" not in enabled  # select starts afresh


def test_extend_chain_scalars_and_patterns(tmp_path: Path) -> None:
    _write(tmp_path / "a.toml", 'max-file-size = 10\nexclude = ["gen/"]\nextend-exclude = ["lib/vendor/"]\nper-file-ignores = { "legacy/*.py" = ["RL151"] }\n')
    _write(tmp_path / "b" / "b.toml", 'extend = "../a.toml"\nnamespace-pattern = "x"\n')
    child = _write(tmp_path / "b" / "c" / "registry-lint.toml", 'extend = "../b.toml"\nexclude = ["tmp/"]\nextend-per-file-ignores = { "*.py" = ["RL104"] }\n')
    cfg = load_config(child, default_root=child.parent)
    assert cfg.max_file_size == 10 and cfg.namespace_pattern == "x"
    assert cfg.extends == (str(tmp_path / "b" / "b.toml"), str(tmp_path / "a.toml"))
    # Patterns stay relative to the file that declares them: a.toml's are a.toml's directory's.
    # (Paths outside a configuration's root are given absolute, as discover.relpath gives them.)
    assert cfg.is_excluded(str(tmp_path / "lib" / "vendor" / "x.py")) and not cfg.is_excluded("lib/vendor/x.py")
    assert not cfg.is_excluded(str(tmp_path / "gen" / "x.py"))  # `exclude` in the extending file replaced the base's
    assert cfg.is_excluded("tmp/x.py")
    assert cfg.ignored_for(str(tmp_path / "legacy" / "m.py")) == {"RL151"}  # the base's, relative to the base; the own `*.py` is not for outside its tree
    assert cfg.ignored_for("m.py") == {"RL104"}


@pytest.mark.parametrize(
    ("child", "message"),
    [
        ('extend = "../nope.toml"\n', "no such file"),
        ("extend = 3\n", "extend must be the path of another configuration file"),
        ('extend = "../pyproject.toml"\n', "has no [tool.registry-lint] table"),
        ('extend = "../loop.toml"\n', "makes a cycle"),
        ('extend = "../bad.toml"\n', "extended by"),
    ],
)
def test_extend_errors(tmp_path: Path, child: str, message: str) -> None:
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    _write(tmp_path / "loop.toml", 'extend = "proj/registry-lint.toml"\n')
    _write(tmp_path / "bad.toml", 'select = ["RL999"]\n')
    path = _write(tmp_path / "proj" / "registry-lint.toml", child)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(path, default_root=path.parent)


def test_extend_through_the_console_script(tmp_path: Path) -> None:
    _write(tmp_path / "shared" / "registry-lint.toml", 'ignore = ["RL10"]\n')
    proj = tmp_path / "proj"
    _write(proj / "udfs" / "bad.py", BAD_PY)
    _write(proj / "pyproject.toml", '[tool.registry-lint]\nextend = "../shared/registry-lint.toml"\n')
    proc = console(["check", ".", "--no-cache"], proj)
    assert proc.returncode == 1 and " RL10" not in proc.stdout and " RL153" in proc.stdout
    shown = console(["check", "--show-settings", "udfs/bad.py"], proj)
    assert f"Extends: {tmp_path / 'shared' / 'registry-lint.toml'}" in shown.stdout
    _write(tmp_path / "shared" / "registry-lint.toml", 'extend = "../proj/pyproject.toml"\n')
    proc = console(["check", "."], proj)
    assert proc.returncode == 2 and "makes a cycle" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_unfixable_drops_the_fix_as_ruff(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "registry" / "udfs" / "acme.py", tmp_path / "acme.py")
    base = console(["check", "acme.py", "--no-cache", "--output-format", "json"], tmp_path)
    assert "RL304" in base.stdout and '"applicability": "safe"' in base.stdout
    (tmp_path / "registry-lint.toml").write_text('unfixable = ["RL304"]\n')
    proc = console(["check", "acme.py", "--no-cache"], tmp_path)
    rl304 = [line for line in proc.stdout.splitlines() if " RL304" in line]
    assert rl304 and "[*]" not in rl304[0]  # no [*], and...
    before = (tmp_path / "acme.py").read_text()
    fixed = console(["check", "acme.py", "--no-cache", "--fix"], tmp_path)
    assert "Fixed 1 problem" in fixed.stdout and "RL304" in fixed.stdout  # ... --fix leaves it
    assert (tmp_path / "acme.py").read_text() != before
    (tmp_path / "registry-lint.toml").write_text('fixable = ["RL4"]\n')
    (tmp_path / "acme.py").write_text(before)
    fixed = console(["check", "acme.py", "--no-cache", "--fix", "--show-fixes"], tmp_path)
    assert "1 × RL403" in fixed.stdout and "× RL304" not in fixed.stdout


def test_fixable_codes_are_validated(tmp_path: Path) -> None:
    (tmp_path / "registry-lint.toml").write_text('unfixable = ["RL30O"]\n')
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = console(["check", "."], tmp_path)
    assert proc.returncode == 2 and "unfixable" in proc.stderr and "did you mean RL300" not in proc.stderr


def test_extend_inherits_the_step_catalogue_settings(tmp_path: Path) -> None:
    """`tracecat-registry` and `extra-actions` pass through `extend` like every other setting."""
    (tmp_path / "base.toml").write_text('extra-actions = { "tools.other.ping" = "*" }\n')
    (tmp_path / "registry-lint.toml").write_text('extend = "base.toml"\n')
    config = load_config(tmp_path / "registry-lint.toml", default_root=tmp_path)
    assert [key for key, _ in config.extra_actions] == ["tools.other.ping"]
