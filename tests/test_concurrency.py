"""Concurrent, killed and huge runs: the cache is never corrupted or wrongly
trusted, and one malicious file among thousands costs nobody their findings.

All runs use the console script with default settings (cache on, process
pool), exactly as pre-commit and CI run it; every result is compared with
a ``--no-cache`` reference run of the same tree.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .hostile_inputs import CASES

CACHE_DIR = ".registry-lint-cache"
EXE = shutil.which("registry-lint", path=os.path.dirname(sys.executable))
pytestmark = [pytest.mark.slow, pytest.mark.skipif(EXE is None, reason="registry-lint console script not installed")]

YML = """\
type: action
definition:
  name: action_{i}
  namespace: tools.n{i}
  title: Action {i}
  display_group: Group
  doc_url: https://example.com/{i}
  expects:
    url: {{type: str, description: where}}
  steps:
    - ref: call
      action: core.http_request
      args: {{url: "${{{{ inputs.url }}}}"}}
  returns: ${{{{ steps.call.result }}}}
"""
PY = """\
from tracecat_registry import registry


@registry.register(default_title="A{i}", display_group="G", doc_url="https://example.com", namespace="tools.p{i}")
async def action_{i}(url: str) -> str:
    return url
"""


def make_tree(root: Path, n_yaml: int, n_py: int) -> Path:
    """Every file has exactly one finding: RL101 (no description)."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n_yaml):
        sub = root / f"templates/t{i % 17}"  # identifiers: the loader never enters `0/` (RL619)
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"t{i}.yml").write_text(YML.format(i=i), encoding="utf-8")
    for i in range(n_py):
        sub = root / f"udfs/m{i % 11}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"a{i}.py").write_text(PY.format(i=i), encoding="utf-8")
    return root


def run(root: Path, *args: str, timeout: float = 600) -> tuple[int, list[tuple[str, int, str]], str]:
    proc = subprocess.run(
        [EXE, "check", "--output-format", "json", *args, "."],
        cwd=root, capture_output=True, text=True, timeout=timeout,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    diags = sorted((d["filename"], d["location"]["row"] if "location" in d else d.get("line", 0), d["code"])
                   for d in json.loads(proc.stdout or "[]"))
    return proc.returncode, diags, proc.stderr


def _entries(root: Path) -> list[Path]:
    cache = root / CACHE_DIR
    return [p for p in cache.rglob("*.json") if p.is_file()] if cache.exists() else []


def _assert_entries_verify(root: Path) -> None:
    """Every entry a run left behind has a whole, checksummed body."""
    fmt = pytest.importorskip("registry_lint.cache_format")
    verify = getattr(fmt, "verified_body", None)
    if verify is None:
        pytest.skip("cache format has no verifier")
    bad = [p.name for p in _entries(root) if not p.name.startswith(".tmp-") and verify(p.read_bytes()) is None]
    assert bad == []


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, int, str]]]:
    root = make_tree(tmp_path_factory.mktemp("concurrency"), 260, 60)
    code, reference, _ = run(root, "--no-cache")
    assert code == 1 and sum(c == "RL101" for _, _, c in reference) == 320
    return root, reference


def _clear_cache(root: Path) -> None:
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)


