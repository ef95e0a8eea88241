"""Hostile inputs become RL001/RL002/RL003 or silent skips: never a traceback,
exit code 2 or a hang, and every other file is still linted.

Contents live in ``tests/hostile_inputs.py``; file-system oddities (FIFOs,
symlink loops, devices, unreadable, vanishing files, strange names) are
built here. Inputs that would crash a native parser without the pre-checks
run in a subprocess, so a regression fails one test instead of the session.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint import budget, engine
from registry_lint.cli import main
from registry_lint.config import parse_config
from registry_lint.discover import discover
from registry_lint.report import FORMATS

from .hostile_inputs import CASES, Case

FILE_CODES = frozenset({"RL001", "RL002", "RL003"})
SENTINEL_YML = """\
type: action
definition:
  name: sentinel
  namespace: tools.sentinel
  title: Sentinel
  display_group: Sentinel
  doc_url: https://example.com/docs
  expects: {}
  steps:
    - ref: a
      action: core.http_request
      args: {url: https://example.com}
  returns: ${{ steps.a.result }}
"""
SENTINEL_PY = """\
from tracecat_registry import registry


@registry.register(
    default_title="Sentinel",
    display_group="Sentinel",
    doc_url="https://example.com/docs",
    namespace="tools.sentinel",
)
async def sentinel_py() -> str:
    return "ok"
"""
#: The sentinels' one finding each: RL101 (no description).
SENTINELS = {"sentinel.yml": ("RL101", 3), "sentinel_mod.py": ("RL101", 10)}
#: Wall-clock bound per case; the slowest legitimate case takes ~3 s.
MAX_SECONDS = 60.0


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sentinel.yml").write_text(SENTINEL_YML, encoding="utf-8")
    (root / "sentinel_mod.py").write_text(SENTINEL_PY, encoding="utf-8")
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


_WORKER = r"""
import json, sys
from registry_lint import engine
from registry_lint.config import parse_config
from registry_lint.discover import discover, relpath
from pathlib import Path
root = Path(sys.argv[1])
cfg = parse_config({}, root=root)
res = engine.lint_paths(discover([str(root)], cfg), cfg)
print(json.dumps({
    "internal": res.internal_errors,
    "diags": [[relpath(d.location.path, str(root)), d.code, d.location.line, d.message] for d in res.diagnostics],
}))
"""


def _lint_tree(root: Path, *, subprocess_run: bool = False) -> tuple[list[str], list[tuple[str, str, int, str]]]:
    """(internal errors, [(relpath, code, line, message)]) of linting ``root``."""
    if subprocess_run:
        proc = subprocess.run(
            [sys.executable, "-c", _WORKER, str(root)], capture_output=True, text=True, timeout=300, cwd=root
        )
        assert proc.returncode == 0, f"worker died with {proc.returncode}: {proc.stderr[-2000:]}"
        out = json.loads(proc.stdout)
        return out["internal"], [tuple(d) for d in out["diags"]]  # type: ignore[misc]
    cfg = parse_config({}, root=root)
    res = engine.lint_paths(discover([str(root)], cfg), cfg)
    rel = lambda p: Path(os.path.relpath(os.path.abspath(p), root)).as_posix()  # noqa: E731
    return res.internal_errors, [(rel(d.location.path), d.code, d.location.line, d.message) for d in res.diagnostics]


def _assert_sentinels(diags: list[tuple[str, str, int, str]]) -> None:
    for name, (code, line) in SENTINELS.items():
        assert (name, code, line) in {(p, c, ln) for p, c, ln, _ in diags}, f"{name} was not linted: {diags[:10]}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file(case: Case, tmp_path: Path) -> None:
    root = _tree(tmp_path / "tree", {case.filename: case.content})
    started = time.monotonic()
    internal, diags = _lint_tree(root, subprocess_run=case.native)
    elapsed = time.monotonic() - started
    assert internal == [], internal
    got = {code for path, code, _, _ in diags if path == case.filename}
    assert case.expect <= got, f"expected {sorted(case.expect)}, got {sorted(got)}"
    assert (got & FILE_CODES) <= case.expect, f"unexpected file-level codes {sorted(got & FILE_CODES - case.expect)}"
    if case.silent:
        assert got == set()
    _assert_sentinels(diags)
    assert elapsed < MAX_SECONDS


def test_refusals_point_at_the_problem(tmp_path: Path) -> None:
    """A refused file's diagnostic names a position near the offending nesting."""
    body = "x = 1\n" * 5 + "y = " + "(" * 300 + ")" * 300 + "\n"
    internal, diags = _lint_tree(_tree(tmp_path, {"deep.py": ("from tracecat_registry import registry\n" + body).encode()}))
    assert not internal
    [(_, code, line, message)] = [d for d in diags if d[0] == "deep.py"]
    assert (code, line) == ("RL001", 7) and "too many nested parentheses" in message


# One tree with everything, through the CLI: exit code, formats, real process. --------
def _all_cases_tree(root: Path, *, native: bool) -> Path:
    files = {}
    for case in CASES:
        if case.native and not native:
            continue
        stem, _, ext = case.filename.rpartition(".")
        files[f"{case.id}.{ext}"] = case.content
    return _tree(root, files)


@pytest.fixture(scope="module")
def all_cases_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _all_cases_tree(tmp_path_factory.mktemp("hostile-all"), native=False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_survives_all_cases_in_one_tree(fmt: str, all_cases_tree: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", fmt, str(all_cases_tree)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output[-2000:]
    assert "Traceback" not in result.output
    assert "sentinel" in result.output


@pytest.mark.parametrize(
    "args",
    [["--select", "ALL", "--statistics"], ["--diff", "--unsafe-fixes"], ["--fix", "--unsafe-fixes"], ["--show-source"],
     ["--write-baseline", "{tmp}/baseline.json"], ["--jobs", "2"]],
    ids=["all-rules-statistics", "diff", "fix", "show-source", "write-baseline", "pool"],
)
def test_cli_modes_survive_all_cases(args: list[str], tmp_path: Path) -> None:
    root = _all_cases_tree(tmp_path / "tree", native=False)  # a fresh copy: --fix writes
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(main, ["check", "--no-cache", *args, str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output[-2000:]
    assert "Traceback" not in result.output


def test_resolve_survives_all_cases(tmp_path: Path) -> None:
    root = _all_cases_tree(tmp_path / "tree", native=False)
    (tmp_path / "inventory.yml").write_text("secrets: {}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["resolve", str(root), "--inventory", str(tmp_path / "inventory.yml")])
    assert result.exit_code in (0, 1), (result.output[-2000:], result.exception)


def test_real_process_with_pool_and_cache_over_everything(tmp_path: Path) -> None:
    """The console script, as pre-commit runs it: cache on, two workers, native crashers included."""
    root = _all_cases_tree(tmp_path / "tree", native=True)
    exe = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"
    for _ in range(2):  # cold, then from the cache
        proc = subprocess.run(
            [exe, "check", "--jobs", "2", "--output-format", "json", "."],
            cwd=root, capture_output=True, text=True, timeout=600,
        )
        assert proc.returncode == 1, proc.stderr[-3000:]
        assert "Traceback" not in proc.stderr
        found = {(Path(d["filename"]).name if "filename" in d else "", d["code"]) for d in json.loads(proc.stdout)}
        assert ("sentinel.yml", "RL101") in found and ("sentinel_mod.py", "RL101") in found, sorted(found)[:20]


# File-system oddities -------------------------------------------------------------------
def _dangling(root: Path) -> str:
    os.symlink(root / "nowhere.yml", root / "dangling.yml")
    return "dangling.yml"


def _self_loop(root: Path) -> str:
    os.symlink("loop.yml", root / "loop.yml")
    return "loop.yml"


def _dir_loop(root: Path) -> str:
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")
    return "sub/up"


def _fifo(root: Path) -> str:
    os.mkfifo(root / "pipe.py")
    return "pipe.py"


def _dev_zero(root: Path) -> str:
    os.symlink("/dev/zero", root / "zero.yml")
    return "zero.yml"


def _dev_urandom(root: Path) -> str:
    os.symlink("/dev/urandom", root / "random.py")
    return "random.py"


def _char_device(root: Path) -> str:
    try:  # a real device node (needs CAP_MKNOD): 1,5 is /dev/zero
        os.mknod(root / "zero_node.py", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (OSError, AttributeError):
        pytest.skip("cannot create device nodes here")
    return "zero_node.py"


def _unreadable(root: Path) -> str:
    path = root / "secret.py"
    path.write_text("from tracecat_registry import registry\nx = (\n", encoding="utf-8")
    path.chmod(0)
    return "secret.py"


def _spaces_unicode(root: Path) -> str:
    (root / "dir with space é").mkdir()
    (root / "dir with space é" / "a b 中文 🎉.yml").write_text("a: [\n", encoding="utf-8")
    return "dir with space é/a b 中文 🎉.yml"


def _non_utf8_name(root: Path) -> str:
    fd = os.open(os.fsencode(root) + b"/bad\xff name.py", os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, b"from tracecat_registry import registry\nx = (\n")
    os.close(fd)
    return os.fsdecode(b"bad\xff name.py")


def _newline_name(root: Path) -> str:
    (root / "new\nline.yml").write_text("a: [\n", encoding="utf-8")
    return "new\nline.yml"


def _directory_named_py(root: Path) -> str:
    (root / "pkg.py").mkdir()
    return "pkg.py"


DEEP_DIRS = 1100  # beyond the recursion limit of a recursive walk (os.walk before 3.12)


def _deep_directories(root: Path) -> str:
    path = root
    for _ in range(DEEP_DIRS):
        path = path / "d"
        path.mkdir()
    (path / "x.yml").write_text("a: [\n", encoding="utf-8")
    return "/".join(["d"] * DEEP_DIRS) + "/x.yml"


def _remove_deep(root: Path) -> None:
    """shutil.rmtree recurses too: remove the deep chain bottom-up by hand."""
    chain = root / "d"
    if not chain.exists():
        return
    paths = [chain]
    while (paths[-1] / "d").is_dir():
        paths.append(paths[-1] / "d")
    for path in reversed(paths):
        for child in path.iterdir():
            if not child.is_dir():
                child.unlink()
        path.rmdir()


FS_CASES: dict[str, Callable[[Path], str]] = {
    "dangling-symlink": _dangling,
    "symlink-self-loop": _self_loop,
    "symlink-dir-loop": _dir_loop,
    "fifo": _fifo,
    "symlink-to-dev-zero": _dev_zero,
    "symlink-to-dev-urandom": _dev_urandom,
    "character-device-node": _char_device,
    "unreadable-chmod-000": _unreadable,
    "spaces-and-unicode-path": _spaces_unicode,
    "non-utf8-file-name": _non_utf8_name,
    "newline-in-file-name": _newline_name,
    "directory-named-py": _directory_named_py,
    "1100-nested-directories": _deep_directories,
}


def _special_files_supported() -> bool:
    return hasattr(os, "mkfifo") and hasattr(os, "symlink") and os.path.exists("/dev/zero")


@pytest.mark.skipif(not _special_files_supported(), reason="needs POSIX FIFOs, symlinks and /dev/zero")
@pytest.mark.parametrize("git", [False, True], ids=["plain", "git"])
@pytest.mark.parametrize("name", list(FS_CASES))
def test_file_system_oddity(name: str, git: bool, tmp_path: Path) -> None:
    root = _tree(tmp_path / "tree", {})
    if git:
        if shutil.which("git") is None:
            pytest.skip("git not installed")
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    target = FS_CASES[name](root)
    try:
        internal, diags = _lint_tree(root)
        assert internal == []
        _assert_sentinels(diags)
        codes = {c for p, c, _, _ in diags if p == target}
        if name == "unreadable-chmod-000":
            # Root reads anything; everyone else gets RL003.
            assert codes == ({"RL001"} if os.access(root / target, os.R_OK) else {"RL003"})
        elif name in ("spaces-and-unicode-path", "non-utf8-file-name", "newline-in-file-name", "1100-nested-directories"):
            assert codes & {"RL001", "RL002"}, diags  # linted like any other file
        else:
            assert codes <= {"RL003"}
        for fmt in FORMATS:
            result = CliRunner().invoke(main, ["check", "--output-format", fmt, str(root)])
            assert result.exit_code == 1, (fmt, result.output[-1500:], result.exception)
    finally:
        if (root / "secret.py").exists():
            (root / "secret.py").chmod(stat.S_IRUSR | stat.S_IWUSR)
        _remove_deep(root)


def test_file_deleted_between_discovery_and_reading(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"gone.yml": b"a: b\n", "gone.py": b"from tracecat_registry import registry\n"})
    cfg = parse_config({}, root=root)
    files = discover([str(root)], cfg)
    (root / "gone.yml").unlink()
    (root / "gone.py").unlink()
    (root / "gone.py").mkdir()  # and one replaced by a directory
    res = engine.lint_paths(files, cfg)
    assert not res.internal_errors
    by_name = {(Path(d.location.path).name, d.code) for d in res.diagnostics}
    assert {("gone.yml", "RL003"), ("sentinel.yml", "RL101"), ("sentinel_mod.py", "RL101")} <= by_name
    assert ("gone.py", "RL001") not in by_name


def test_file_replaced_by_fifo_after_discovery(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs")
    root = _tree(tmp_path, {"swap.yml": b"a: b\n"})
    cfg = parse_config({}, root=root)
    files = discover([str(root)], cfg)
    (root / "swap.yml").unlink()
    os.mkfifo(root / "swap.yml")
    res = engine.lint_paths(files, cfg)  # would block forever on open() without O_NONBLOCK
    assert not res.internal_errors
    assert {Path(d.location.path).name for d in res.diagnostics} == {"sentinel.yml", "sentinel_mod.py"}


# The time budget ---------------------------------------------------------------------------
def test_time_budget_stops_a_runaway_file_and_the_run_continues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, {"slow.yml": b"a: b\n"})
    real = engine._run_rules

    def slow_rules(rules, source, parsed, ctx, result):  # type: ignore[no-untyped-def]
        if source.path.endswith("slow.yml"):
            while True:  # a runaway rule: only the budget ends it
                time.sleep(0.01)
        return real(rules, source, parsed, ctx, result)

    monkeypatch.setattr(engine, "_run_rules", slow_rules)
    monkeypatch.setenv(budget.TIMEOUT_ENV, "0.5")
    internal, diags = _lint_tree(root)
    assert internal == []
    [(_, code, _, message)] = [d for d in diags if d[0] == "slow.yml"]
    assert code == "RL003" and "took longer than 0.5 s" in message
    _assert_sentinels(diags)


def test_time_budget_result_is_transient_and_timer_is_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers")
    before = signal.getsignal(signal.SIGALRM)
    monkeypatch.setattr(engine, "_lint_file", lambda *a: time.sleep(5))
    monkeypatch.setenv(budget.TIMEOUT_ENV, "0.2")
    from registry_lint.config import Config

    result = engine.lint_file("x.yml", Config(), b"a: b\n")
    assert result.transient and [d.code for d in result.diagnostics] == ["RL003"]
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_budget_defers_to_an_existing_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone else's ITIMER_REAL (pytest-timeout, an embedding app) is left alone."""
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers")
    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with budget.time_limit(0.1) as active:
            assert active is False
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_budget_env_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in (("", budget.DEFAULT_FILE_TIMEOUT), ("2.5", 2.5), ("0", 0.0), ("-3", 0.0), ("nope", budget.DEFAULT_FILE_TIMEOUT)):
        monkeypatch.setenv(budget.TIMEOUT_ENV, raw)
        assert budget.file_timeout() == expected


def test_pre_checks_accept_real_code() -> None:
    """The linter's own sources and its dependencies' stay far below every limit."""
    import libcst
    import yaml

    roots = [Path(engine.__file__).parent, Path(libcst.__file__).parent, Path(yaml.__file__).parent]
    checked = 0
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert budget.check_python(text) is None, path
            checked += 1
    assert checked > 100


def test_compiling_linted_code_prints_no_warnings(tmp_path: Path) -> None:
    """The syntax-error path compiles the file to an AST: its warnings (invalid
    escapes, ...) are about the linted code and must not reach stderr."""
    (tmp_path / "w.py").write_text('from tracecat_registry import registry\nx = "\\."\ny = (\n', encoding="utf-8")
    exe = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"
    env = {**os.environ, "PYTHONWARNINGS": "always"}
    proc = subprocess.run([exe, "check", "--no-cache", "w.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "RL001" in proc.stdout
    assert proc.stderr == ""


@pytest.mark.parametrize(
    ("pyproject", "exit_code"),
    [
        ("[tool.registry-lint]\nselect = " + "[" * 3000 + "]" * 3000 + "\n", 2),  # ours and broken: a config error
        ('x = "\\u0041"\na = ' + "[" * 3000 + "]" * 3000 + "\n", 1),  # someone else's, unparsable: ignored
        ("[tool.registry-lint\n", 2),
        ("a = [\n", 1),
    ],
    ids=["deep-ours", "deep-foreign", "broken-ours", "broken-foreign"],
)
def test_hostile_pyproject_is_a_clean_config_error_or_ignored(pyproject: str, exit_code: int, tmp_path: Path) -> None:
    """tomllib recurses: a deeply nested pyproject.toml must not escape as a traceback."""
    root = _tree(tmp_path, {"pyproject.toml": pyproject.encode()})
    result = CliRunner().invoke(main, ["check", "--no-cache", str(root)])
    assert result.exit_code == exit_code, result.output[-1500:]
    assert not isinstance(result.exception, RecursionError)
    if exit_code == 2:
        assert "registry-lint: error:" in result.output


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize("git", [False, True], ids=["plain", "git"])
def test_symlinks_out_of_the_project_are_not_followed(git: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`leak.yml -> ~/.aws/credentials` in a checkout: never read, shown or fixed;
    a symlink to another file of the project is linted as usual."""
    outside = tmp_path / "home"
    outside.mkdir()
    private = outside / "private.yml"
    private.write_text("a: 1\n\tPRIVATE-LINE-THAT-MUST-NOT-SHOW\n", encoding="utf-8")  # RL002 on the private line
    root = _tree(tmp_path / "repo", {"inner.yml": b"a: [\n"})
    if git:
        if shutil.which("git") is None:
            pytest.skip("git not installed")
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    os.symlink(private, root / "leak.yml")
    os.symlink(root / "inner.yml", root / "alias.yml")
    monkeypatch.chdir(root)
    for args in (["."], ["leak.yml", "alias.yml", "sentinel.yml"]):
        result = CliRunner().invoke(main, ["check", "--no-cache", "--show-source", "--fix", *args])
        assert result.exit_code == 1, result.output[-1500:]
        assert "PRIVATE-LINE" not in result.output and "leak.yml" not in result.output
        assert "alias.yml" in result.output and "sentinel" in result.output
    assert private.read_text(encoding="utf-8") == "a: 1\n\tPRIVATE-LINE-THAT-MUST-NOT-SHOW\n"


def test_timed_out_results_are_never_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file stopped by the budget is linted again next run (a faster machine may finish it)."""
    cache_mod = pytest.importorskip("registry_lint.cache")
    root = _tree(tmp_path, {"slow.yml": b"a: [\n"})
    cfg = parse_config({}, root=root)
    files = discover([str(root)], cfg)
    real = engine._run_rules

    def hang_on_slow(rules, source, parsed, ctx, result):  # type: ignore[no-untyped-def]
        if source.path.endswith("slow.yml"):
            time.sleep(30)
        return real(rules, source, parsed, ctx, result)

    monkeypatch.setenv(budget.TIMEOUT_ENV, "0.3")
    monkeypatch.setattr(engine, "_run_rules", hang_on_slow)
    first = engine.lint_paths(files, cfg, cache=cache_mod.ResultCache.for_config(cfg))
    assert [d.message for d in first.diagnostics if d.location.path.endswith("slow.yml")] == [
        "File took longer than 0.3 s to lint (per-file time budget); not linted"
    ]
    monkeypatch.setattr(engine, "_run_rules", real)
    second = engine.lint_paths(files, cfg, cache=cache_mod.ResultCache.for_config(cfg))
    assert {d.code for d in second.diagnostics if d.location.path.endswith("slow.yml")} == {"RL002"}
