"""Mutation tests for the secret rules (RL2xx/RL3xx/RL4xx).

Two clean actions written for these tests (a Python UDF and a YAML template)
must lint clean; each known mistake applied to them must produce exactly the
expected code(s) and nothing else from the three families.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import lint_files

# Family prefixes select every default rule; RL404 is opt-in and only checked on the clean originals
# (a mutated read legitimately leaves a declared key unused).
FAMILIES = ["RL2", "RL3", "RL4"]

CLEAN_PY = '''\
import logging
import os

import httpx
from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets

logger = logging.getLogger(__name__)

acme_secret = RegistrySecret(
    name="acme",
    keys=["ACME_API_KEY"],
    optional_keys=["ACME_REGION"],
)
slack_oauth = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")
ssh_secret = RegistrySecret(name="acme_ssh", keys=["PRIVATE_KEY"], secret_type="ssh_key")


def _headers() -> dict[str, str]:
    api_key = secrets.get("ACME_API_KEY")
    return {"Authorization": f"Bearer {api_key}"}


@registry.register(
    namespace="tools.acme",
    description="Search Acme",
    default_title="Search",
    display_group="Acme",
    secrets=[acme_secret, slack_oauth, ssh_secret],
)
async def search(query: str) -> dict[str, str]:
    region = secrets.get_or_default("ACME_REGION") or "us"
    token = secrets.get("SLACK_USER_TOKEN")
    key = secrets.get("PRIVATE_KEY")
    logger.info("Searching Acme")
    async with httpx.AsyncClient(headers=_headers()) as client:
        response = await client.get(
            f"https://{region}.acme.test/search", params={"q": query, "t": token, "n": len(key)}
        )
    return response.json()
'''

CLEAN_YAML = """\
type: action
definition:
  title: Send message
  description: Post a message to Acme and read the Graph profile.
  display_group: Acme
  doc_url: https://acme.test/docs
  namespace: tools.acme
  name: send_message
  secrets:
    - name: acme
      keys: [ACME_API_KEY]
    - type: oauth
      provider_id: microsoft_graph
      grant_type: authorization_code
      optional: true
    - type: oauth
      provider_id: microsoft_graph
      grant_type: client_credentials
      optional: true
  expects:
    text:
      type: str
      description: Message text.
  steps:
    - ref: post
      action: core.http_request
      args:
        url: https://api.acme.test/messages
        method: POST
        headers:
          X-Api-Key: ${{ SECRETS.acme.ACME_API_KEY }}
        payload:
          text: ${{ inputs.text }}
    - ref: graph
      action: core.http_request
      args:
        url: https://graph.microsoft.com/v1.0/me
        method: GET
        headers:
          Authorization: Bearer ${{ SECRETS.microsoft_graph_oauth.MICROSOFT_GRAPH_USER_TOKEN || SECRETS.microsoft_graph_oauth.MICROSOFT_GRAPH_SERVICE_TOKEN }}
  returns: ${{ steps.post.result }}
