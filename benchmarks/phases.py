"""Where a cold check spends its CPU: per phase and per rule, serial, in-process.

    python benchmarks/phases.py TREE [--top N]

Wraps the engine's phases with ``time.process_time()`` counters (no
profiler, whose overhead distorts Python-heavy code) and lints TREE once,
serially, without the cache. Nested phases overlap: ``rules`` contains every
``rule RLxxx`` row, ``py.extract`` contains ``py.positions``.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

START = time.process_time()

from registry_lint import config_files as cfgmod  # after START on purpose
from registry_lint import engine, run
from registry_lint.discover import discover

ACC: collections.Counter[str] = collections.Counter()


def timed(owner: Any, name: str, key: str) -> None:
    real: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            ACC[key] += time.process_time() - started

    setattr(owner, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    from registry_lint.extract import positions, python as pyx, yaml as yx

    timed(pyx, "parse_python", "py.parse")
    timed(pyx, "extract", "py.extract")
    timed(positions.PositionIndex, "_spans_for", "py.positions")
    timed(yx, "compose", "yaml.compose")
    timed(yx, "extract", "yaml.extract")
    timed(engine, "_run_rules", "rules")
    timed(engine, "read_source", "read")
    real_guard = engine._guard

    def guard(rule: Any, hook: Any, *hook_args: Any, result: Any) -> Any:
        started = time.process_time()
        try:
            return real_guard(rule, hook, *hook_args, result=result)
        finally:
            ACC[f"rule {rule.code}"] += time.process_time() - started

    engine._guard = guard
    tree = str(args.tree)
    cfg = cfgmod.load_config(cfgmod.find_config(args.tree), default_root=args.tree)
    started = time.process_time()
    files = discover([tree], cfg)
    ACC["discover"] = time.process_time() - started
    started = time.process_time()
    results = run.file_results(files, cfg, jobs=1)
    ACC["lint (all files)"] = time.process_time() - started
    started = time.process_time()
    run.finish(results, cfg)
    ACC["finish"] = time.process_time() - started
    ACC["TOTAL (incl. imports)"] = time.process_time() - START
    print(f"{len(files)} files, CPU seconds:")
    for key, value in sorted(ACC.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {key:28s} {value:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
