"""`check --watch` (issue 19): the real console script, a real file change, a second report."""

from __future__ import annotations

import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .test_output_tools import BAD_PY, EXE, console

GOOD_PY = "x = 1\n"
DEADLINE = 60.0  # seconds: only a hang reaches it (no timing is asserted)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**env, "REGISTRY_LINT_WATCH_INTERVAL": "0.1"}


def _lines(stream, out: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        out.put(line)


def _until(out: queue.Queue[str], marker: str) -> str:
    """Everything read up to and including a line containing ``marker``."""
    seen = []
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        try:
            line = out.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"no {marker!r} in {''.join(seen)!r}")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_watch_relints_on_change(tmp_path: Path) -> None:
    target = tmp_path / "udfs" / "a.py"
    target.parent.mkdir()
    target.write_text(BAD_PY)
    proc = subprocess.Popen(
        [EXE, "check", "--watch", "--no-show-source", "."], cwd=tmp_path, env=_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    out: queue.Queue[str] = queue.Queue()
    err: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, out), daemon=True).start()
    threading.Thread(target=_lines, args=(proc.stderr, err), daemon=True).start()
    try:
        try:
            first = _until(out, "Found ")
        except AssertionError:
            proc.kill()
            time.sleep(0.5)
            raise AssertionError("stderr: " + "".join(err.get() for _ in range(err.qsize()))) from None
        assert "udfs/a.py:4:11: RL102" in first
        _until(err, "watching")
        target.write_text(GOOD_PY)  # fixed: the next report is clean
        second = _until(out, "All checks passed!")
        assert "RL102" not in second and "\x1b[" not in second  # no screen clearing into a pipe
        (tmp_path / "udfs" / "b.py").write_text(BAD_PY)  # a new file is noticed too
        third = _until(out, "Found ")
        assert "udfs/b.py:4:11: RL102" in third
        # The same output as a plain check would print.
        assert third.replace("in 2 files", "in 1 file") == first.replace("udfs/a.py", "udfs/b.py")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 130


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_watch_clears_the_screen_on_a_terminal(tmp_path: Path) -> None:
    import pty

    (tmp_path / "a.py").write_text(BAD_PY)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [EXE, "check", "--watch", "--no-color", "a.py"], cwd=tmp_path, env=_env(),
        stdout=slave, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    os.close(slave)
    data = b""
    try:
        end = time.monotonic() + DEADLINE
        changed = False
        while time.monotonic() < end and data.count(b"Found ") < 2:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    data += os.read(master, 65536)
                except OSError:
                    break
            if not changed and b"Found " in data:
                (tmp_path / "a.py").write_text(BAD_PY + "\n# edited\n")
                changed = True
    finally:
        proc.kill()
        proc.wait(timeout=DEADLINE)
        os.close(master)
    assert data.count(b"\x1b[2J") == 2 and data.count(b"Found ") == 2
    assert data.rindex(b"\x1b[2J") < data.rindex(b"Found ")  # cleared, then the new report


def test_watch_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(GOOD_PY)
    for args in (["--output-file", "x.txt"], ["-"], ["--diff"], ["--add-noqa"], ["--show-files"]):
        proc = console(["check", "--watch", *args], tmp_path, stdin="")
        assert proc.returncode == 2 and "--watch" in proc.stderr, args
