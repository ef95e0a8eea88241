"""Time registry-lint against detect-secrets and Fixit on one tree, in one run.

    python benchmarks/run.py TREE [--reps N] [--json OUT]

Every command runs as a child process from the tree's directory; its wall
time is taken around the child and its peak RSS comes from ``os.wait4`` (the
largest of the child and the workers it reaped). Repetitions are
interleaved (one of each command per round) so a busy machine slows all
tools alike, and the ratios are taken between medians of the same run.
See benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SKIP_DIRS = {".git", ".registry-lint-cache", "__pycache__", ".venv", "node_modules"}


@dataclass
class Bench:
    name: str
    argv: list[str]
    #: Remove the result cache before each repetition (for detect-secrets:
    #: so that it does not scan our cache files too).
    cold: bool = False
    #: Pre-commit style: the cache is in place but these files changed, so
    #: their entries (and the run entries) are evicted before each repetition.
    evict: tuple[str, ...] = ()
    #: The cache holds this very run already (nothing changed since).
    warm: bool = False
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        w = sorted(self.walls)
        return {
            "command": " ".join(self.argv),
            "cold_cache": self.cold,
            "samples_s": [round(x, 4) for x in self.walls],
            "median_s": round(statistics.median(w), 4),
            "min_s": round(w[0], 4),
            "max_s": round(w[-1], 4),
            "stdev_s": round(statistics.stdev(w), 4) if len(w) > 1 else 0.0,
            "cpu_median_s": round(statistics.median(self.cpus), 4),
            "peak_rss_mb": round(max(self.rss_kb) / 1024, 1),
            "exit_codes": sorted(set(self.exit_codes)),
        }


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if found is None:
            sys.exit(f"benchmarks: `{name}` not found; install the bench extra: pip install -e '.[bench]'")
        return found
    return str(path)


# Children run as installed tools do: with bytecode caching (some CI and agent
# environments set PYTHONDONTWRITEBYTECODE, which recompiles every module of
# an editable install on every start and would penalise it unfairly).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(argv: list[str], cwd: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in KiB, exit code) of one child process.

    CPU is user + system time of the child and the workers it reaped: less
    sensitive than wall time to other load on the machine.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=CHILD_ENV, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode


def tree_files(tree: Path) -> tuple[list[Path], list[Path], int]:
    py: list[Path] = []
    yml: list[Path] = []
    total = 0
    for root, dirs, files in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            total += 1
            path = Path(root, name).relative_to(tree)
            if name.endswith(".py"):
                py.append(path)
            elif name.endswith((".yml", ".yaml")):
                yml.append(path)
    return py, yml, total


def median_file(tree: Path, files: list[Path], marker: str) -> Path:
    """The median-sized file containing ``marker``: a typical pre-commit target."""
    candidates = [p for p in files if marker in (tree / p).read_text(encoding="utf-8", errors="replace")]
    if not candidates:
        candidates = files
    candidates.sort(key=lambda p: ((tree / p).stat().st_size, str(p)))
    return candidates[len(candidates) // 2]


def cache_dirs(tree: Path) -> list[Path]:
    """Where registry-lint puts its cache for runs started in ``tree``."""
    from registry_lint.cache import CACHE_DIR
    from registry_lint.config_files import find_config

    found = find_config(tree)
    roots = {tree.resolve(), (found.parent if found else tree).resolve()}
    return [root / CACHE_DIR for root in sorted(roots)]


def clear_cache(tree: Path) -> None:
    for directory in cache_dirs(tree):
        shutil.rmtree(directory, ignore_errors=True)


def has_run_entry(tree: Path) -> bool:
    return any(any(d.glob("v*/run-*")) for d in cache_dirs(tree))


def evict(tree: Path, paths: tuple[str, ...]) -> None:
    """Forget these files (as if they had just been edited) and every run entry."""
    from registry_lint.cache import file_ident

    cwd = os.getcwd()
    try:
        os.chdir(tree)  # entry names hash the path as displayed and absolute
        prefixes = tuple(file_ident(p) + "-" for p in paths) + ("run-",)
    finally:
        os.chdir(cwd)
    for directory in cache_dirs(tree):
        for entry in directory.glob("v*/*"):
            if entry.name.startswith(prefixes):
                entry.unlink()


def build(tree: Path, args: argparse.Namespace) -> tuple[list[Bench], dict[str, object]]:
    py, yml, total = tree_files(tree)
    if not py or not yml:
        sys.exit("benchmarks: TREE needs .py and .yml files")
    py_file = Path(args.py_file) if args.py_file else median_file(tree, py, "registry.register")
    yml_file = Path(args.yml_file) if args.yml_file else median_file(tree, yml, "definition:")
    rl, ds, dsh, fixit = tool("registry-lint"), tool("detect-secrets"), tool("detect-secrets-hook"), tool("fixit")
    benches = [
        Bench("registry-lint check (cold cache)", [rl, "check", "."], cold=True),
        Bench("registry-lint check (warm cache)", [rl, "check", "."], warm=True),
        # cold=True: no .registry-lint-cache/ for it to scan (it reads every file in TREE).
        Bench("detect-secrets scan --all-files", [ds, "scan", "--all-files"], cold=True),
        Bench("fixit lint (.py files)", [fixit, "lint", *map(str, py)]),
        Bench("registry-lint check (.py files, cold)", [rl, "check", *map(str, py)], cold=True),
        Bench("registry-lint check ONE.py (pre-commit)", [rl, "check", str(py_file)], evict=(str(py_file),)),
        Bench("detect-secrets-hook ONE.py", [dsh, str(py_file)]),
        Bench("registry-lint check ONE.yml (pre-commit)", [rl, "check", str(yml_file)], evict=(str(yml_file),)),
        Bench("detect-secrets-hook ONE.yml", [dsh, str(yml_file)]),
        Bench("registry-lint check ONE.py (no cache dir)", [rl, "check", str(py_file)], cold=True),
        Bench("registry-lint check ONE.yml (no cache dir)", [rl, "check", str(yml_file)], cold=True),
        Bench("registry-lint --version", [rl, "--version"]),
    ]
    info = {
        "tree": str(tree),
        "files": {"total": total, "py": len(py), "yml": len(yml)},
        "single_py": str(py_file),
        "single_yml": str(yml_file),
    }
    return benches, info


def run(benches: list[Bench], tree: Path, reps: int, warmup: bool) -> None:
    if warmup:  # fill the OS page cache and .pyc files; not recorded
        for bench in benches:
            measure(bench.argv, tree)
    for rep in range(reps):
        for bench in benches:
            if bench.cold:
                clear_cache(tree)
            elif bench.warm and not has_run_entry(tree):
                measure(bench.argv, tree)  # populate: the measured run changes nothing
            elif bench.evict:
                if not has_run_entry(tree):
                    measure(bench.argv, tree)  # a cache dir as a previous commit left it
                evict(tree, bench.evict)
            wall, cpu, rss, code = measure(bench.argv, tree)
            bench.walls.append(wall)
            bench.cpus.append(cpu)
            bench.rss_kb.append(rss)
            bench.exit_codes.append(code)
        print(f"  round {rep + 1}/{reps} done", file=sys.stderr)


def ratios(results: dict[str, dict[str, object]]) -> list[dict[str, object]]:
    def med(name: str) -> float:
        return float(results[name]["median_s"])

    def cpu(name: str) -> float:
        return float(results[name]["cpu_median_s"])

    rows = [
        ("cold full check / detect-secrets scan", "registry-lint check (cold cache)", "detect-secrets scan --all-files", 0.25),
        ("cold full check / fixit (.py only)", "registry-lint check (cold cache)", "fixit lint (.py files)", 1.0),
        ("warm / cold full check", "registry-lint check (warm cache)", "registry-lint check (cold cache)", 0.1),
        ("one .py / detect-secrets-hook", "registry-lint check ONE.py (pre-commit)", "detect-secrets-hook ONE.py", 1.0),
        ("one .yml / detect-secrets-hook", "registry-lint check ONE.yml (pre-commit)", "detect-secrets-hook ONE.yml", 0.7),
        ("cold .py files / fixit (same files)", "registry-lint check (.py files, cold)", "fixit lint (.py files)", None),
    ]
    out: list[dict[str, object]] = []
    for label, a, b, target in rows:
        ratio = med(a) / med(b)
        met = None if target is None else (ratio <= target if target < 1.0 else ratio < target)
        cpu_ratio = round(cpu(a) / cpu(b), 3) if cpu(b) else None
        out.append({"ratio": label, "value": round(ratio, 3), "target": target, "met": met, "cpu_value": cpu_ratio})
    rss = float(results["registry-lint check (cold cache)"]["peak_rss_mb"])
    out.append({"ratio": "peak RSS of a full check (MB)", "value": rss, "target": 300, "met": rss < 300, "cpu_value": None})
    return out


def table(results: dict[str, dict[str, object]], rows: list[dict[str, object]], meta: dict[str, object]) -> str:
    lines = [
        f"tree: {meta['tree']}  ({meta['files']})",
        f"cores: {meta['cores']}  python: {meta['python']}  reps: {meta['reps']}",
        f"single files: {meta['single_py']}, {meta['single_yml']}",
        "",
        f"{'benchmark':<42} {'median':>8} {'min':>8} {'max':>8} {'stdev':>7} {'CPU':>7} {'peak RSS':>9}",
    ]
    for name, r in results.items():
        lines.append(
            f"{name:<42} {r['median_s']:>7.3f}s {r['min_s']:>7.3f}s {r['max_s']:>7.3f}s {r['stdev_s']:>6.3f}s"
            f" {r['cpu_median_s']:>6.2f}s {r['peak_rss_mb']:>7.1f}MB"
        )
    lines += ["", f"{'ratio (medians of wall time)':<42} {'value':>8} {'target':>8}  met  {'CPU ratio':>9}"]
    for row in rows:
        target = "-" if row["target"] is None else (f"<{row['target']}" if row["target"] in (1.0, 300) else f"<={row['target']}")
        met = {True: "yes", False: "NO", None: ""}[row["met"]]
        cpu = "" if row.get("cpu_value") is None else f"{row['cpu_value']:>9}"
        lines.append(f"{row['ratio']:<42} {row['value']:>8} {target:>8}  {met:<3}  {cpu}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path, help="registry tree to lint (e.g. tracecat/packages/tracecat-registry)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of every command (default 5)")
    parser.add_argument("--json", dest="json_out", type=Path, help="write the results as JSON here")
    parser.add_argument("--py-file", help="the .py file for the single-file rows (relative to TREE)")
    parser.add_argument("--yml-file", help="the .yml file for the single-file rows (relative to TREE)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the unrecorded warm-up round")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    if not tree.is_dir():
        parser.error(f"{tree} is not a directory")
    benches, info = build(tree, args)
    meta = {
        **info,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "reps": args.reps,
        "load_average_before": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    print(f"benchmarking {tree} ({args.reps} rounds)...", file=sys.stderr)
    try:
        run(benches, tree, args.reps, warmup=not args.no_warmup)
    finally:
        clear_cache(tree)  # leave the tree as we found it
    meta["load_average_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    results = {b.name: b.summary() for b in benches}
    rows = ratios(results)
    sys.stdout.write(table(results, rows, meta))
    if args.json_out:
        args.json_out.write_text(json.dumps({"meta": meta, "results": results, "ratios": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
