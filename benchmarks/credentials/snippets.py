"""Labelled snippets: one credential (positive) or one hard negative, placed the
way such a value appears in real registry code, templates, docs and fixtures.

A snippet is ``Snip(slot, lines, kind)``: the section of the file it goes to
(Python: ``module``, ``body``, ``param``, ``dictitem``, ``classbody``,
``docstring``; YAML: ``args``, ``headers``, ``expects``, ``comment``, ...),
its lines without indentation, and the kind it is (positive) or imitates
(negative). The label points at the first line (a key block spans all).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from fakes import B64, HEX, Fakes

FORMAT_KINDS = (
    "aws", "github", "gitlab", "slack_token", "slack_webhook", "discord_webhook", "teams_webhook",
    "discord_bot", "stripe", "twilio", "sendgrid", "openai", "anthropic", "google", "jwt",
    "azure_storage", "telegram", "npm", "huggingface", "basic_auth_url", "private_key",
)
URL_KINDS = ("slack_webhook", "discord_webhook", "teams_webhook", "basic_auth_url")
KINDS = FORMAT_KINDS + ("url_query_secret", "generic", "fallback")

NEUTRAL_NAMES = ("VALUE", "DEFAULT", "FIXTURE", "SAMPLE_FIELD", "CONFIG_ENTRY", "LEGACY", "data", "cfg")
CRED_NAMES = ("ACME_API_KEY", "API_TOKEN", "access_token", "client_secret", "auth_token", "SECRET_KEY", "bot_token", "apiKey")
CLIENTS = ("AcmeClient", "httpx.Client", "SentinelOneClient", "JiraClient", "OktaClient")
JWT_IO = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
          "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")


@dataclass
class Snip:
    slot: str
    lines: list[str]
    kind: str


def value(fk: Fakes, kind: str) -> str:
    return getattr(fk, kind)()


def basic_header(fk: Fakes) -> str:
    user = fk.pick(["svc", "admin", "api", "tracecat"])
    return "Basic " + base64.b64encode(f"{user}:{fk.password()}".encode()).decode()


# Python ---------------------------------------------------------------------------------
def py_positive(fk: Fakes, kind: str) -> Snip:
    if kind == "private_key":
        lines = fk.private_key()
        if fk.r.random() < 0.5:
            name = fk.pick(["SSH_KEY", "PRIVATE_KEY", "TEST_KEY", "signing_key"])
            return Snip("module", [f'{name} = """{lines[0]}', *lines[1:-1], f'{lines[-1]}"""'], kind)
        return Snip("module", ['KEY_PEM = "' + "\\n".join(lines) + '\\n"'], kind)
    if kind == "generic":
        g, pw = fk.generic(), fk.password()
        return fk.pick([
            Snip("module", [f'password = "{pw}"'], kind),
            Snip("module", [f'DB_PASSWORD = "{pw}"'], kind),
            Snip("module", [f'HEADERS = {{"X-API-Key": "{g}", "Accept": "application/json"}}'], kind),
            Snip("body", [f'headers["Authorization"] = "Bearer {g}"'], kind),
            Snip("module", [f'client = {fk.pick(CLIENTS)}(base_url=BASE_URL, api_key="{g}")'], kind),
            Snip("classbody", [f'self.client_secret = "{g}"'], kind),
            Snip("body", [f's3 = boto3.client("s3", aws_access_key_id=key_id, aws_secret_access_key="{fk.aws_secret()}")'], kind),
            Snip("module", [f'AUTH_HEADER = {{"Authorization": "{basic_header(fk)}"}}'], kind),
            Snip("body", [f'if token == "{g}":', "    return {}"], kind),
            Snip("body", [f'server.login("alerts@acme.io", "{pw}")'], kind),
            Snip("module", [f'CONN_STR = "Server=tcp:sql.acme.io,1433;Database=cases;User ID=app;Password={pw};"'], kind),
            Snip("dictitem", [f'"access_token": "{g}",'], kind),
            Snip("module", [f'AUTH = ("admin", "{pw}")'], kind),
            Snip("body", [f'client = {fk.pick(CLIENTS)}("https://api.acme.io", "{g}")'], kind),
            Snip("body", [f'headers = {{"Authorization": f"Bearer {g}"}}'], kind),
            Snip("module", [f'CREDENTIALS = {{"username": "svc-tracecat", "password": "{pw}"}}'], kind),
            Snip("body", [f'monkeypatch.setenv("ACME_API_KEY", "{g}")'], kind),
            Snip("module", [f'DEFAULT_HEADERS = ["Accept: application/json", "X-Auth-Token: {g}"]'], kind),
        ])
    if kind == "fallback":
        g = fk.generic()
        return fk.pick([
            Snip("param", [f'api_key: Annotated[str, Doc("Acme API key")] = "{g}",'], kind),
            Snip("body", [f'api_key = secrets.get_or_default("ACME_API_KEY", "{g}")'], kind),
            Snip("module", [f'TOKEN = os.getenv("ACME_TOKEN", "{g}")'], kind),
            Snip("module", [f'token = os.environ.get("ACME_API_TOKEN", "{g}")'], kind),
            Snip("module", [f'async def connect(host: str, password: str = "{fk.password()}") -> None: ...'], kind),
        ])
    if kind == "url_query_secret":
        return Snip("module", [f'EXPORT_URL = "https://api.acme.io/v1/export?format=csv&api_key={fk.generic()}"'], kind)
    v = value(fk, kind)
    if kind in URL_KINDS:
        return fk.pick([
            Snip("module", [f'WEBHOOK_URL = "{v}"'], kind),
            Snip("body", [f'resp = await client.post("{v}", json={{"text": "alert"}})'], kind),
            Snip("module", [f'DSN = "{v}"'], kind),
            Snip("dictitem", [f'"url": "{v}",'], kind),
        ])
    name = fk.pick(NEUTRAL_NAMES + CRED_NAMES)
    return fk.pick([
        Snip("module", [f'{name} = "{v}"'], kind),
        Snip("module", [f'client = {fk.pick(CLIENTS)}(token="{v}")'], kind),
        Snip("body", [f'headers = {{"Authorization": "Bearer {v}"}}'], kind),
        Snip("module", [f"# export {fk.pick(CRED_NAMES).upper()}={v}"], kind),
        Snip("docstring", [f'>>> {fk.pick(CLIENTS)}(api_key="{v}").ping()'], kind),
        Snip("module", [f'RESPONSE = {{"data": {{"id": 17, "credential": "{v}"}}}}'], kind),
        Snip("dictitem", [f'"{fk.pick(["token", "key", "value", "secret"])}": "{v}",'], kind),
        Snip("module", [f'api_key = os.getenv("ACME_API_KEY", "{v}")'], kind),
    ])


def py_negative(fk: Fakes) -> Snip:
    if fk.r.random() < 0.04:
        cert = fk.certificate()
        return Snip("module", [f'CA_CERT = """{cert[0]}', *cert[1:-1], f'{cert[-1]}"""'], "private_key")
    m = "module"
    choices = [
        (m, 'OPENAI_API_KEY = "<OPENAI_API_KEY>"', "openai"),
        (m, 'api_key = "your-api-key"', "generic"),
        (m, 'TOKEN = "REPLACE_ME"', "generic"),
        (m, 'password = "changeme"', "generic"),
        (m, 'token = "test-token-123"', "generic"),
        (m, 'client_secret = "dummy-client-secret"', "generic"),
        (m, 'api_key = "sk-..."', "openai"),
        (m, 'OPENAI_KEY = "sk-proj-' + "x" * 48 + '"', "openai"),
        (m, 'GITHUB_TOKEN = "ghp_' + "x" * 36 + '"', "github"),
        (m, 'ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"', "aws"),
        (m, 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', "generic"),
        (m, 'api_key = "OPENAI_API_KEY"', "generic"),
        (m, 'password = ""', "generic"),
        (m, 'API_KEY = "${keys.ACME_API_KEY}"', "generic"),
        (m, 'HOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"', "slack_webhook"),
        (m, 'DB_URI = "postgresql+psycopg://postgres:postgres@postgres_db:5432/postgres"', "basic_auth_url"),
        (m, 'DSN = "postgresql://user:password@localhost:5432/app"', "basic_auth_url"),
        (m, f'SAMPLE_JWT = "{JWT_IO}"', "jwt"),
        (m, f'STRIPE_PUBLISHABLE_KEY = "pk_live_{fk.s(24)}"', "stripe"),
        (m, 'token_type = "Bearer"', "generic"),
        (m, 'secret_name = "acme_prod"', "generic"),
        (m, f'page_token = "{fk.s(48, B64)}"', "generic"),
        (m, f'next_token = "{fk.s(40)}"', "generic"),
        (m, 'TOKEN_URL = "https://login.acme.io/oauth2/v1/token"', "generic"),
        (m, "max_tokens = 4096", "generic"),
        (m, 'api_key_header = "X-API-Key"', "generic"),
        (m, f'request_id = "{fk.uuid()}"', "generic"),
        (m, f'commit = "{fk.sha()}"', "generic"),
        (m, f'checksum = "{fk.sha256()}"', "generic"),
        (m, f'etag = "{fk.md5()}"', "generic"),
        (m, f'encoded = "{fk.b64_text()}"', "generic"),
        (m, f'DOC_URL = "{fk.long_url()}"', "generic"),
        (m, f'nonce = "{fk.s(32, B64)}"', "generic"),
        (m, f'salt = "{fk.s(32, HEX)}"', "generic"),
        (m, f'expected_signature = "{fk.s(64, HEX)}"', "generic"),
        (m, f'workspace_id = "{fk.random_id()}"', "generic"),
        (m, f'public_key = "{fk.ssh_public_key()}"', "private_key"),
        ("param", 'api_key: Annotated[str, Doc("API key used to authenticate with Acme")],', "generic"),
        ("body", 'api_key = secrets.get("ACME_API_KEY")', "generic"),
        ("body", 'headers = {"Authorization": f"Bearer {api_key}"}', "generic"),
        ("body", 'secret = secrets.get_or_default("ACME_WEBHOOK_SECRET", "")', "fallback"),
        ("param", 'token: str | None = None,', "fallback"),
        (m, 'KEY_HELP = "-----BEGIN OPENSSH PRIVATE KEY-----\\n...\\n-----END OPENSSH PRIVATE KEY-----"', "private_key"),
        (m, f'client_id = "{fk.uuid()}"', "generic"),
        (m, f'idempotency_key = "{fk.uuid()}"', "generic"),
        (m, f'image = "data:image/png;base64,{fk.s(120, B64)}"', "generic"),
        ("dictitem", f'"sha": "{fk.sha()}",', "generic"),
        ("docstring", 'Set ``ACME_API_KEY`` in the ``acme`` secret (e.g. ``<your-key>``).', "generic"),
        (m, 'API_KEY_PATTERN = r"^[A-Za-z0-9]{32}$"', "generic"),
        (m, 'api_key = "a1b2c3d4e5f6g7h8i9j0"', "generic"),
        (m, f'hashed_password = "$2b$12${fk.s(53, "./" + B64[:62])}"', "generic"),
        (m, f'token = "test_{fk.s(24, HEX)}"', "generic"),
        (m, f'MOCK_SECRETS = {{"ACME_API_KEY": "fake-{fk.s(12)}"}}', "generic"),
        (m, "SECRET_KEY = secrets.token_hex(32)", "generic"),
        (m, f'secret_arn = "arn:aws:secretsmanager:us-east-1:{fk.digits(12)}:secret:acme/api-key-{fk.s(6)}"', "generic"),
        (m, f'api_key_id = "{fk.uuid()}"', "generic"),
        (m, 'TOKEN_PREFIX = "ghp_"', "github"),
        (m, f'kms_key = "arn:aws:kms:us-east-1:{fk.digits(12)}:key/{fk.uuid()}"', "generic"),
        ("dictitem", '"password": "{{ password }}",', "generic"),
        (m, 'auth_scheme = "Bearer"', "generic"),
        (m, 'password_prompt = "Enter your password: "', "generic"),
        (m, 'CACHE_KEY = "tracecat:tokens:{user_id}"', "generic"),
        ("body", 'assert resp.headers["Authorization"] == "Bearer test-token"', "generic"),
        (m, f'FINGERPRINT = "SHA256:{fk.s(43, B64)}"', "generic"),
        (m, f'after_cursor = "Y3Vyc29yOnYyOpK5{fk.s(40, B64)}"', "generic"),
        (m, f'session_id = "{fk.s(32)}"', "generic"),
        (m, 'USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"', "generic"),
        (m, 'GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]', "github"),
        (m, f'DIGEST = "sha256:{fk.sha256()}"', "generic"),
    ]
    slot, line, cat = fk.pick(choices)
    return Snip(slot, [line], cat)


# YAML -----------------------------------------------------------------------------------
def yaml_positive(fk: Fakes, kind: str) -> Snip:
    if kind == "private_key":
        return Snip("args", ["private_key: |", *["  " + ln for ln in fk.private_key()]], kind)
    if kind == "generic":
        g = fk.generic()
        return fk.pick([
            Snip("headers", [f"X-API-Key: {g}"], kind),
            Snip("headers", [f'Authorization: "Bearer {g}"'], kind),
            Snip("headers", [f"Authorization: {basic_header(fk)}"], kind),
            Snip("args", [f"password: '{fk.password()}'"], kind),
            Snip("args", [f"client_secret: {g}"], kind),
            Snip("comment", [f"# api_token: {g}"], kind),
            Snip("args", ["headers:", "  - name: X-Api-Key", f"    value: {g}"], kind),
            Snip("args", [f"auth: {{username: svc, password: '{fk.password()}'}}"], kind),
            Snip("args", ["script: |", f"  curl -sf -u svc:{fk.password().replace(chr(39), '')} https://api.acme.io/v1/health"], kind),
            Snip("args", ["extra_headers:", f'  - "X-Auth-Token: {g}"'], kind),
        ])
    if kind == "fallback":
        return Snip("expects", [f"{fk.pick(['api_key', 'api_token', 'password', 'client_secret'])}:", "  type: str",
                                "  description: Credential (deprecated input)", f"  default: {fk.generic()}"], kind)
    if kind == "url_query_secret":
        return Snip("args", [f"url: https://api.acme.io/v2/search?token={fk.generic()}&q=${{{{ inputs.query }}}}"], kind)
    v = value(fk, kind)
    if kind in URL_KINDS:
        return fk.pick([Snip("args", [f"url: {v}"], kind), Snip("args", [f'webhook_url: "{v}"'], kind)])
    return fk.pick([
        Snip("headers", [f"Authorization: Bearer {v}"], kind),
        Snip("args", [f"token: {v}"], kind),
        Snip("args", [f'value: "{v}"'], kind),
        Snip("comment", [f"# old key: {v}"], kind),
    ])


def yaml_negative(fk: Fakes) -> Snip:
    choices = [
        ("headers", "Authorization: Bearer ${{ SECRETS.acme.ACME_API_KEY }}", "generic"),
        ("headers", 'x-apikey: "accesskey=${{ SECRETS.tenable.ACCESS_KEY }}; secretkey=${{ SECRETS.tenable.SECRET_KEY }};"', "generic"),
        ("headers", "X-API-Key: ${{ inputs.api_key }}", "generic"),
        ("args", "token: ${{ SECRETS.github.GITHUB_TOKEN }}", "github"),
        ("args", f"url: {fk.long_url()}", "generic"),
        ("args", f"sha: {fk.sha()}", "generic"),
        ("args", f"alert_id: {fk.uuid()}", "generic"),
        ("args", f"page_token: {fk.s(40)}", "generic"),
        ("args", "token_type: Bearer", "generic"),
        ("args", "secret_type: ssh_key", "generic"),
        ("args", 'api_key: "<YOUR_API_KEY>"', "generic"),
        ("args", "url: https://hooks.slack.com/services/${{ SECRETS.slack.WEBHOOK_PATH }}", "slack_webhook"),
        ("args", f"content: {fk.b64_text()}", "generic"),
        ("args", f"hash: {fk.sha256()}", "generic"),
        ("expects", "api_key:\n  type: str | None\n  description: Override the API key\n  default: null", "fallback"),
        ("expects", "password:\n  type: str\n  description: Password for the service account", "fallback"),
        ("expects", f"workspace_id:\n  type: str\n  description: Workspace\n  default: {fk.s(24, HEX)}", "generic"),
        ("comment", "# Use your Acme token, e.g. xoxb-your-token-here", "slack_token"),
        ("args", "token: ${{ inputs.token || SECRETS.acme.ACME_TOKEN }}", "generic"),
        ("args", "password: !secret db_password", "generic"),
        ("headers", 'x-api-key: "{{ .Values.apiKey }}"', "generic"),
        ("args", 'client_secret: "${CLIENT_SECRET}"', "generic"),
        ("args", "secret_type: mtls", "generic"),
        ("args", "signature: ${{ steps.sign.result.signature }}", "generic"),
        ("args", "token_url: https://login.microsoftonline.com/common/oauth2/v2.0/token", "generic"),
        ("expects", 'api_token:\n  type: str\n  description: API token override\n  default: ""', "fallback"),
        ("args", f"fingerprint: SHA256:{fk.s(43, B64)}", "generic"),
        ("args", f"cursor: {fk.s(60, B64)}", "generic"),
    ]
    slot, text, cat = fk.pick(choices)
    return Snip(slot, text.split("\n"), cat)


# Markdown, JSON and .env share line-oriented snippets --------------------------------------
def md_positive(fk: Fakes, kind: str) -> Snip:
    if kind == "private_key":
        return Snip("code", fk.private_key(), kind)
    if kind in ("generic", "fallback"):
        g = fk.generic()
        return fk.pick([
            Snip("code", [f'curl -H "Authorization: Bearer {g}" https://api.acme.io/v1/me'], "generic"),
            Snip("code", [f"export ACME_API_KEY={g}"], "generic"),
            Snip("pycode", [f'client = AcmeClient(api_key="{g}")'], "generic"),
            Snip("prose", [f"The staging password is `{fk.password()}`; rotate it after the demo."], "generic"),
            Snip("code", [f"curl -u admin:{fk.url_password()} https://grafana.acme.io/api/health"], "generic"),
            Snip("prose", [f"| ACME_API_KEY | `{g}` |"], "generic"),
        ])
    if kind == "url_query_secret":
        return Snip("prose", [f"Download: https://api.acme.io/v1/export?access_token={fk.generic()}"], kind)
    v = value(fk, kind)
    return fk.pick([
        Snip("code", [f"export {fk.pick(CRED_NAMES).upper()}={v}"], kind),
        Snip("prose", [f"Use `{v}` for the sandbox."], kind),
        Snip("pycode", [f'client = {fk.pick(CLIENTS)}(token="{v}")'], kind),
    ])


def md_negative(fk: Fakes) -> Snip:
    choices = [
        ("code", 'curl -H "Authorization: Bearer $ACME_TOKEN" https://api.acme.io/v1/me', "generic"),
        ("code", "export OPENAI_API_KEY=<your-openai-key>", "openai"),
        ("code", "export ACME_API_KEY=...", "generic"),
        ("pycode", 'client = AcmeClient(api_key=secrets.get("ACME_API_KEY"))', "generic"),
        ("prose", "Reference the key as `${{ SECRETS.acme.ACME_API_KEY }}` in templates.", "generic"),
        ("prose", f"Fixed in {fk.sha()} (see {fk.long_url()}).", "generic"),
        ("prose", "Tokens look like `ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.", "github"),
        ("prose", f"Workspace `{fk.uuid()}` is used by the integration tests.", "generic"),
        ("code", "-----BEGIN RSA PRIVATE KEY-----\n<paste your key here>\n-----END RSA PRIVATE KEY-----", "private_key"),
        ("prose", "Slack webhooks look like `https://hooks.slack.com/services/T000/B000/XXXX`.", "slack_webhook"),
        ("code", "DATABASE_URL=postgresql://postgres:postgres@localhost:5432/postgres", "basic_auth_url"),
        ("prose", f"Example JWT (from jwt.io): `{JWT_IO}`", "jwt"),
        ("prose", "| ACME_API_KEY | Your Acme API key |", "generic"),
        ("code", "Authorization: Bearer <token>", "generic"),
        ("code", "export ACME_TOKEN=$(vault kv get -field=token secret/acme)", "generic"),
        ("code", 'api_key = "YOUR_API_KEY"', "generic"),
        ("code", "curl -u \"$ACME_USER:$ACME_PASSWORD\" https://api.acme.io/v1/me", "generic"),
        ("prose", "The token looks like `eyJhbGciOi...` (a JWT).", "jwt"),
    ]
    slot, text, cat = fk.pick(choices)
    return Snip(slot, text.split("\n"), cat)


def json_positive(fk: Fakes, kind: str) -> Snip:
    if kind == "private_key":
        return Snip("item", ['"private_key": "' + "\\n".join(fk.private_key()) + '\\n"'], kind)
    if kind in ("generic", "fallback"):
        return fk.pick([
            Snip("item", [f'"api_key": "{fk.generic()}"'], "generic"),
            Snip("item", [f'"password": "{fk.password()}"'], "generic"),
            Snip("item", [f'"auth": {{"type": "bearer", "token": "{fk.generic()}"}}'], "generic"),
            Snip("item", [f'"values": [{{"key": "apiKey", "value": "{fk.generic()}", "enabled": true}}]'], "generic"),
        ])
    if kind == "url_query_secret":
        return Snip("item", [f'"download": "https://api.acme.io/v1/export?apikey={fk.generic()}"'], kind)
    return Snip("item", [f'"{fk.pick(["token", "value", "credential", "webhook", "id_token"])}": "{value(fk, kind)}"'], kind)


def json_negative(fk: Fakes) -> Snip:
    choices = [
        (f'"sha": "{fk.sha()}"', "generic"), (f'"node_id": "{fk.s(20, B64)}"', "generic"),
        (f'"etag": "W/\\"{fk.md5()}\\""', "generic"), ('"api_key": "<API_KEY>"', "generic"),
        ('"password": "********"', "generic"), (f'"signature": "sha256={fk.s(64, HEX)}"', "generic"),
        (f'"integrity": "sha512-{fk.s(86, B64)}=="', "generic"), (f'"id": "{fk.uuid()}"', "generic"),
        ('"token": "${{ SECRETS.acme.ACME_TOKEN }}"', "generic"), (f'"html_url": "{fk.long_url()}"', "generic"),
        (f'"payload": "{fk.b64_text()}"', "generic"), ('"token_type": "Bearer"', "generic"),
        ('"password": {"type": "string", "format": "password"}', "generic"), ('"example": "YOUR_API_KEY"', "generic"),
        ('"x-api-key": "{{apiKey}}"', "generic"), ('"token": null', "generic"), (f'"api_key_id": "{fk.uuid()}"', "generic"),
        (f'"cursor": "{fk.s(48, B64)}"', "generic"), (f'"avatar_url": "https://avatars.githubusercontent.com/u/{fk.digits(8)}?v=4"', "generic"),
    ]
    text, cat = fk.pick(choices)
    return Snip("item", [text], cat)


def env_positive(fk: Fakes, kind: str) -> Snip:
    if kind in ("generic", "fallback"):
        name = fk.pick(["ACME_API_KEY", "DATADOG_API_KEY", "PAGERDUTY_ROUTING_KEY", "SMTP_PASSWORD", "JIRA_API_TOKEN"])
        v = fk.password() if name.endswith("PASSWORD") else fk.generic()
        return fk.pick([Snip("line", [f"{name}={v}"], "generic"), Snip("line", [f"export {name}='{v}'"], "generic")])
    if kind == "url_query_secret":
        return Snip("line", [f"EXPORT_URL=https://api.acme.io/v1/export?api_key={fk.generic()}"], kind)
    if kind == "private_key":
        return Snip("line", ['SSH_PRIVATE_KEY="' + "\\n".join(fk.private_key()) + '"'], kind)
    return Snip("line", [f"{fk.pick(['TOKEN', 'API_KEY', 'WEBHOOK_URL', 'CREDENTIAL', 'VALUE'])}={value(fk, kind)}"], kind)


def env_negative(fk: Fakes) -> Snip:
    choices = [
        ("OPENAI_API_KEY=", "openai"), ("ACME_API_KEY=your-api-key", "generic"),
        ("SLACK_WEBHOOK_URL=https://hooks.slack.com/services/XXX/YYY/ZZZ", "slack_webhook"),
        ("DATABASE_URL=postgresql://postgres:postgres@localhost:5432/postgres", "basic_auth_url"),
        ("LOG_LEVEL=INFO", "generic"), (f"COMMIT_SHA={fk.sha()}", "generic"),
        (f"TENANT_ID={fk.uuid()}", "generic"), ("JWT_SECRET=change-me-in-production", "generic"),
        ("TRACECAT__API_URL=http://localhost:8000", "generic"), ("GITHUB_TOKEN=${GITHUB_TOKEN}", "github"),
        (f"BUILD_ID={fk.random_id()}", "generic"), ("SMTP_PASSWORD=<smtp-password>", "generic"),
        ("API_KEY=$(cat /run/secrets/api_key)", "generic"), ("DB_PASSWORD=${DB_PASSWORD:-}", "generic"),
        ('ACME_TOKEN="<token>"', "generic"), ("AWS_PROFILE=default", "generic"),
        (f"SESSION_SECRET_FILE=/run/secrets/{fk.s(8).lower()}", "generic"),
    ]
    text, cat = fk.pick(choices)
    return Snip("line", [text], cat)
