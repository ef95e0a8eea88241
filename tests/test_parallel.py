"""The process pool gives exactly the serial results; scheduling and fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint import engine, parallel
from registry_lint.cli import main
from registry_lint.config import parse_config
from registry_lint.discover import discover

from .helpers import write_files

PY = '''\
from tracecat_registry import RegistrySecret, registry, secrets

acme = RegistrySecret(name="acme", keys=["ACME_API_KEY"])


@registry.register(
    default_title="Action {n}",
    description="Does thing {n}.",
    display_group="Acme",
    namespace="{namespace}",
    secrets=[acme],
)
async def action_{n}(query{annotation}) -> dict:
    token = secrets.get("{key}")
    return {{"token_len": len(token), "q": query}}
'''
YML = """\
type: action
definition:
  name: lookup_{n}
  namespace: tools.acme
  title: Lookup {n}
  description: Look something up.
  display_group: Acme
  secrets:
    - name: acme
      keys: [ACME_API_KEY]
  expects:
    query:
      type: {type}
      description: What to look up.
  steps:
    - ref: call
      action: core.http_request
      args:
        url: https://example.com/api
        headers:
          Authorization: Bearer ${{{{ SECRETS.acme.{key} }}}}
        params:
          q: ${{{{ inputs.{input} }}}}
  returns: ${{{{ steps.call.result }}}}
"""


def make_tree(root: Path, count: int = 40) -> None:
    files: dict[str, str] = {}
    for n in range(count):
        # Every few files carry a different mistake, so the output is rich.
        files[f"reg/py/a{n:02}.py"] = PY.format(
            n=n,
            namespace="core.acme" if n % 5 == 0 else "tools.acme",
            annotation="" if n % 3 == 0 else ": str",
            key="ACME_API_KEY" if n % 4 else "ACME_KEY",
        )
        files[f"reg/yml/t{n:02}.yml"] = YML.format(
            n=n if n % 7 else 0,  # duplicate action keys across files (RL109)
            type="str" if n % 6 else "strng",
            key="ACME_API_KEY" if n % 4 else "WRONG",
            input="query" if n % 3 else "qurey",
        )
    files["reg/notes.txt"] = "nothing to see\n"
    files["reg/broken.py"] = "from tracecat_registry import registry\ndef f(:\n"
    write_files(root, files)


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture()
def force_pool(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Use the pool whatever the amount of work, and record that it was used."""
    used: list[int] = []
    real = parallel._lint_in_pool

    def recording(items, costs, jobs):  # type: ignore[no-untyped-def]
        used.append(len(items))
        return real(items, costs, jobs)

    monkeypatch.setattr(parallel, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_lint_in_pool", recording)
    return used


def test_jobs_2_output_is_identical_to_jobs_1(tree: Path, force_pool: list[int]) -> None:
    runner = CliRunner()
    serial = runner.invoke(main, ["check", "--no-cache", "--jobs", "1", "--output-format", "json", "."])
    assert not force_pool
    pooled = runner.invoke(main, ["check", "--no-cache", "--jobs", "2", "--output-format", "json", "."])
    assert force_pool == [82]  # > 64 files, all through the pool
    assert serial.exit_code == pooled.exit_code == 1
    assert serial.output == pooled.output
    for code in ("RL001", "RL106", "RL109", "RL152", "RL401", "RL604", "RL609"):
        assert f'"{code}"' in serial.output, code


def test_pool_results_match_serial_results_field_by_field(tree: Path, force_pool: list[int]) -> None:
    cfg = parse_config({}, root=tree)
    paths = discover(["."], cfg)
    assert len(paths) > 64
    serial = engine.run_files(paths, cfg, jobs=1)
    pooled = engine.run_files(paths, cfg, jobs=2)
    assert force_pool
    assert [r.path for r in pooled] == paths
    assert serial == pooled  # diagnostics, actions, directives, deps, in order


def test_pool_with_the_cache_fills_it_for_the_serial_run(tree: Path, force_pool: list[int]) -> None:
    runner = CliRunner()
    pooled = runner.invoke(main, ["check", "--jobs", "2", "."])
    assert force_pool
    cached = runner.invoke(main, ["check", "--jobs", "1", "."])
    assert pooled.output == cached.output


def test_small_inputs_stay_serial(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("pool used for a tiny input")

    monkeypatch.setattr(parallel, "_lint_in_pool", fail)
    cfg = parse_config({}, root=tree)
    engine.run_files(["reg/py/a01.py", "reg/yml/t01.yml"], cfg, jobs=2)


def test_pool_failure_falls_back_to_serial(tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object) -> None:
        raise OSError("no semaphores here")

    monkeypatch.setattr(parallel, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_lint_in_pool", broken)
    cfg = parse_config({}, root=tree)
    paths = discover(["."], cfg)
    assert engine.run_files(paths, cfg, jobs=2) == engine.run_files(paths, cfg, jobs=1)
    assert "linting serially" in capsys.readouterr().err


def test_chunks_cover_every_file_once_largest_first() -> None:
    items = [(i, f"f{i}.py", b"x" * (i * 100)) for i in range(50)]
    costs = [parallel.estimated_cost(path, data) for _, path, data in items]
    chunks = parallel._chunks(items, costs, jobs=2)
    flat = [item for chunk in chunks for item in chunk]
    assert sorted(i for i, _, _ in flat) == list(range(50))
    assert flat[0][0] == 49  # the most expensive file is handed out first
    assert 2 <= len(chunks) <= 2 * parallel._MAX_CHUNKS_PER_WORKER + 1
    weights = [sum(parallel.estimated_cost(p, d) for _, p, d in chunk) for chunk in chunks]
    # Guided scheduling: the first chunks carry the most work, the last the least.
    assert weights[0] == max(weights) and weights[-1] <= weights[0] / 4


def test_python_costs_more_than_yaml_per_byte() -> None:
    assert parallel.estimated_cost("a.py", b"x" * 1000) > parallel.estimated_cost("a.yml", b"x" * 1000)


def _die(args: object) -> None:
    import os

    os._exit(3)  # a crash in native code, say


def test_a_dying_worker_does_not_hang_the_run(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = parse_config({}, root=tree)
    paths = discover(["."], cfg)
    expected = engine.run_files(paths, cfg, jobs=1)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_lint_chunk", _die)
    assert engine.run_files(paths, cfg, jobs=2) == expected
    assert "linting serially" in capsys.readouterr().err
