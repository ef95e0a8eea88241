"""``registry-lint resolve`` with an agent-native inventory (``app_secrets:``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint.cli import main
from registry_lint.runtime.appinventory import InventoryError, parse_app_inventory

from .helpers import write_files

REPO = Path(__file__).resolve().parent.parent

PLUGIN = '''import { registerRequiredSecret } from "@agent-native/core/secrets";

registerRequiredSecret({ key: "OPENAI_API_KEY", label: "OpenAI", docsUrl: "https://x.example", scope: "user", kind: "api-key", required: true });
registerRequiredSecret({ key: "SLACK_BOT_TOKEN", label: "Slack", docsUrl: "https://x.example", scope: "workspace", kind: "api-key", required: true });
registerRequiredSecret({ key: "GOOGLE_CONNECTED", label: "Google", scope: "user", kind: "oauth", oauthProvider: "google", required: true });
registerRequiredSecret({ key: "OPTIONAL_KEY", label: "Optional", docsUrl: "https://x.example", scope: "user", kind: "api-key" });
'''
ROUTE = '''import { readAppSecret, resolveKeyReferences } from "@agent-native/core/secrets";
import { resolveSecret } from "@agent-native/core/server";

export async function run(email: string, scope: string) {
  const a = await readAppSecret({ key: "OPENAI_API_KEY", scope: "user", scopeId: email });
  const b = await readAppSecret({ key: "SLACK_BOT_TOKEN", scope: "user", scopeId: email });
  const c = await readAppSecret({ key: "SLACK_BOT_TOKEN", scope, scopeId: email });
  const d = await resolveSecret("POSTHOG_API_KEY");
  const e = await resolveSecret("BRAVE_SEARCH_API_KEY");
  const f = await readAppSecret({ key: account.ref, scope: "user", scopeId: email });
  await resolveKeyReferences("https://hooks.slack.com:443/services/${keys.SLACK_HOOK}", "user", email);
  const req = { url: "https://evil.example/x", headers: { Authorization: "Bearer ${keys.API_TOKEN}" } };
  return [a, b, c, d, e, f, req];
}
'''
SECRET_VALUE = "sk-" + "inventory-value-never-printed-0123456789"
INVENTORY = f'''app_secrets:
  user:
    OPENAI_API_KEY: "{SECRET_VALUE}"
    API_TOKEN: {{url_allowlist: ["https://api.acme.io"]}}
  workspace:
    SLACK_BOT_TOKEN: null
    SLACK_HOOK: {{url_allowlist: ["https://hooks.slack.com"]}}
  org: [POSTHOG_API_KEY]
oauth: [github]
'''


def _runner() -> CliRunner:
    # click 8.1 mixes stderr into stdout unless told not to; 8.2 dropped the option
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()


def resolve(root: Path, inventory: str, *args: str) -> tuple[int, str, str]:
    write_files(root, {"app/package.json": "{}\n", "app/server/plugin.ts": PLUGIN, "app/server/route.ts": ROUTE, "inv.yml": inventory})
    result = _runner().invoke(main, ["resolve", str(root / "app"), "--inventory", str(root / "inv.yml"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_problems_of_each_kind(tmp_path: Path) -> None:
    code, out, err = resolve(tmp_path, INVENTORY, "--output-format", "json")
    assert code == 1, out + err
    (app,) = json.loads(out)["apps"]
    got = sorted((p["kind"], p["key"], p["scope"], p["line"]) for p in app["problems"])
    assert got == [
        ("missing-for-scope", "SLACK_BOT_TOKEN", "user", 6),
        ("missing-required-secret", "GOOGLE_CONNECTED", "user", 5),
        ("missing-secret", "BRAVE_SEARCH_API_KEY", None, 9),
        ("undefined-key", "SLACK_HOOK", "user", 11),
        ("url-not-allowed", "API_TOKEN", "user", 12),
    ]
    assert "computed scope; not checked" in err  # the read with `scope` from a parameter
    assert SECRET_VALUE not in out + err and SECRET_VALUE[:12] not in out + err


def test_the_keys_workspace_fallback_is_opt_in(tmp_path: Path) -> None:
    code, out, _ = resolve(tmp_path, INVENTORY + "keys_workspace_fallback: true\n", "--output-format", "json")
    kinds = {(p["kind"], p["key"]) for p in json.loads(out)["apps"][0]["problems"]}
    assert ("undefined-key", "SLACK_HOOK") not in kinds  # found at workspace; hooks.slack.com:443 is allowed


def test_an_app_with_everything_resolves(tmp_path: Path) -> None:
    inventory = INVENTORY.replace("oauth: [github]", "oauth: [google]").replace(
        "  org: [POSTHOG_API_KEY]", "  org: [POSTHOG_API_KEY, BRAVE_SEARCH_API_KEY]"
    ).replace("    OPENAI_API_KEY:", "    SLACK_BOT_TOKEN: null\n    SLACK_HOOK: {url_allowlist: []}\n    OPENAI_API_KEY:").replace(
        '"https://api.acme.io"', '"https://evil.example"'
    )
    code, out, err = resolve(tmp_path, inventory)
    assert code == 0, out + err
    assert out.startswith("ok ") and out.rstrip().endswith("1 app: 1 resolve, 0 do not.")


@pytest.mark.parametrize(
    "inventory, message",
    [
        ("app_secrets: {team: [A]}\n", "unknown scope"),
        ("app_secrets: {user: [A]}\nsecrets: {}\n", "unknown top-level field(s) 'secrets'"),
        ("app_secrets: {user: {A: {url_allowlist: https://x}}}\n", "url_allowlist: must be a list"),
        ("app_secrets: {user: {A: {value: 12345678901234567890}}}\n", "A.value: must be a string"),
        ("app_secrets: {user: {A: {token: x}}}\n", "unknown field(s) 'token'"),
        ("app_secrets: {}\nkeys_workspace_fallback: yes-please\n", "true or false"),
    ],
)
def test_inventory_errors_name_the_field_never_the_value(tmp_path: Path, inventory: str, message: str) -> None:
    code, out, err = resolve(tmp_path, inventory)
    assert code == 2 and message in err, err
    assert "12345678901234567890" not in err


def test_environment_is_a_tracecat_option(tmp_path: Path) -> None:
    code, _, err = resolve(tmp_path, INVENTORY, "--environment", "staging")
    assert code == 2 and "Tracecat option" in err


def test_parse_app_inventory_shapes() -> None:
    store = parse_app_inventory({"app_secrets": {"user": ["A"], "workspace": {"B": "v", "C": None}}, "oauth": ["google"]})
    assert store.row("user", "A") is not None and store.row("workspace", "B") is not None
    assert store.row("org", "A") is None and store.oauth == frozenset({"google"})
    assert not store.keys_workspace_fallback
    with pytest.raises(InventoryError):
        parse_app_inventory(["not", "a", "mapping"])


def test_the_example_app_and_inventory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = _runner().invoke(main, ["resolve", "examples/agent-native", "--inventory", "examples/app-inventory.yml"])
    assert result.exit_code == 1, result.output
    problems = [line.split(": ")[1] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert problems == ["missing-for-scope", "missing-for-scope", "url-not-allowed"]


def test_without_tree_sitter_resolve_stops(tmp_path: Path) -> None:
    write_files(tmp_path, {"app/package.json": "{}\n", "app/plugin.ts": PLUGIN, "inv.yml": INVENTORY})
    probe = "import sys\nsys.modules['tree_sitter'] = None\nfrom registry_lint.cli import main\nmain(sys.argv[1:])\n"
    out = subprocess.run(
        [sys.executable, "-c", probe, "resolve", "app", "--inventory", "inv.yml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert out.returncode == 2 and "registry-lint[typescript]" in out.stderr, out.stdout + out.stderr
