"""The result cache: hits, misses, invalidation, corruption, concurrency, no leaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint import engine
from registry_lint import run as whole_run
from registry_lint.cache import CACHE_DIR, ResultCache, verified_body
from registry_lint.cache_format import mask_line
from registry_lint.cli import main
from registry_lint.config_table import parse_config
from registry_lint.discover import discover
from registry_lint.suppress import scan

from .helpers import write_files

ACTIONS = '''\
from tracecat_registry import registry

from .consts import NAMESPACE


@registry.register(
    default_title="Ping",
    description="Ping the service.",
    display_group="Acme",
    doc_url="https://example.com/docs",
    namespace=NAMESPACE,
)
async def ping() -> str:
    return "pong"
'''
TEMPLATE = """\
type: action
definition:
  name: lookup
  namespace: tools.acme
  title: Lookup
  description: Look something up.
  display_group: Acme
  doc_url: https://example.com/docs
  expects:
    query:
      type: str
      description: What to look up.
  steps:
    - ref: call
      action: core.http_request
      args:
        url: https://example.com/api
        method: GET
        params:
          q: ${{ inputs.query }}
  returns: ${{ steps.call.result }}
"""
TREE = {
    "pkg/__init__.py": "",
    "pkg/consts.py": 'NAMESPACE = "tools.acme"\n',
    "pkg/actions.py": ACTIONS,
    "pkg/lookup.yml": TEMPLATE,
}


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_files(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


class Counter:
    """Counts how many files were really linted (not answered by the cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = engine.lint_file

        def counting(path, config, data=None):
            self.paths.append(Path(path).name)
            return real(path, config, data)

        monkeypatch.setattr(engine, "lint_file", counting)


def run(root: Path, config: dict[str, object] | None = None, *, cache: bool = True) -> list[str]:
    cfg = parse_config(dict(config or {}), root=root)
    paths = discover(["."], cfg)
    result = whole_run.check(paths, cfg, cache=ResultCache.for_config(cfg) if cache else None)
    assert not result.internal_errors
    return [f"{d.location.path}:{d.location.line}:{d.location.col}:{d.code}" for d in result.diagnostics]


def entries(root: Path) -> list[Path]:
    directory = root / CACHE_DIR / "v1"
    return sorted(p for p in directory.iterdir() if not p.name.startswith(".tmp-")) if directory.is_dir() else []


def test_second_run_is_answered_by_the_cache(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counter = Counter(monkeypatch)
    first = run(tree)
    assert sorted(counter.paths) == ["__init__.py", "actions.py", "consts.py", "lookup.yml"]
    counter.paths.clear()
    assert run(tree) == first
    assert counter.paths == []
    assert (tree / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"


def test_file_entries_answer_when_another_file_changed(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(tree)
    counter = Counter(monkeypatch)
    (tree / "pkg/lookup.yml").write_text(TEMPLATE.replace("  title: Lookup\n", ""))
    diagnostics = run(tree)
    assert counter.paths == ["lookup.yml"]  # the others come from their file entries
    assert any(d.startswith("pkg/lookup.yml") and d.endswith("RL102") for d in diagnostics)
    assert diagnostics == run(tree, cache=False)


def test_content_change_is_a_miss(tree: Path) -> None:
    assert run(tree) == []
    (tree / "pkg/actions.py").write_text(ACTIONS.replace('    default_title="Ping",\n', ""))
    assert [d.rsplit(":", 1)[1] for d in run(tree)] == ["RL102"]


def test_config_change_is_a_miss(tree: Path) -> None:
    (tree / "pkg/actions.py").write_text(ACTIONS.replace('    default_title="Ping",\n', ""))
    assert [d.rsplit(":", 1)[1] for d in run(tree)] == ["RL102"]
    assert run(tree, {"ignore": ["RL102"]}) == []
    assert [d.rsplit(":", 1)[1] for d in run(tree)] == ["RL102"]


def test_dependency_change_is_a_miss(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tree) == []
    counter = Counter(monkeypatch)
    # actions.py is unchanged, but the constant it imports now names a reserved namespace.
    (tree / "pkg/consts.py").write_text('NAMESPACE = "core.acme"\n')
    assert [d.rsplit(":", 1)[1] for d in run(tree)] == ["RL106"]
    assert sorted(counter.paths) == ["actions.py", "consts.py"]


def test_code_change_is_a_miss(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import registry_lint.cache as cache_module

    run(tree)
    counter = Counter(monkeypatch)
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another linter")
    run(tree)
    assert len(counter.paths) == 4


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: raw.split(b"\n", 1)[0] + b"\n", id="header-only"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw[:-3] + b"]}}", id="same-length-other-bytes"),
        pytest.param(lambda raw: raw.replace(b'"pkg/', b'"evil/'), id="edited-body"),
        pytest.param(lambda raw: b"\x80\x04\x95 not json, maybe a pickle\n", id="garbage"),
    ],
)
def test_corrupted_or_partial_entries_are_ignored(tree: Path, monkeypatch: pytest.MonkeyPatch, damage) -> None:
    (tree / "pkg/actions.py").write_text(ACTIONS.replace('    default_title="Ping",\n', ""))
    expected = run(tree)
    for entry in entries(tree):
        entry.write_bytes(damage(entry.read_bytes()))
    counter = Counter(monkeypatch)
    assert run(tree) == expected
    assert len(counter.paths) == 4  # nothing trusted
    counter.paths.clear()
    assert run(tree) == expected  # and the entries were rewritten
    assert counter.paths == []


def test_entries_are_verified_by_length_and_checksum(tree: Path) -> None:
    run(tree)
    for entry in entries(tree):
        raw = entry.read_bytes()
        body = verified_body(raw)
        assert body is not None
        json.loads(body)
        assert verified_body(raw + b" ") is None
        assert verified_body(raw[:-1]) is None


def test_no_cache_writes_nothing(tree: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", "."])
    assert result.exit_code == 0, result.output
    assert not (tree / CACHE_DIR).exists()
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 0, result.output
    assert entries(tree)


def test_unwritable_cache_directory_only_means_no_cache(tree: Path) -> None:
    (tree / CACHE_DIR).write_text("not a directory")
    assert run(tree) == run(tree, cache=False)


def test_outdated_entries_are_pruned(tree: Path) -> None:
    run(tree)
    before = len(entries(tree))
    for n in range(3):
        (tree / "pkg/consts.py").write_text(f'NAMESPACE = "tools.acme{n}"\n')
        run(tree)
    names = [p.name for p in entries(tree)]
    assert len([n for n in names if not n.startswith("run-")]) == before - 1  # one entry per file


@pytest.mark.slow
def test_two_concurrent_runs_do_not_corrupt_the_cache(tmp_path: Path) -> None:
    files = dict(TREE)
    for i in range(40):
        files[f"pkg/t{i}.yml"] = TEMPLATE.replace("name: lookup", f"name: lookup_{i}")
        files[f"pkg/m{i}.py"] = ACTIONS.replace("async def ping", f"async def ping_{i}")
    write_files(tmp_path, files)
    cmd = [sys.executable, "-m", "registry_lint", "check", "--jobs", "1", "."]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(2):
        procs = [subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [p.communicate(timeout=120)[0] for p in procs]
        assert outputs[0] == outputs[1]
    for entry in entries(tmp_path):
        assert verified_body(entry.read_bytes()) is not None, entry.name
    fresh = subprocess.run([*cmd, "--no-cache"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
    assert outputs[0] == fresh.stdout
    assert not list((tmp_path / CACHE_DIR / "v1").glob(".tmp-*"))


# No secret values -------------------------------------------------------------------
FAKE_TOKEN = "gh" + "p_" + "Zq8Xr2Lm5Nc7Vb1Kd4Hs6Jt9Wy3Fg0Pe2Ua8"


def test_results_with_credential_findings_are_never_written(tree: Path) -> None:
    (tree / "pkg/leak.py").write_text(f'TOKEN = "{FAKE_TOKEN}"  # noqa: RL501\n')
    run(tree)
    run(tree)
    for entry in (tree / CACHE_DIR).rglob("*"):
        if entry.is_file():
            assert FAKE_TOKEN.encode() not in entry.read_bytes()
            assert FAKE_TOKEN[4:20].encode() not in entry.read_bytes()
    # leak.py has no file entry; the run entry holds only the final (here
    # suppressed, so absent) diagnostics. (plugins-*: detect-secrets' regexes,
    # stored when a file first needs one.)
    assert len([p for p in entries(tree) if not p.name.startswith(("run-", "plugins-"))]) == 4
    # Reported (not suppressed), the finding keeps the whole run out of the cache.
    (tree / "pkg/leak.py").write_text(f'TOKEN = "{FAKE_TOKEN}"\n')
    assert any(d.endswith("RL501") for d in run(tree))
    runs = {p.name for p in entries(tree) if p.name.startswith("run-")}
    assert any(d.endswith("RL501") for d in run(tree))
    assert {p.name for p in entries(tree) if p.name.startswith("run-")} == runs
    for entry in entries(tree):
        assert FAKE_TOKEN[4:20].encode() not in entry.read_bytes()


def test_noqa_lines_are_stored_masked(tree: Path) -> None:
    line = 'PASSWORD_HINT = "correct horse battery"  # noqa: RL502, E501 trailing words'
    (tree / "pkg/hint.py").write_text(line + "\n")
    run(tree)
    stored = b"".join(p.read_bytes() for p in entries(tree))
    assert b"correct horse" not in stored and b"trailing words" not in stored
    masked = mask_line(line, scan(line).noqa)
    assert len(masked) == len(line)
    assert masked.endswith("  # noqa: RL502, E501" + " xxxxxxxx xxxxx")
    assert masked.startswith("xxxxxxxxxxxxx x ")


def test_entries_are_plain_json_text(tree: Path) -> None:
    run(tree)
    for entry in entries(tree):
        header, body = entry.read_bytes().split(b"\n", 1)
        assert header.startswith(b"registry-lint-cache 1 ")
        assert isinstance(json.loads(body.decode("utf-8")), dict)


# Packs: runs of PACK_MIN+ files keep their entries in one file -------------------
@pytest.fixture()
def big_tree(tree: Path) -> Path:
    from registry_lint.cache import PACK_MIN

    for i in range(PACK_MIN):
        (tree / f"pkg/t{i}.yml").write_text(TEMPLATE.replace("name: lookup", f"name: lookup_{i}"))
    return tree


def packs(root: Path) -> list[Path]:
    return [p for p in entries(root) if p.name.startswith("pack-")]


def test_big_runs_write_one_pack_and_hit_it(big_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run(big_tree)
    assert len(packs(big_tree)) == 1
    assert all(p.name.startswith(("pack-", "run-", "plugins-")) for p in entries(big_tree))  # no file entries
    for entry in entries(big_tree):
        if entry.name.startswith("run-"):
            entry.unlink()  # force per-file lookups
    counter = Counter(monkeypatch)
    assert run(big_tree) == first
    assert counter.paths == []


def test_pack_change_and_dependency_invalidation(big_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(big_tree) == []
    counter = Counter(monkeypatch)
    (big_tree / "pkg/t3.yml").write_text(TEMPLATE.replace("  title: Lookup\n", "").replace("name: lookup", "name: lookup_3"))
    assert [d.rsplit(":", 1)[1] for d in run(big_tree)] == ["RL102"]
    assert counter.paths == ["t3.yml"]
    counter.paths.clear()
    (big_tree / "pkg/consts.py").write_text('NAMESPACE = "core.acme"\n')
    assert sorted(d.rsplit(":", 1)[1] for d in run(big_tree)) == ["RL102", "RL106"]
    assert sorted(counter.paths) == ["actions.py", "consts.py"]
    assert len(packs(big_tree)) <= 3


def test_corrupted_pack_is_ignored(big_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = run(big_tree)
    for entry in entries(big_tree):
        if entry.name.startswith("run-"):
            entry.unlink()
        elif entry.name.startswith("pack-"):
            raw = entry.read_bytes()
            entry.write_bytes(raw[:-10] + b"0123456789")
    counter = Counter(monkeypatch)
    assert run(big_tree) == expected
    assert len(counter.paths) == len(list((big_tree / "pkg").iterdir()))


def test_transitive_dependency_change_is_a_miss(tree: Path) -> None:
    # actions.py <- consts.py <- base.py: editing base.py changes actions.py's result.
    (tree / "pkg/base.py").write_text('PREFIX = "tools"\n')
    (tree / "pkg/consts.py").write_text('from .base import PREFIX\n\nNAMESPACE = PREFIX + ".acme"\n')
    assert run(tree) == []
    (tree / "pkg/base.py").write_text('PREFIX = "core"\n')
    assert [d.rsplit(":", 1)[1] for d in run(tree)] == ["RL106"]


def test_a_sibling_created_later_is_a_miss(tree: Path) -> None:
    # The constant's module does not exist yet: its value is unknown, not a finding.
    (tree / "pkg/consts.py").unlink()
    first = run(tree)
    assert "RL106" not in " ".join(first)
    (tree / "pkg/consts.py").write_text('NAMESPACE = "core.acme"\n')
    assert "RL106" in " ".join(run(tree))


def test_agent_native_classes_join_the_format_when_first_needed() -> None:
    # A run without TypeScript never imports the agent-native model; an entry
    # that holds one still decodes and encodes (fresh process: nothing preloaded).
    from registry_lint import cache_format as cf
    from registry_lint.appmodel import AppFile, KeyReference
    from registry_lint.model import Location

    value = AppFile("a.ts", "app", key_refs=(KeyReference("NAME", Location("a.ts", 1, 2, 1, 9)),))
    payload = json.dumps(cf._enc(value))
    code = (
        "import json, sys\n"
        "from registry_lint import cache_format as cf\n"
        "assert 'registry_lint.appmodel' not in sys.modules\n"
        "value = cf._dec(json.loads(sys.argv[1]))\n"
        "print(repr(value))\n"
        "print(json.dumps(cf._enc(value)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, payload], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == [repr(value), payload]
