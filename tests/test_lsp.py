"""Drive ``registry-lint server`` over stdio as an editor would (JSON-RPC, Content-Length framing)."""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

needs_pygls = pytest.mark.skipif(
    importlib.util.find_spec("pygls") is None, reason="pygls (registry-lint[lsp]) is not installed"
)

BAD = "from tracecat_registry import registry\n\nX = 1  # noqa: RL101\n"
TIMEOUT = 30


class Client:
    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "registry_lint", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, payload: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **payload}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        msg = self.wait(lambda m: m.get("id") == rid and "method" not in m)
        assert "error" not in msg, msg
        return msg.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def wait(self, predicate) -> dict[str, Any]:
        while True:
            try:
                msg = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                err = self.proc.stderr.read1(65536) if self.proc.poll() is not None and self.proc.stderr else b""
                raise AssertionError(f"no message from the server in {TIMEOUT}s {err!r}") from None
            if predicate(msg):
                return msg

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        return msg["params"]["diagnostics"]

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP TextEdits (positions in UTF-16 units; ASCII here) back to front."""
    lines = text.split("\n")

    def offset(pos: dict[str, int]) -> int:
        return sum(len(l) + 1 for l in lines[: pos["line"]]) + pos["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


@needs_pygls
def test_server_publishes_diagnostics_and_fixes(tmp_path: Path) -> None:
    path = tmp_path / "acme.py"
    path.write_text(BAD, encoding="utf-8")
    uri = path.as_uri()
    client = Client(tmp_path)
    try:
        init = client.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": {}})
        assert init["serverInfo"]["name"] == "registry-lint"
        assert init["capabilities"]["codeActionProvider"]
        client.notify("initialized", {})

        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": BAD}})
        diags = client.diagnostics(uri)
        assert [d["code"] for d in diags] == ["RL010"]
        diag = diags[0]
        assert diag["source"] == "registry-lint"
        assert diag["range"] == {"start": {"line": 2, "character": 7}, "end": {"line": 2, "character": 20}}

        actions = client.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}},
        )
        quick = [a for a in actions if a.get("kind") == "quickfix"]
        assert len(quick) == 1 and quick[0]["isPreferred"] is True
        fixed = _apply(BAD, quick[0]["edit"]["changes"][uri])
        assert fixed == "from tracecat_registry import registry\n\nX = 1\n"
        fix_all = [a for a in actions if a.get("kind", "").startswith("source.fixAll")]
        assert len(fix_all) == 1 and _apply(BAD, fix_all[0]["edit"]["changes"][uri]) == fixed

        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]},
        )
        assert client.diagnostics(uri) == []

        # Saving re-lints too; a new mistake shows up again.
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": BAD}]},
        )
        assert [d["code"] for d in client.diagnostics(uri)] == ["RL010"]
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        assert [d["code"] for d in client.diagnostics(uri)] == ["RL010"]
    finally:
        client.close()


@needs_pygls
def test_server_honours_config_excludes(tmp_path: Path) -> None:
    (tmp_path / "registry-lint.toml").write_text('exclude = ["fixtures/"]\n', encoding="utf-8")
    path = tmp_path / "fixtures" / "acme.py"
    path.parent.mkdir()
    path.write_text(BAD, encoding="utf-8")
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        uri = path.as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": BAD}})
        assert client.diagnostics(uri) == []
    finally:
        client.close()


def test_server_without_pygls_explains_how_to_install() -> None:
    # Simulate a missing pygls: a None entry in sys.modules makes its import fail.
    code = "import sys; sys.modules['pygls'] = None; from registry_lint.cli import main; main(['server'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "pip install 'registry-lint[lsp]'" in out.stderr and "Traceback" not in out.stderr