def test_parallel_runs_on_one_tree_agree_and_leave_a_sound_cache(tree: tuple[Path, list[tuple[str, int, str]]]) -> None:
    root, reference = tree
    _clear_cache(root)
    all_rules = run(root, "--no-cache", "--select", "ALL")[1]
    variants = [[], [], ["--jobs", "1"], ["--select", "ALL"], [], ["--select", "ALL", "--jobs", "2"]]
    procs = [
        subprocess.Popen([EXE, "check", "--output-format", "json", *v, "."], cwd=root,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for v in variants
    ]
    for v, proc in zip(variants, procs):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 1, err[-2000:]
        got = sorted((d["filename"], d["location"]["row"] if "location" in d else d.get("line", 0), d["code"])
                     for d in json.loads(out))
        assert got == (all_rules if "ALL" in v else reference), v
    _assert_entries_verify(root)
    for _ in range(2):  # warm runs read what the racing runs wrote
        assert run(root)[:2] == (1, reference)
        assert run(root, "--select", "ALL")[:2] == (1, all_rules)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_killed_runs_leave_nothing_a_later_run_trusts(tree: tuple[Path, list[tuple[str, int, str]]]) -> None:
    root, reference = tree
    for delay in (0.15, 0.4, 0.8, 1.3, 2.0):
        _clear_cache(root)
        proc = subprocess.Popen([EXE, "check", "."], cwd=root, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the parent and its pool workers, mid-write or not
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)
        _assert_entries_verify(root)
        assert run(root)[:2] == (1, reference), f"after a kill at {delay}s"
        assert run(root)[:2] == (1, reference), f"warm run after a kill at {delay}s"


def test_damaged_or_swapped_entries_are_never_trusted(tree: tuple[Path, list[tuple[str, int, str]]]) -> None:
    root, reference = tree
    _clear_cache(root)
    assert run(root)[:2] == (1, reference)
    entries = sorted(_entries(root))
    if not entries:
        pytest.skip("no cache entries written (cache not implemented)")
    damage = [
        lambda b: b[: len(b) // 2],  # torn write
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # bit flip in the body
        lambda b: b"",  # empty file
        lambda b: b"\x80\x04\x95garbage pickle",  # something that is not ours at all
        lambda b: b.replace(b"RL101", b"RL102", 1),  # plausible content, checksum now wrong
    ]
    for i, entry in enumerate(entries):
        entry.write_bytes(damage[i % len(damage)](entry.read_bytes()))
    (root / CACHE_DIR / "v1").mkdir(exist_ok=True)
    (root / CACHE_DIR / "v1" / ".tmp-leftover").write_bytes(b"half an entry")
    assert run(root)[:2] == (1, reference)
    # Valid entries under the wrong names (another file's result): a miss, never a hit.
    entries = sorted(p for p in _entries(root) if not p.name.startswith("run-"))
    blobs = [p.read_bytes() for p in entries]
    for path, blob in zip(entries, blobs[1:] + blobs[:1]):
        path.write_bytes(blob)
    for run_entry in (p for p in _entries(root) if p.name.startswith("run-")):
        run_entry.unlink()
    assert run(root)[:2] == (1, reference)


def test_thousands_of_files_one_malicious(tmp_path: Path) -> None:
    """~2000 files and a handful of hostile ones: every other file's finding is reported."""
    root = make_tree(tmp_path / "big", 1700, 300)
    hostile = {c.id: c for c in CASES}
    for case_id in ("py-10k-parens", "py-50k-plus-chain", "yml-100k-flow-seq", "yml-billion-laughs", "py-binary", "yml-latin1"):
        case = hostile[case_id]
        (root / f"evil_{case_id}.{case.filename.rsplit('.', 1)[1]}").write_bytes(case.content)
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "templates" / "t0" / "pipe.yml")
    started = time.monotonic()
    code, diags, err = run(root, timeout=900)
    elapsed = time.monotonic() - started
    assert code == 1, err[-2000:]
    rl101 = {name for name, _, c in diags if c == "RL101"}
    assert len(rl101) == 2000, (len(rl101), err[-1000:])
    evil = {(Path(name).name, c) for name, _, c in diags if Path(name).name.startswith("evil_")}
    assert {("evil_py-10k-parens.py", "RL001"), ("evil_yml-100k-flow-seq.yml", "RL003"),
            ("evil_yml-billion-laughs.yml", "RL003"), ("evil_yml-latin1.yml", "RL003")} <= evil
    assert elapsed < 600
    # And again from the cache: identical.
    assert run(root, timeout=900)[:2] == (1, diags)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork-inherited patch: Linux only")
def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth behind the pre-checks: if a native parser still crashed
    a worker, that file gets RL003 and the parent never re-lints it itself."""
    from registry_lint import engine, run
    from registry_lint.config_table import parse_config
    from registry_lint.discover import discover

    root = make_tree(tmp_path / "t", 400, 40)
    (root / "killer.yml").write_text("a: b\n" + "# padding\n" * 300, encoding="utf-8")  # not the cheapest: not primed
    parent = os.getpid()
    real = engine._lint_file

    def dies_on_killer(path, config, data):
        if path.endswith("killer.yml") and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # what a segfault in LibCST/libyaml looks like to the pool
        return real(path, config, data)

    monkeypatch.setattr(engine, "_lint_file", dies_on_killer)
    cfg = parse_config({}, root=root)
    result = run.check(discover([str(root)], cfg), cfg, jobs=2)
    assert result.internal_errors == []
    by_file = {(Path(d.location.path).name, d.code) for d in result.diagnostics}
    assert ("killer.yml", "RL003") in by_file
    assert sum(code == "RL101" for _, code in by_file) == 440


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize("link", [CACHE_DIR, f"{CACHE_DIR}/v1"])
def test_a_planted_cache_symlink_is_never_written_through(link: str, tmp_path: Path) -> None:
    """A hostile checkout ships `.registry-lint-cache` (or its entry folder) as a
    symlink to somewhere else: nothing is written, pruned or created there."""
    root = make_tree(tmp_path / "repo", 40, 5)
    outside = tmp_path / "victim"
    outside.mkdir()
    (outside / "run-keep.json").write_text("precious", encoding="utf-8")
    if "/" in link:
        (root / CACHE_DIR).mkdir()
    os.symlink(outside, root / link)
    reference = run(root, "--no-cache")[:2]
    for _ in range(2):
        assert run(root)[:2] == reference
    assert sorted(p.name for p in outside.iterdir()) == ["run-keep.json"]
