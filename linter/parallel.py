"""A process pool that maps one function over work items: a plain executor.

It knows nothing of files, rules or the cache: the caller (``run.py``)
gives the function (picklable: defined at a module's top level), the items,
an estimated cost per item, and what to do before the workers start. What
it adds is the handling a linter needs around a pool:

- serial below a minimum of work (forking costs more than it saves);
- guided chunks: largest items first, chunks shrinking as the work runs out;
- forked workers (Linux) that inherit what the parent loaded: ``prepare``
  runs in the parent first, may name items to run there too (so whatever
  they import or compile on first use is loaded once), then the parent's
  objects are frozen out of the cyclic GC (``gc.freeze``);
- a worker that dies (a native crash on hostile input) never hangs or stops
  the run: the rest is retried one item at a time in a one-worker pool
  (quarantine), the item that kills it gets ``crashed(item)``, every other
  item still runs;
- no pool at all (``OSError``, ...): everything runs serially.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: The smallest chunk is 1/this of a worker's share: small enough to even out
#: the end of the run, large enough that inter-process overhead stays negligible.
_MAX_CHUNKS_PER_WORKER = 32


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass
class Batch(Generic[T, R]):
    """What to run: ``fn`` over ``items`` (results are yielded with each item's position)."""

    fn: Callable[[T], R]
    items: Sequence[T]
    #: Estimated cost of each item (any unit; ``min_cost`` of ``run`` uses the same).
    costs: Sequence[float]
    #: The result of an item whose worker died.
    crashed: Callable[[T], R]
    #: A cheap item each quarantine pool runs first: when even that kills the
    #: worker, the workers are broken, not an item.
    canary: T
    #: Runs in the parent before the workers start (only when a pool is
    #: used); returns positions of items to run in the parent first.
    prepare: Callable[[], Sequence[int]] | None = None
    #: Runs in each worker as it starts (needed when workers are spawned, not forked).
    initializer: Callable[..., None] | None = None
    initargs: tuple[Any, ...] = ()


def run(batch: Batch[T, R], *, jobs: int, min_cost: float) -> Iterator[tuple[int, R]]:
    """``(position, fn(item))`` for every item, in the order they finish."""
    items = batch.items
    done: set[int] = set()
    if jobs > 1 and len(items) > 1 and sum(batch.costs) >= min_cost:
        try:
            for index, result in _in_pool(batch, jobs):
                done.add(index)
                yield index, result
            return
        except (OSError, RuntimeError, ImportError) as exc:
            from concurrent.futures.process import BrokenProcessPool

            if isinstance(exc, BrokenProcessPool):
                # A worker died: a native crash on some item. Running the rest
                # here would crash this process on that same item.
                yield from _quarantine(batch, [i for i in range(len(items)) if i not in done])
                return
            print(f"registry-lint: process pool unavailable ({type(exc).__name__}), linting serially", file=sys.stderr)
    for index, item in enumerate(items):
        if index not in done:
            yield index, batch.fn(item)


def _context():
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


def _in_pool(batch: Batch[T, R], jobs: int) -> Iterator[tuple[int, R]]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    first = list(batch.prepare()) if batch.prepare is not None else []
    primed = [(index, batch.fn(batch.items[index])) for index in first]
    import gc

    # What the workers inherit stays alive all run: keep their collector off
    # it (and its pages shared with the parent instead of copied on write).
    gc.freeze()
    done = set(first)
    rest = [i for i in range(len(batch.items)) if i not in done]
    if not rest:
        yield from primed
        return
    chunks = chunked(rest, [batch.costs[i] for i in rest], jobs)
    # concurrent.futures, not multiprocessing.Pool: a worker that dies (a
    # crash in native code on hostile input) raises BrokenProcessPool here
    # instead of hanging the run.
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)),
        mp_context=_context(),
        initializer=batch.initializer,
        initargs=batch.initargs,
    ) as pool:
        futures = [pool.submit(_run_chunk, batch.fn, [(i, batch.items[i]) for i in chunk]) for chunk in chunks]
        yield from primed  # handed out while the workers start
        for future in as_completed(futures):
            yield from future.result()


def _quarantine(batch: Batch[T, R], pending: list[int]) -> Iterator[tuple[int, R]]:
    """Run ``pending`` one by one in a one-worker pool: the item a worker dies
    on gets ``crashed(item)``, the pool restarts, and every other item still runs.

    Each pool first runs the canary: when even that kills the worker, the
    workers are broken, not an item, and the rest runs here.
    """
    import contextlib
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    items = batch.items
    while pending:
        finished = 0
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
                canary = pool.submit(_run_chunk, batch.fn, [(-1, batch.canary)])
                try:
                    # Before submitting the rest: a worker that dies at once
                    # breaks the pool while they are being submitted, and
                    # the first item would be blamed for it.
                    canary.result()
                except BrokenProcessPool:
                    break
                futures = []
                with contextlib.suppress(BrokenProcessPool):  # an item killed it: found below
                    for index in pending:
                        futures.append(pool.submit(_run_chunk, batch.fn, [(index, items[index])]))
                # One worker runs them in submission order: the first unfinished one killed it.
                for future in futures:
                    yield from future.result()
                    finished += 1
            return
        except BrokenProcessPool:
            index = pending[finished]
            yield index, batch.crashed(items[index])
            pending = pending[finished + 1 :]
    print("registry-lint: process pool unavailable (BrokenProcessPool), linting serially", file=sys.stderr)
    for index in pending:
        yield index, batch.fn(items[index])


def chunked(positions: list[int], costs: list[float], jobs: int) -> list[list[int]]:
    """Largest items first, in chunks that shrink as the work runs out.

    Guided self-scheduling: each chunk takes a 1/(2*jobs) share of the cost
    still unassigned, never less than a floor that keeps the per-chunk round
    trip negligible. Big chunks early amortise the overhead; small ones at
    the end let the workers finish together (equal-sized chunks left one
    worker idle for up to a whole chunk, ~50 ms on the Tracecat registry).
    """
    order = sorted(range(len(positions)), key=lambda i: -costs[i])
    remaining = sum(costs)
    floor = remaining / (jobs * _MAX_CHUNKS_PER_WORKER)
    chunks: list[list[int]] = []
    current: list[int] = []
    weight = 0.0
    target = max(remaining / (2 * jobs), floor)
    for i in order:
        current.append(positions[i])
        weight += costs[i]
        if weight >= target:
            chunks.append(current)
            remaining -= weight
            current, weight = [], 0.0
            target = max(remaining / (2 * jobs), floor)
    if current:
        chunks.append(current)
    return chunks


def _run_chunk(fn: Callable[[T], R], chunk: list[tuple[int, T]]) -> list[tuple[int, R]]:
    return [(index, fn(item)) for index, item in chunk]
