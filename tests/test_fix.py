"""--fix, --diff, --unsafe-fixes and the fix loop: exact spans, idempotent, byte-identical elsewhere."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from registry_lint import run as whole_run
from registry_lint.cli import main
from registry_lint.config_table import parse_config
from registry_lint.discover import discover
from registry_lint.fix import apply_fixes, applicable, fix_sources
from registry_lint.model import Diagnostic, Edit, Fix, Location, Severity

from .workflow_fixture import runner, FILES, copy_examples, write


def run(args: list[str], cwd: Path, stdin: bytes | str | None = None) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = runner().invoke(main, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    files = (p for p in sorted(root.rglob("*")) if p.is_file())
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if ".registry-lint-cache" not in p.parts}


def diag(line: int, col: int, end_col: int, content: str, applicability: str = "safe", code: str = "RL010") -> Diagnostic:
    loc = Location("f.py", line, col, line, end_col)
    return Diagnostic(code, "m", loc, Severity.WARNING, Fix("fix", (Edit(loc, content),), applicability))


# apply_fixes ---------------------------------------------------------------------------
def test_fixes_apply_whole_or_not_at_all() -> None:
    text = "abcdef\n"
    two_edits = Diagnostic(
        "RL010", "m", Location("f.py", 1, 1, 1, 2), fix=Fix("two", (Edit(Location("f.py", 1, 1, 1, 2), "A"), Edit(Location("f.py", 1, 4, 1, 6), "DE")))
    )
    overlapping = diag(1, 5, 7, "X")  # collides with the second edit of the first fix
    fixed, count = apply_fixes(text, [two_edits, overlapping])
    assert (fixed, count) == ("AbcDEf\n", 1)
    fixed, count = apply_fixes(text, [overlapping, diag(1, 1, 2, "Z")])
    assert (fixed, count) == ("ZbcdX\n", 2)


def test_identical_fixes_count_once_and_insertions_at_edges() -> None:
    d = diag(1, 2, 3, "")
    assert apply_fixes("abc\n", [d, d]) == ("ac\n", 1)
    insert_end = diag(1, 3, 3, "+")  # insertion right after a replaced span is fine
    assert apply_fixes("abc\n", [diag(1, 1, 3, "xy"), insert_end]) == ("xy+c\n", 2)
    assert apply_fixes("abc\n", [diag(1, 2, 2, "1"), diag(1, 2, 2, "2")])[1] == 1  # ambiguous order: one waits


def test_unsafe_fixes_need_opt_in() -> None:
    unsafe = diag(1, 1, 2, "Z", "unsafe")
    assert apply_fixes("abc\n", [unsafe]) == ("abc\n", 0)
    assert apply_fixes("abc\n", [unsafe], unsafe=True) == ("Zbc\n", 1)
    assert not applicable(unsafe) and applicable(unsafe, unsafe=True)


def test_loop_stops_and_rolls_back_a_fix_that_breaks_the_file() -> None:
    calls = []

    def lint(texts):
        calls.append(dict(texts))
        text = texts.get("f.py", "abc\n")
        if "!" in text:
            return [Diagnostic("RL001", "syntax", Location("f.py", 1, 1, 1, 1))]
        return [diag(1, 1, 1, "x")]  # always one more fix: the loop must stop

    out = fix_sources([diag(1, 1, 2, "!")], {"f.py": "abc\n"}, lint)
    assert out.files["f.py"].fixed == "abc\n" and not out.changed()
    out = fix_sources([diag(1, 1, 1, "x")], {"f.py": "abc\n"}, lint, max_passes=5)
    assert out.files["f.py"].fixed == "xxxxxabc\n" and out.applied == 5


# the CLI on a registry ------------------------------------------------------------------
def _touched_lines(diagnostics: list[Diagnostic], path: Path) -> set[int]:
    lines: set[int] = set()
    for d in diagnostics:
        if applicable(d) and Path(d.location.path).resolve() == path.resolve():
            for e in d.fix.edits:
                lines.update(range(e.location.line, e.location.end_line + 1))
    return lines


def _assert_only_fixed_lines_changed(before: str, after: str, touched: set[int]) -> None:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        changed = set(range(i1 + 1, i2 + 1)) or {i1, i1 + 1}
        assert changed & touched if tag == "insert" else changed <= touched, (tag, i1, i2, touched)


def test_fix_fixes_everything_fixable_and_nothing_else(tmp_path: Path) -> None:
    root = write(tmp_path / "reg")
    before = snapshot(root)
    code, out, _ = run(["check", "--fix", "--no-color", "."], root)
    after = snapshot(root)
    assert code == 1  # RL001 is left
    assert "Fixed 4 problems. Found 1 remaining problem" in out
    assert after["udfs/broken.py"] == before["udfs/broken.py"]
    assert after["udfs/helpers.py"].decode() == (
        '"""Helpers."""\n'
        "from tracecat_registry import registry  # keep this comment\n"
        "\n"
        "TIMEOUT   = 30\n"
        "RETRIES = 3  # noqa: E501\n"
        "\n"
        "\n"
        "def   spaced( x ):   # odd spacing stays\n"
        "    return x  # trailing words\n"
    )
    assert after["templates/notes.yml"].decode() == FILES["templates/notes.yml"].replace("  # noqa: RL601", "")
    # A second --fix changes nothing.
    code, out, _ = run(["check", "--fix", "--no-color", "."], root)
    assert snapshot(root) == after and "Fixed" not in out


@pytest.mark.parametrize("source", ["fixture", "examples"])
def test_fix_on_a_copy_is_exact_and_idempotent(source: str, tmp_path: Path) -> None:
    root = tmp_path / "reg"
    if source == "examples":
        if copy_examples(root) is None:
            pytest.skip("examples/registry does not exist yet")
    else:
        write(root)
    replay = tmp_path / "replay"
    shutil.copytree(root, replay)
    config = parse_config({}, root=root)
    first = whole_run.check(discover([str(root)], config), config)
    fixable_before = {d.code for d in first.diagnostics if applicable(d)}
    unfixable_codes = {d.code for d in first.diagnostics if not applicable(d)}

    # What the loop should do, replayed pass by pass on a second copy: each
    # pass changes only lines its fixes name.
    rconfig = parse_config({}, root=replay)
    for _ in range(5):
        result = whole_run.check(discover([str(replay)], rconfig), rconfig)
        fixable = [d for d in result.diagnostics if applicable(d)]
        if not fixable:
            break
        for path in sorted({Path(d.location.path) for d in fixable}):
            mine = [d for d in fixable if Path(d.location.path) == path]
            old = path.read_bytes().decode("utf-8")
            new, count = apply_fixes(old, mine)
            assert count
            _assert_only_fixed_lines_changed(old, new, _touched_lines(mine, path))
            path.write_bytes(new.encode("utf-8"))

    run(["check", "--fix", "."], root)
    assert snapshot(root) == snapshot(replay)
    after = whole_run.check(discover([str(root)], config), config)
    assert not [d for d in after.diagnostics if applicable(d)]
    # Codes that were only ever fixable are gone entirely.
    assert not {d.code for d in after.diagnostics} & (fixable_before - unfixable_codes)
    fixed_once = snapshot(root)
    code, _, _ = run(["check", "--fix", "."], root)
    assert snapshot(root) == fixed_once


def test_diff_prints_without_writing(tmp_path: Path) -> None:
    root = write(tmp_path / "reg")
    before = snapshot(root)
    code, out, err = run(["check", "--diff", "."], root)
    assert code == 1 and snapshot(root) == before
    assert "--- a/udfs/helpers.py\n+++ b/udfs/helpers.py\n" in out
    assert "-TIMEOUT   = 30  # noqa: RL101\n" in out and "+TIMEOUT   = 30\n" in out
    assert "Would fix 4 problems in 2 files." in err
    run(["check", "--fix", "."], root)
    code, out, err = run(["check", "--diff", "."], root)
    assert code == 0 and out == "" and "No fixes available" in err


def test_fix_keeps_crlf_and_bom(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbffrom tracecat_registry import registry\r\nX = 1  # noqa: RL101\r\nY = 2 # keep\r\n"
    (tmp_path / "a.py").write_bytes(raw)
    code, _, _ = run(["check", "--fix", "a.py"], tmp_path)
    assert code == 0
    assert (tmp_path / "a.py").read_bytes() == b"\xef\xbb\xbffrom tracecat_registry import registry\r\nX = 1\r\nY = 2 # keep\r\n"


def test_fix_with_stdin_prints_the_fixed_source(tmp_path: Path) -> None:
    code, out, err = run(["check", "--fix", "--stdin-filename", "udfs/helpers.py"], tmp_path, stdin=FILES["udfs/helpers.py"])
    assert code == 0
    assert out.startswith('"""Helpers."""\n') and "# noqa: RL101" not in out and "# keep this comment" in out
    assert "Fixed 3 problems" in err
    code, out, _ = run(["check", "--diff", "--stdin-filename", "t.yml"], tmp_path, stdin=FILES["templates/notes.yml"])
    assert code == 1 and out.startswith("--- a/t.yml\n")
    code, out, _ = run(["check", "--fix", "--stdin-filename", "ok.py"], tmp_path, stdin="X = 1\n")
    assert code == 0 and out == "X = 1\n"


def test_fix_leaves_project_rule_suppressions_alone(tmp_path: Path) -> None:
    """Re-linting a fixed file must still see every file, or a needed noqa looks unused (RL010)."""
    template = (
        "type: action\n"
        "definition:\n"
        "  name: search{noqa}\n"
        "  namespace: tools.exa\n"
        "  title: Search\n"
        "  description: Search Exa.\n"
        "  display_group: Exa{group_noqa}\n"
        "  doc_url: https://docs.exa.ai\n"
        "  expects: {{}}\n"
        "  steps:\n"
        "    - ref: call\n"
        "      action: core.http_request\n"
        "      args: {{url: https://api.exa.ai}}\n"
        "  returns: ${{{{ steps.call.result }}}}\n"
    )
    files = {
        "a.yml": template.format(noqa="  # noqa: RL109", group_noqa="  # noqa: RL101"),
        "b.yml": template.format(noqa="", group_noqa=""),
    }
    write(tmp_path, files)
    run(["check", "--fix", "."], tmp_path)
    fixed = (tmp_path / "a.yml").read_text(encoding="utf-8")
    assert "  name: search  # noqa: RL109\n" in fixed  # still needed: b.yml duplicates it
    assert "  display_group: Exa\n" in fixed


def test_unsafe_fixes_only_on_request(tmp_path: Path) -> None:
    root = copy_examples(tmp_path / "reg")
    if root is None:
        pytest.skip("examples/registry does not exist yet")
    config = parse_config({}, root=root)
    diags = whole_run.check(discover([str(root)], config), config).diagnostics
    if not any(d.fix is not None and d.fix.applicability == "unsafe" for d in diags):
        pytest.skip("no unsafe fix in the examples")
    safe_count = len({d.fix for d in diags if applicable(d)})
    _, _, err = run(["check", "--diff", "."], root)
    _, _, err_unsafe = run(["check", "--diff", "--unsafe-fixes", "."], root)
    would = [int(e.split("Would fix ")[1].split()[0]) if "Would fix" in e else 0 for e in (err, err_unsafe)]
    assert would[0] <= safe_count < would[1]
    run(["check", "--fix", "--unsafe-fixes", "."], root)
    left = whole_run.check(discover([str(root)], config), config).diagnostics
    assert not [d for d in left if applicable(d, unsafe=True)]


from hypothesis import given, settings
from hypothesis import strategies as st


@st.composite
def _text_and_fixes(draw):
    lines = draw(st.lists(st.text(alphabet="ab #:\t", max_size=8), min_size=1, max_size=5))
    text = "\n".join(lines) + "\n"
    fixes = []
    for _ in range(draw(st.integers(0, 4))):
        n = draw(st.integers(1, len(lines)))
        a = draw(st.integers(1, len(lines[n - 1]) + 1))
        b = draw(st.integers(a, len(lines[n - 1]) + 1))
        fixes.append(diag(n, a, b, draw(st.text(alphabet="xy", max_size=3))))
    return text, fixes


@settings(max_examples=200, deadline=None)
@given(_text_and_fixes())
def test_fixes_touch_only_their_spans(case) -> None:
    text, fixes = case
    fixed, count = apply_fixes(text, fixes)
    assert count <= len(fixes)
    if count == 0:
        assert fixed == text
        return
    from registry_lint.source import SourceFile

    src = SourceFile("f.py", text, "text")
    starts = [src.offset(d.location.line, d.location.col) for d in fixes]
    ends = [src.offset(d.location.end_line, d.location.end_col) for d in fixes]
    lo, hi = min(starts), max(ends)
    assert fixed.startswith(text[:lo]) and fixed.endswith(text[hi:])
    # Applying the same fixes one at a time in reverse order of position gives the same text
    # when none overlap (order independence of exact-span edits).
    spans = sorted(zip(starts, ends))
    if count == len({d.fix for d in fixes}) and all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:])):
        out = text
        def key(d: Diagnostic) -> tuple[int, int]:
            loc = d.location
            return src.offset(loc.line, loc.col), src.offset(loc.end_line, loc.end_col)

        unique = list({d.fix: d for d in fixes}.values())
        for d in sorted(unique, key=key, reverse=True):
            out, _ = apply_fixes(out, [d])
        assert out == fixed
