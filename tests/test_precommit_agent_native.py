"""The real pre-commit runs the `registry-lint-agent-native` hook on an agent-native app.

The hook installs tree-sitter through its `additional_dependencies` and lints
the whole repository whichever TypeScript file changed, so a read in one
file is checked against the registrations in every other file of its app.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from .test_precommit import ROOT, Project, _git, _snapshot

pytestmark = pytest.mark.slow  # robustness: seconds per test (run with --run-slow)

PLUGIN = '''import { registerRequiredSecret } from "@agent-native/core/secrets";

registerRequiredSecret({
  key: "OPENAI_API_KEY",
  label: "OpenAI API key",
  docsUrl: "https://platform.openai.com/api-keys",
  scope: "user",
  kind: "api-key",
});
'''
ROUTE = '''import { readAppSecret } from "@agent-native/core/secrets";

export async function apiKey(email: string) {
  const stored = await readAppSecret({ key: "%s", scope: "user", scopeId: email });
  return stored?.value;
}
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit-an")
    hook_repo = base / "hook-repo"
    hook_repo.mkdir()
    rev = _snapshot(hook_repo)
    root = base / "app"
    (root / "server").mkdir(parents=True)
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [{"id": "registry-lint-agent-native"}]}]}
    files = {
        ".pre-commit-config.yaml": yaml.safe_dump(config),
        "package.json": "{}\n",
        "server/register-secrets.ts": PLUGIN,
        "server/route.ts": ROUTE % "OPENAI_KEY",
        "notes.md": "Nothing to lint here.\n",
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


def test_a_changed_plugin_is_checked_against_every_read(project: Project) -> None:
    # Only the plugin is passed, yet the route's unregistered read is found:
    # the hook lints the whole repository.
    out = project.run("run", "registry-lint-agent-native", "--files", "server/register-secrets.ts")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "server/route.ts:4:45: RL706" in out.stdout
    assert "RL003" not in out.stdout  # tree-sitter came with the hook's dependencies


def test_the_hook_passes_once_the_read_is_fixed(project: Project) -> None:
    (project.root / "server" / "route.ts").write_text(ROUTE % "OPENAI_API_KEY", encoding="utf-8")
    try:
        out = project.run("run", "registry-lint-agent-native", "--files", "server/route.ts")
        assert out.returncode == 0, out.stdout + out.stderr
    finally:
        (project.root / "server" / "route.ts").write_text(ROUTE % "OPENAI_KEY", encoding="utf-8")


def test_the_hook_skips_commits_without_typescript(project: Project) -> None:
    out = project.run("run", "registry-lint-agent-native", "--files", "notes.md")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no files to check" in out.stdout.lower() or "skipped" in out.stdout.lower()


def test_manifest_declares_the_agent_native_hook() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["registry-lint-agent-native"]
    assert hook["entry"] == "registry-lint check --select RL7"
    assert set(hook["types_or"]) == {"ts", "tsx", "javascript", "jsx"}
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    assert any(dep.startswith("tree-sitter-typescript") for dep in hook["additional_dependencies"])
    # the main hook stays Python and YAML only: Tracecat users never install tree-sitter
    assert "additional_dependencies" not in hooks["registry-lint"]
