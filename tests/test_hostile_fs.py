"""File-system oddities: FIFOs, devices, symlink loops and escapes, unreadable,
vanishing and strangely named files, very deep trees. Each becomes RL003 or a
silent skip, in plain and git trees, and every other file is still linted."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint import run
from registry_lint.cli import main
from registry_lint.config_table import parse_config
from registry_lint.discover import discover
from registry_lint.report import FORMATS

from .test_hostile import _assert_sentinels, _lint_tree, _tree

pytestmark = pytest.mark.slow  # robustness: seconds per test (run with --run-slow)


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


def _output_sizes(cwd: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.chdir(cwd)
    sizes = {}
    for fmt in FORMATS:
        result = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", fmt, "."])
        assert result.exit_code == 1, result.output[-1500:]
        sizes[fmt] = len(result.output)
    return sizes


def test_deep_tree_discovery_is_linear_in_depth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excludes and .gitignore patterns are tested once per directory on its
    own path (its parent's answer is remembered), not on every prefix of
    every directory: that was cubic in the depth (4.8 s for one file 1100
    directories deep). Measured in characters handed to the pattern regexes."""
    import sys

    from registry_lint.patterns import PathMatcher

    config_module = sys.modules[PathMatcher.__module__]
    scanned = [0]
    real = config_module._alternation

    def counting(patterns: list[str]):
        match = real(patterns)
        if match is None:
            return None

        def counted(text: str):
            scanned[0] += len(text)
            return match(text)

        return counted

    monkeypatch.setattr(config_module, "_alternation", counting)
    shallow, deep = tmp_path / "shallow", tmp_path / "deep"
    shallow.mkdir()
    deep.mkdir()
    (shallow / "x.yml").write_text("a: [\n", encoding="utf-8")
    (deep / ".gitignore").write_text("*.log\nbuild/\n/dist/*.txt\n", encoding="utf-8")
    target = _deep_directories(deep)
    try:
        cfg = parse_config({"exclude": ["fixtures/", "gen/*.py"], "extend-exclude": ["*.tmp"]}, root=deep)
        monkeypatch.chdir(deep)
        assert discover(["."], cfg) == [".gitignore", target]
        path_chars = 2 * DEEP_DIRS  # "d/" per level
        assert scanned[0] <= 8 * path_chars * DEEP_DIRS, scanned[0]  # the cubic version: ~1e9
        # One finding: the report holds its path a few times, nothing per directory.
        base, sizes = _output_sizes(shallow, monkeypatch), _output_sizes(deep, monkeypatch)
        for fmt in FORMATS:
            assert sizes[fmt] - base[fmt] <= 6 * len(target), (fmt, sizes[fmt], base[fmt])
    finally:
        _remove_deep(deep)


def test_file_deleted_between_discovery_and_reading(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"gone.yml": b"a: b\n", "gone.py": b"from tracecat_registry import registry\n"})
    cfg = parse_config({}, root=root)
    files = discover([str(root)], cfg)
    (root / "gone.yml").unlink()
    (root / "gone.py").unlink()
    (root / "gone.py").mkdir()  # and one replaced by a directory
    res = run.check(files, cfg)
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
    res = run.check(files, cfg)  # would block forever on open() without O_NONBLOCK
    assert not res.internal_errors
    assert {Path(d.location.path).name for d in res.diagnostics} == {"sentinel.yml", "sentinel_mod.py"}




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
