"""Engine: malformed files, discovery, suppression, determinism."""

from __future__ import annotations

import random
import string
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry_lint import run
from registry_lint.config_table import parse_config
from registry_lint.patterns import PathMatcher, path_matches
from registry_lint.discover import discover

from .helpers import lint_files, rel

ACTION = (
    "from tracecat_registry import registry\n\n"
    "@registry.register(description='d')\n"
    "async def act() -> int:\n    return 1\n"
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("syntax.py", "import tracecat_registry\ndef f(:\n", {("RL001", 2)}),
        ("nul.py", "import tracecat_registry\nx = '\0'\n", set()),  # NUL: binary, skipped
        ("bad.yml", "type: action\ndefinition: [\n", {("RL002", 3)}),
        ("tabs.yaml", "a:\n\tb: 1\n", {("RL002", 2)}),
        ("latin1.yml", b"title: caf\xe9\n", {("RL003", 1)}),
        ("latin1.py", b"import tracecat_registry\n# caf\xe9\n", {("RL003", 1)}),
        ("binary.py", b"\x00\x01\x02tracecat_registry\xff", set()),
        ("empty.py", "", set()),
        ("empty.yml", "", set()),
        ("comment.yml", "# nothing\n", set()),
        ("list.yml", "- a\n- b\n", set()),
        ("utf16.yml", "title: ok\n".encode("utf-16"), set()),
        ("bom.py", b"\xef\xbb\xbfimport tracecat_registry\n", set()),
    ],
)
def test_malformed_files_become_diagnostics_or_skips(tmp_path: Path, name: str, content: str | bytes, expected: set[tuple[str, int]]) -> None:
    diags = lint_files(tmp_path, {name: content, "ok.py": ACTION}, select=["RL0"])
    got = {(d.code, d.location.line) for d in diags if rel(d, tmp_path) == name}
    assert got == expected
    # The other file is still linted.
    assert lint_files(tmp_path, {}, select=["RL105"])


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    files = {f"f{i}.py": ACTION for i in range(5)}
    files["broken.py"] = "import tracecat_registry\nclass (:\n"
    diags = lint_files(tmp_path, files, select=["RL001", "RL105"])
    assert sum(d.code == "RL105" for d in diags) == 5
    assert sum(d.code == "RL001" for d in diags) == 1


def test_noqa_in_python_and_yaml(tmp_path: Path) -> None:
    py = ACTION.replace("async def act() -> int:", "async def act() -> int:  # noqa: RL105")
    yml = "type: action\ndefinition:\n  name: bad-name  # noqa: RL110\n  namespace: tools.x\n"
    diags = lint_files(tmp_path, {"a.py": py, "t.yml": yml}, select=["RL105", "RL110", "RL010"])
    assert [(d.code, rel(d, tmp_path)) for d in diags] == []


def test_noqa_family_prefix_and_bare(tmp_path: Path) -> None:
    py = ACTION.replace("async def act() -> int:", "async def act() -> int:  # noqa: RL1")
    assert not [d for d in lint_files(tmp_path, {"a.py": py}, select=["RL105", "RL010"])]
    py2 = ACTION.replace("async def act() -> int:", "async def act() -> int:  # noqa")
    assert not lint_files(tmp_path, {"a.py": py2}, select=["RL105", "RL010"])


def test_unused_noqa_reports_only_enabled_rl_codes(tmp_path: Path) -> None:
    py = ACTION.replace("async def act() -> int:", "async def act() -> int:  # noqa: RL105, RL151, E501")
    diags = lint_files(tmp_path, {"a.py": py}, select=["RL105", "RL010"])
    assert diags == []  # RL151 is not enabled in this run: not "unused"
    diags = lint_files(tmp_path, {"a.py": py}, select=["RL105", "RL151", "RL010"])
    [d] = diags
    assert d.code == "RL010" and "RL151" in d.message and d.fix is not None


def test_per_file_ignores_and_excludes(tmp_path: Path) -> None:
    config = {"per-file-ignores": {"legacy/**": ["RL105"], "*.py": ["RL104"]}, "exclude": ["vendor/"]}
    files = {"legacy/sub/a.py": ACTION, "new/a.py": ACTION, "vendor/a.py": ACTION}
    diags = lint_files(tmp_path, files, config=config, select=["RL104", "RL105"])
    assert {(rel(d, tmp_path), d.code) for d in diags} == {("new/a.py", "RL105")}


def test_gitignored_files_are_skipped(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "a.py").write_text(ACTION)
    (tmp_path / "a.py").write_text(ACTION)
    cfg = parse_config({}, root=tmp_path)
    found = discover([str(tmp_path)], cfg)
    assert [Path(f).name for f in found] == ["a.py"] or all("generated" not in f for f in found)
    assert any(f.endswith("a.py") for f in found)


