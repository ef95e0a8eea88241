"""The linter never imports, executes or unsafely loads what it lints.

Every planted file below would create a marker file if it were imported or
executed (Python module code, package ``__init__``, ``conftest.py``,
``setup.py``, ``sitecustomize``, ``.pth`` lines, modules shadowing the
linter's own dependencies, a build backend) or constructed by an unsafe YAML
loader (``!!python/...`` tags). After full runs of ``check`` (every format,
``--fix``, ``--diff``, stdin, baselines), ``resolve`` and the rule docs, in
process and through the console script, no marker may exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint.cli import main
from registry_lint.report import FORMATS

REGISTRY = "from tracecat_registry import registry\nfrom tracecat_registry import secrets\n"


def _py_payload(markers: Path, name: str) -> str:
    # Module-level side effect: runs on import, exec or runpy, never on parse.
    return f"import pathlib\npathlib.Path({str(markers / name)!r}).write_text('executed')\n"


def _yaml_tags(markers: Path, name: str) -> dict[str, str]:
    target = str(markers / name)
    code = f"open({target!r}, 'w').write('constructed')"
    return {
        "apply": f"!!python/object/apply:builtins.exec [{code!r}]",
        "new": f"!!python/object/new:builtins.exec [{code!r}]",
        "name": "!!python/name:os.system",
        "module": "!!python/module:antigravity",
        "subclass": f"!!python/object/apply:subprocess.call [[touch, {target!r}]]",
    }


def plant(root: Path, markers: Path) -> list[str]:
    """Write the booby-trapped tree; returns the marker names that must never appear."""
    names: list[str] = []

    def py(rel: str, extra: str = "") -> None:
        name = rel.replace("/", "_") + ".marker"
        names.append(name)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_py_payload(markers, name) + REGISTRY + extra, encoding="utf-8")

    action = (
        "\n@registry.register(namespace='tools.trap', description='d', default_title='T', display_group='G')\n"
        "async def trap() -> str:\n    return secrets.get('API_KEY')\n"
    )
    py("trap_action.py", action)
    py("pkg/__init__.py")
    py("pkg/helpers.py", "TOKEN_NAME = 'x'\n")
    (root / "pkg" / "uses_helpers.py").write_text(
        REGISTRY + "from .helpers import TOKEN_NAME\nfrom pkg.helpers import *\n" + action.replace("trap", "trap2"),
        encoding="utf-8",
    )
    for rel in ("conftest.py", "setup.py", "sitecustomize.py", "usercustomize.py", "__main__.py", "noxfile.py"):
        py(rel)
    # Modules that would shadow the linter's own imports if the tree were on sys.path.
    for rel in ("yaml.py", "libcst.py", "click.py", "detect_secrets.py", "registry_lint.py", "tracecat_registry/__init__.py"):
        py(rel)
    names.append("pth.marker")
    (root / "evil.pth").write_text(f"import pathlib; pathlib.Path({str(markers / 'pth.marker')!r}).write_text('x')\n")
    names.append("backend.marker")
    (root / "backend.py").write_text(_py_payload(markers, "backend.marker"), encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n[tool.registry-lint]\n',
        encoding="utf-8",
    )
    # YAML: tags everywhere the extractor and rules look.
    tags = _yaml_tags(markers, "yaml.marker")
    names.append("yaml.marker")
    (root / "template.yml").write_text(
        "type: action\n"
        "definition:\n"
        f"  name: {tags['apply']}\n"
        "  namespace: tools.trap\n"
        f"  title: {tags['new']}\n"
        "  description: d\n"
        f"  display_group: {tags['name']}\n"
        f"  doc_url: {tags['module']}\n"
        "  secrets:\n"
        f"    - name: {tags['subclass']}\n"
        f"      keys: [{tags['apply']}]\n"
        "  expects:\n"
        f"    api_key: {{type: str, description: k, default: {tags['apply']}}}\n"
        "  steps:\n"
        f"    - {{ref: a, action: core.http_request, args: {tags['new']}}}\n"
        f"  returns: {tags['apply']}\n",
        encoding="utf-8",
    )
    (root / "whole_doc.yaml").write_text(tags["apply"] + "\n", encoding="utf-8")
    (root / "inventory.yml").write_text(
        f"secrets:\n  trap: {tags['apply']}\n  other: {{API_KEY: {tags['new']}}}\noauth:\n  - {tags['subclass']}\n",
        encoding="utf-8",
    )
    return names


@pytest.fixture()
def trap(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    root, markers = tmp_path / "tree", tmp_path / "markers"
    root.mkdir()
    markers.mkdir()
    names = plant(root, markers)
    return root, markers, names


def _assert_untouched(markers: Path, names: list[str]) -> None:
    assert sorted(os.listdir(markers)) == [], f"linted code ran: {sorted(os.listdir(markers))}"
    assert len(names) >= 15


def test_payloads_really_fire_when_executed(trap: tuple[Path, Path, list[str]]) -> None:
    """Guard against a vacuous test: the payloads do write markers when run."""
    import runpy

    import yaml

    root, markers, _ = trap
    with pytest.raises(ModuleNotFoundError):  # the payload runs first, then the SDK import fails
        runpy.run_path(str(root / "conftest.py"))
    assert (markers / "conftest.py.marker").exists()
    if hasattr(yaml, "UnsafeLoader"):
        yaml.load((root / "whole_doc.yaml").read_text(), Loader=yaml.UnsafeLoader)  # deliberately, once
        assert (markers / "yaml.marker").exists()


def test_in_process_runs_never_execute(trap: tuple[Path, Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    root, markers, names = trap
    monkeypatch.chdir(root)
    runner = CliRunner()
    invocations: list[list[str]] = [["check", "--no-cache", "--output-format", f, "."] for f in FORMATS]
    invocations += [
        ["check", "."],  # with the cache
        ["check", "."],  # from the cache
        ["check", "--statistics", "--show-source", "."],
        ["check", "--diff", "--unsafe-fixes", "."],
        ["check", "--fix", "--unsafe-fixes", "."],
        ["check", "--write-baseline", str(root.parent / "baseline.json"), "."],
        ["check", "--baseline", str(root.parent / "baseline.json"), "."],
        ["check", "--select", "ALL", "--jobs", "2", "."],
        ["resolve", ".", "--inventory", "inventory.yml"],
        ["resolve", ".", "--inventory", "inventory.yml", "--output-format", "json"],
        ["rules"],
        ["rule", "RL003"],
    ]
    for args in invocations:
        result = runner.invoke(main, args)
        assert result.exit_code in (0, 1, 2), (args, result.output[-1000:])
        if args[0] == "check":
            assert result.exit_code in (0, 1), (args, result.output[-1500:], result.exception)
        assert not isinstance(result.exception, (ImportError, NameError)), (args, result.exception)
    for name in ("trap_action.py", "template.yml", "pkg/uses_helpers.py"):
        data = (root / name).read_text(encoding="utf-8")
        result = runner.invoke(main, ["check", "--stdin-filename", name, "-"], input=data)
        assert result.exit_code in (0, 1), result.output[-1000:]
    _assert_untouched(markers, names)


@pytest.mark.slow
def test_console_script_never_executes(trap: tuple[Path, Path, list[str]]) -> None:
    """As pre-commit runs it: the console script with the tree as working directory."""
    root, markers, names = trap
    exe = shutil.which("registry-lint", path=os.path.dirname(sys.executable))
    if exe is None:
        pytest.skip("registry-lint console script not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONSAFEPATH")}
    runs = [
        [exe, "check", "."],
        [exe, "check", "--output-format", "sarif", "--jobs", "2", "."],
        [exe, "check", "--fix", "trap_action.py", "template.yml"],
        [exe, "resolve", ".", "--inventory", "inventory.yml"],
        # `python -m` from elsewhere (the tree is an argument, not the cwd).
        [sys.executable, "-m", "registry_lint", "check", "--no-cache", str(root)],
    ]
    for cmd in runs:
        cwd = root if cmd[0] == exe else root.parent
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode in ((0, 1, 2) if "resolve" in cmd else (0, 1)), (cmd, proc.stderr[-2000:])
        assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    _assert_untouched(markers, names)


def test_only_safe_yaml_loaders_in_the_source() -> None:
    """A static check of the linter itself: no unsafe loader, no exec/eval of input."""
    import re

    root = Path(__file__).resolve().parents[1]
    bad = re.compile(
        r"yaml\.(?:unsafe_load|full_load|load_all)\b|Loader=yaml\.(?:Unsafe|Full)?Loader\b|yaml\.load\((?![^)]*Loader)"
        r"|\bexec\(|\beval\(|runpy\.|__import__\(|pickle\.loads?\(|importlib\.import_module\((?!f\"registry_lint\.|f\"detect_secrets\.|\"registry_lint)"
    )
    offenders = []
    for folder in ("linter", "rules"):
        for path in sorted((root / folder).rglob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if bad.search(code):
                    offenders.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert offenders == []
