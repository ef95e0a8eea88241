"""Per-file work for a whole run: cache lookups, then serial or a process pool.

The parent reads every file once, answers what it can from the cache, and
lints the rest. Misses go to worker processes together with the bytes the
parent read, so a result is always stored under the hash of exactly the
content it was computed from, even if the file changes during the run.

Workers are forked after the parent has built the rule set and imported the
parsers the batch needs, so a worker starts with everything loaded (rules are
instantiated once, in the parent) instead of paying the imports again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .source import kind_for

if TYPE_CHECKING:
    from .cache import ResultCache
    from .config import Config
    from .engine import FileResult, RunResult
    from .settings import Settings

#: Below this much estimated work (in YAML-byte equivalents, ~0.25 s of
#: serial work), priming and forking workers (~0.1 s) costs more than the
#: second core saves (measured: benchmarks/README.md, "Parallelism").
MIN_PARALLEL_WORK = 400_000
#: Relative cost per byte, measured on the Tracecat registry: a Python file
#: (LibCST parse, extraction, rules) costs ~4-5x a YAML template per byte.
_WEIGHT = {"python": 5.0, "yaml": 1.0, "typescript": 0.3, "text": 0.3}
#: The smallest chunk is 1/this of a worker's share: small enough to even out
#: the end of the run, large enough that inter-process overhead stays negligible.
_MAX_CHUNKS_PER_WORKER = 32

#: (index in the run, path, the bytes read or None, the file's own configuration)
Item = tuple[int, str, "bytes | None", "Config"]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_files(
    paths: Sequence[str], settings: Settings, *, jobs: int = 1, cache: ResultCache | None = None
) -> list[FileResult]:
    configs = [settings.for_path(path) for path in paths]
    if cache is None:
        return _results(paths, [None] * len(paths), configs, jobs, None)
    cache.begin(len(paths))
    datas = [_read(path, config) for path, config in zip(paths, configs)]
    results = _results(paths, datas, configs, jobs, cache)
    cache.flush()
    cache.prune()
    return results


def lint_cached(paths: Sequence[str], config: Config | Settings, *, jobs: int, cache: ResultCache) -> RunResult:
    """A whole run through the cache: one run entry when nothing changed,
    else file entries for what did not change and linting for the rest."""
    from .engine import finish
    from .settings import as_settings

    settings = as_settings(config)
    configs = [settings.for_path(path) for path in paths]
    cache.begin(len(paths))
    datas = [_read(path, cfg) for path, cfg in zip(paths, configs)]
    names = [
        cache.entry_name(path, cache.digest(path, data), cfg)
        for path, data, cfg in zip(paths, datas, configs)
        if data is not None
    ]
    run_name = cache.run_name(names) if len(names) == len(paths) else None
    if run_name is not None:
        run = cache.get_run(run_name)
        if run is not None:
            return run
    results = _results(paths, datas, configs, jobs, cache)
    run = finish(results, settings)
    if run_name is not None and not any(r.transient for r in results):  # timing-dependent runs are not stored
        cache.put_run(run_name, run, {dep for r in results for dep in r.deps})
    cache.flush()
    cache.prune()
    return run


def _results(
    paths: Sequence[str], datas: Sequence[bytes | None], configs: Sequence[Config], jobs: int, cache: ResultCache | None
) -> list[FileResult]:
    results: list[FileResult | None] = [None] * len(paths)
    todo: list[Item] = []
    for index, (path, data, config) in enumerate(zip(paths, datas, configs)):
        hit = cache.get(path, data, config) if cache is not None and data is not None else None
        if hit is not None:
            results[index] = hit
        else:
            todo.append((index, path, data, config))
    if todo and cache is not None and _scans_credentials({item[3] for item in todo}):
        cache.seed_plugin_patterns()
    # Results arrive as workers finish chunks; storing them right away
    # overlaps the cache writes (slow on some file systems) with the linting.
    for index, result in _lint(todo, jobs) if todo else ():
        results[index] = result
        data = datas[index]
        if cache is not None and data is not None:
            cache.put(paths[index], data, result, configs[index])
    return results  # type: ignore[return-value]


def _scans_credentials(configs: set[Config]) -> bool:
    from .engine import ruleset

    return any(code.startswith("RL5") for config in configs for code in ruleset(config).enabled)


def _read(path: str, config: Config) -> bytes | None:
    """The bytes to hash and lint, or None to let ``lint_file`` report the problem."""
    from .safeio import read_regular

    try:
        return read_regular(path, config.max_file_size)  # a FIFO must not block the run
    except OSError:
        return None


def estimated_cost(path: str, data: bytes | None) -> float:
    if data is None:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
    else:
        size = len(data)
    return size * _WEIGHT[kind_for(path)] + 2_000  # plus a fixed per-file cost


def _lint(items: list[Item], jobs: int) -> Iterator[tuple[int, FileResult]]:
    from .engine import lint_file

    costs = [estimated_cost(path, data) for _, path, data, _ in items]
    done: set[int] = set()
    if jobs > 1 and len(items) > 1 and sum(costs) >= MIN_PARALLEL_WORK:
        try:
            for index, result in _lint_in_pool(items, costs, jobs):
                done.add(index)
                yield index, result
            return
        except (OSError, RuntimeError, ImportError) as exc:
            from concurrent.futures.process import BrokenProcessPool

            if isinstance(exc, BrokenProcessPool):
                # A worker died: a native crash on some file. Linting the rest
                # here would crash this process on that same file.
                yield from _quarantine([item for item in items if item[0] not in done])
                return
            print(f"registry-lint: process pool unavailable ({type(exc).__name__}), linting serially", file=sys.stderr)
    for index, path, data, config in items:
        if index not in done:
            yield index, lint_file(path, config, data)


def _quarantine(items: list[Item]) -> Iterator[tuple[int, FileResult]]:
    """Lint ``items`` one by one in a one-worker pool: the file a worker dies
    on gets RL003, the pool restarts, and every other file is still linted.

    Each pool first lints an empty canary: when even that kills the worker,
    the workers are broken, not a file, and the rest is linted here.
    """
    import contextlib
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .engine import lint_file

    method = "fork" if sys.platform.startswith("linux") else None
    pending = list(items)
    while pending:
        finished = 0
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method)) as pool:
                canary = pool.submit(_lint_chunk, [(-1, "canary.txt", b"", pending[0][3])])
                try:
                    # Before submitting the rest: a worker that dies at once
                    # breaks the pool while they are being submitted, and
                    # the first file would be blamed for it.
                    canary.result()
                except BrokenProcessPool:
                    break
                futures = []
                with contextlib.suppress(BrokenProcessPool):  # a file killed it: found below
                    for item in pending:
                        futures.append(pool.submit(_lint_chunk, [item]))
                # One worker runs them in submission order: the first unfinished one killed it.
                for future in futures:
                    yield from future.result()
                    finished += 1
            return
        except BrokenProcessPool:
            index, path, _, _ = pending[finished]
            yield index, _crashed(path)
            pending = pending[finished + 1 :]
    print("registry-lint: process pool unavailable (BrokenProcessPool), linting serially", file=sys.stderr)
    for index, path, data, config in pending:
        yield index, lint_file(path, config, data)


def _crashed(path: str) -> FileResult:
    from .engine import UNREADABLE, FileResult
    from .model import Diagnostic, Location, Severity

    message = "Linting this file killed a worker process (a crash in a native parser); not linted"
    # Transient: never cached (it may have been the machine, e.g. out of memory).
    return FileResult(path, diagnostics=[Diagnostic(UNREADABLE, message, Location(path, 1, 1, 1, 1), Severity.WARNING)], transient=True)


def _chunks(items: list[Item], costs: list[float], jobs: int) -> list[list[Item]]:
    """Largest files first, in chunks that shrink as the work runs out.

    Guided self-scheduling: each chunk takes a 1/(2*jobs) share of the cost
    still unassigned, never less than a floor that keeps the per-chunk round
    trip negligible. Big chunks early amortise the overhead; small ones at
    the end let the workers finish together (equal-sized chunks left one
    worker idle for up to a whole chunk, ~50 ms on the Tracecat registry).
    """
    order = sorted(range(len(items)), key=lambda i: -costs[i])
    remaining = sum(costs)
    floor = remaining / (jobs * _MAX_CHUNKS_PER_WORKER)
    chunks: list[list[Item]] = []
    current: list[Item] = []
    weight = 0.0
    target = max(remaining / (2 * jobs), floor)
    for i in order:
        current.append(items[i])
        weight += costs[i]
        if weight >= target:
            chunks.append(current)
            remaining -= weight
            current, weight = [], 0.0
            target = max(remaining / (2 * jobs), floor)
    if current:
        chunks.append(current)
    return chunks


def _lint_in_pool(items: list[Item], costs: list[float], jobs: int) -> Iterator[tuple[int, FileResult]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .engine import ruleset

    # Load in the parent what every worker needs, so fork hands it over:
    # the rule set, and whatever rules import or compile on first use (the
    # parsers, the credential scanner, ...), by linting the cheapest file of
    # each kind here first. Otherwise every worker pays for that again.
    configs = list(dict.fromkeys(item[3] for item in items))
    for config in configs:
        ruleset(config)
    _fast_pickling()
    kinds = {kind_for(path) for _, path, _, _ in items}
    if "python" in kinds:
        from .extract import python as _python  # noqa: F401 - imports libcst
    if "yaml" in kinds:
        from .extract import yaml as _yaml  # noqa: F401
    primed = _prime(items, costs)
    import gc

    # What the workers inherit stays alive all run: keep their collector off
    # it (and its pages shared with the parent instead of copied on write).
    gc.freeze()
    done = {index for index, _ in primed}
    rest = [(item, cost) for item, cost in zip(items, costs) if item[0] not in done]
    if not rest:
        yield from primed
        return
    chunks = _chunks([item for item, _ in rest], [cost for _, cost in rest], jobs)
    method = "fork" if sys.platform.startswith("linux") else None
    # concurrent.futures, not multiprocessing.Pool: a worker that dies (a
    # crash in native code on hostile input) raises BrokenProcessPool here
    # instead of hanging the run.
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)),
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(configs,),
    ) as pool:
        futures = [pool.submit(_lint_chunk, chunk) for chunk in chunks]
        yield from primed  # stored while the workers start
        for future in as_completed(futures):
            yield from future.result()


def _prime(items: list[Item], costs: list[float]) -> list[tuple[int, FileResult]]:
    from .engine import lint_file

    cheapest: dict[str, tuple[float, Item]] = {}
    for item, cost in zip(items, costs):
        kind = kind_for(item[1])
        if kind not in cheapest or cost < cheapest[kind][0]:
            cheapest[kind] = (cost, item)
    return [(index, lint_file(path, config, data)) for _, (index, path, data, config) in sorted(cheapest.values(), key=lambda c: (c[0], c[1][0]))]


def _fast_pickling() -> None:
    """Pickle the model's frozen dataclasses as (class, field values).

    The default path (``__reduce_ex__`` and a state dict per slotted object)
    made sending a run's results from the workers cost ~0.1 s more CPU.
    Registered before forking (and again in spawned workers).
    """
    import copyreg
    from dataclasses import fields

    from .model import ActionSpec, Diagnostic, Edit, Fix, Location, SecretRef, SecretSpec, Value

    for cls in (Location, Value, SecretSpec, SecretRef, ActionSpec, Edit, Fix, Diagnostic):
        if cls in copyreg.dispatch_table:
            continue
        names = tuple(f.name for f in fields(cls))
        copyreg.pickle(cls, lambda obj, cls=cls, names=names: (cls, tuple([getattr(obj, n) for n in names])))


def _init_worker(configs: list[Config]) -> None:
    from .engine import ruleset

    _fast_pickling()
    for config in configs:
        ruleset(config)  # already built when forked; built once per worker otherwise


def _lint_chunk(chunk: list[Item]) -> list[tuple[int, FileResult]]:
    from .engine import lint_file

    return [(index, lint_file(path, config, data)) for index, path, data, config in chunk]