def test_non_git_walk_honours_gitignore_and_default_excludes(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("out/\n*.tmp\n")
    for name in ("out/a.py", "x.tmp", ".venv/lib/a.py", "node_modules/a.py", "keep/a.py"):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(ACTION)
    found = discover([str(tmp_path)], parse_config({}, root=tmp_path))
    names = sorted(Path(f).relative_to(tmp_path).as_posix() for f in found)
    assert names == [".gitignore", "keep/a.py"]


@pytest.mark.parametrize(
    ("path", "pattern", "hit"),
    [
        ("tests/fixtures/a.py", "tests/", True),
        ("src/tests/a.py", "tests/", True),
        ("tests.py", "tests/", False),
        ("a/b/c.py", "a/b/", True),
        ("x/a/b/c.py", "a/b/", False),
        ("a/gen.generated.py", "*.generated.py", True),
        ("legacy/x/y.py", "legacy/*", True),
        # A leading slash anchors at the root, as in .gitignore.
        ("vendor/a.py", "/vendor/", True),
        ("vendor/x/a.py", "/vendor/", True),
        ("src/vendor/a.py", "/vendor/", False),
        ("vendor.py", "/vendor/", False),
        ("a/b/c.py", "/a/b/", True),
        ("x/a/b/c.py", "/a/b/", False),
        ("gen.py", "/gen.py", True),
        ("src/gen.py", "/gen.py", False),
    ],
)
def test_path_matching(path: str, pattern: str, hit: bool) -> None:
    assert path_matches(path, pattern) is hit
    assert PathMatcher([pattern])(path) is hit


def test_anchored_directory_exclude(tmp_path: Path) -> None:
    files = {"vendor/a.py": ACTION, "src/vendor/a.py": ACTION, "new/a.py": ACTION}
    diags = lint_files(tmp_path, files, config={"exclude": ["/vendor/"]}, select=["RL105"])
    assert {rel(d, tmp_path) for d in diags} == {"new/a.py", "src/vendor/a.py"}


def test_output_is_deterministic(tmp_path: Path) -> None:
    files = {f"d{i % 3}/f{i}.py": ACTION for i in range(12)}
    first = lint_files(tmp_path, files)
    second = lint_files(tmp_path, {})
    assert first == second
    assert first == sorted(first, key=lambda d: d.sort_key())


def test_lint_text_uses_the_given_name(tmp_path: Path) -> None:
    cfg = parse_config({}, root=tmp_path)
    result = run.check_text("virtual/a.py", ACTION, cfg)
    assert {d.location.path for d in result.diagnostics} == {"virtual/a.py"}


def test_config_patterns_do_not_apply_outside_the_config_root(tmp_path: Path) -> None:
    project, other = tmp_path / "project", tmp_path / "other"
    (other / "tests").mkdir(parents=True)
    (other / "tests" / "a.py").write_text(ACTION)
    (other / ".venv").mkdir()
    (other / ".venv" / "a.py").write_text(ACTION)
    cfg = parse_config({"exclude": ["tests/"], "per-file-ignores": {"*.py": ["RL1"]}}, root=project)
    found = discover([str(other)], cfg)
    assert [Path(f).relative_to(other).as_posix() for f in found] == ["tests/a.py"]
    assert cfg.ignored_for(str(other / "tests" / "a.py")) == frozenset()


def test_noqa_inside_python_strings_is_not_a_directive(tmp_path: Path) -> None:
    py = (
        'from tracecat_registry import registry\n"""Docs: write `x = 1  # noqa: RL101` to silence it."""\n'
        "X = '# noqa: RL105'\n"
        "@registry.register(description='d')\n"
        "async def act() -> int:  # noqa: RL105\n    return 1\n"
    )
    diags = lint_files(tmp_path, {"a.py": py}, select=["RL105", "RL010"])
    assert diags == []  # the real comment suppresses; the strings are not unused directives


def test_noqa_line_numbers_ignore_form_feeds(tmp_path: Path) -> None:
    py = ACTION.replace("\n\n@registry", "\n\x0c\n@registry").replace("async def act() -> int:", "async def act() -> int:  # noqa: RL105")
    assert lint_files(tmp_path, {"a.py": py}, select=["RL105", "RL010"]) == []


def test_markdown_directives_suppress_but_are_never_unused(tmp_path: Path) -> None:
    md = "Silence a rule with `# noqa: RL304` at the end of the line.\n"
    assert lint_files(tmp_path, {"README.md": md}, select=["RL010"]) == []


def test_type_stubs_are_scanned_as_text_not_parsed(tmp_path: Path) -> None:
    # A registry marker and a syntax error: a .py file would get RL001 and be
    # parsed; a stub is never imported by Tracecat, so only RL5 applies.
    stub = "from tracecat_registry import registry\ndef f(:\n"
    assert {d.code for d in lint_files(tmp_path, {"ctx.pyi": stub})} == set()
    assert {d.code for d in lint_files(tmp_path, {"ctx.py": stub})} == {"RL001"}
    rng = random.Random(7)  # a fixed, credential-shaped fake (no literal in the source)
    token = "ghp_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))
    found = lint_files(tmp_path, {"keys.pyi": f'GITHUB_TOKEN: str = "{token}"\n'})
    assert {d.code for d in found if d.location.path.endswith("keys.pyi")} == {"RL501"}


_SEGMENTS = st.sampled_from(["a", "b", "tests", "x.py", "gen.generated.py", "", ".", "*", "a b"])


@settings(max_examples=300, deadline=None)
@given(
    paths=st.lists(st.lists(_SEGMENTS, min_size=1, max_size=5).map("/".join), min_size=1, max_size=6),
    patterns=st.lists(
        st.sampled_from(["tests/", "a/b/", "*.py", "a/*", "/a", "b", "x.py", "*/b/", "a/**", "[ab]", "?"]),
        min_size=1,
        max_size=4,
    ),
)
def test_compiled_matcher_equals_path_matches(paths: list[str], patterns: list[str]) -> None:
    # The matcher memoises directory answers: asking again, in any order,
    # must give the same answers as the reference implementation.
    matcher = PathMatcher(patterns)
    for path in paths + paths[::-1]:
        assert matcher(path) == any(path_matches(path, p) for p in patterns), (path, patterns)
