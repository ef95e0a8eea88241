"""``registry-lint resolve --workspace``: the inventory read live from Tracecat's API.

Every test runs a local stand-in of the API (``tests/tracecat_api.py``, response
shapes from Tracecat's schemas at 4209a655) on 127.0.0.1 and stops it after.
Every error path runs with a recognisable API key, and everything printed or
written is searched for it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint.cli import main
from registry_lint.runtime import load_inventory, parse_inventory
from registry_lint.runtime.workspace import WorkspaceError, inventory_data

from .tracecat_api import (
    API_KEY,
    WORKSPACE_ID,
    Fault,
    Workspace,
    free_port,
    providers,
    secret_read_minimal,
    serve,
)

REPO = Path(__file__).resolve().parent.parent
EXE = shutil.which("registry-lint", path=os.path.dirname(sys.executable))
#: Pieces of the key that must never show up (the whole key, its id, its secret part).
KEY_PARTS = (API_KEY, API_KEY.split("_")[3], API_KEY.split("_")[4][:12])
VALUE_CANARY = "sk-live-VALUECANARY-0123456789abcdef"
EXA_PATHS = ("examples/registry/udfs/exa.py", "examples/registry/templates/exa")


def example_workspace() -> Workspace:
    """What examples/inventory.yml describes, as Tracecat's API would list it."""
    return Workspace(
        secrets=[
            secret_read_minimal("exa", ["EXA_API_KEY"]),
            secret_read_minimal("acme", ["ACME_API_KEY"]),
            secret_read_minimal("acme_ssh", ["PRIVATE_KEY", "PASSPHRASE"]),
            secret_read_minimal("exa", ["EXA_API_KEY"], "staging"),
        ],
        providers=providers({("slack", "authorization_code"): "connected", ("microsoft_teams", "client_credentials"): "connected"}),
    )


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def invoke(*args: str, key: str | None = API_KEY, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    environ = {"TRACECAT_API_KEY": key} if key is not None else {"TRACECAT_API_KEY": ""}
    result = runner.invoke(main, ["resolve", *args], env={**environ, **(env or {})}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def live(url: str, *args: str) -> list[str]:
    return ["--workspace", url, "--workspace-id", WORKSPACE_ID, *args]


def assert_no_leak(*texts: str) -> None:
    for text in texts:
        for part in KEY_PARTS:
            assert part not in text
        assert VALUE_CANARY not in text


# The live check is the file check -------------------------------------------------
def test_live_workspace_gives_the_same_result_as_the_inventory_file(repo: Path) -> None:
    ws = example_workspace()
    with serve(ws) as url:
        live_run = invoke("examples/registry", *live(url))
    file_run = invoke("examples/registry", "--inventory", "examples/inventory.yml")
    assert live_run[0] == file_run[0] == 1
    assert live_run[1] == file_run[1]
    assert "(environment 'staging')" in live_run[1]
    assert_no_leak(*live_run[1:])
    # Only the two documented routes, each once, with the key as a bearer token and nothing else.
    assert ws.requests == [
        ("GET", f"/api/workspaces/{WORKSPACE_ID}/secrets", f"Bearer {API_KEY}"),
        ("GET", f"/api/workspaces/{WORKSPACE_ID}/providers", f"Bearer {API_KEY}"),
    ]


def test_proxy_settings_do_not_apply_to_loopback(repo: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with serve(example_workspace()) as url:
        code, out, err = invoke(*EXA_PATHS, *live(url), env={"HTTP_PROXY": dead, "http_proxy": dead, "NO_PROXY": "", "no_proxy": ""})
    assert code == 0, err


def test_environment_option_selects_one(repo: Path) -> None:
    with serve(example_workspace()) as url:
        code, out, _ = invoke(*EXA_PATHS, *live(url, "--environment", "staging"))
    assert code == 0, out
    assert "(environment 'default')" not in out and "3 actions: 3 resolve, 0 do not (environment 'staging')." in out


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("not_configured", "is not configured"),
        ("configured", "is configured but not connected (status 'configured')"),
        ("reauth_required", "has expired and needs reauthorization (status 'reauth_required')"),
    ],
)
def test_unusable_integration_is_missing_and_says_why(repo: Path, status: str, words: str) -> None:
    ws = example_workspace()
    ws.providers = providers({("slack", "authorization_code"): status})
    with serve(ws) as url:
        code, out, err = invoke(*EXA_PATHS, *live(url))
    assert code == 1
    assert f"missing-oauth-integration: Required OAuth integration 'slack' (authorization_code) {words}" in out
    assert "ok   tools.exa.web_search" in out
    assert_no_leak(out, err)


def test_pagination_is_followed_to_the_end(repo: Path) -> None:
    ws = example_workspace()
    ws.page_size = 2
    with serve(ws) as url:
        paged = invoke("examples/registry", *live(url))
    assert paged[1] == invoke("examples/registry", "--inventory", "examples/inventory.yml")[1]
    cursors = [path for _, path, _ in ws.requests if "cursor=" in path]
    assert len(cursors) == 1 + 2  # secrets: 4 items in 2 pages; providers: 6 items in 3 pages


def test_corrupted_secret_is_noted(repo: Path) -> None:
    ws = example_workspace()
    ws.secrets[0] = secret_read_minimal("exa", [], is_corrupted=True)
    with serve(ws) as url:
        code, out, err = invoke(*EXA_PATHS, *live(url, "--environment", "default"))
    assert code == 1 and "Secret 'exa' has no required key 'EXA_API_KEY'" in out
    assert "secret 'exa' (environment 'default') is marked is_corrupted" in err


# The snapshot ----------------------------------------------------------------------
EXPECTED_SNAPSHOT = """\
secrets:
  acme: [ACME_API_KEY]
  acme_ssh: [PASSPHRASE, PRIVATE_KEY]
  exa: [EXA_API_KEY]
environments:
  staging:
    secrets:
      exa: [EXA_API_KEY]
oauth:
- {provider_id: microsoft_teams, grant_type: client_credentials}
- {provider_id: slack, grant_type: authorization_code, status: configured}
"""


def test_export_is_stable_sorted_and_checks_the_same_offline(repo: Path) -> None:
    ws = example_workspace()
    ws.secrets.reverse()  # server order must not matter
    ws.secrets[0]["description"] = VALUE_CANARY  # free text is never copied
    ws.secrets[1]["value"] = VALUE_CANARY  # nor a field Tracecat does not send
    ws.providers = providers({("slack", "authorization_code"): "configured", ("microsoft_teams", "client_credentials"): "connected"})
    with serve(ws) as url:
        code, out, err = invoke("examples/registry", *live(url, "--export-inventory", "snap.yml"))
        first = Path("snap.yml").read_text()
        ws.secrets.reverse()
        invoke("examples/registry", *live(url, "--export-inventory", "snap.yml"))
        second = Path("snap.yml").read_text()
    assert code == 1 and "wrote snap.yml" in err
    header, _, body = first.partition("secrets:\n")
    assert "secrets:\n" + body == EXPECTED_SNAPSHOT
    assert f"--workspace {url} --workspace-id {WORKSPACE_ID} --export-inventory snap.yml" in header
    assert f"exported:\n  workspace: {url}\n  workspace_id: {WORKSPACE_ID}\n  at: '20" in header
    # Two exports of the same workspace differ only in the time of export.
    assert [l for l in first.splitlines() if "at:" not in l] == [l for l in second.splitlines() if "at:" not in l]
    assert_no_leak(out, err, first)
    offline = invoke("examples/registry", "--inventory", "snap.yml")
    assert offline[:2] == (code, out)


def test_export_json(repo: Path) -> None:
    with serve(example_workspace()) as url:
        invoke(*EXA_PATHS, *live(url, "--export-inventory", "snap.json"))
    data = json.loads(Path("snap.json").read_text())
    assert list(data) == ["exported", "secrets", "environments", "oauth"]
    assert data["secrets"]["acme_ssh"] == ["PASSPHRASE", "PRIVATE_KEY"]
    assert load_inventory("snap.json") == load_inventory("examples/inventory.yml")


def test_export_that_cannot_be_written_fails_and_keeps_the_old_one(repo: Path) -> None:
    Path("snap.yml").write_text("secrets: {}\n")
    with serve(example_workspace()) as url:
        code, out, err = invoke(*EXA_PATHS, *live(url, "--export-inventory", "no/such/dir/snap.yml"))
    assert code == 2 and not out and "cannot write --export-inventory no/such/dir/snap.yml" in err
    assert Path("snap.yml").read_text() == "secrets: {}\n"
    assert [p.name for p in Path(".").iterdir() if p.name.startswith(".snap")] == []


def test_export_needs_a_workspace(repo: Path) -> None:
    code, _, err = invoke(".", "--inventory", "examples/inventory.yml", "--export-inventory", "x.yml")
    assert code == 2 and "go with --workspace" in err and not Path("x.yml").exists()


# Errors: one line, exit 2, no key, no snapshot -----------------------------------------
def _garbled(items: str) -> Fault:
    return Fault(body=items.encode())


ERRORS: list[tuple[str, dict[str, object], list[str], str]] = [
    # (name, Workspace overrides, extra args, expected words)
    ("rejected key", {"api_key": "tc_ws_sk_other_key"}, [], "HTTP 401: the workspace rejected the API key"),
    ("other workspace", {"workspace_id": "00000000-0000-4000-8000-000000000000"}, [], "HTTP 403: the API key may not read this workspace"),
    ("missing scope", {"scopes": ("secret:read",)}, [], "HTTP 403: the API key lacks the scope(s) integration:read"),
    ("server error", {"faults": {"secrets": Fault(status=500, body=b'{"detail":"boom"}')}}, [], "HTTP 500: server error"),
    ("redirect", {"faults": {"secrets": Fault(status=302, headers={"Location": "https://login.example.com/x?token=abc"})}}, [],
     "HTTP 302: redirected to https://login.example.com; give the final API URL"),
    ("malformed JSON", {"faults": {"secrets": _garbled('[{"name": "exa", "keys": [')}}, [], "the response is not JSON"),
    ("HTML page", {"faults": {"providers": Fault(body=b"<html>login</html>", content_type="text/html")}}, [], "usually ending in /api"),
    ("object, not list", {"faults": {"secrets": _garbled('{"secrets": []}')}}, [], "expected a list or {items, next_cursor}, got an object"),
    ("no keys field", {"faults": {"secrets": _garbled('[{"name": "exa", "environment": "default"}]')}}, [], "item 0: unexpected response: no `keys` field"),
    ("keys with values", {"faults": {"secrets": _garbled(f'[{{"name": "exa", "environment": "default", "keys": [{{"key": "K", "value": "{VALUE_CANARY}"}}]}}]')}}, [],
     "`keys` must be a list of key names"),
    ("bad grant type", {"faults": {"providers": _garbled('[{"id": "slack", "grant_type": "password", "integration_status": "connected"}]')}}, [],
     "`grant_type` is not one of"),
    ("unknown status", {"faults": {"providers": _garbled('[{"id": "slack", "grant_type": "authorization_code", "integration_status": "expired"}]')}}, [],
     "`integration_status` is not one of"),
    ("duplicate secret", {"secrets": [secret_read_minimal("exa", ["K"]), secret_read_minimal("exa", ["K"])]}, [], "listed twice"),
    ("slow response", {"faults": {"secrets": Fault(delay=10)}}, ["--timeout", "0.3"], "timed out after 0.3 s (change with --timeout)"),
    ("trickling body", {"faults": {"secrets": Fault(body=b"[" + b" " * 200 + b"]", trickle=0.05)}}, ["--timeout", "0.5"], "timed out after 0.5 s"),
    ("endless pages", {"page_size": 1, "pagination_bug": "endless"}, [], "more than 100 pages; refusing to use a partial inventory"),
    ("cursor loop", {"page_size": 1, "pagination_bug": "loop"}, [], "the same next_cursor twice"),
    ("has_more without cursor", {"page_size": 1, "pagination_bug": "has_more"}, [], "has_more without a next_cursor"),
]


@pytest.mark.parametrize(("overrides", "args", "words"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_api_errors_exit_2_with_one_line(repo: Path, overrides: dict[str, object], args: list[str], words: str) -> None:
    ws = example_workspace()
    for name, value in overrides.items():
        setattr(ws, name, value)
    with serve(ws) as url:
        code, out, err = invoke(*EXA_PATHS, *live(url, "--export-inventory", "snap.yml", *args))
    assert code == 2, out + err
    assert out == "" and words in err, err
    assert err.startswith("registry-lint: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not Path("snap.yml").exists()  # never a partial inventory
    assert_no_leak(out, err)
    for fault in ws.faults.values():
        if fault.trickle:  # the overall deadline ended the read, not the end of the body
            assert fault.sent < len(fault.body or b"")


def test_wrong_base_url_is_a_404(repo: Path) -> None:
    with serve(example_workspace()) as url:
        code, _, err = invoke(*EXA_PATHS, *live(url.removesuffix("/api")))
    assert code == 2 and "HTTP 404: check --workspace" in err


def test_connection_refused(repo: Path) -> None:
    code, out, err = invoke(*EXA_PATHS, *live(f"http://127.0.0.1:{free_port()}/api"))
    assert code == 2 and "connection refused" in err and err.count("\n") == 1
    assert_no_leak(out, err)


INPUT_ERRORS = [
    ("no key", None, [], "no API key: set $TRACECAT_API_KEY or pass --api-key-file"),
    ("key as the key file", None, ["--api-key-file", API_KEY], "not the key itself"),
    ("not a service-account key", "eyJhbGciOiJIUzI1NiJ9.e30.sig", [], "is not a Tracecat service-account API key"),
    ("two keys", API_KEY + "\n" + API_KEY, [], "must hold one API key"),
    ("credentials in URL", API_KEY, ["--workspace", f"https://user:{API_KEY}@tracecat.example.com/api"], "must not contain credentials"),
    ("key pasted as URL", API_KEY, ["--workspace", API_KEY], "must be an http(s) URL"),
    ("plain http", API_KEY, ["--workspace", "http://tracecat.example.com/api"], "uses plain http"),
    ("bad workspace id", API_KEY, ["--workspace-id", "my-workspace"], "--workspace-id must be the workspace's UUID"),
    ("no workspace id", API_KEY, ["--workspace-id", ""], "--workspace needs --workspace-id"),
    ("both sources", API_KEY, ["--inventory", "examples/inventory.yml"], "give either --inventory FILE or --workspace URL"),
    ("insecure with CA", API_KEY, ["--insecure", "--ca-bundle", "ca.pem"], "cannot be combined with --ca-bundle"),
    ("missing CA bundle", API_KEY, ["--ca-bundle", "nope.pem"], "--ca-bundle nope.pem: file not found"),
    # A message quoting user input is scrubbed of the key all the same.
    ("key as the CA bundle", API_KEY, ["--ca-bundle", API_KEY], "--ca-bundle **********: file not found"),
]


@pytest.mark.parametrize(("key", "args", "words"), [e[1:] for e in INPUT_ERRORS], ids=[e[0] for e in INPUT_ERRORS])
def test_input_errors_before_any_request(repo: Path, key: str | None, args: list[str], words: str) -> None:
    ws = example_workspace()
    with serve(ws) as url:
        base = live(url)
        rest = list(args)
        while rest:
            option = rest.pop(0)
            if option in base:  # replaces the default value
                base[base.index(option) + 1] = rest.pop(0)
            else:
                base += [option] if option == "--insecure" else [option, rest.pop(0)]
        code, out, err = invoke(*EXA_PATHS, *base, key=key)
    assert code == 2 and words in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert ws.requests == []
    assert_no_leak(out, err)


def test_api_key_file(repo: Path) -> None:
    Path("key.txt").write_text(API_KEY + "\n")
    ws = example_workspace()
    with serve(ws) as url:
        code, out, err = invoke(*EXA_PATHS, *live(url, "--api-key-file", "key.txt"), key=None)
        assert code == 0, err
        code, _, err = invoke(*EXA_PATHS, *live(url, "--api-key-file", "nokey.txt"))
    assert code == 2 and "cannot read --api-key-file nokey.txt" in err
    assert ws.requests[0][2] == f"Bearer {API_KEY}"
    assert_no_leak(out, err)


def test_no_option_takes_the_key_on_the_command_line(repo: Path) -> None:
    for flag in (["--api-key", API_KEY], [f"--api-key={API_KEY}"], ["--token", API_KEY]):
        code, out, err = invoke(*EXA_PATHS, "--workspace", "https://x.example/api", "--workspace-id", WORKSPACE_ID, *flag)
        assert code == 2 and "No such option" in err
        assert_no_leak(out, err)


# TLS ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    root = tmp_path_factory.mktemp("tls")
    crt, key = root / "cert.pem", root / "key.pem"
    done = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(crt),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        capture_output=True, check=False, timeout=60,
    )
    if done.returncode != 0:
        pytest.skip("openssl could not make a self-signed certificate (-addext needs OpenSSL 1.1.1)")
    return crt, key


def test_tls_is_verified(repo: Path, cert: tuple[Path, Path]) -> None:
    ws = example_workspace()
    with serve(ws, cert=cert) as url:
        assert url.startswith("https://")
        code, out, err = invoke(*EXA_PATHS, *live(url))
        assert code == 2 and "TLS certificate verification failed" in err and "--ca-bundle" in err
        assert_no_leak(out, err)
        assert ws.requests == []  # the key never left
        code, out, err = invoke(*EXA_PATHS, *live(url, "--ca-bundle", str(cert[0])))
        assert code == 0, err
        code, out, err = invoke(*EXA_PATHS, *live(url, "--insecure"))
        assert code == 0 and "warning: --insecure: TLS certificates are not verified" in err


@pytest.mark.skipif(EXE is None, reason="registry-lint console script not installed")
def test_ssl_cert_file_is_honoured(repo: Path, cert: tuple[Path, Path]) -> None:
    with serve(example_workspace(), cert=cert) as url:
        done = run_console(*EXA_PATHS, *live(url), extra_env={"SSL_CERT_FILE": str(cert[0])})
    assert done.returncode == 0, done.stderr


# The console script against the server ---------------------------------------------------
def run_console(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert EXE is not None
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update({"TRACECAT_API_KEY": API_KEY, **(extra_env or {})})
    return subprocess.run([EXE, "resolve", *args], capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.slow
@pytest.mark.skipif(EXE is None, reason="registry-lint console script not installed")
def test_console_script_against_the_workspace(repo: Path) -> None:
    """The issue's check: the example registry's clean actions resolve (0); one key or one integration less fails (1)."""
    ws = example_workspace()
    with serve(ws) as url:
        ok = run_console(*EXA_PATHS, *live(url))
        ws.secrets[0] = secret_read_minimal("exa", ["EXA_REGION"])  # EXA_API_KEY removed
        no_key = run_console(*EXA_PATHS, *live(url))
        ws.secrets[0] = secret_read_minimal("exa", ["EXA_API_KEY"])
        ws.providers = providers({("microsoft_teams", "client_credentials"): "connected"})  # slack removed
        no_slack = run_console(*EXA_PATHS, *live(url))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "3 actions: 3 resolve, 0 do not (environment 'default')." in ok.stdout
    assert "3 actions: 3 resolve, 0 do not (environment 'staging')." in ok.stdout
    assert no_key.returncode == 1
    assert "missing-key: Secret 'exa' has no required key 'EXA_API_KEY' in environment 'default'" in no_key.stdout
    assert "(environment 'staging')." in no_key.stdout and "0 do not (environment 'staging')" in no_key.stdout
    assert no_slack.returncode == 1
    assert "FAIL tools.exa.share_top_result" in no_slack.stdout
    assert "missing-oauth-integration: Required OAuth integration 'slack' (authorization_code) is not configured" in no_slack.stdout
    for done in (ok, no_key, no_slack):
        assert_no_leak(done.stdout, done.stderr)


# The mapping itself -------------------------------------------------------------------------
def test_inventory_data_maps_environments_and_statuses() -> None:
    read = inventory_data(
        [secret_read_minimal("b", ["Y", "X", "X"]), secret_read_minimal("a", ["K"], "prod")],
        providers({("slack", "authorization_code"): "connected", ("github", "authorization_code"): "reauth_required"}),
    )
    assert read.data == {
        "secrets": {"b": ["X", "Y"]},
        "environments": {"prod": {"secrets": {"a": ["K"]}}},
        "oauth": [
            {"provider_id": "github", "grant_type": "authorization_code", "status": "reauth_required"},
            {"provider_id": "slack", "grant_type": "authorization_code"},
        ],
    }
    store = parse_inventory(read.data)
    assert store.environment_names() == ["default", "prod"]
    assert store.integration("slack", "authorization_code") is not None
    assert store.integration("github", "authorization_code") is None
    assert store.integration_status("github", "authorization_code") == "reauth_required"
    with pytest.raises(WorkspaceError, match="item 0: unexpected response: expected an object, got a list"):
        inventory_data([[]], [])
