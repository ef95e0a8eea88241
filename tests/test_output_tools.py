"""Output that tools can use (issue 13, item 8): patches that apply, stdin as
`-`, NO_COLOR/FORCE_COLOR, JSON statistics, a --help that is not cut off,
"1 file", `[*]` only for safe fixes, no credential note where no line shows."""

from __future__ import annotations

import json
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from .workflow_fixture import runner

EXE = shutil.which("registry-lint", path=os.path.dirname(sys.executable)) or "registry-lint"
BAD_PY = (
    "from tracecat_registry import registry\n\n"
    "@registry.register(description='d')\n"
    "async def act(x: int) -> int:\n    return x\n"
)


def token(seed: int = 8) -> str:
    rng = random.Random(seed)
    return "gh" + "p_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))


def console(args: list[str], cwd: Path, *, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [EXE, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120, env={**environ, **env}, check=False
    )


def run(args: list[str], cwd: Path, stdin: str | None = None) -> tuple[int, str, str]:
    from registry_lint.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = runner().invoke(main, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


# --diff --------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_is_a_patch_git_applies_and_never_shows_the_secret(tmp_path: Path) -> None:
    secret = token()
    body = "".join(f"V{i} = {i}\n" for i in range(12))
    text = (
        "from tracecat_registry import registry\n"
        "A = 1  # noqa: RL101\n"
        f'KEY = "{secret}"\n'  # RL501: context of the first fix
        + body
        + "B = 2  # noqa: RL102\n"  # far from the secret: its own hunk
    )
    (tmp_path / "a.py").write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    proc = console(["check", "--no-cache", "--diff", "a.py"], tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert secret not in proc.stdout + proc.stderr
    assert secret[4:12] not in proc.stdout + proc.stderr
    assert "-B = 2  # noqa: RL102\n+B = 2\n" in proc.stdout
    assert "noqa: RL101" not in proc.stdout  # its hunk shows the credential's line: withheld
    assert "1 hunk for a.py withheld: it touches a line holding a detected credential" in proc.stderr
    (tmp_path / "fix.patch").write_text(proc.stdout, encoding="utf-8")
    check = subprocess.run(["git", "apply", "--check", "fix.patch"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True)
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == text.replace("B = 2  # noqa: RL102\n", "B = 2\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_renumbers_hunks_after_a_withheld_one(tmp_path: Path) -> None:
    from registry_lint.fix import FileFix, unified_diff

    lines = [f"L{i}\n" for i in range(40)]
    before = "".join(lines)
    after_lines = list(lines)
    after_lines[5:6] = ["L5a\n", "L5b\n", "L5c\n"]  # withheld: adds two lines
    after_lines[32] = "L30x\n"  # shown: its new-side position moves by the withheld hunk
    after = "".join(after_lines)
    patch, withheld = unified_diff(FileFix("f.txt", before, after), hide_before={6}, hide_after={6})
    assert withheld == 1 and "+L30x" in patch and "L5a" not in patch
    (tmp_path / "f.txt").write_text(before, encoding="utf-8")
    (tmp_path / "p.patch").write_text(patch, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    check = subprocess.run(["git", "apply", "--check", "p.patch"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, (patch, check.stderr)


# stdin ---------------------------------------------------------------------------------
def test_dash_reads_stdin(tmp_path: Path) -> None:
    proc = console(["check", "-"], tmp_path, stdin=f'TOKEN = "{token()}"\n')
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("-:1:10: RL501 ")
    code, out, _ = run(["check", "-", "--stdin-filename", "pkg/a.py"], tmp_path, stdin=BAD_PY)
    assert code == 1 and "pkg/a.py:4:11: RL105" in out
    code, out, err = run(["check", "-", "a.py"], tmp_path, stdin=BAD_PY)
    assert code == 2 and "reads from stdin" in err


# Colour --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("env", "args", "coloured"),
    [
        ({}, [], False),  # not a terminal
        ({"FORCE_COLOR": "1"}, [], True),
        ({"NO_COLOR": "1"}, [], False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, [], False),
        ({"NO_COLOR": ""}, [], False),  # empty: not set (no-color.org)
        ({"NO_COLOR": "", "FORCE_COLOR": "yes"}, [], True),
        ({"FORCE_COLOR": "0"}, [], False),
        ({"NO_COLOR": "1"}, ["--color"], True),
        ({"FORCE_COLOR": "1"}, ["--no-color"], False),
    ],
)
@pytest.mark.slow
def test_no_color_and_force_color(env: dict[str, str], args: list[str], coloured: bool, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    proc = console(["check", "--no-cache", *args, "a.py"], tmp_path, **env)
    assert proc.returncode == 1
    assert ("\x1b[" in proc.stdout) is coloured, proc.stdout


# Statistics ----------------------------------------------------------------------------
STATS_PY = (
    "from tracecat_registry import registry, RegistrySecret\n"
    "X = 1  # noqa: RL101\n"  # RL010: safe fix
    "s = RegistrySecret(name='Bad-Name', keys=['K'])\n"  # RL201: unsafe fix only
    "\n@registry.register(description='d', secrets=[s])\n"
    "async def act(x: int) -> int:\n    return x\n"
)


def test_statistics_json_and_safe_marks(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(STATS_PY)
    proc = console(["check", "--no-cache", "--statistics", "--output-format", "json", "a.py"], tmp_path)
    assert proc.returncode == 1, proc.stderr
    rows = json.loads(proc.stdout)
    by_code = {row["code"]: row for row in rows}
    assert set(rows[0]) == {"code", "name", "count", "fixable"}
    assert by_code["RL010"] == {"code": "RL010", "name": "unused-noqa", "count": 1, "fixable": True}
    assert by_code["RL201"]["fixable"] is False  # an unsafe fix is not "fixable" with --fix
    assert by_code["RL105"]["fixable"] is False
    code, out, _ = run(["check", "--no-cache", "--statistics", "a.py"], tmp_path)
    lines = {line.split("\t")[1]: line for line in out.splitlines() if "\t" in line}
    assert "[*]" in lines["RL010"] and "[*]" not in lines["RL201"] and "[*]" not in lines["RL105"]


# Wording -------------------------------------------------------------------------------
def test_top_level_help_is_not_cut_off(tmp_path: Path) -> None:
    proc = console(["--help"], tmp_path)
    assert proc.returncode == 0
    commands = proc.stdout.split("Commands:", 1)[1].strip().splitlines()
    assert {line.split()[0] for line in commands} == {"check", "init", "resolve", "rule", "rules", "server"}
    for line in commands:
        assert not line.rstrip().endswith(("...", "e.g.", "(e.g.")), line
        assert line.rstrip().endswith((".", ")")), line


def test_counts_are_pluralised(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD_PY)
    code, out, _ = run(["check", "--no-cache", "--select", "RL105", "a.py"], tmp_path)
    assert out.splitlines()[-1] == "Found 1 problem (0 errors, 1 warning) in 1 file, 1 action."  # RL105 is a warning
    (tmp_path / "b.yml").write_text("a: 1\n")
    code, out, _ = run(["check", "--no-cache", "b.yml"], tmp_path)
    assert out == "All checks passed! (1 file, 0 actions)\n"


def test_credential_note_only_where_a_line_would_be_shown(tmp_path: Path) -> None:
    """RL106 on a namespace holding a token: the line is never shown, and the
    message carries no note about it (no format shows lines but the text
    snippet, which says so where the line would be)."""
    (tmp_path / "a.py").write_text(
        "from tracecat_registry import registry\n\n"
        '@registry.register(default_title="T", description="D", display_group="G", doc_url="https://x.example", '
        f'namespace="{token()}")\nasync def act() -> int:\n    return 1\n'
    )
    for fmt in ("text", "json", "github", "junit", "sarif"):
        code, out, _ = run(["check", "--no-cache", "--no-show-source", "--output-format", fmt, "a.py"], tmp_path)
        assert code == 1 and "RL106" in out and "RL501" in out
        assert "holds a detected credential" not in out, fmt
        assert token() not in out
    code, out, _ = run(["check", "--no-cache", "--show-source", "a.py"], tmp_path)
    assert out.count("(line not shown: it holds a credential)") == 2 and token() not in out
    assert "holds a detected credential" not in out
