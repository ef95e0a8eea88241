"""No detected credential value, nor 8 characters from its middle, ever leaves the linter.

Fake credentials in realistic shapes are generated at test time (never a
real one) and planted in Python, YAML and text files: in the places the
credential rules look, in fields other rules quote in their messages, next
to syntax errors and fixable findings, behind ``noqa``/allowlist pragmas.
Then every writer runs: each output format (``report.FORMATS``, so new
formats are covered automatically), ``--statistics``, ``--show-source``,
``--diff``, ``--fix``, baselines, stdin, the process pool, the cache
directory, stderr, and the crash path. Everything printed or written
(except the linted files themselves) is searched byte for byte.

A writer whose flag does not exist yet is skipped with the reason.
"""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint.cli import main
from registry_lint.report import FORMATS

_RNG = random.SystemRandom()
B62 = string.ascii_letters + string.digits
B64URL = B62 + "-_"
HEX = "0123456789abcdef"
EDGE = 4  # masks may show a few characters at each end (`sk-p…9f`)
WINDOW = 8


def rnd(n: int, alphabet: str = B62) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def fake_credentials() -> dict[str, str]:
    """One fresh fake per shape (prefixes split so this file holds no credential-shaped literal)."""
    jwt_part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")
    pem_body = "\n".join(rnd(64, B62 + "+/") for _ in range(6))
    return {
        "github": "gh" + "p_" + rnd(36),
        "aws_id": "AK" + "IA" + rnd(16, string.ascii_uppercase + "234567"),
        "aws_secret": rnd(40, B62 + "+/"),
        "slack": "xo" + f"xb-{rnd(12, string.digits)}-{rnd(13, string.digits)}-{rnd(24)}",
        "stripe": "sk" + "_live_" + rnd(24),
        "openai": "sk-" + "proj-" + rnd(64, B64URL),
        "anthropic": "sk-" + "ant-api03-" + rnd(93, B64URL) + "AA",
        "google": "AI" + "za" + rnd(35, B64URL),
        "jwt": f"{jwt_part({'alg': 'HS256', 'typ': 'JWT'})}.{jwt_part({'sub': rnd(10)})}.{rnd(43, B64URL)}",
        "password": rnd(6) + "!" + rnd(6) + "#" + rnd(6),
        # A password a person chose (issue 17): a word, digits and a symbol.
        "chosen": _RNG.choice(["Maple", "Falcon", "Copper", "Harbor"]) + rnd(6, string.digits) + "!",
        "client_secret": rnd(34, B64URL),
        "url_password": rnd(20),
        "webhook": f"T{rnd(10, string.ascii_uppercase)}/B{rnd(10, string.ascii_uppercase)}/{rnd(24)}",
        "pem": pem_body,
    }


