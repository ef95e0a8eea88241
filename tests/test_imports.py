"""Heavy modules load only when needed (checked in a fresh interpreter each time).

`--version` and `rules` must not load the parsers; linting only YAML must not
load LibCST; nothing loads detect-secrets' plugins unless a selected rule
needs them for the file at hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, sys
from registry_lint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("\\n@@MODULES@@" + json.dumps(sorted(sys.modules)))
"""

TEMPLATE = """\
type: action
definition:
  name: lookup
  namespace: tools.acme
  title: Lookup
  description: Look something up.
  display_group: Acme
  expects:
    query: {type: str, description: What to look up.}
  steps:
    - ref: call
      action: core.http_request
      args: {url: "https://example.com/api", params: {q: "${{ inputs.query }}"}}
  returns: ${{ steps.call.result }}
"""
TOKEN = "gh" + "p_" + "Zq8Xr2Lm5Nc7Vb1Kd4Hs6Jt9Wy3Fg0Pe2Ua8"


def modules(args: list[str], cwd: Path) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert "@@MODULES@@" in out.stdout, out.stderr
    return set(json.loads(out.stdout.rsplit("@@MODULES@@", 1)[1]))


def loaded(mods: set[str], top: str) -> bool:
    return top in mods or any(m.startswith(top + ".") for m in mods)


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    (tmp_path / "t.yml").write_text(TEMPLATE)
    (tmp_path / "plain.py").write_text("import os\n\nX = os.sep\n")
    (tmp_path / "leak.py").write_text(f'TOKEN = "{TOKEN}"\n')
    return tmp_path


def test_version_imports_almost_nothing(tree: Path) -> None:
    mods = modules(["--version"], tree)
    for heavy in ("libcst", "yaml", "detect_secrets", "registry_lint.engine", "registry_lint.rules", "registry_lint.config"):
        assert not loaded(mods, heavy), heavy


def test_rules_listing_loads_no_parser_or_detector(tree: Path) -> None:
    mods = modules(["rules"], tree)
    assert "registry_lint.rules.files" in mods
    for heavy in ("libcst", "detect_secrets", "registry_lint.engine", "registry_lint.credentials"):
        assert not loaded(mods, heavy), heavy


def test_yaml_only_run_never_imports_libcst(tree: Path) -> None:
    mods = modules(["check", "--no-cache", "t.yml"], tree)
    assert "registry_lint.engine" in mods
    assert not loaded(mods, "libcst")


def test_with_the_cache_dir_in_place_no_run_imports_detect_secrets(tree: Path) -> None:
    # The first run stores the plugins' regexes; later runs (pre-commit on a
    # changed file) read them from there instead of importing detect-secrets.
    modules(["check", "plain.py"], tree)
    (tree / "t.yml").write_text(TEMPLATE.replace("Lookup", "Find"))
    mods = modules(["check", "t.yml"], tree)
    assert "registry_lint.credentials" in mods  # the file was really scanned
    assert not loaded(mods, "detect_secrets")
    assert not loaded(mods, "libcst")


def test_python_file_without_registry_markers_skips_libcst(tree: Path) -> None:
    mods = modules(["check", "--no-cache", "plain.py"], tree)
    assert not loaded(mods, "libcst")


def test_detector_plugins_load_only_for_selected_rules(tree: Path) -> None:
    assert not loaded(modules(["check", "--no-cache", "--select", "RL1", "leak.py"], tree), "detect_secrets")
    assert loaded(modules(["check", "--no-cache", "leak.py"], tree), "detect_secrets.plugins")


def test_warm_run_loads_no_rules_or_parsers(tree: Path) -> None:
    modules(["check", "t.yml", "plain.py"], tree)  # fills the cache
    mods = modules(["check", "t.yml", "plain.py"], tree)
    for heavy in ("libcst", "yaml", "detect_secrets", "registry_lint.rules", "registry_lint.credentials"):
        assert not loaded(mods, heavy), heavy