"""

# (id, old, new, expected codes)
PY_MUTATIONS = [
    ("wrong-token-suffix", '"SLACK_USER_TOKEN"', '"SLACK_SERVICE_TOKEN"', {"RL304"}),
    ("wrong-token-prefix", '"SLACK_USER_TOKEN"', '"SLAK_USER_TOKEN"', {"RL304"}),
    ("wrong-token-case", '"SLACK_USER_TOKEN"', '"slack_user_token"', {"RL304"}),
    ("keys-as-string", 'keys=["ACME_API_KEY"],', 'keys="ACME_API_KEY",', {"RL212"}),
    ("ssh-key-extra-key", 'keys=["PRIVATE_KEY"], secret_type', 'keys=["PRIVATE_KEY", "PASSPHRASE"], secret_type', {"RL205"}),
    ("ssh-key-optional-keys", 'secret_type="ssh_key"', 'secret_type="ssh_key", optional_keys=["PASSPHRASE"]', {"RL206"}),
    ("missing-declaration", "secrets=[acme_secret, slack_oauth, ssh_secret]", "secrets=[slack_oauth, ssh_secret]", {"RL401"}),
    ("secrets-path-in-get", 'secrets.get("PRIVATE_KEY")', 'secrets.get("SECRETS.acme_ssh.PRIVATE_KEY")', {"RL403"}),
    ("template-in-get", 'secrets.get("PRIVATE_KEY")', 'secrets.get("${{ SECRETS.acme_ssh.PRIVATE_KEY }}")', {"RL403"}),
    ("undeclared-key", 'secrets.get("ACME_API_KEY")', 'secrets.get("ACME_TOKEN")', {"RL401"}),
    ("key-collision", 'optional_keys=["ACME_REGION"]', 'optional_keys=["ACME_REGION", "PRIVATE_KEY"]', {"RL213"}),
    # In the helper: in the registered function itself Tracecat refuses any env read (RL157, not a secret rule).
    ("env-fallback", 'api_key = secrets.get("ACME_API_KEY")', 'api_key = secrets.get_or_default("ACME_API_KEY") or os.getenv("ACME_API_KEY", "")', {"RL407"}),
    ("env-default", 'api_key = secrets.get("ACME_API_KEY")', 'api_key = secrets.get_or_default("ACME_API_KEY", os.environ.get("ACME_KEY"))', {"RL407"}),
    ("secrets-not-a-list", "secrets=[acme_secret, slack_oauth, ssh_secret]", "secrets=acme_secret", {"RL214"}),
    ("logging-a-value", 'logger.info("Searching Acme")', 'logger.info("Searching Acme with %s", token)', {"RL408"}),
    ("print-a-value", 'logger.info("Searching Acme")', 'print(f"key={key}")', {"RL408"}),
    ("returning-a-value", "return response.json()", 'return {"token": token}', {"RL408"}),
    ("raising-a-value", 'logger.info("Searching Acme")', 'raise ValueError("bad token " + token)', {"RL408"}),
    ("credential-from-env", 'api_key = secrets.get("ACME_API_KEY")', 'api_key = os.environ["ACME_API_KEY"]', {"RL406"}),
    ("credential-parameter", "query: str)", "query: str, api_key: str)", {"RL410"}),
    ("required-get-on-optional", 'secrets.get_or_default("ACME_REGION") or "us"', 'secrets.get("ACME_REGION")', {"RL405"}),
    ("secret-type-spelling", 'secret_type="ssh_key"', 'secret_type="SSH_KEY"', {"RL207"}),
    ("invalid-secret-name", 'name="acme",', 'name="Acme-Main",', {"RL201"}),
    # Renaming a declared key also leaves the read of the old key undeclared.
    ("invalid-secret-key", '"ACME_REGION"]', '"ACME-REGION"]', {"RL202", "RL401"}),
    ("lowercase-key", '"ACME_REGION"]', '"acmeRegion"]', {"RL203", "RL401"}),
    ("without-keys", 'keys=["ACME_API_KEY"],\n    optional_keys=["ACME_REGION"],', "", {"RL204", "RL401"}),
    ("oauth-name-on-static", 'name="acme_ssh"', 'name="acme_oauth"', {"RL208"}),
    ("duplicate-secret", "secrets=[acme_secret, slack_oauth, ssh_secret]", "secrets=[acme_secret, slack_oauth, ssh_secret, acme_secret]", {"RL209"}),
    ("legacy-dict", "secrets=[acme_secret,", 'secrets=[{"name": "acme", "keys": ["ACME_API_KEY"], "optional_keys": ["ACME_REGION"]},', {"RL210"}),
    ("unknown-field", 'name="acme",', 'name="acme", secretType="custom",', {"RL211"}),
    ("unknown-provider", 'provider_id="slack"', 'provider_id="slack_app"', {"RL301", "RL304"}),
    ("invalid-grant", 'grant_type="authorization_code"', 'grant_type="code"', {"RL302"}),
    ("unsupported-grant", 'grant_type="authorization_code"', 'grant_type="client_credentials"', {"RL303", "RL304"}),
    ("provider-with-suffix", 'provider_id="slack"', 'provider_id="slack_oauth"', {"RL305"}),
    ("missing-provider", 'provider_id="slack", ', "", {"RL306"}),
]

YAML_MUTATIONS = [
    ("wrong-token-suffix", "MICROSOFT_GRAPH_SERVICE_TOKEN", "MICROSOFT_GRAPH_APP_TOKEN", {"RL304"}),
    ("wrong-token-prefix", "MICROSOFT_GRAPH_USER_TOKEN", "MS_GRAPH_USER_TOKEN", {"RL304"}),
    ("wrong-provider-prefix", "SECRETS.microsoft_graph_oauth.MICROSOFT_GRAPH_USER_TOKEN", "SECRETS.ms_graph_oauth.MICROSOFT_GRAPH_USER_TOKEN", {"RL305"}),
    ("keys-as-string", "keys: [ACME_API_KEY]", "keys: ACME_API_KEY", {"RL212"}),
    ("ssh-key-extra-key", "  expects:\n", "    - name: acme_ssh\n      keys: [PRIVATE_KEY, PASSPHRASE]\n      secret_type: ssh_key\n  expects:\n", {"RL205"}),
    ("secret-type-spelling", "  expects:\n", "    - name: acme_ssh\n      keys: [PRIVATE_KEY]\n      secret_type: ssh-key\n  expects:\n", {"RL207"}),
    ("missing-declaration", "    - name: acme\n      keys: [ACME_API_KEY]\n", "", {"RL402"}),
    ("undeclared-key", "SECRETS.acme.ACME_API_KEY", "SECRETS.acme.ACME_TOKEN", {"RL401"}),
    ("key-collision", "  expects:\n", "    - name: acme_backup\n      keys: [ACME_API_KEY]\n  expects:\n", {"RL213"}),
    ("missing-dollar", "${{ SECRETS.acme.ACME_API_KEY }}", "{{ SECRETS.acme.ACME_API_KEY }}", {"RL409"}),
    ("single-braces", "${{ SECRETS.acme.ACME_API_KEY }}", "${ SECRETS.acme.ACME_API_KEY }", {"RL409"}),
    ("without-key", "${{ SECRETS.acme.ACME_API_KEY }}", "${{ SECRETS.acme }}", {"RL409"}),
    ("lowercase-context", "${{ SECRETS.acme.ACME_API_KEY }}", "${{ secrets.acme.ACME_API_KEY }}", {"RL409"}),
    ("unclosed", "${{ SECRETS.acme.ACME_API_KEY }}", "${{ SECRETS.acme.ACME_API_KEY }", {"RL409"}),
    ("credential-input", "  expects:\n", "  expects:\n    api_token:\n      type: str\n      description: Token.\n", {"RL410"}),
    ("invalid-secret-name", "name: acme\n", "name: Acme\n", {"RL201", "RL402"}),
    ("renamed-everywhere", "acme.ACME_API_KEY", "Acme.ACME_API_KEY", {"RL402"}),
    ("oauth-name-on-static", "  expects:\n", "    - name: slack_oauth\n      keys: [SLACK_USER_TOKEN]\n  expects:\n", {"RL208"}),
    ("duplicate-secret", "  expects:\n", "    - name: acme\n      keys: [ACME_API_KEY]\n  expects:\n", {"RL209"}),
    ("unknown-field", "      keys: [ACME_API_KEY]\n", "      keys: [ACME_API_KEY]\n      secretType: custom\n", {"RL211"}),
    ("invalid-grant", "grant_type: client_credentials", "grant_type: client-credentials", {"RL302"}),
    ("missing-provider", "      provider_id: microsoft_graph\n      grant_type: client_credentials\n", "      grant_type: client_credentials\n", {"RL306"}),
    # The service-token read now has only the authorization_code declaration left.
    ("unknown-provider", "provider_id: microsoft_graph\n      grant_type: client", "provider_id: microsoft_grph\n      grant_type: client", {"RL301", "RL304"}),
    ("missing-dollar-in-text", "Bearer ${{ SECRETS.microsoft", "Bearer {{ SECRETS.microsoft", {"RL409"}),
]


def _codes(tmp_path: Path, name: str, text: str, *, extra: tuple[str, ...] = ()) -> list[str]:
    diags = lint_files(tmp_path, {name: text}, select=[*FAMILIES, *extra])
    return sorted(d.code for d in diags)


@pytest.mark.parametrize(("name", "text"), [("acme.py", CLEAN_PY), ("send_message.yml", CLEAN_YAML)])
def test_clean_originals(tmp_path: Path, name: str, text: str) -> None:
    assert _codes(tmp_path, name, text, extra=("RL404",)) == []


@pytest.mark.parametrize(("old", "new", "expected"), [pytest.param(o, n, e, id=i) for i, o, n, e in PY_MUTATIONS])
def test_python_mutation(tmp_path: Path, old: str, new: str, expected: set[str]) -> None:
    assert old in CLEAN_PY
    codes = _codes(tmp_path, "acme.py", CLEAN_PY.replace(old, new, 1))
    assert set(codes) == expected, codes


@pytest.mark.parametrize(("old", "new", "expected"), [pytest.param(o, n, e, id=i) for i, o, n, e in YAML_MUTATIONS])
def test_yaml_mutation(tmp_path: Path, old: str, new: str, expected: set[str]) -> None:
    assert old in CLEAN_YAML
    text = CLEAN_YAML.replace(old, new) if old.startswith("acme.") else CLEAN_YAML.replace(old, new, 1)
    codes = _codes(tmp_path, "send_message.yml", text)
    assert set(codes) == expected, codes


def test_every_family_code_is_exercised() -> None:
    """The mutations cover every RL2/RL3/RL4 code except the opt-in RL404."""
    covered = {c for *_, e in PY_MUTATIONS + YAML_MUTATIONS for c in e}
    from registry_lint.rule import load_rules

    wanted = {c for c in load_rules() if c.startswith(("RL2", "RL3", "RL4")) and c != "RL404"}
    assert wanted - covered == set()
