"""``registry-lint resolve`` end to end through click's CliRunner."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry_lint.cli import main

from .helpers import write_files

REPO = Path(__file__).resolve().parent.parent

UDF = '''\
from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets

exa = RegistrySecret(name="exa", keys=["EXA_API_KEY"])
slack = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")


@registry.register(
    default_title="Search",
    description="Search the web.",
    display_group="Exa",
    doc_url="https://docs.exa.ai",
    namespace="tools.exa",
    secrets=[exa],
)
async def search() -> dict[str, str]:
    key = secrets.get("EXA_API_KEY")
    return {}


@registry.register(
    default_title="Post",
    description="Post to Slack.",
    display_group="Exa",
    doc_url="https://docs.exa.ai",
    namespace="tools.exa",
    secrets=[exa, slack],
)
async def post() -> dict[str, str]:
    token = secrets.get(slack.token_name)
    return {}
'''

TEMPLATE = """\
type: action
definition:
  title: Find similar
  description: Find similar pages.
  display_group: Exa
  doc_url: https://docs.exa.ai
  namespace: tools.exa
  name: find_similar
  secrets:
    - name: exa
      keys: [EXA_API_KEY]
    - name: geo
      keys: [REGION]
  expects: {}
  steps:
    - ref: find
      action: core.http_request
      args:
        url: https://api.exa.ai/findSimilar
        headers:
          x-api-key: ${{ SECRETS.exa.EXA_API_KEY }}
          x-region: ${{ SECRETS.geo.REGION }}
  returns: ${{ steps.find.result }}
