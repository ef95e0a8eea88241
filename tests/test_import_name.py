"""One import name (issue 13, item 2): `registry_lint`, never `linter` or `rules`.

A second name would be a second copy of the package whose rule registry is
empty: `python -m linter check leak.py` in the checkout used to pass a file
holding a GitHub token. And rule families are found by listing the rules
package, so a module nobody registered by hand still runs.
"""

from __future__ import annotations

import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXE = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"


def _token() -> str:
    rng = random.Random(7)
    return "gh" + "p_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))


@pytest.fixture()
def leak(tmp_path: Path) -> Path:
    path = tmp_path / "leak.py"
    path.write_text(f'TOKEN = "{_token()}"\n', encoding="utf-8")
    return path


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, env=env, check=False)


@pytest.mark.parametrize("module", ["linter", "linter.cli", "rules", "rules.files"])
def test_python_m_under_a_second_name_is_a_clear_error(module: str, leak: Path) -> None:
    out = _run([sys.executable, "-m", module, "check", "--no-cache", str(leak)], ROOT)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "registry_lint" in out.stderr and "registry-lint" in out.stderr
    assert "Traceback" not in out.stderr
    assert "All checks passed" not in out.stdout


@pytest.mark.parametrize("module", ["linter", "rules", "linter.engine", "rules.secrets"])
def test_import_under_a_second_name_raises(module: str) -> None:
    probe = f"import {module}"
    out = _run([sys.executable, "-c", probe], ROOT)
    assert out.returncode == 1
    assert "ImportError" in out.stderr and "only importable as `registry_lint" in out.stderr


def test_console_script_and_python_m_registry_lint_find_the_token(leak: Path) -> None:
    for args in ([EXE], [sys.executable, "-m", "registry_lint"]):
        out = _run([*args, "check", "--no-cache", str(leak)], ROOT)
        assert out.returncode == 1, (out.stdout, out.stderr)
        assert "RL501" in out.stdout


def test_every_rule_class_under_rules_is_registered() -> None:
    """Import every module file under rules/ (helpers too) in a fresh
    interpreter and compare the Rule subclasses they define with what
    load_rules() found first: a family load_rules misses fails here."""
    probe = r"""
import importlib, json, sys
from pathlib import Path
from registry_lint.rule import Rule, load_rules
import registry_lint.rules as pkg

loaded = set(load_rules())
found = {}
for path in sorted(Path(pkg.__path__[0]).glob("*.py")):
    if path.stem == "__init__":
        continue
    module = importlib.import_module(f"registry_lint.rules.{path.stem}")
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Rule) and value.code and value.__module__ == module.__name__:
            found[value.code] = path.name
print(json.dumps({"loaded": sorted(loaded), "found": found}))
"""
    out = _run([sys.executable, "-c", probe], ROOT)
    assert out.returncode == 0, out.stderr
    import json

    data = json.loads(out.stdout)
    missing = {code: name for code, name in data["found"].items() if code not in data["loaded"]}
    assert not missing, f"rules defined but not loaded by load_rules(): {missing}"
    assert data["found"], "no rule classes found under rules/"
    assert all(not name.startswith("_") for name in data["found"].values()), (
        "a rule class lives in a helper module (underscore): load_rules() never imports those"
    )


def test_rule_discovery_walks_the_package(tmp_path: Path) -> None:
    """A new public module in the rules package is imported by load_rules()
    without being listed anywhere (here: a copy of the package with one
    extra module, on a fresh interpreter's path)."""
    probe = r"""
import sys, types, importlib
import registry_lint.rule as rule
import registry_lint.rules as pkg
pkg.__path__.append(sys.argv[1])
print(sorted(set(rule.load_rules())) and ("RL999" in rule.load_rules()))
"""
    (tmp_path / "extra_family.py").write_text(
        "from registry_lint.rule import Rule\n\nclass Extra(Rule):\n    code = 'RL999'\n    name = 'extra'\n",
        encoding="utf-8",
    )
    (tmp_path / "_helper_family.py").write_text("raise RuntimeError('helpers are not imported')\n", encoding="utf-8")
    out = _run([sys.executable, "-c", probe, str(tmp_path)], ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
