"""Size and time budget for the hostile shapes that used to blow up.

    python benchmarks/hostile.py [--reps N]

Two inputs from issue 13 (item 7), built in a temporary directory:

- ``same-key``: one `.py` file with 1000 actions of one key. Each RL109
  finding lists at most 5 other locations, so the report grows linearly
  (it was 41 MB of text and 480 MB of JSON).
- ``deep-tree``: one file 1100 directories deep. Path matching is linear in
  the depth (discovery took 4.8 s).

Each runs through the console script (`--no-cache`, as a child process,
wall time around it, median of the repetitions) in text and JSON. The
script prints a table and exits 1 when any median or output size is over
its budget (``BUDGETS``; benchmarks/README.md). The test suite checks the
output sizes too (tests/test_hostile.py, tests/test_hostile_fs.py), never
the times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
DEPTH = 1100
SAME_KEY = 1000
#: (case, output format) -> (seconds, bytes). The seconds are generous (a
#: 2-core machine shared with other work: measured 0.2-0.8 s); what they
#: catch is a return of the quadratic behaviour (seconds to minutes).
BUDGETS: dict[tuple[str, str], tuple[float, int]] = {
    ("same-key", "text"): (3.0, 200 * SAME_KEY),
    ("same-key", "json"): (3.0, 3_000 * SAME_KEY),
    ("deep-tree", "text"): (1.5, 10_000),
    ("deep-tree", "json"): (1.5, 20_000),
}


def build_same_key(root: Path) -> list[str]:
    one = (
        "\n@registry.register(namespace='tools.x', description='d', default_title='T', display_group='G', "
        "doc_url='https://x.example')\nasync def same() -> int:\n    return 1\n"
    )
    (root / "a.py").write_text("from tracecat_registry import registry\n" + one * SAME_KEY, encoding="utf-8")
    return ["a.py"]


def build_deep_tree(root: Path) -> list[str]:
    path = root
    for _ in range(DEPTH):
        path = path / "d"
        path.mkdir()
    (path / "x.yml").write_text("a: [\n", encoding="utf-8")
    return ["."]


def remove(root: Path) -> None:
    # shutil.rmtree recurses: take the deep chain apart bottom-up.
    chain = [root / "d"]
    while (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for directory in reversed(chain):
        if directory.is_dir():
            for child in directory.iterdir():
                if not child.is_dir():
                    child.unlink()
            directory.rmdir()
    shutil.rmtree(root, ignore_errors=True)


def measure(root: Path, args: list[str], fmt: str, reps: int) -> tuple[float, int]:
    exe = shutil.which("registry-lint", path=str(BIN)) or "registry-lint"
    argv = [exe, "check", "--no-cache", "--output-format", fmt, *args]
    walls, size = [], 0
    for _ in range(reps):
        started = time.perf_counter()
        proc = subprocess.run(argv, cwd=root, capture_output=True, timeout=600, check=False)
        walls.append(time.perf_counter() - started)
        if proc.returncode != 1:
            raise SystemExit(f"{' '.join(argv)}: exit {proc.returncode}\n{proc.stderr.decode()[-2000:]}")
        size = len(proc.stdout)
    return statistics.median(walls), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    opts = parser.parse_args()
    builders = {"same-key": build_same_key, "deep-tree": build_deep_tree}
    over = []
    print(f"{'case':<10} {'format':<6} {'median':>8} {'budget':>8} {'bytes':>10} {'budget':>10}")
    for case, build in builders.items():
        root = Path(tempfile.mkdtemp(prefix=f"rl-hostile-{case}-"))
        try:
            args = build(root)
            for fmt in ("text", "json"):
                seconds, size = measure(root, args, fmt, opts.reps)
                max_s, max_bytes = BUDGETS[(case, fmt)]
                flag = ""
                if seconds > max_s or size > max_bytes:
                    over.append((case, fmt))
                    flag = "  OVER BUDGET"
                print(f"{case:<10} {fmt:<6} {seconds:>7.3f}s {max_s:>7.1f}s {size:>10} {max_bytes:>10}{flag}")
        finally:
            remove(root)
    if over:
        print(f"over budget: {over}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