def plant(root: Path, s: dict[str, str]) -> None:
    pem = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + s["pem"] + "\n-----END RSA " + "PRIVATE KEY-----"
    files = {
        "action.py": f'''\
import os

from tracecat_registry import RegistrySecret, registry, secrets

API_TOKEN = "{s["github"]}"
HEADERS = {{"Authorization": "Bearer {s["openai"]}"}}
SLACK = "{s["slack"]}"  # noqa: RL101
STRIPE = "{s["stripe"]}"  # noqa: RL501
ALLOWED = "{s["anthropic"]}"  # pragma: allowlist secret
PRIVATE_KEY = """{pem}"""


@registry.register(
    namespace="tools.{s["aws_id"].lower()}",
    description="Call {s["google"]}",
    default_title="Leaky",
    display_group="Leaky",
    secrets=[RegistrySecret(name="{s["aws_id"].lower()}", keys=["{s["aws_id"]}"])],
)
async def leaky(password: str = "{s["password"]}") -> str:
    key = secrets.get_or_default("AWS_SECRET_ACCESS_KEY", "{s["aws_secret"]}")
    env = os.getenv("CLIENT_SECRET", "{s["client_secret"]}")
    print(secrets.get("{s["aws_id"]}"))
    return secrets.get("SECRETS.x.{s["aws_id"]}")
''',
        "broken.py": f'''\
from tracecat_registry import registry

TOKEN = "{s["github"]}"
{s["aws_id"]} = = "{s["stripe"]}"
def f(:
    return "{s["slack"]}
''',
        "unterminated.py": f'from tracecat_registry import registry\nTOKEN = "{s["github"]}\n',
        "template.yml": f'''\
type: action
definition:
  name: {s["aws_id"]}
  namespace: {s["google"]}
  title: Leaky
  description: "{s["stripe"]}"
  display_group: Leaky
  doc_url: {s["github"]}
  secrets:
    - name: {s["aws_id"]}
      keys: ["{s["slack"]}"]
    - type: oauth
      provider_id: {s["google"]}
      grant_type: {s["client_secret"]}
  expects:
    api_key:
      type: str
      description: key
      default: {s["openai"]}
    smtp_password:
      type: str | None
      description: Relay password. Defaults to {s["chosen"]} when unset.
      default: null
  steps:
    - ref: call
      action: core.http_request
      args:
        url: https://admin:{s["url_password"]}@api.acme.io/v1
        headers:
          Authorization: Bearer {s["jwt"]}
          X-API-Key: {s["client_secret"]}
        webhook: https://hooks.slack.com/services/{s["webhook"]}
        token: ${{{{ SECRETS.{s["aws_id"]}.{s["slack"]} }}}}
  returns: ${{{{ steps.call.result }}}}  # noqa: RL999
''',
        "broken.yml": f'''\
password: {s["password"]}
token: "{s["github"]}\\q"
other: *{s["aws_id"]}
''',
        "alias.yml": f"a: *{s['stripe']}\n",
        "tab.yml": f"api_key: {s['openai']}\n\tbad: {s['jwt']}\n",
        "notes.md": f"Use `{s['anthropic']}` and aws_secret_access_key = {s['aws_secret']}\n\n```\ncurl -u admin:{s['password']} https://x\n```\n",
        ".env": f"GITHUB_TOKEN={s['github']}\nAWS_SECRET_ACCESS_KEY={s['aws_secret']}\n"
                f"DB_PASSWORD=${{DB_PASSWORD:-{s['chosen']}}}\n# SMTP_PASSWORD={s['chosen']}\n",
        "config.json": json.dumps({"client_secret": s["client_secret"], "api_key": s["openai"]}),
        "latin1.txt": f"password = {s['password']} caf\xe9\n".encode("latin-1"),
        "inventory.yml": f"secrets:\n  leaky: {{{s['aws_id']}: {s['aws_secret']}}}\n",
    }
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (root / name).write_bytes(data)


