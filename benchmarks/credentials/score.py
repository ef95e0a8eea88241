"""Score registry-lint (RL5), detect-secrets and CredSweeper on the same labelled corpus, in one run.

    python benchmarks/credentials/score.py [--out DIR] [--seed N] [--scale K] [--no-generate]

Generates the corpus (``generate.py``) unless ``--no-generate``, runs
``registry-lint check --select RL5 --output-format json``,
``detect-secrets scan --all-files`` and, when installed, ``credsweeper
--path . --hashed`` on it, and prints precision, recall and F1 per kind,
per file type, per split and overall for each tool, then the same per kind
and per file type for the newest held-out set (holdout-4); writes
``DIR/results.json``. A tool that is not installed is reported as such.

Scoring is per line. A finding on a line inside a labelled credential's
span is a true positive for that credential (several findings on one
credential count once); a credential with no finding is a false negative;
a line with findings and no credential label is one false positive,
attributed to the kind its hard-negative label imitates (or ``unlabeled``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from generate import generate

Counts = dict[str, int]


def run_registry_lint(corpus: Path) -> tuple[dict[str, set[int]], float]:
    cmd = [sys.executable, "-m", "registry_lint", "check", ".", "--select", "RL5", "--output-format", "json",
           "--exit-zero", "--no-cache", "--config", "registry-lint.toml"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=corpus, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"registry-lint failed ({proc.returncode}): {proc.stderr[-2000:]}")
    found: dict[str, set[int]] = defaultdict(set)
    for diag in json.loads(proc.stdout):
        found[Path(diag["filename"]).as_posix().removeprefix("./")].add(diag["location"]["row"])
    return found, elapsed


def _detect_secrets_cmd() -> list[str]:
    local = Path(sys.executable).with_name("detect-secrets")
    exe = str(local) if local.exists() else shutil.which("detect-secrets")
    if exe is None:
        raise SystemExit("detect-secrets is not installed")
    return [exe, "scan", "--all-files", "."]


def run_detect_secrets(corpus: Path) -> tuple[dict[str, set[int]], float]:
    start = time.perf_counter()
    proc = subprocess.run(_detect_secrets_cmd(), cwd=corpus, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"detect-secrets failed ({proc.returncode}): {proc.stderr[-2000:]}")
    found: dict[str, set[int]] = defaultdict(set)
    for filename, results in json.loads(proc.stdout)["results"].items():
        for result in results:
            found[Path(filename).as_posix().removeprefix("./")].add(result["line_number"])
    return found, elapsed


def _credsweeper_exe() -> str | None:
    local = Path(sys.executable).with_name("credsweeper")
    return str(local) if local.exists() else shutil.which("credsweeper")


def run_credsweeper(corpus: Path) -> tuple[dict[str, set[int]], float] | None:
    """CredSweeper's default scan (ML validation on); ``--hashed`` so its report never holds a value."""
    exe = _credsweeper_exe()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "credsweeper.json"
        start = time.perf_counter()
        proc = subprocess.run([exe, "--path", ".", "--save-json", str(report), "--hashed", "--no-stdout"],
                              cwd=corpus, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0 or not report.exists():
            raise SystemExit(f"credsweeper failed ({proc.returncode}): {proc.stderr[-2000:]}")
        found: dict[str, set[int]] = defaultdict(set)
        for candidate in json.loads(report.read_text(encoding="utf-8")):
            for line in candidate["line_data_list"]:
                found[Path(line["path"]).as_posix().removeprefix("./")].add(int(line["line_num"]))
    return found, elapsed


def _subset(mapping: dict, keep) -> dict:
    return {k: v for k, v in mapping.items() if keep(k)}


def _suffix(path: str) -> str:
    return Path(path).suffix or Path(path).name


def evaluate(labels: dict[str, list[dict[str, object]]], found: dict[str, set[int]]) -> dict[str, object]:
    by_kind: dict[str, Counts] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    by_type: dict[str, Counts] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    misses: list[dict[str, object]] = []
    false_alarms: list[dict[str, object]] = []
    for path in sorted(set(labels) | set(found)):
        file_labels = labels.get(path, [])
        lines = found.get(path, set())
        secrets = [lab for lab in file_labels if lab["label"] == "secret"]
        covered: set[int] = set()
        for lab in secrets:
            span = set(range(int(lab["line"]), int(lab["end_line"]) + 1))
            covered |= span
            hit = bool(span & lines)
            key = "tp" if hit else "fn"
            by_kind[str(lab["kind"])][key] += 1
            by_type[_suffix(path)][key] += 1
            if not hit:
                misses.append({"file": path, "line": lab["line"], "kind": lab["kind"]})
        negatives = {int(lab["line"]): str(lab["kind"]) for lab in file_labels if lab["label"] == "negative"}
        for lab in file_labels:
            if lab["label"] == "negative":
                for n in range(int(lab["line"]), int(lab["end_line"]) + 1):
                    negatives.setdefault(n, str(lab["kind"]))
        for line in sorted(lines - covered):
            kind = negatives.get(line, "unlabeled")
            by_kind[kind]["fp"] += 1
            by_type[_suffix(path)]["fp"] += 1
            false_alarms.append({"file": path, "line": line, "imitates": kind, "hard_negative": line in negatives})
    overall = {"tp": 0, "fp": 0, "fn": 0}
    for counts in by_kind.values():
        for k in overall:
            overall[k] += counts[k]
    return {
        "overall": _metrics(overall),
        "per_kind": {k: _metrics(v) for k, v in sorted(by_kind.items())},
        "per_file_type": {k: _metrics(v) for k, v in sorted(by_type.items())},
        "false_negatives": misses,
        "false_positives": false_alarms,
    }


def _metrics(c: Counts) -> dict[str, float | int]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {**c, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


Metrics = dict[str, float | int]


def _row(name: str, cells: list[Metrics | None]) -> str:
    first = next(c for c in cells if c is not None)
    n = int(first["tp"]) + int(first["fn"])
    out = [f"{c['precision']:.3f} {c['recall']:.3f} {c['f1']:.3f} {c['fp']:>4}" if c is not None else f"{'n/a':^22}"
           for c in cells]
    return f"{name:<20} {n:>5} | " + " | ".join(out)


def table(title: str, tools: list[str], rows: dict[str, list[Metrics | None]]) -> str:
    head = f"{title:<20} {'n':>5} | " + " | ".join(f"{t:^22}" for t in tools) + "\n"
    head += f"{'':<20} {'':>5} | " + " | ".join(f"{'P':>5} {'R':>5} {'F1':>5} {'FP':>4}" for _ in tools) + "\n"
    head += "-" * (28 + 25 * len(tools)) + "\n"
    return head + "\n".join(_row(k, v) for k, v in rows.items()) + "\n"


EMPTY: Metrics = {"tp": 0, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
SPLITS = (("main corpus", lambda p: not p.startswith("holdout")),
          ("holdout-1 (tuned)", lambda p: p.startswith("holdout/")),
          ("holdout-2 (tuned)", lambda p: p.startswith("holdout2/")),
          ("holdout-3 (untuned)", lambda p: p.startswith("holdout3/")),
          ("holdout-4 (issue 17)", lambda p: p.startswith("holdout4/")))


def _breakdown(results: list[dict | None], part: str) -> dict[str, list[Metrics | None]]:
    keys = sorted({k for r in results if r is not None for k in r[part]})
    return {k: [None if r is None else r[part].get(k, EMPTY) for r in results] for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "registry-lint-credential-corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=5)
    parser.add_argument("--no-generate", action="store_true", help="Score an existing corpus in --out.")
    args = parser.parse_args()
    if not args.no_generate:
        generate(args.out, args.seed, args.scale)
    labels = json.loads((args.out / "labels.json").read_text(encoding="utf-8"))["files"]
    corpus = args.out / "corpus"
    tools = ["registry-lint", "detect-secrets", "CredSweeper"]
    runs = [run_registry_lint(corpus), run_detect_secrets(corpus), run_credsweeper(corpus)]
    found = [None if run is None else run[0] for run in runs]
    whole = [None if f is None else evaluate(labels, f) for f in found]
    split = {name: [None if f is None else evaluate(_subset(labels, keep), _subset(f, keep)) for f in found]
             for name, keep in SPLITS}
    n_pos = sum(1 for ls in labels.values() for lab in ls if lab["label"] == "secret")
    n_neg = sum(1 for ls in labels.values() for lab in ls if lab["label"] == "negative")
    print(f"corpus: {len(labels)} files, {n_pos} credentials, {n_neg} hard negatives (seed {args.seed}, scale {args.scale})")
    if runs[2] is None:
        print("CredSweeper is not installed: its columns are n/a")
    print()
    print(table("kind", tools, _breakdown(whole, "per_kind")))
    print(table("file type", tools, _breakdown(whole, "per_file_type")))
    print(table("split", tools, {k: [None if r is None else r["overall"] for r in v] for k, v in split.items()}))
    newest = split["holdout-4 (issue 17)"]
    print(table("holdout-4 kind", tools, _breakdown(newest, "per_kind")))
    print(table("holdout-4 file type", tools, _breakdown(newest, "per_file_type")))
    print(table("overall", tools, {"all": [None if r is None else r["overall"] for r in whole]}))
    print("time: " + ", ".join(f"{t} {run[1]:.2f}s" for t, run in zip(tools, runs) if run is not None))
    result = {"corpus": {"files": len(labels), "credentials": n_pos, "hard_negatives": n_neg, "seed": args.seed,
                         "scale": args.scale},
              "split": {k: {t: r["overall"] for t, r in zip(tools, v) if r is not None} for k, v in split.items()},
              "holdout-4": {t: r for t, r in zip(tools, newest) if r is not None}}
    for t, r, run in zip(tools, whole, runs):
        if r is not None and run is not None:
            result[t] = {**r, "seconds": round(run[1], 3)}
    out = args.out / "results.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
