"""agent-native files in the engine: who parses, the cache across files,
suppression, the process pool, and runs that must never load tree-sitter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from registry_lint import run as whole_run
from registry_lint.cache import ResultCache
from registry_lint.config import ConfigError
from registry_lint.config_table import parse_config
from registry_lint.discover import discover

from .helpers import lint_files, write_files
from .test_cache import Counter

PLUGIN = '''import { registerRequiredSecret } from "@agent-native/core/secrets";

registerRequiredSecret({
  key: "%s",
  label: "Key",
  docsUrl: "https://example.com/keys",
  scope: "user",
  kind: "api-key",
});
'''
ROUTE = '''import { readAppSecret } from "@agent-native/core/secrets";

export async function key(email: string) {
  const stored = await readAppSecret({ key: "ACME_API_KEY", scope: "user", scopeId: email });
  return stored?.value;
}
'''
APP = {
    "package.json": "{}\n",
    "plugin.ts": PLUGIN % "ACME_API_KEY",
    "server/plugin.ts": PLUGIN % "OTHER_KEY",
    "server/route.ts": ROUTE,
}


def run(root: Path, config: dict[str, object] | None = None, *, jobs: int = 1, cache: bool = True) -> list[str]:
    cfg = parse_config(dict(config or {}), root=root)
    result = whole_run.check(discover(["."], cfg), cfg, jobs=jobs, cache=ResultCache.for_config(cfg) if cache else None)
    assert not result.internal_errors, result.internal_errors
    return [f"{d.location.path}:{d.location.line}:{d.location.col}:{d.code}" for d in result.diagnostics]


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_files(tmp_path, APP)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# The cache and cross-file results -------------------------------------------------
def test_a_changed_registration_reaches_an_unchanged_read(app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(app) == []
    counter = Counter(monkeypatch)
    (app / "plugin.ts").write_text(PLUGIN % "ACME_KEY")
    assert run(app) == ["server/route.ts:4:45:RL706"]
    assert counter.paths == ["plugin.ts"]  # route.ts came from the cache, its read included
    (app / "plugin.ts").write_text(PLUGIN % "ACME_API_KEY")
    assert run(app) == []


def test_a_package_json_created_later_splits_the_app(app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(app) == []
    counter = Counter(monkeypatch)
    # No .ts file changes, but server/ becomes an app of its own, without ACME_API_KEY.
    (app / "server/package.json").write_text("{}\n")
    assert run(app) == ["server/route.ts:4:45:RL706"]
    assert sorted(counter.paths) == ["package.json", "plugin.ts", "route.ts"]


def test_process_pool_carries_the_app_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(APP)
    files.update({f"server/r{i}.ts": ROUTE.replace("ACME_API_KEY", f"KEY_{i}") for i in range(40)})
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    serial = run(tmp_path, cache=False)
    assert len(serial) == 40 and all(d.endswith("RL706") for d in serial)
    assert run(tmp_path, jobs=2, cache=False) == serial


# Suppression and single-file runs --------------------------------------------------------
def test_slash_noqa_suppresses_and_an_unused_one_is_reported(tmp_path: Path) -> None:
    route = ROUTE.replace('"ACME_API_KEY"', '"ACME_KEY"').replace(
        "scopeId: email });", "scopeId: email }); // noqa: RL706"
    )
    diags = lint_files(tmp_path, {**APP, "server/route.ts": route, "server/other.ts": ROUTE.replace("stored?.value;", "stored?.value; // noqa: RL709")})
    assert [(Path(d.location.path).name, d.code) for d in diags] == [("other.ts", "RL010")]


def test_a_set_without_the_apps_registrations_cannot_judge_reads(tmp_path: Path) -> None:
    # An editor buffer or one changed route file: RL706 cannot know the keys.
    result = whole_run.check_text("route.ts", ROUTE.replace("ACME_API_KEY", "ACME_KEY"), parse_config({}, root=tmp_path))
    assert [d.code for d in result.diagnostics] == []
    cfg = parse_config({"extra-app-secrets": {"OTHER_KEY": "user"}}, root=tmp_path)
    result = whole_run.check_text("route.ts", ROUTE.replace("ACME_API_KEY", "ACME_KEY"), cfg)
    assert [d.code for d in result.diagnostics] == ["RL706"]


def test_extra_app_secrets_config_is_validated(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="scope must be one of user, workspace, org"):
        parse_config({"extra-app-secrets": {"KEY": "team"}}, root=tmp_path)
    with pytest.raises(ConfigError, match="table of KEY = scope"):
        parse_config({"extra-app-secrets": ["KEY"]}, root=tmp_path)
    cfg = parse_config({"extra-app-secrets": {"B": "org", "A": "user"}}, root=tmp_path)
    assert cfg.extra_app_secrets == (("A", "user"), ("B", "org"))
    assert "('A', 'user')" in cfg.fingerprint()


def test_typescript_without_the_package_is_only_scanned(tmp_path: Path) -> None:
    # Same calls, but from another package: nothing to do with agent-native.
    other = ROUTE.replace("@agent-native/core/secrets", "./secrets").replace("ACME_API_KEY", "ACME_KEY")
    assert lint_files(tmp_path, {**APP, "server/other.ts": other}) == []


# Imports: tree-sitter only for files that need it -----------------------------------------
PROBE = """
import json, sys
from registry_lint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("\\n@@MODULES@@" + json.dumps(sorted(sys.modules)))
"""


def _modules(args: list[str], cwd: Path, block: bool = False) -> tuple[set[str], str]:
    probe = ("import sys\nsys.modules['tree_sitter'] = None\n" if block else "") + PROBE
    out = subprocess.run([sys.executable, "-c", probe, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    assert "@@MODULES@@" in out.stdout, out.stderr
    text, mods = out.stdout.rsplit("@@MODULES@@", 1)
    return set(json.loads(mods)), text


def _loaded(mods: set[str], top: str) -> bool:
    return top in mods or any(m.startswith(top + ".") for m in mods)


def test_python_yaml_and_plain_typescript_runs_never_import_tree_sitter(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "act.py": "from tracecat_registry import registry\n\nX = 1\n",
        "t.yml": "name: ci\n",
        "web/app.ts": 'import { useState } from "react";\nexport const apiKey = process.env.KEY;\n',
        "web/ui.ts": 'import { Button } from "@agent-native/core/client";\nexport const b = Button;\n',
    })
    mods, _ = _modules(["check", "--no-cache", "."], tmp_path)
    assert "registry_lint.engine" in mods
    assert not _loaded(mods, "tree_sitter") and not _loaded(mods, "tree_sitter_typescript")
    assert "registry_lint.extract.typescript" not in mods


def test_an_agent_native_file_imports_tree_sitter(tmp_path: Path) -> None:
    write_files(tmp_path, APP)
    mods, _ = _modules(["check", "--no-cache", "."], tmp_path)
    assert _loaded(mods, "tree_sitter")


def test_without_tree_sitter_agent_native_files_are_reported_not_skipped(tmp_path: Path) -> None:
    write_files(tmp_path, {**APP, "server/route.ts": ROUTE.replace("ACME_API_KEY", "ACME_KEY")})
    mods, out = _modules(["check", "--no-cache", "--no-show-source", "."], tmp_path, block=True)
    assert not _loaded(mods, "tree_sitter_typescript")
    lines = [line for line in out.splitlines() if ": RL" in line]
    assert len(lines) == 3 and all("RL003" in line and "registry-lint[typescript]" in line for line in lines), out


def test_version_and_rules_never_import_the_typescript_side(tmp_path: Path) -> None:
    for args in (["--version"], ["rules"], ["rule", "RL706"]):
        mods, _ = _modules(args, tmp_path)
        assert not _loaded(mods, "tree_sitter"), args
        assert "registry_lint.extract.typescript" not in mods and "registry_lint.extract.tsflow" not in mods, args