"""

VALUE = "sk-live-do-not-print-0123456789"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    write_files(tmp_path, {"udfs/exa.py": UDF, "templates/find_similar.yml": TEMPLATE})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def invoke(*args: str) -> tuple[int, str, str]:
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    result = runner.invoke(main, ["resolve", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write_inventory(root: Path, text: str, name: str = "inventory.yml") -> str:
    (root / name).write_text(text)
    return name


def test_all_resolve_exit_0(project: Path) -> None:
    inv = write_inventory(
        project,
        f"secrets:\n  exa: {{EXA_API_KEY: {VALUE}}}\n  geo: [REGION]\noauth:\n  - {{provider_id: slack, grant_type: authorization_code}}\n",
    )
    code, out, err = invoke(".", "--inventory", inv)
    assert code == 0, out + err
    assert "3 actions: 3 resolve, 0 do not" in out
    assert VALUE not in out + err


def test_failures_exit_1_with_reasons(project: Path) -> None:
    inv = write_inventory(project, f"secrets:\n  exa: {{EXA_API_KEY: {VALUE}}}\n")
    code, out, err = invoke(".", "--inventory", inv)
    assert code == 1
    assert "FAIL tools.exa.post" in out and "missing-oauth-integration" in out
    assert "FAIL tools.exa.find_similar" in out and "missing-secret: Secret 'geo'" in out
    assert "ok   tools.exa.search" in out
    assert "templates/find_similar.yml:12:" in out  # points at the declaration
    assert VALUE not in out + err


def test_json_output_shape(project: Path) -> None:
    inv = write_inventory(project, f'{{"secrets": {{"exa": {{"EXA_API_KEY": "{VALUE}"}}}}}}', "inventory.json")
    code, out, err = invoke("udfs", "templates", "--inventory", inv, "--output-format", "json")
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["actions"]
    by_action = {a["action"]: a for a in data["actions"]}
    assert set(by_action) == {"tools.exa.search", "tools.exa.post", "tools.exa.find_similar"}
    for entry in data["actions"]:
        assert list(entry) == ["action", "path", "environment", "resolves", "problems"]
        for problem in entry["problems"]:
            assert list(problem) == ["kind", "secret", "key", "message"]
    assert by_action["tools.exa.search"] == {
        "action": "tools.exa.search",
        "path": "udfs/exa.py",
        "environment": "default",
        "resolves": True,
        "problems": [],
    }
    assert by_action["tools.exa.post"]["problems"][0]["kind"] == "missing-oauth-integration"
    assert by_action["tools.exa.post"]["problems"][0]["key"] == "SLACK_USER_TOKEN"
    assert by_action["tools.exa.find_similar"]["problems"] == [
        {
            "kind": "missing-secret",
            "secret": "geo",
            "key": None,
            "message": "Secret 'geo' is not set in environment 'default'",
        }
    ]
    assert VALUE not in out + err


def test_undeclared_template_reference_does_not_resolve(project: Path) -> None:
    text = (project / "templates" / "find_similar.yml").read_text()
    (project / "templates" / "find_similar.yml").write_text(text.replace("    - name: geo\n      keys: [REGION]\n", ""))
    inv = write_inventory(project, "secrets:\n  exa: [EXA_API_KEY]\n  geo: [REGION]\noauth:\n  - {provider_id: slack, grant_type: authorization_code}\n")
    code, out, _ = invoke(".", "--inventory", inv)
    assert code == 1
    assert "templates/find_similar.yml:20:25: undeclared-secret: `SECRETS.geo.REGION`" in out


def test_secrets_a_step_action_declares_are_fetched(project: Path) -> None:
    # executor/registry_resolver.py collects a template's step actions' secrets too.
    (project / "templates" / "via_step.yml").write_text(
        TEMPLATE.replace("name: find_similar", "name: via_step")
        .replace("    - name: exa\n      keys: [EXA_API_KEY]\n", "")
        .replace("action: core.http_request", "action: tools.exa.search")
    )
    inv = write_inventory(project, "secrets:\n  exa: [EXA_API_KEY]\n  geo: [REGION]\noauth:\n  - {provider_id: slack, grant_type: authorization_code}\n")
    code, out, _ = invoke(".", "--inventory", inv)
    assert code == 0, out
    assert "ok   tools.exa.via_step" in out


def test_secrets_a_builtin_step_action_declares_are_fetched(project: Path) -> None:
    # core.http_request declares the optional `mtls` secret (the catalogue records
    # built-in declarations): a template reference to it resolves, and RL402 agrees.
    text = TEMPLATE.replace("name: find_similar", "name: with_cert").replace(
        "x-region: ${{ SECRETS.geo.REGION }}", "x-cert: ${{ SECRETS.mtls.TLS_CERTIFICATE }}"
    )
    (project / "templates" / "with_cert.yml").write_text(text.replace("    - name: geo\n      keys: [REGION]\n", ""))
    inv = write_inventory(
        project,
        "secrets:\n  exa: [EXA_API_KEY]\n  geo: [REGION]\n  mtls: [TLS_CERTIFICATE, TLS_PRIVATE_KEY]\n"
        "oauth:\n  - {provider_id: slack, grant_type: authorization_code}\n",
    )
    code, out, _ = invoke(".", "--inventory", inv)
    assert code == 0, out
    assert "ok   tools.exa.with_cert" in out
    from .helpers import lint_files

    diags = lint_files(project / "lint", {"t.yml": text.replace("    - name: geo\n      keys: [REGION]\n", "")}, select=["RL402"])
    assert [d for d in diags if d.code == "RL402"] == []


def test_environment_exact_match(project: Path) -> None:
    inv = write_inventory(
        project,
        "secrets:\n  exa: [EXA_API_KEY]\n  geo: [REGION]\n"
        "environments:\n  staging:\n    secrets:\n      geo: [REGION]\n"
        "oauth:\n  - {provider_id: slack, grant_type: authorization_code}\n",
    )
    assert invoke(".", "--inventory", inv, "--environment", "default")[0] == 0
    code, out, _ = invoke(".", "--inventory", inv, "--environment", "staging")
    assert code == 1
    assert "Secret 'exa' is not set in environment 'staging'" in out
    assert "environment 'default'" not in out


def test_every_environment_by_default(project: Path) -> None:
    """Without --environment each environment of the inventory is checked; one failing fails the run."""
    inv = write_inventory(
        project,
        "secrets:\n  exa: [EXA_API_KEY]\n  geo: [REGION]\n"
        "environments:\n  staging:\n    secrets:\n      geo: [REGION]\n"
        "oauth:\n  - {provider_id: slack, grant_type: authorization_code}\n",
    )
    code, out, _ = invoke(".", "--inventory", inv)
    assert code == 1
    default, staging = out.split("\n\n")
    assert default.endswith("3 actions: 3 resolve, 0 do not (environment 'default').")
    assert "Secret 'exa' is not set in environment 'staging'" in staging
    assert staging.rstrip().endswith("(environment 'staging').")
    code, out, _ = invoke(".", "--inventory", inv, "--output-format", "json")
    envs = {(a["action"], a["environment"]): a["resolves"] for a in json.loads(out)["actions"]}
    assert envs[("tools.exa.search", "default")] and not envs[("tools.exa.search", "staging")]
    assert len(envs) == 6


def test_integration_status_in_inventory(project: Path) -> None:
    """An integration listed with a status other than connected gives no token, and the message says which state."""
    base = "secrets:\n  exa: [EXA_API_KEY]\n  geo: [REGION]\n"
    for status, words in (("configured", "is configured but not connected"), ("reauth_required", "has expired and needs reauthorization")):
        inv = write_inventory(project, base + f"oauth:\n  - {{provider_id: slack, grant_type: authorization_code, status: {status}}}\n")
        code, out, _ = invoke(".", "--inventory", inv)
        assert code == 1, out
        assert f"Required OAuth integration 'slack' (authorization_code) {words} (status '{status}')" in out
    inv = write_inventory(project, base + "oauth:\n  - {provider_id: slack, grant_type: authorization_code, status: connected}\n")
    assert invoke(".", "--inventory", inv)[0] == 0


def test_unknown_environment_is_noted(project: Path) -> None:
    inv = write_inventory(project, "secrets:\n  exa: [EXA_API_KEY]\n")
    code, _, err = invoke(".", "--inventory", inv, "--environment", "prod")
    assert code == 1 and "environment 'prod' has no secrets" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("secrets: [exa]\n", "must map secret names"),
        ("secret:\n  exa: [K]\n", "unknown top-level"),
        (f"secrets:\n  exa: {{K: [{VALUE}]}}\n", "value must be a string"),
        ("oauth:\n  - {provider_id: slack, grant_type: password}\n", "grant_type"),
        ("oauth:\n  - {provider_id: slack, grant_type: authorization_code, status: expired}\n", "`status` must be one of"),
        ("oauth:\n  - {provider_id: slack, grant_type: authorization_code, status: configured, token: t}\n", "`token` given"),
        ("oauth:\n  - {provider_id: slack, grant_type: authorization_code}\n  - {provider_id: slack, grant_type: authorization_code}\n", "listed twice"),
        ("exported: [x]\n", "exported: expected a mapping"),
        (f"secrets: {{exa: [K]\n  bad: '{VALUE}'\n", "invalid YAML"),
    ],
)
def test_inventory_errors_exit_2_without_traceback(project: Path, content: str, message: str) -> None:
    inv = write_inventory(project, content)
    code, out, err = invoke(".", "--inventory", inv)
    assert code == 2
    assert message in err and "Traceback" not in out + err
    assert VALUE not in out + err


def test_missing_inventory_file_and_option(project: Path) -> None:
    code, _, err = invoke(".", "--inventory", "nope.yml")
    assert code == 2 and "not found" in err
    code, _, _ = invoke(".")
    assert code == 2  # click usage error: --inventory is required


def test_unparseable_file_is_noted_not_fatal(project: Path) -> None:
    (project / "udfs" / "broken.py").write_text("from tracecat_registry import registry\ndef (:\n")
    inv = write_inventory(project, "secrets:\n  exa: [EXA_API_KEY]\n  geo: [REGION]\noauth:\n  - {provider_id: slack, grant_type: authorization_code}\n")
    code, out, err = invoke(".", "--inventory", inv)
    assert code == 0, out + err
    assert "broken.py" in err and "not checked" in err


def test_no_actions(tmp_path: Path) -> None:
    (tmp_path / "inv.yml").write_text("secrets: {}\n")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        code, out, _ = invoke(".", "--inventory", "inv.yml")
    finally:
        os.chdir(old)
    assert code == 0 and "No actions found" in out


def test_example_inventory_against_example_registry(tmp_path: Path) -> None:
    """The shipped example: the clean Exa actions resolve, the broken Acme ones do not."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        code, out, err = invoke("examples/registry", "--inventory", "examples/inventory.yml", "--output-format", "json")
    finally:
        os.chdir(old)
    assert code == 1, err
    data = {a["action"]: a for a in json.loads(out)["actions"]}
    for ok in ("tools.exa.web_search", "tools.exa.share_top_result", "tools.exa.find_similar"):
        assert data[ok]["resolves"], data[ok]
    failing = {k: v["path"] for k, v in data.items() if not v["resolves"]}
    assert failing and all("acme" in path for path in failing.values()), failing


def test_nonexistent_path_is_a_usage_error(project: Path) -> None:
    inv = write_inventory(project, "secrets: {}\n")
    code, out, err = invoke("udfs", "nope/", "--inventory", inv)
    assert code == 2 and "no such file or directory: nope/" in err and not out


def test_unreadable_file_is_noted(project: Path) -> None:
    (project / "udfs" / "latin1.py").write_bytes(b"# caf\xe9\nfrom tracecat_registry import registry\n")
    inv = write_inventory(project, "secrets:\n  exa: [EXA_API_KEY]\n  geo: [REGION]\noauth:\n  - {provider_id: slack, grant_type: authorization_code}\n")
    code, out, err = invoke(".", "--inventory", inv)
    assert code == 0, out + err
    assert "latin1.py: cannot be read" in err