def needles(values: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    """Every byte sequence that must not appear: each value (each line of a
    multi-line one) and every 8-character window of its middle."""
    for label, value in values.items():
        for line in value.splitlines():
            yield label, line.encode()
            middle = line[EDGE:-EDGE]
            for i in range(0, len(middle) - WINDOW + 1):
                yield label, middle[i : i + WINDOW].encode()


def assert_no_leak(blob: bytes, values: dict[str, str], where: str) -> None:
    leaks = sorted({label for label, needle in needles(values) if needle in blob})
    assert not leaks, f"{where} leaks {leaks}"


def _snapshot(root: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def _check_help() -> str:
    return CliRunner().invoke(main, ["check", "--help"]).output


def _cli_formats() -> set[str]:
    help_text = _check_help()
    return {fmt for fmt in FORMATS if fmt in help_text}


def _flag(flag: str) -> None:
    if flag not in _check_help():
        pytest.skip(f"`check {flag}` does not exist yet: nothing to check for this writer")


def _undetected(root: Path, values: dict[str, str]) -> list[str]:
    """Labels of planted values the credential scanner does not find.

    The guarantee covers detected values; a random draw the heuristics miss
    (a 40-character AWS secret that happens to look word-like, ~1 draw in 13)
    would make the test flaky, so the fixture draws again instead.
    """
    from registry_lint.credentials import scan_text
    from registry_lint.source import kind_for

    found: list[str] = []
    for path in root.iterdir():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f.secret for f in scan_text(path.name, text, kind_for(path.name)) if len(f.secret) >= WINDOW]
    return [
        label
        for label, value in values.items()
        if not all(any(line in s or s in line for s in found) for line in value.splitlines())
    ]


@pytest.fixture()
def planted(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    for attempt in range(30):
        root = tmp_path / f"tree{attempt}"
        root.mkdir()
        values = fake_credentials()
        plant(root, values)
        missed = _undetected(root, values)
        if not missed:
            return root, values
    raise AssertionError(f"planted values are not detected as credentials: {missed}")


def _run(root: Path, args: list[str], *, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("registry-lint", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "registry_lint"]
    return subprocess.run(cmd + args, cwd=root, input=stdin, capture_output=True, timeout=300)


def _written(before: dict[str, bytes], root: Path, *, allow_changed: set[str] = frozenset()) -> bytes:
    """Bytes of every file the run created or changed (the linted sources excepted)."""
    after = _snapshot(root)
    return b"\n".join(
        f"== {name}\n".encode() + data
        for name, data in after.items()
        if (name not in before or before[name] != data) and name not in allow_changed
    )


def test_fixture_is_detected(planted: tuple[Path, dict[str, str]]) -> None:
    """Guard against a vacuous test: the planted values are found as credentials."""
    root, _ = planted
    proc = _run(root, ["check", "--no-cache", "--select", "RL5", "--output-format", "json", "."])
    assert proc.returncode == 1, proc.stderr
    found = {(Path(d["filename"]).name, d["code"]) for d in json.loads(proc.stdout)}
    for expected in [("action.py", "RL501"), ("action.py", "RL504"), ("action.py", "RL505"), ("template.yml", "RL503"),
                     ("notes.md", "RL501"), (".env", "RL501")]:
        assert expected in found, (expected, sorted(found))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("extra", [[], ["--show-source"], ["--statistics"], ["--select", "ALL", "--jobs", "2"]],
                         ids=["plain", "show-source", "statistics", "all-rules-pool"])
@pytest.mark.slow
def test_report_formats_never_leak(fmt: str, extra: list[str], planted: tuple[Path, dict[str, str]]) -> None:
    if fmt not in _cli_formats():
        pytest.skip(f"format {fmt!r} is in report.FORMATS but not accepted by `check` yet")
    for flag in extra:
        if flag.startswith("--"):
            _flag(flag)
    root, values = planted
    before = _snapshot(root)
    proc = _run(root, ["check", "--output-format", fmt, *extra, "."])  # cache on: its directory is checked too
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert proc.stdout.strip(), "nothing reported"
    assert_no_leak(proc.stdout, values, f"{fmt} {extra} stdout")
    assert_no_leak(proc.stderr, values, f"{fmt} {extra} stderr")
    assert_no_leak(_written(before, root), values, f"{fmt} {extra} files written (cache)")


@pytest.mark.slow
def test_cache_directory_never_holds_values(planted: tuple[Path, dict[str, str]]) -> None:
    root, values = planted
    for _ in range(2):  # cold and warm
        proc = _run(root, ["check", "--select", "ALL", "."])
        assert proc.returncode == 1
        assert_no_leak(proc.stdout + proc.stderr, values, "cached run output")
    cache = root / ".registry-lint-cache"
    blob = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file()) if cache.exists() else b""
    assert_no_leak(blob, values, "cache directory")
    # Credential findings suppressed with noqa/allowlist pragmas: the values are
    # still detected, so nothing quoting them may reach a cache entry either.
    (root / "registry-lint.toml").write_text('[per-file-ignores]\n"*.md" = ["RL5"]\n', encoding="utf-8")
    proc = _run(root, ["check", "--select", "ALL", "."])
    assert proc.returncode == 1
    assert_no_leak(proc.stdout + proc.stderr, values, "run with per-file-ignores")
    blob = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())
    assert_no_leak(blob, values, "cache directory (RL5 ignored per file)")


@pytest.mark.slow
def test_baseline_never_holds_values(planted: tuple[Path, dict[str, str]]) -> None:
    _flag("--write-baseline")
    root, values = planted
    baseline = root.parent / "baseline.json"
    proc = _run(root, ["check", "--no-cache", "--select", "ALL", "--write-baseline", str(baseline), "."])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert_no_leak(proc.stdout + proc.stderr, values, "--write-baseline output")
    assert_no_leak(baseline.read_bytes(), values, "baseline file")
    proc = _run(root, ["check", "--no-cache", "--select", "ALL", "--baseline", str(baseline), "."])
    assert proc.returncode in (0, 1)
    assert_no_leak(proc.stdout + proc.stderr, values, "--baseline output")


@pytest.mark.slow
def test_diff_and_fix_never_print_values(planted: tuple[Path, dict[str, str]]) -> None:
    _flag("--diff")
    root, values = planted
    before = _snapshot(root)
    proc = _run(root, ["check", "--no-cache", "--diff", "--unsafe-fixes", "."])
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert_no_leak(proc.stdout + proc.stderr, values, "--diff output")
    _flag("--fix")
    proc = _run(root, ["check", "--no-cache", "--fix", "--unsafe-fixes", "."])
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert_no_leak(proc.stdout + proc.stderr, values, "--fix output")
    assert_no_leak(_written(before, root, allow_changed=set(before)), values, "files --fix created")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["action.py", "template.yml", "broken.py", "broken.yml", "notes.md"])
