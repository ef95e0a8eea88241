"""Secrets declarations and references in templates and UDFs (RL2xx, RL3xx, RL4xx)."""

from __future__ import annotations

from collections.abc import Iterator

from . import Case
from ._shapes import HTTP_ARGS, UDFS, step, template

CODES = ("RL2", "RL3", "RL4")


def _with(secrets_yaml: str, header: str = "${{ SECRETS.parity.API_KEY }}") -> dict[str, str]:
    args = dict(HTTP_ARGS, headers={"Authorization": header})
    return {"templates/subject.yml": template([step("core.http_request", args)], extra="") .replace("  expects:", secrets_yaml + "  expects:", 1)}


def cases() -> Iterator[Case]:
    ok = "  secrets:\n    - name: parity\n      keys: [API_KEY]\n"
    yield Case("secrets-ok", _with(ok), CODES)
    yield Case("secrets-undeclared", _with(""), CODES)
    yield Case("secrets-key-undeclared", _with(ok, "${{ SECRETS.parity.OTHER }}"), CODES)
    yield Case("secrets-name-upper", _with("  secrets:\n    - name: Parity\n      keys: [API_KEY]\n", "${{ SECRETS.Parity.API_KEY }}"), CODES)
    yield Case("secrets-name-dash", _with("  secrets:\n    - name: par-ity\n      keys: [API_KEY]\n", "${{ SECRETS.par-ity.API_KEY }}"), CODES)
    yield Case("secrets-key-dash", _with("  secrets:\n    - name: parity\n      keys: [API-KEY]\n", "x"), CODES)
    yield Case("secrets-keys-string", _with("  secrets:\n    - name: parity\n      keys: API_KEY\n"), CODES)
    yield Case("secrets-no-keys", _with("  secrets:\n    - name: parity\n"), CODES)
    yield Case("secrets-optional-keys", _with("  secrets:\n    - name: parity\n      keys: [API_KEY]\n      optional_keys: [EXTRA]\n"), CODES)
    yield Case("secrets-unknown-field", _with("  secrets:\n    - name: parity\n      keys: [API_KEY]\n      key: API_KEY\n"), CODES)
    yield Case("secrets-type-bad", _with("  secrets:\n    - name: parity\n      keys: [API_KEY]\n      secret_type: token\n"), CODES)
    yield Case("secrets-mtls-keys", _with("  secrets:\n    - name: parity\n      keys: [CERT]\n      secret_type: mtls\n", "x"), CODES)
    yield Case("secrets-mtls-ok", _with("  secrets:\n    - name: parity\n      keys: [TLS_CERTIFICATE, TLS_PRIVATE_KEY]\n      secret_type: mtls\n", "x"), CODES)
    yield Case("secrets-oauth-ok", _with("  secrets:\n    - type: oauth\n      provider_id: microsoft_teams\n      grant_type: client_credentials\n", "${{ SECRETS.microsoft_teams_oauth.MICROSOFT_TEAMS_SERVICE_TOKEN }}"), CODES)
    yield Case("secrets-oauth-grant-bad", _with("  secrets:\n    - type: oauth\n      provider_id: microsoft_teams\n      grant_type: password\n", "x"), CODES)
    yield Case("secrets-not-list", _with("  secrets:\n    name: parity\n    keys: [API_KEY]\n"), CODES)
    # Issue 16: the secrets of a template's step actions are fetched too (RL402).
    yield Case("secrets-step-builtin-mtls", _with("", "${{ SECRETS.mtls.TLS_CERTIFICATE }}"), CODES)
    udf = UDFS.replace("from tracecat_registry import registry", "from tracecat_registry import RegistrySecret, registry").replace(
        '    doc_url="https://example.com/docs",\n)', '    doc_url="https://example.com/docs",\n    secrets=[RegistrySecret(name="parity", keys=["API_KEY"])],\n)', 1)
    args = {"text": "${{ SECRETS.parity.API_KEY }}", "tags": ["${{ inputs.value }}"]}
    files = {"templates/subject.yml": template([step("tools.parity.typed", args)])}
    yield Case("secrets-step-udf-declares", {**files, "udfs.py": udf}, CODES)
    gmail = {"message_id": "${{ inputs.value }}", "attachment_id": "${{ SECRETS.google_gmail_oauth.GOOGLE_GMAIL_USER_TOKEN }}"}
    yield Case("secrets-step-builtin-oauth", {"templates/subject.yml": template([step("tools.gmail.get_attachment", gmail)])}, CODES)
