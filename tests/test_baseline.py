"""--write-baseline / --baseline: adopt the linter, fail only on new findings."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from registry_lint import baseline
from registry_lint.fingerprint import fingerprints
from registry_lint.model import Diagnostic, Location, Severity

from .workflow_fixture import runner, write
from registry_lint.cli import main

SECRET = "Zq8vN3xR7tY2wK9mB4cL6pD1sF5hJ0gA"  # made up for this test


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = runner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def prepend(path: Path, text: str) -> None:
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


def test_baseline_hides_known_findings_and_survives_line_shifts(tmp_path: Path) -> None:
    root = write(tmp_path / "reg")
    code, out, err = run(["check", "--write-baseline", "lint-baseline.json", "."], root)
    assert code == 0 and out == "" and "wrote 5 findings" in err
    code, out, _ = run(["check", "--baseline", "lint-baseline.json", "."], root)
    assert code == 0 and out.startswith("All checks passed!")

    for name in ("udfs/helpers.py", "templates/notes.yml", "udfs/broken.py"):
        prepend(root / name, "# a new header line\n\n")
    code, out, _ = run(["check", "--baseline", "lint-baseline.json", "."], root)
    assert code == 0, out

    # A new finding (even one identical to a baselined one) is reported.
    with (root / "udfs" / "helpers.py").open("a", encoding="utf-8") as fh:
        fh.write("TIMEOUT   = 30  # noqa: RL101\n")
    code, out, _ = run(["check", "--no-color", "--baseline", "lint-baseline.json", "."], root)
    assert code == 1
    assert out.splitlines()[0] == "udfs/helpers.py:12:17: RL010 [*] Unused `noqa` directive (unused noqa code: RL101)"
    assert out.count("RL010") == 1


def test_baseline_file_is_stable_sorted_and_line_free(tmp_path: Path) -> None:
    root = write(tmp_path / "reg")
    run(["check", "--write-baseline", "b1.json", "."], root)
    prepend(root / "udfs" / "helpers.py", "\n\n\n")
    run(["check", "--write-baseline", "b2.json", "."], root)
    first, second = (root / "b1.json").read_text(), (root / "b2.json").read_text()
    assert first == second  # no timestamps, no line numbers
    doc = json.loads(first)
    assert set(doc) == {"findings", "tool", "version"}
    keys = [(f["path"], f["code"], f["fingerprint"]) for f in doc["findings"]]
    assert keys == sorted(keys) and all(set(f) == {"path", "code", "fingerprint"} for f in doc["findings"])
    assert first == json.dumps(doc, indent=2, sort_keys=True) + "\n"


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path: Path) -> None:
    root = write(tmp_path / "reg")
    run(["check", "--write-baseline", "baseline.json", "."], root)
    assert {f["path"] for f in json.loads((root / "baseline.json").read_text())["findings"]} == {
        "udfs/helpers.py", "templates/notes.yml", "udfs/broken.py",
    }
    # Same findings, linted from elsewhere: still all known.
    code, out, _ = run(["check", "--baseline", "reg/baseline.json", "reg"], tmp_path)
    assert code == 0, out
    code, out, _ = run(["check", "--baseline", "../baseline.json", "."], root / "udfs")
    assert code == 0, out


def test_stale_entries_are_reported_only_for_linted_files(tmp_path: Path) -> None:
    root = write(tmp_path / "reg")
    run(["check", "--write-baseline", "baseline.json", "."], root)
    (root / "udfs" / "broken.py").write_text("X = 1\n", encoding="utf-8")
    code, _, err = run(["check", "--baseline", "baseline.json", "."], root)
    assert code == 0 and "1 baseline entry no longer found" in err
    code, _, err = run(["check", "--baseline", "baseline.json", "udfs/helpers.py"], root)
    assert code == 0 and "no longer found" not in err


def test_bad_baseline_is_a_usage_error(tmp_path: Path) -> None:
    root = write(tmp_path / "reg")
    (root / "b.json").write_text("{not json", encoding="utf-8")
    assert run(["check", "--baseline", "b.json", "."], root)[0] == 2
    assert run(["check", "--baseline", "missing.json", "."], root)[0] == 2
    (root / "b.json").write_text('{"version": 99, "findings": []}', encoding="utf-8")
    assert run(["check", "--baseline", "b.json", "."], root)[0] == 2


def _secret_diag(path: str, line: int = 1) -> Diagnostic:
    return Diagnostic("RL502", "Hardcoded secret", Location(path, line, 12, line, 12 + len(SECRET)), Severity.ERROR)


def test_secret_fingerprints_never_hold_or_reveal_the_value(tmp_path: Path) -> None:
    path = str(tmp_path / "leak.py")
    text = f'API_KEY = "{SECRET}"\n'
    diag = _secret_diag(path)
    out = tmp_path / "baseline.json"
    baseline.write(str(out), [diag], {path: text})
    stored = out.read_text(encoding="utf-8")
    assert SECRET not in stored and SECRET[:8] not in stored
    fp = json.loads(stored)["findings"][0]["fingerprint"]
    # Not a plain hash of the value or the line: those could be checked against a guess.
    for guess in (SECRET, text.strip(), f'API_KEY = "{SECRET}"'):
        for algo in ("sha256", "sha1", "md5"):
            assert hashlib.new(algo, guess.encode()).hexdigest()[:32] != fp
    # Location independent, value dependent.
    shifted = "\n\n" + text
    assert fingerprints([_secret_diag(path, 3)], {path: shifted}) == fingerprints([diag], {path: text})
    other = text.replace(SECRET, SECRET[::-1])
    assert fingerprints([diag], {path: other}) != fingerprints([diag], {path: text})


def test_baseline_matches_counts_of_identical_findings(tmp_path: Path) -> None:
    path = str(tmp_path / "a.py")
    text = "X = 1  # noqa: RL101\n" * 2
    diags = [Diagnostic("RL010", "m", Location(path, n, 8, n, 21)) for n in (1, 2)]
    file = str(tmp_path / "b.json")
    baseline.write(file, diags[:1], {path: text})
    new, stale = baseline.filter_new(diags, {path: text}, file, baseline.load(file))
    assert new == diags[1:] and stale == 0