def test_stdin_never_leaks(name: str, planted: tuple[Path, dict[str, str]]) -> None:
    root, values = planted
    data = (root / name).read_bytes()
    for fmt in sorted(_cli_formats()):
        proc = _run(root, ["check", "--stdin-filename", name, "--output-format", fmt, "-"], stdin=data)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        assert_no_leak(proc.stdout + proc.stderr, values, f"stdin {name} {fmt}")
    _flag("--fix")
    proc = _run(root, ["check", "--stdin-filename", name, "--fix", "-"], stdin=data)
    # --fix on stdin prints the fixed source (the user's own file) to stdout: only stderr is a report.
    assert_no_leak(proc.stderr, values, f"stdin --fix {name} stderr")


@pytest.mark.slow
def test_resolve_never_prints_inventory_values(planted: tuple[Path, dict[str, str]]) -> None:
    root, values = planted
    for fmt in ("text", "json"):
        proc = _run(root, ["resolve", ".", "--inventory", "inventory.yml", "--output-format", fmt])
        assert proc.returncode in (0, 1, 2)
        assert_no_leak(proc.stdout + proc.stderr, {"aws_secret": values["aws_secret"]}, f"resolve {fmt}")


def test_crash_path_never_prints_values(planted: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that crashes with the secret in its exception message: exit 2, message withheld."""
    from registry_lint import engine

    root, values = planted
    secret = values["github"]
    real = engine._run_rules

    def crashing(rules, source, parsed, ctx, result):
        real(rules, source, parsed, ctx, result)
        raise ValueError(f"boom near {secret}")

    monkeypatch.setattr(engine, "_run_rules", crashing)
    result = CliRunner().invoke(main, ["check", "--no-cache", str(root)])
    assert result.exit_code == 2
    assert "internal error ValueError" in result.output
    assert_no_leak(result.output.encode(), values, "crash output")


def test_needles_catch_a_leak() -> None:
    """The matcher itself: a masked value passes, its middle does not."""
    values = {"k": "gh" + "p_" + rnd(36)}
    value = values["k"]
    assert_no_leak(f"`{value[:4]}…{value[-2:]}` ({len(value)} chars)".encode(), values, "mask")
    with pytest.raises(AssertionError):
        assert_no_leak(("x" + value[10:18] + "y").encode(), values, "window")


def test_redaction_masks_messages_drops_fixes_and_hides_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit level: what another rule quotes of a detected value is masked, a fix
    carrying it is dropped, and the finding's line is never shown."""
    from types import SimpleNamespace

    from registry_lint import credentials
    from registry_lint.results import FileResult
    from registry_lint.fingerprint import secret_lines
    from registry_lint.model import Diagnostic, Edit, Fix, Location
    from registry_lint.redact import WITHHELD, redact_file
    from registry_lint.source import SourceFile

    value = "gh" + "p_" + rnd(36)
    text = f"doc_url: {value}\nnamespace: {value}\nother: 1\n"
    source = SourceFile("t.yml", text, "yaml")
    loc = lambda line: Location("t.yml", line, 1, line, 5)
    monkeypatch.setattr(credentials, "scan", lambda src, parsed=None: [SimpleNamespace(secret=value)])
    result = FileResult(
        "t.yml",
        diagnostics=[
            Diagnostic("RL501", "Hardcoded GitHub token (masked)", loc(1)),
            Diagnostic("RL108", f"`doc_url` {value!r} is not an absolute URL", loc(1)),
            Diagnostic("RL106", f"did you mean `tools.{value.lower().replace('_', '')}`?", loc(2),
                       fix=Fix("Rename", (Edit(loc(2), f"tools.{value.lower()}"),))),
            Diagnostic("RL605", "input `other` is never used", loc(3)),
        ],
    )
    redact_file(source, None, result)
    rl501, rl108, rl106, rl605 = result.diagnostics
    assert value not in rl108.message and f"{value[:4]}…{value[-2:]}" in rl108.message
    assert WITHHELD in rl106.message and rl106.fix is None
    assert rl605.message == "input `other` is never used"
    hidden = secret_lines(result.diagnostics)
    assert {("t.yml", 1), ("t.yml", 2)} <= hidden and ("t.yml", 3) not in hidden
    assert_no_leak("\n".join(d.message for d in result.diagnostics).encode(), {"v": value}, "redacted messages")