def test_first_run_reads_plugin_regexes_without_requests(tree: Path) -> None:
    # With a cache (default), the first run reads detect-secrets' plugin
    # regexes with a stand-in for `requests` and drops both afterwards.
    mods = modules(["check", "leak.py"], tree)
    assert not loaded(mods, "requests") and not loaded(mods, "urllib3")
    assert not loaded(mods, "detect_secrets")
    (entry,) = (tree / ".registry-lint-cache").glob("v*/plugins-*.json")
    stored = json.loads(entry.read_text().split("\n", 1)[1])["patterns"]
    # The same regexes a real import gives (and the real import still works after the stand-in).
    probe = (
        "import json\n"
        "from registry_lint.credentials import detectors as d\n"
        "d.read_plugin_patterns(['aws:AWSKeyDetector:0'])\n"
        "import requests, detect_secrets.plugins.base as base\n"
        "assert base.requests is requests and hasattr(requests, 'get')\n"
        "d._PLUGIN_CACHE.clear()\n"
        f"print(json.dumps({{r: d.plugin_pattern(r) for r in {sorted(stored)!r}}}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(out.stdout) == stored


def test_plugin_regexes_are_read_only_when_a_file_needs_them(tree: Path) -> None:
    # t.yml and plain.py hold nothing a plugin-backed detector looks for:
    # a first run neither imports detect-secrets nor stores its regexes.
    mods = modules(["check", "t.yml", "plain.py"], tree)
    assert "registry_lint.credentials" in mods and not loaded(mods, "detect_secrets")
    assert not list((tree / ".registry-lint-cache").glob("v*/plugins-*.json"))
    # The first file that needs one reads them once and stores them; the next
    # run takes them from the cache (leak.py is re-linted: findings with a
    # credential are never cached).
    modules(["check", "leak.py"], tree)
    assert list((tree / ".registry-lint-cache").glob("v*/plugins-*.json"))
    mods = modules(["check", "leak.py"], tree)
    assert "registry_lint.credentials" in mods and not loaded(mods, "detect_secrets")



def test_python_only_run_never_loads_template_machinery(tree: Path) -> None:
    # The template rules reach these modules through lazy module objects: a
    # `.py`-only run may register them but must never execute them.
    (tree / "act.py").write_text(
        "from tracecat_registry import registry\n\n"
        "@registry.register(namespace='tools.acme', description='d', default_title='T', display_group='A')\n"
        "async def act() -> int:\n    return 1\n"
    )
    probe = (
        "import sys\nfrom registry_lint.cli import main\n"
        "try:\n    main(['check', '--no-cache', 'act.py'])\nexcept SystemExit:\n    pass\n"
        "names = ('registry_lint.extract.template', 'registry_lint.extract.yaml', 'registry_lint.expressions', 'registry_lint.typeexpr',\n"
        "         'registry_lint.exprparse', 'registry_lint.extract.yamlexpr', 'registry_lint.catalogue.functions')\n"
        "print('libcst' in sys.modules, [n for n in names if n in sys.modules and type(sys.modules[n]).__name__ != '_LazyModule'])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=tree, capture_output=True, text=True, timeout=120, check=False)
    assert out.stdout.strip().splitlines()[-1] == "True []", out.stdout + out.stderr


def test_function_table_loads_only_for_fn_calls(tree: Path) -> None:
    # A template run reads the FN table only when an expression calls `FN.`.
    template = (
        "type: action\ndefinition:\n  name: a\n  namespace: tools.acme\n  title: A\n  description: A.\n"
        "  display_group: Acme\n  expects: {}\n  steps:\n    - ref: s\n      action: core.transform.reshape\n"
        "      args: {value: '${{ 1 + 1 }}'}\n  returns: ${{ steps.s.result }}\n"
    )
    (tree / "plain.yml").write_text(template)
    (tree / "calls.yml").write_text(template.replace("1 + 1", "FN.add(1, 1)"))
    probe = (
        "import sys\nfrom registry_lint.cli import main\n"
        "try:\n    main(['check', '--no-cache', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "m = sys.modules.get('registry_lint.catalogue.functions')\n"
        "print(m is not None and type(m).__name__ != '_LazyModule' and m.load.cache_info().currsize == 1)\n"
    )
    for name, loaded_table in (("plain.yml", "False"), ("calls.yml", "True")):
        out = subprocess.run([sys.executable, "-c", probe, name], cwd=tree, capture_output=True, text=True,
                             timeout=120, check=False)
        assert out.stdout.strip().splitlines()[-1] == loaded_table, out.stdout + out.stderr
