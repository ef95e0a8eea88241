"""The process pool gives exactly the serial results; scheduling and fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint import parallel, run
from registry_lint.cli import main
from registry_lint.config_table import parse_config
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
    real = parallel._in_pool

    def recording(batch, jobs):
        used.append(len(batch.items))
        return real(batch, jobs)

    monkeypatch.setattr(run, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_in_pool", recording)
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
    serial = run.file_results(paths, cfg, jobs=1)
    pooled = run.file_results(paths, cfg, jobs=2)
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

    monkeypatch.setattr(parallel, "_in_pool", fail)
    cfg = parse_config({}, root=tree)
    run.file_results(["reg/py/a01.py", "reg/yml/t01.yml"], cfg, jobs=2)


def test_pool_failure_falls_back_to_serial(tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object) -> None:
        raise OSError("no semaphores here")

    monkeypatch.setattr(run, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_in_pool", broken)
    cfg = parse_config({}, root=tree)
    paths = discover(["."], cfg)
    assert run.file_results(paths, cfg, jobs=2) == run.file_results(paths, cfg, jobs=1)
    assert "linting serially" in capsys.readouterr().err


def test_chunks_cover_every_file_once_largest_first() -> None:
    items = [(f"f{i}.py", b"x" * (i * 100)) for i in range(50)]
    costs = [run.estimated_cost(path, data) for path, data in items]
    chunks = parallel.chunked(list(range(50)), costs, jobs=2)
    flat = [i for chunk in chunks for i in chunk]
    assert sorted(flat) == list(range(50))
    assert flat[0] == 49  # the most expensive file is handed out first
    assert 2 <= len(chunks) <= 2 * parallel._MAX_CHUNKS_PER_WORKER + 1
    weights = [sum(costs[i] for i in chunk) for chunk in chunks]
    # Guided scheduling: the first chunks carry the most work, the last the least.
    assert weights[0] == max(weights) and weights[-1] <= weights[0] / 4


def test_python_costs_more_than_yaml_per_byte() -> None:
    assert run.estimated_cost("a.py", b"x" * 1000) > run.estimated_cost("a.yml", b"x" * 1000)


def _die(*args: object) -> None:
    import os

    os._exit(3)  # a crash in native code, say


def test_a_dying_worker_does_not_hang_the_run(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = parse_config({}, root=tree)
    paths = discover(["."], cfg)
    expected = run.file_results(paths, cfg, jobs=1)
    monkeypatch.setattr(run, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_run_chunk", _die)
    assert run.file_results(paths, cfg, jobs=2) == expected
    assert "linting serially" in capsys.readouterr().err


# The pool on its own: a plain executor, nothing of files or rules -----------------
def _square(n: int) -> int:
    return n * n


def _square_or_die(n: int) -> int:
    import os

    if n == 3 and os.getpid() != PARENT[0]:
        os._exit(3)  # a native crash on this one item
    return n * n


PARENT = [0]


def _batch(fn, items: list[int]) -> parallel.Batch[int, int]:
    return parallel.Batch(fn=fn, items=items, costs=[1.0] * len(items), crashed=lambda n: -n, canary=0)


def test_the_pool_maps_a_function_over_items() -> None:
    items = list(range(20))
    assert sorted(parallel.run(_batch(_square, items), jobs=2, min_cost=0)) == [(i, i * i) for i in items]
    # Below the minimum of work: serially, in order.
    assert list(parallel.run(_batch(_square, items), jobs=2, min_cost=1e9)) == [(i, i * i) for i in items]


def test_the_item_that_kills_a_worker_gets_crashed_and_the_rest_still_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import os

    PARENT[0] = os.getpid()
    items = list(range(8))
    got = dict(parallel.run(_batch(_square_or_die, items), jobs=2, min_cost=0))
    assert got == {i: (-i if i == 3 else i * i) for i in items}
