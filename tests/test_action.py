"""The GitHub Action (action.yml) works: its `run:` steps, run as GitHub runs them.

GitHub is not here, so this test plays the runner: it reads action.yml,
substitutes the `${{ ... }}` expressions the steps use (inputs, earlier
steps' outputs, `github.action_path`, `runner.temp`), runs each `run:` step
with `bash --noprofile --norc -eo pipefail` (GitHub's default for
`shell: bash`) and the step's `env:`, collects `$GITHUB_OUTPUT`, and
evaluates the `if:` of the upload step. The `uses:` steps are other
actions: `actions/setup-python` is played by handing its `python-path`
output this interpreter; the upload step's condition is checked, not run.

The install step really installs this checkout into a fresh virtual
environment with pip (from the package index, as on a runner).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.slow  # robustness: seconds per test (run with --run-slow)

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
_EXPR = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


class Runner:
    """The parts of a GitHub runner a composite action's steps see."""

    def __init__(self, temp: Path, workspace: Path, inputs: dict[str, str]) -> None:
        self.temp, self.workspace = temp, workspace
        defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        self.inputs = {**defaults, **inputs}
        self.outputs: dict[str, dict[str, str]] = {"python": {"python-path": sys.executable}}  # setup-python's output

    def value(self, name: str) -> str:
        if name == "github.action_path":
            return str(ROOT)
        if name == "runner.temp":
            return str(self.temp)
        if name.startswith("inputs."):
            return self.inputs[name.split(".", 1)[1]]
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", name)
        if match:
            return self.outputs.get(match[1], {}).get(match[2], "")
        raise AssertionError(f"action.yml uses an expression this test does not know: {name}")

    def substitute(self, text: str) -> str:
        return _EXPR.sub(lambda m: self.value(m[1]), text)

    def condition(self, expression: str) -> bool:
        """`a && b` of `always()`, `x == 'v'` and `x != 'v'` (what action.yml uses)."""
        inner = _EXPR.fullmatch(expression.strip())
        terms = (inner[1] if inner else expression).split("&&")
        result = True
        for term in (t.strip() for t in terms):
            if term == "always()":
                continue
            left, op, right = re.fullmatch(r"(\S+)\s*(==|!=)\s*'([^']*)'", term).groups()
            result = result and ((self.value(left) == right) == (op == "=="))
        return result

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        output = self.temp / f"output-{step['id']}"
        output.write_text("")
        env = {**os.environ, "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(self.temp)}
        env.pop("VIRTUAL_ENV", None)
        env.update({k: self.substitute(str(v)) for k, v in step.get("env", {}).items()})
        assert step["shell"] == "bash"
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", self.substitute(step["run"])],
            cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600,
        )
        self.outputs[step["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        return proc


def _step(step_id: str) -> dict[str, Any]:
    return next(s for s in STEPS if s.get("id") == step_id)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The install step, run once: the action's own checkout into a new venv."""
    temp = tmp_path_factory.mktemp("runner")
    runner = Runner(temp, temp, {})
    proc = runner.run(_step("install"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    from registry_lint import __version__

    assert proc.stdout.strip().endswith(__version__)  # `registry-lint --version` of this checkout
    return {"temp": str(temp), **runner.outputs["install"]}


def _workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "registry", workspace / "registry")
    return workspace


def _lint(installed: dict[str, str], workspace: Path, inputs: dict[str, str]) -> tuple[Runner, subprocess.CompletedProcess[str]]:
    runner = Runner(Path(installed["temp"]), workspace, inputs)
    runner.outputs["install"] = {"bin": installed["bin"]}
    return runner, runner.run(_step("lint"))


def test_action_shape() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) >= {"args", "paths", "sarif"}
    uses = [s["uses"] for s in STEPS if "uses" in s]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    # Inputs reach the scripts through env:, never pasted into `run:` (expression injection).
    for step in STEPS:
        assert "inputs." not in step.get("run", "")


def test_annotations_by_default(installed: dict[str, str], tmp_path: Path) -> None:
    runner, proc = _lint(installed, _workspace(tmp_path), {})
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert any("file=registry/udfs/acme.py" in line for line in lines)
    upload = next(s for s in STEPS if "upload-sarif" in s.get("uses", ""))
    assert not runner.condition(upload["if"])


def test_args_and_paths(installed: dict[str, str], tmp_path: Path) -> None:
    _, proc = _lint(installed, _workspace(tmp_path), {"args": "--select RL5 --exit-zero", "paths": "registry/templates"})
    assert proc.returncode == 0, proc.stderr
    assert "udfs/acme.py" not in proc.stdout and "RL1" not in proc.stdout


def test_sarif_upload(installed: dict[str, str], tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    runner, proc = _lint(installed, workspace, {"sarif": "true", "args": "--exit-zero"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # the report is in the file
    sarif = json.loads((workspace / "registry-lint.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    upload = next(s for s in STEPS if "upload-sarif" in s.get("uses", ""))
    assert runner.condition(upload["if"])
    assert runner.substitute(upload["with"]["sarif_file"]) == "registry-lint.sarif"


def test_sarif_job_fails_on_findings_without_exit_zero(installed: dict[str, str], tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    runner, proc = _lint(installed, workspace, {"sarif": "true"})
    assert proc.returncode == 1
    assert (workspace / "registry-lint.sarif").is_file()  # written before the failure: the upload (always()) has it
    upload = next(s for s in STEPS if "upload-sarif" in s.get("uses", ""))
    assert runner.condition(upload["if"])
