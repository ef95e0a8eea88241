"""Score registry-lint (RL5) and detect-secrets on the same labelled corpus, in one run.

    python benchmarks/credentials/score.py [--out DIR] [--seed N] [--scale K] [--no-generate]

Generates the corpus (``generate.py``) unless ``--no-generate``, runs
``registry-lint check --select RL5 --output-format json`` and
``detect-secrets scan --all-files`` on it, and prints precision, recall
and F1 per kind, per file type and overall for both tools; writes
``DIR/results.json``.

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

from generate import generate  # noqa: E402

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


def _subset(mapping: dict, keep) -> dict:  # type: ignore[no-untyped-def,type-arg]
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
            span = set(range(int(lab["line"]), int(lab["end_line"]) + 1))  # type: ignore[call-overload]
            covered |= span
            hit = bool(span & lines)
            key = "tp" if hit else "fn"
            by_kind[str(lab["kind"])][key] += 1
            by_type[_suffix(path)][key] += 1
            if not hit:
                misses.append({"file": path, "line": lab["line"], "kind": lab["kind"]})
        negatives = {int(lab["line"]): str(lab["kind"]) for lab in file_labels if lab["label"] == "negative"}  # type: ignore[call-overload]
        for lab in file_labels:
            if lab["label"] == "negative":
                for n in range(int(lab["line"]), int(lab["end_line"]) + 1):  # type: ignore[call-overload]
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


def _row(name: str, a: dict[str, float | int], b: dict[str, float | int]) -> str:
    n = int(a["tp"]) + int(a["fn"])
    cells = [f"{x['precision']:.3f} {x['recall']:.3f} {x['f1']:.3f} {x['fp']:>4}" for x in (a, b)]
    return f"{name:<20} {n:>5} | {cells[0]} | {cells[1]}"


def table(title: str, rows: dict[str, tuple[dict[str, float | int], dict[str, float | int]]]) -> str:
    head = f"{title:<20} {'n':>5} | {'registry-lint':^20} | {'detect-secrets':^20}\n"
    head += f"{'':<20} {'':>5} | {'P':>5} {'R':>5} {'F1':>5} {'FP':>4} | {'P':>5} {'R':>5} {'F1':>5} {'FP':>4}\n"
    head += "-" * 72 + "\n"
    return head + "\n".join(_row(k, a, b) for k, (a, b) in rows.items()) + "\n"


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
    rl_found, rl_time = run_registry_lint(corpus)
    ds_found, ds_time = run_detect_secrets(corpus)
    rl, ds = evaluate(labels, rl_found), evaluate(labels, ds_found)
    kinds = sorted(set(rl["per_kind"]) | set(ds["per_kind"]))  # type: ignore[arg-type]
    empty = {"tp": 0, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    pk = {k: (rl["per_kind"].get(k, empty), ds["per_kind"].get(k, empty)) for k in kinds}  # type: ignore[union-attr]
    split = {name: (evaluate(_subset(labels, keep), _subset(rl_found, keep)), evaluate(_subset(labels, keep), _subset(ds_found, keep)))
             for name, keep in (("main corpus", lambda p: not p.startswith("holdout")),
                                ("holdout-1 (tuned)", lambda p: p.startswith("holdout/")),
                                ("holdout-2 (tuned)", lambda p: p.startswith("holdout2/")),
                                ("holdout-3 (untuned)", lambda p: p.startswith("holdout3/")))}
    types = sorted(rl["per_file_type"])  # type: ignore[arg-type]
    pt = {t: (rl["per_file_type"][t], ds["per_file_type"].get(t, empty)) for t in types}  # type: ignore[index,union-attr]
    n_pos = sum(1 for ls in labels.values() for lab in ls if lab["label"] == "secret")
    n_neg = sum(1 for ls in labels.values() for lab in ls if lab["label"] == "negative")
    print(f"corpus: {len(labels)} files, {n_pos} credentials, {n_neg} hard negatives (seed {args.seed}, scale {args.scale})\n")
    print(table("kind", pk))
    print(table("file type", pt))
    print(table("split", {k: (a["overall"], b["overall"]) for k, (a, b) in split.items()}))  # type: ignore[misc]
    print(table("overall", {"all": (rl["overall"], ds["overall"])}))  # type: ignore[dict-item]
    print(f"time: registry-lint {rl_time:.2f}s, detect-secrets {ds_time:.2f}s")
    result = {"corpus": {"files": len(labels), "credentials": n_pos, "hard_negatives": n_neg, "seed": args.seed,
                         "scale": args.scale},
              "split": {k: {"registry-lint": a["overall"], "detect-secrets": b["overall"]} for k, (a, b) in split.items()},
              "registry-lint": {**rl, "seconds": round(rl_time, 3)},
              "detect-secrets": {**ds, "seconds": round(ds_time, 3)}}
    out = args.out / "results.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
