"""Output formats: sarif, github, junit, text and json (plus --stdin-filename with each)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from registry_lint.cli import main
from registry_lint.results import RunResult
from registry_lint.model import Diagnostic, Edit, Fix, Location, Severity
from registry_lint.report import FORMATS, renderer
from registry_lint.report import github_format, sarif_format
from registry_lint.rule import load_rules

from .workflow_fixture import runner, FILES, example_dirs, write

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SECRET = "Zq8vN3xR7tY2wK9mB4cL6pD1sF5hJ0gA"  # made up for this test


def run(args: list[str], cwd: Path, stdin: str | None = None) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = runner().invoke(main, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write(tmp_path / "reg")


def sarif_of(cwd: Path, *paths: str) -> dict:
    code, out = run(["check", "--output-format", "sarif", *paths], cwd)
    assert code == 1, out
    return json.loads(out)


def validate(doc: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [(list(e.path), e.message) for e in errors[:5]]


# SARIF ---------------------------------------------------------------------------
def test_sarif_validates_against_the_schema(registry: Path) -> None:
    doc = sarif_of(registry, ".")
    validate(doc)
    run_ = doc["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "registry-lint" and driver["version"] and driver["informationUri"].startswith("https://")
    codes = [r["id"] for r in driver["rules"]]
    assert codes == sorted(load_rules())  # every rule, not only those that fired
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "## What it does" in rule["help"]["markdown"] and rule["helpUri"].startswith("https://")
    for result in run_["results"]:
        assert codes[result["ruleIndex"]] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith(("/", "file:"))
        assert set(loc["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert result["partialFingerprints"][sarif_format.FINGERPRINT_KEY]


@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_sarif_of_the_examples_validates(example: Path) -> None:
    doc = sarif_of(example.parent, example.name)
    validate(doc)
    assert doc["runs"][0]["results"]


def test_sarif_carries_fixes_and_positions(registry: Path) -> None:
    doc = sarif_of(registry, ".")
    by_uri = {}
    for r in doc["runs"][0]["results"]:
        by_uri.setdefault(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], []).append(r)
    noqa = [r for r in by_uri["udfs/helpers.py"] if r["ruleId"] == "RL010"]
    first = noqa[0]
    assert first["level"] == "warning"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 17, "endLine": 4, "endColumn": 30}
    change = first["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "udfs/helpers.py"
    assert change["replacements"][0]["insertedContent"]["text"] == ""
    syntax = by_uri["udfs/broken.py"][0]
    assert syntax["ruleId"] == "RL001" and syntax["level"] == "error" and "fixes" not in syntax


def test_sarif_fingerprints_survive_inserted_lines(registry: Path) -> None:
    def prints() -> dict[str, list[str]]:
        doc = sarif_of(registry, ".")
        out: dict[str, list[str]] = {}
        for r in doc["runs"][0]["results"]:
            out.setdefault(r["ruleId"], []).append(r["partialFingerprints"][sarif_format.FINGERPRINT_KEY])
        return out

    before = prints()
    for name in ("udfs/helpers.py", "templates/notes.yml", "udfs/broken.py"):
        path = registry / name
        path.write_text("# inserted\n\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = prints()
    assert before == after
    assert len(set(before["RL010"])) == len(before["RL010"]) == 4  # all distinct


def test_identical_findings_get_distinct_stable_fingerprints(tmp_path: Path) -> None:
    line = "X = 1  # noqa: RL101\n"
    write(tmp_path, {"a.py": "from tracecat_registry import registry\n" + line * 3})
    doc = sarif_of(tmp_path, ".")
    fps = [r["partialFingerprints"][sarif_format.FINGERPRINT_KEY] for r in doc["runs"][0]["results"]]
    assert len(fps) == 3 and len(set(fps)) == 3
    assert fps == [r["partialFingerprints"][sarif_format.FINGERPRINT_KEY] for r in sarif_of(tmp_path, ".")["runs"][0]["results"]]


def _secret_result(tmp_path: Path) -> RunResult:
    path = str(tmp_path / "leak.py")
    text = f'API_KEY = "{SECRET}"\n'
    loc = Location(path, 1, 12, 1, 12 + len(SECRET))
    diag = Diagnostic("RL502", "Hardcoded secret assigned to `API_KEY` (Zq8v…gA, 32 chars)", loc, Severity.ERROR)
    return RunResult([diag], files=1, actions=0, sources={path: text})


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_prints_a_secret_value(fmt: str, tmp_path: Path) -> None:
    result = _secret_result(tmp_path)
    out = renderer(fmt)(result, color=False, statistics=False, show_source=True, paths=[result.diagnostics[0].location.path])
    assert SECRET not in out and SECRET[4:-2] not in out
    assert "RL502" in out


# github ----------------------------------------------------------------------------
def test_github_format_and_escaping() -> None:
    loc = Location("dir,1/a:b.py", 3, 5, 3, 9)
    d = Diagnostic("RL304", "100% wrong\r\nsecond line, with: colon", loc, Severity.ERROR)
    assert github_format.command(d) == (
        "::error file=dir%2C1/a%3Ab.py,line=3,col=5,endLine=3,endColumn=9,title=RL304"
        "::100%25 wrong%0D%0Asecond line, with: colon"
    )
    multi = Diagnostic("RL104", "w", Location("a.py", 2, 3, 4, 1), Severity.WARNING)
    assert github_format.command(multi) == "::warning file=a.py,line=2,endLine=4,title=RL104::w"


def test_github_format_from_cli(registry: Path) -> None:
    code, out = run(["check", "--output-format", "github", "."], registry)
    assert code == 1
    lines = out.splitlines()
    assert lines and all(l.startswith(("::error ", "::warning ")) for l in lines)
    assert "::error file=udfs/broken.py,line=3,col=12,endLine=3,endColumn=12,title=RL001::" in out


# junit -------------------------------------------------------------------------------
def test_junit_one_testcase_per_file(registry: Path) -> None:
    write(registry, {"udfs/clean.py": "X = 1\n"})
    code, out = run(["check", "--output-format", "junit", "."], registry)
    assert code == 1
    root = ET.fromstring(out)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"udfs/helpers.py", "templates/notes.yml", "udfs/broken.py", "udfs/clean.py"}
    assert len(cases["udfs/helpers.py"].findall("failure")) == 3
    assert cases["udfs/clean.py"].findall("failure") == []
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "4" and suite.get("failures") == "3"


def test_junit_survives_control_characters() -> None:
    d = Diagnostic("RL101", "bad \x1b[31m\x00 <name> & more", Location("a.py", 1, 1, 1, 2))
    out = renderer("junit")(RunResult([d], files=1, actions=0))
    failure = ET.fromstring(out).find(".//failure")
    assert failure is not None and "<name> & more" in (failure.text or "")


# text ---------------------------------------------------------------------------------
def test_text_summary_is_one_line(registry: Path) -> None:
    code, out = run(["check", "--no-color", "."], registry)
    assert code == 1
    lines = out.splitlines()
    assert lines[-1].startswith("Found 5 problems (1 error, 4 warnings)") and "4 fixable with `--fix`" in lines[-1]
    assert lines[0] == "templates/notes.yml:3:17: RL010 [*] Unused `noqa` directive (unused noqa code: RL601)"


def test_text_show_source_with_caret_and_hint(registry: Path) -> None:
    code, out = run(["check", "--no-color", "--show-source", "udfs/helpers.py"], registry)
    lines = out.splitlines()
    i = lines.index("udfs/helpers.py:4:17: RL010 [*] Unused `noqa` directive (unused noqa code: RL101)")
    assert lines[i + 1] == "    4 | TIMEOUT   = 30  # noqa: RL101"
    assert lines[i + 2] == "      |                 " + "^" * 13
    assert lines[i + 3] == "      | help: Remove the noqa directive"


def test_text_never_drives_the_terminal() -> None:
    d = Diagnostic("RL101", "evil \x1b]0;title\x07 name", Location("a\x1b[2J.py", 1, 1, 1, 2))
    out = renderer("text")(RunResult([d], files=1, actions=0), color=False)
    assert "\x1b" not in out and "\x07" not in out


def test_statistics_counts_per_code(registry: Path) -> None:
    code, out = run(["check", "--statistics", "."], registry)
    assert code == 1
    rows = out.splitlines()
    assert rows[0].split("\t")[:2] == ["    4", "RL010"] and "[*] unused-noqa" in rows[0]
    assert rows[1].split("\t")[:2] == ["    1", "RL001"]


# json ----------------------------------------------------------------------------------
def test_json_positions_in_both_conventions(registry: Path) -> None:
    code, out = run(["check", "--output-format", "json", "udfs/helpers.py"], registry)
    items = json.loads(out)
    for item in items:
        assert item["range"]["start"] == {"line": item["location"]["row"] - 1, "character": item["location"]["column"] - 1}
        assert item["range"]["end"] == {"line": item["end_location"]["row"] - 1, "character": item["end_location"]["column"] - 1}
        for edit in item["fix"]["edits"]:
            assert edit["range"]["start"]["line"] == edit["location"]["row"] - 1
    assert items[0]["fix"]["applicability"] == "safe"


# --stdin-filename with every format ---------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_stdin_filename_with_every_format(fmt: str, tmp_path: Path) -> None:
    code, out = run(["check", "--output-format", fmt, "--stdin-filename", "udfs/helpers.py"], tmp_path, stdin=FILES["udfs/helpers.py"])
    assert code == 1
    assert "udfs/helpers.py" in out and "RL010" in out
    if fmt == "sarif":
        validate(json.loads(out))


def test_rules_json_lists_every_rule_with_severity_and_fix() -> None:
    code, out = run(["rules", "--output-format", "json"], Path.cwd())
    assert code == 0
    rules = json.loads(out)
    assert [r["code"] for r in rules] == sorted(load_rules())
    for r in rules:
        assert r["severity"] in ("error", "warning") and r["fix"] in (None, "safe", "unsafe")
    assert next(r for r in rules if r["code"] == "RL010")["fix"] == "safe"


def test_sarif_fix_regions_and_multi_file_edits() -> None:
    edit = Edit(Location("b.py", 2, 1, 2, 4), "new")
    d = Diagnostic("RL010", "m", Location("a.py", 1, 1, 1, 2), Severity.WARNING, Fix("do it", (edit,), "unsafe"))
    doc = sarif_format.build(RunResult([d], files=1, actions=0))
    validate(doc)
    fix = doc["runs"][0]["results"][0]["fixes"][0]
    assert fix["description"]["text"] == "do it (unsafe)"
    assert fix["artifactChanges"][0]["artifactLocation"]["uri"] == "b.py"


def _detected_values(root: Path) -> list[str]:
    """The text of every credential finding's span in ``root``."""
    from registry_lint import run
    from registry_lint.config_table import parse_config
    from registry_lint.discover import discover
    from registry_lint.source import SourceFile

    config = parse_config({}, root=root)
    values = []
    for d in run.check(discover([str(root)], config), config).diagnostics:
        if not d.code.startswith("RL5"):
            continue
        loc = d.location
        src = SourceFile(loc.path, Path(loc.path).read_text(encoding="utf-8"), "text")
        span = src.text[src.offset(loc.line, loc.col) : src.offset(loc.end_line, loc.end_col)]
        value = span.strip().strip("\"'")
        if len(value) >= 8:
            values.append(value)
    return values


@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_examples_never_print_a_detected_secret(example: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "reg"
    shutil.copytree(example, root)
    values = _detected_values(root)
    if not values:
        pytest.skip("no credential finding in the examples yet")
    for fmt in FORMATS:
        _, out = run(["check", "--show-source", "--output-format", fmt, "."], root)
        assert not [v for v in values if v in out], fmt
    _, out = run(["check", "--diff", "."], root)
    assert not [v for v in values if v in out]


def test_diff_withholds_hunks_that_touch_a_credential_line_even_as_context() -> None:
    from registry_lint.fix import FileFix, unified_diff

    far = "".join(f"L{i} = {i}\n" for i in range(10))
    original = f'X = 1  # noqa: RL101\nKEY = "{SECRET}"\n{far}Y = 2  # noqa: RL101\n'
    fixed = f'X = 1\nKEY = "{SECRET}"\n{far}Y = 2\n'
    out, withheld = unified_diff(FileFix("a.py", original, fixed), hide_before={2}, hide_after={2})
    assert withheld == 1 and SECRET not in out
    assert "-X = 1" not in out  # its hunk shows line 2 as context: withheld whole
    assert "@@ -10,4 +10,4 @@\n L7 = 7\n L8 = 8\n L9 = 9\n-Y = 2  # noqa: RL101\n+Y = 2\n" in out
    out, withheld = unified_diff(FileFix("a.py", original, fixed))
    assert withheld == 0 and "-X = 1  # noqa: RL101\n+X = 1\n" in out
