"""RL501-RL505: detectors, placeholder filters, context, masking and the never-print guarantee.

Fake credentials are generated at run time from a seeded RNG in the shape
of each format, so no credential-shaped literal lives in this file.
"""

from __future__ import annotations

import base64
import json
import random
import string
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from registry_lint.credentials import filters as flt
from registry_lint.credentials import mask, scan_text
from registry_lint.credentials.names import credential_kind
from registry_lint.credentials.shape import is_wordlike, looks_random, secret_value
from registry_lint.report import FORMATS, renderer
from registry_lint.source import kind_for

from .helpers import lint_files

B62 = string.ascii_letters + string.digits
B64URL = B62 + "-_"
HEX = "0123456789abcdef"
RNG = random.Random(2024)


def rnd(n: int, alphabet: str = B62) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def digits(n: int) -> str:
    return str(RNG.randint(1, 9)) + rnd(n - 1, string.digits)


def jwt() -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")
    return f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc({'sub': rnd(12), 'iat': 1700000000})}.{rnd(43, B64URL)}"


def pem(kind: str = "RSA ") -> str:
    body = "\n".join(rnd(64, B62 + "+/") for _ in range(8))
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"


# One fake per known format: (detector kind, code, value).
FORMATS_CASES = [
    ("aws-access-key", "RL501", "AK" + "IA" + rnd(16, string.ascii_uppercase + "234567")),
    ("github-token", "RL501", "gh" + "p_" + rnd(36)),
    ("github-token", "RL501", "github" + "_pat_" + rnd(22) + "_" + rnd(59)),
    ("gitlab-token", "RL501", "gl" + "pat-" + rnd(20)),
    ("slack-token", "RL501", "xo" + f"xb-{digits(12)}-{digits(13)}-{rnd(24)}"),
    ("stripe-key", "RL501", "sk" + "_live_" + rnd(24)),
    ("stripe-key", "RL501", "sk" + "_test_" + rnd(24)),
    ("stripe-key", "RL501", "wh" + "sec_" + rnd(32)),
    ("twilio-api-key", "RL501", "S" + "K" + rnd(32, HEX)),
    ("sendgrid-api-key", "RL501", "S" + f"G.{rnd(22, B64URL)}.{rnd(43, B64URL)}"),
    ("openai-api-key", "RL501", "sk-" + "proj-" + rnd(120, B64URL)),
    ("openai-api-key", "RL501", "sk-" + rnd(20) + "T3Blbk" + "FJ" + rnd(20)),
    ("anthropic-api-key", "RL501", "sk-" + "ant-api03-" + rnd(93, B64URL) + "AA"),
    ("google-api-key", "RL501", "AI" + "za" + rnd(35, B64URL)),
    ("jwt", "RL501", jwt()),
    ("azure-storage-key", "RL501", "DefaultEndpointsProtocol=https;AccountName=acme;Account" + "Key=" + rnd(86, B62 + "+/") + "=="),
    ("telegram-bot-token", "RL501", digits(9) + ":A" + "A" + rnd(33, B64URL)),
    ("discord-bot-token", "RL501", base64.b64encode(digits(18).encode()).decode().rstrip("=") + "." + rnd(6, B64URL) + "." + rnd(27, B64URL)),
    ("npm-token", "RL501", "np" + "m_" + rnd(36)),
    ("huggingface-token", "RL501", "h" + "f_" + rnd(34, string.ascii_letters)),
    ("pypi-token", "RL501", "py" + "pi-AgEIcHlwaS5vcmc" + rnd(80, B64URL)),
    ("slack-webhook", "RL503", "https://hooks.slack" + f".com/services/T{rnd(10, string.ascii_uppercase)}/B{rnd(10, string.ascii_uppercase)}/{rnd(24)}"),
    ("discord-webhook", "RL503", "https://discord" + f".com/api/webhooks/{digits(19)}/{rnd(68, B64URL)}"),
    ("teams-webhook", "RL503", "https://acme.webhook.office" + f".com/webhookb2/{rnd(8, HEX)}-{rnd(4, HEX)}-{rnd(4, HEX)}-{rnd(4, HEX)}-{rnd(12, HEX)}@{rnd(8, HEX)}-{rnd(4, HEX)}-{rnd(4, HEX)}-{rnd(4, HEX)}-{rnd(12, HEX)}/IncomingWebhook/{rnd(32, HEX)}/{rnd(8, HEX)}-{rnd(4, HEX)}-{rnd(4, HEX)}-{rnd(4, HEX)}-{rnd(12, HEX)}"),
    ("basic-auth-url", "RL503", "postgresql://app:" + rnd(18) + "@db.internal:5432/app"),
    ("url-query-secret", "RL503", "https://api.acme.io/v1/export?format=csv&api" + "_key=" + rnd(32)),
    ("private-key", "RL504", pem()),
    ("private-key", "RL504", pem("OPENSSH ")),
    ("private-key", "RL504", pem("EC ")),
]


def codes(text: str, path: str = "x.txt") -> list[tuple[str, str]]:
    return [(f.code, f.kind) for f in scan_text(path, text, kind_for(path))]


# Detectors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "code", "value"), FORMATS_CASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(FORMATS_CASES)])
@pytest.mark.parametrize("path", ["notes.txt", "config.json"])
def test_detector_finds_format(kind: str, code: str, value: str, path: str) -> None:
    text = f"value: {value}\n" if path.endswith(".txt") else json.dumps({"value": value}) + "\n"
    found = scan_text(path, text, kind_for(path))
    assert [(f.code, f.kind) for f in found] == [(code, kind)], found
    # The location covers the value (not the key before it).
    assert found[0].start >= text.index(value[:3])


@pytest.mark.parametrize(("kind", "code", "value"), FORMATS_CASES[:21], ids=[k for k, _, _ in FORMATS_CASES[:21]])
def test_detector_needs_a_boundary(kind: str, code: str, value: str) -> None:
    # Glued to a longer word on the left, it is part of something else.
    assert codes(f"x = zzz{value}\n", "a.txt") == [] or kind in ("jwt", "azure-storage-key", "telegram-bot-token")


def test_detector_plugin_regexes_come_from_detect_secrets() -> None:
    from registry_lint.credentials.detectors import DETECTORS, plugin_pattern

    refs = [ref for d in DETECTORS for ref in d.plugin]
    assert "aws:AWSKeyDetector:0" in refs
    for ref in refs:
        assert plugin_pattern(ref)  # imports and reads every referenced plugin


def test_public_identifiers_are_not_credentials() -> None:
    assert codes("STRIPE_PK = 'pk_live_" + rnd(24) + "'\n", "a.py") == []
    assert codes("ACCOUNT_SID = 'A" + "C" + rnd(32, HEX) + "'\n", "a.py") == []
    assert codes(f"key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{rnd(43, B62 + '+/')} me@host'\n", "a.py") == []
    cert = pem().replace("PRIVATE KEY", "CERTIFICATE")
    assert codes(cert + "\n", "cert.pem") == []


# Placeholders ---------------------------------------------------------------------------------
PLACEHOLDERS = [
    ("<OPENAI_API_KEY>", flt.is_angle_placeholder),
    ("<your token here>", flt.is_angle_placeholder),
    ("${keys.ACME_API_KEY}", flt.is_template),
    ("${{ SECRETS.acme.ACME_API_KEY }}", flt.is_template),
    ("${{ inputs.api_key }}", flt.is_template),
    ("{{ .Values.apiKey }}", flt.is_template),
    ("$ACME_TOKEN", flt.is_template),
    ("%(password)s", flt.is_template),
    ("{api_key}", flt.is_template),
    ("your-api-key", flt.has_placeholder_word),
    ("your_api_key_here", flt.has_placeholder_word),
    ("REPLACE_ME", flt.has_placeholder_word),
    ("change-me-in-production", flt.has_placeholder_word),
    ("changeme", flt.has_placeholder_word),
    ("example-key-9f8e7d", flt.has_placeholder_word),
    ("dummy-secret", flt.has_placeholder_word),
    ("fake_token_abc", flt.has_placeholder_word),
    ("test-token-123", flt.has_placeholder_word),
    ("mock-api-key", flt.has_placeholder_word),
    ("AKIAIOSFODNN7" + "EXAMPLE", flt.has_placeholder_word),
    ("IQoJb3JpZ2luX2VjEBAReallyLongSessionToken", flt.has_placeholder_word),
    ("xxxxxxxxxxxxxxxxxxxxxxxx", flt.is_repetitive),
    ("gh" + "p_" + "0" * 36, flt.is_repetitive),
    ("abcabcabcabcabcabc", flt.is_repetitive),
    ("1234567890abcdef", flt.is_sequential),
    ("a1b2c3d4e5f6g7h8i9j0", flt.is_sequential),
    ("qwertyuiop", flt.is_sequential),
    ("sk-...", flt.is_masked),
    ("ghp_…", flt.is_masked),
    ("********", flt.is_masked),
    ("[REDACTED]", flt.is_masked),
    ("OPENAI_API_KEY", flt.is_env_var_name),
    ("op://vault/acme/api-key", flt.is_reference),
    ("arn:aws:secretsmanager:us-east-1:123456789012:secret:acme", flt.is_reference),
    ("postgres", flt.is_common_default),
    ("P@ssw0rd", flt.is_common_default),
    ("P@55w0rd!", flt.is_common_default),
    ("$2b$12$" + rnd(53, B62 + "./"), flt.is_hash_format),
    ("sha256:" + rnd(64, HEX), flt.is_hash_format),
]


@pytest.mark.parametrize(("value", "filt"), PLACEHOLDERS, ids=[v[:24] for v, _ in PLACEHOLDERS])
def test_placeholder_filter(value: str, filt: flt.Filter) -> None:
    assert filt("a.py", "", value), f"{filt.__name__} keeps {value!r}"
    assert secret_value(value, "token") is None
    assert codes(f'api_key = "{value}"\n', "a.py") == []


def test_known_example_filter() -> None:
    sample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    assert flt.is_known_example("", "", sample)
    assert codes(f"token: {sample}\n", "a.yml") == []


def test_lock_files_are_skipped() -> None:
    assert flt.is_lock_file("web/package-lock.json", "", "x")
    assert codes('{"token": "gh' + 'p_' + rnd(36) + '"}\n', "poetry.lock") == []


@pytest.mark.parametrize("n", range(200))
def test_random_values_pass_the_filters(n: int) -> None:
    alphabet = [B62, HEX, B64URL, B62 + "+/"][n % 4]
    value = rnd(RNG.randint(24, 64), alphabet)
    assert not flt.dropped(value), value
    assert looks_random(value, "token"), value


def test_wordlike_values() -> None:
    for word in ("bearer", "my_secret_name", "apiKeyValue", "do-not-export", "tracecat-s3-credentials",
                 "workspace_id", "RegistryOAuthSecret", "receiver-jwt", "IAmSensitive"):
        assert is_wordlike(word), word
        assert not looks_random(word, "token"), word
    assert not is_wordlike(rnd(32))


# Names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("api_key", "key"), ("X-API-Key", "key"), ("apiKey", "key"), ("ACME_API_KEY", "key"),
        ("client_secret", "secret"), ("password", "password"), ("DB_PASSWORD", "password"),
        ("Authorization", "header"), ("access_token", "token"), ("GITHUB_PAT", "token"),
        ("private_key", "key"), ("aws_secret_access_key", "key"), ("secret", "secret"),
        ("secret_name", None), ("token_url", None), ("api_key_header", None), ("page_token", None),
        ("next_token", None), ("token_type", None), ("secret_type", None), ("max_tokens", None),
        ("public_key", None), ("publicKeyToken", None), ("key", None), ("cache_key", None),
        ("mock_api_key", None), ("expected_secret", None), ("GROUP_PAT", None), ("ClientToken", None),
        ("LockToken", None), ("AWS::ApiGateway::ApiKey", None), ("key_id", None), ("password_prompt", None),
    ],
)
def test_credential_names(name: str, kind: str | None) -> None:
    assert credential_kind(name) == kind


# Context --------------------------------------------------------------------------------------
TOKEN = rnd(40)
PW = rnd(10) + "#" + rnd(5)
CONTEXTS = [
    # (file name, source, expected code, expected role)
    ("a.py", f'password = "{PW}"\n', "RL502", "assign"),
    ("a.py", f'self.api_token = "{TOKEN}"\n', "RL502", "assign"),
    ("a.py", f'client = Acme(api_key="{TOKEN}")\n', "RL502", "kwarg"),
    ("a.py", f'headers = {{"X-API-Key": "{TOKEN}"}}\n', "RL502", "dict"),
    ("a.py", f'headers = {{"Authorization": "Bearer {TOKEN}"}}\n', "RL502", "dict"),
    ("a.py", f'headers = {{"Authorization": f"Bearer {TOKEN}"}}\n', "RL502", "dict"),
    ("a.py", f'session.headers["Authorization"] = "Token {TOKEN}"\n', "RL502", "assign"),
    ("a.py", f'if token == "{TOKEN}":\n    pass\n', "RL502", "compare"),
    ("a.py", f'requests.get(url, auth=("svc", "{PW}"))\n', "RL502", "kwarg"),
    ("a.py", f'AUTH = ("svc", "{PW}")\n', "RL502", "assign"),
    ("a.py", f'smtp.login("alerts@acme.io", "{PW}")\n', "RL502", "kwarg"),
    ("a.py", f'monkeypatch.setenv("ACME_API_KEY", "{TOKEN}")\n', "RL502", "assign"),
    ("a.py", f'key = SecretStr("{TOKEN}")\napi_key = SecretStr("{TOKEN}")\n', "RL502", "assign"),
    ("a.py", f'CONN = "Server=db;User ID=app;Password={PW};"\n', "RL502", "assign"),
    ("a.py", f'# old: api_key = "{TOKEN}"\n', "RL502", "assign"),
    ("a.py", f'def f():\n    """Use ``Client(token="{TOKEN}")``."""\n', "RL502", "assign"),
    ("a.py", f'async def f(api_key: str = "{TOKEN}") -> None: ...\n', "RL505", "param-default"),
    ("a.py", f'def f(*, token: str = Field(default="{TOKEN}")): ...\n', "RL505", "param-default"),
    ("a.py", f'k = secrets.get_or_default("ACME_API_KEY", "{TOKEN}")\n', "RL505", "secret-default"),
    ("a.py", f'k = os.getenv("ACME_TOKEN", "{TOKEN}")\n', "RL505", "env-default"),
    ("a.py", f'k = os.environ.get("ACME_TOKEN", "{TOKEN}")\n', "RL505", "env-default"),
    # Python 3.12 syntax the running interpreter may not parse: generic fallback.
    ("a.py", f'type Alias = dict[str, str]\ndef f[T](api_key: str = "{TOKEN}") -> T: ...\n', "RL505", "param-default"),
    ("a.py", f'type Alias = dict[str, str]\nAPI_KEY = "{TOKEN}"\n', "RL502", "assign"),
    ("t.yml", f"args:\n  api_key: {TOKEN}\n", "RL502", "dict"),
    ("t.yml", f"headers:\n  Authorization: Bearer {TOKEN}\n", "RL502", "dict"),
    ("t.yml", f"auth: {{username: svc, password: '{PW}'}}\n", "RL502", "dict"),
    ("t.yml", f"env:\n  - name: ACME_TOKEN\n    value: {TOKEN}\n", "RL502", "assign"),
    ("t.yml", f"script: |\n  export ACME_TOKEN={TOKEN}\n", "RL502", "assign"),
    ("t.yml", f"script: |\n  curl -u svc:{PW} https://x\n", "RL502", "assign"),
    ("t.yml", f"extra:\n  - 'X-Auth-Token: {TOKEN}'\n", "RL502", "assign"),
    ("t.yml", f"# api_key: {TOKEN}\nx: 1\n", "RL502", "assign"),
    ("t.yml", f"definition:\n  expects:\n    api_token:\n      type: str\n      default: {TOKEN}\n", "RL505", "expects-default"),
    ("t.yml", f"a: [unclosed\napi_key: {TOKEN}\n", "RL502", "assign"),
    (".env", f"ACME_API_KEY={TOKEN}\n", "RL502", "assign"),
    (".env", f"export ACME_PASSWORD='{PW}'\n", "RL502", "assign"),
    ("f.json", json.dumps({"auth": {"token": TOKEN}}) + "\n", "RL502", "dict"),
    ("f.json", json.dumps({"values": [{"key": "apiKey", "value": TOKEN}]}) + "\n", "RL502", "assign"),
    ("d.md", f"```bash\ncurl -H 'Authorization: Bearer {TOKEN}' https://x\n```\n", "RL502", "assign"),
    ("d.md", f"```python\nclient = Acme(token=\"{TOKEN}\")\n```\n", "RL502", "kwarg"),
    ("d.md", f"```yaml\nheaders:\n  X-API-Key: {TOKEN}\n```\n", "RL502", "dict"),
    ("d.md", f"| ACME_API_KEY | `{TOKEN}` |\n", "RL502", "assign"),
    ("d.md", f"Set `ACME_API_KEY={TOKEN}` first.\n", "RL502", "assign"),
    ("app.ts", f'const apiKey = "{TOKEN}";\n', "RL502", "assign"),
    # Forms added after the held-out benchmark sets (see benchmarks/credentials/holdout.py).
    ("a.py", f'token = b"{TOKEN}"\n', "RL502", "assign"),
    ("a.py", f'AUTH_HEADER = "Bearer " + "{TOKEN}"\n', "RL502", "assign"),
    ("a.py", f'API_KEYS = ["{TOKEN}"]\n', "RL502", "assign"),
    ("a.py", f'creds = {{"user": "svc", "pass": "{PW}"}}\n', "RL502", "dict"),
    ("a.py", f'os.environ.setdefault("ACME_API_KEY", "{TOKEN}")\n', "RL502", "assign"),
    ("t.yml", f"token: >\n  {TOKEN}\n", "RL502", "dict"),
    ("t.yml", f'args:\n  - "--token={TOKEN}"\n', "RL502", "assign"),
    ("d.md", f"API key: {TOKEN}\n", "RL502", "assign"),
]


@pytest.mark.parametrize(("path", "source", "code", "role"), CONTEXTS, ids=[f"{p}-{i}" for i, (p, *_rest) in enumerate(CONTEXTS)])
def test_context(path: str, source: str, code: str, role: str) -> None:
    found = scan_text(path, source, kind_for(path))
    assert [(f.code, f.role) for f in found] == [(code, role)], found
    assert found[0].secret in (TOKEN, PW)
    assert source[found[0].start : found[0].end] == found[0].secret  # points at the value itself


NOT_SECRETS = [
    ("a.py", 'api_key = os.environ["ACME_API_KEY"]\n'),
    ("a.py", 'api_key = secrets.get("ACME_API_KEY")\n'),
    ("a.py", 'headers = {"Authorization": f"Bearer {token}"}\n'),
    ("a.py", 'token_type = "Bearer"\nsecret_type = "ssh_key"\nAPI_KEY_ENV = "OPENAI_API_KEY"\n'),
    ("a.py", f'request_id = "{rnd(32, HEX)}"\ncommit = "{rnd(40, HEX)}"\nnonce = "{rnd(32)}"\n'),
    ("a.py", f'page_token = "{rnd(48)}"\nclient_id = "{rnd(8, HEX)}-{rnd(4, HEX)}"\n'),
    ("a.py", 'api_key: Annotated[str, Doc("API key used to authenticate with Acme")]\n'),
    ("a.py", 'API_KEY_PATTERN = r"^[A-Za-z0-9]{32}$"\n'),
    ("a.py", 'CACHE_KEY = "tracecat:tokens:{user_id}"\n'),
    ("a.py", 'def f(token: str | None = None, api_key: str = ""): ...\n'),
    ("a.py", 'k = secrets.get_or_default("REGION", "us-east-1")\n'),
    ("a.py", f'DB = "postgresql://postgres:postgres@db:5432/postgres"\nX = "https://user:${{PW}}@h/x"\n'),
    ("a.py", 'MSG = "Keys start with -----BEGIN OPENSSH PRIVATE KEY----- and end with -----END OPENSSH PRIVATE KEY-----"\n'),
    ("t.yml", "headers:\n  Authorization: Bearer ${{ SECRETS.acme.ACME_API_KEY }}\n  X-API-Key: ${{ inputs.key }}\n"),
    ("t.yml", 'x-apikey: "accesskey=${{ SECRETS.t.ACCESS_KEY }}; secretkey=${{ SECRETS.t.SECRET_KEY }};"\n'),
    ("t.yml", "definition:\n  expects:\n    api_key:\n      type: str\n      default: null\n"),
    ("t.yml", "password: !secret db_password\nsecret_type: mtls\n"),
    (".env", "OPENAI_API_KEY=\nACME_API_KEY=your-api-key\nAPI_KEY=$(cat /run/secrets/k)\nDB_PASSWORD=${DB_PASSWORD:-}\n"),
    ("d.md", "Reference `${{ SECRETS.acme.ACME_API_KEY }}`.\n\n| ACME_API_KEY | Your Acme API key |\n"),
    ("d.md", 'curl -u "$USER:$PASSWORD" https://x\nexport TOKEN=$(vault kv get -field=token secret/acme)\n'),
    ("f.json", '{"password": {"type": "string", "format": "password"}, "token": null, "x-api-key": "{{apiKey}}"}\n'),
    ("app.ts", "const hasKey = webhook.api_key?.is_active;\n"),
    ("a.py", 'SECRET_KEYS = ["ACME_API_KEY", "ACME_SECRET"]\nAUTH_HEADERS = ["Authorization", "X-API-Key"]\n'),
    ("a.py", 'raise ValueError("Invalid API key: must be 32 characters")\n'),
    ("a.py", 'Resource = "arn:aws:secretsmanager:*:*:secret:eks-local.cluster.x-k8s.io/*"\n'),
    ("a.py", 'doc = """Use ``auth=httpx.BasicAuth`` here."""\n'),
    ("a.py", f'GCP = {{"private_key_id": "{rnd(40, HEX)}"}}\n'),
    ("t.yml", "token: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  " + rnd(80, HEX) + "\n"),
    ("t.yml", f'hash: "$2b$12${rnd(53)}"\npassword_secret_ref: acme-db-password\n'),
    ("d.md", "| password | string | The account password |\nThe token expires after 3600 seconds.\n"),
    (".env", "SESSION_SECRET=please-change-this\nTOKEN=xxx\nAPI_KEY=<required>\n"),
]


@pytest.mark.parametrize(("path", "source"), NOT_SECRETS, ids=[f"{p}-{i}" for i, (p, _) in enumerate(NOT_SECRETS)])
def test_not_a_secret(path: str, source: str) -> None:
    assert scan_text(path, source, kind_for(path)) == []


def test_symbols_do_not_split_words() -> None:
    # "my" after a `!` is part of a random password, not the placeholder word "my".
    assert not flt.has_placeholder_word("", "", "1!W.lLS!YCn6v!my")
    assert flt.has_placeholder_word("", "", "my-secret-token")


def test_notion_legacy_token_is_a_format() -> None:
    assert codes("NOTION_TOKEN=secret_" + rnd(43) + "\n", ".env") == [("RL501", "vendor-token")]


def test_known_format_in_a_default_is_rl505_naming_the_format() -> None:
    value = "gh" + "p_" + rnd(36)
    found = scan_text("a.py", f'def f(token: str = "{value}"): ...\n', "python")
    assert [(f.code, f.kind) for f in found] == [("RL505", "github-token")]


# Masking and the never-print guarantee ----------------------------------------------------------
def test_mask() -> None:
    value = "sk-p" + rnd(42) + "9f"
    assert mask(value) == f"`sk-p…9f` ({len(value)} chars)"
    assert mask("short-pass1") == "11 chars"


def _leaks(output: str, secret: str) -> bool:
    if secret in output:
        return True
    # No run of 8 characters of the secret either (masks show at most 4); a public
    # vendor prefix (`sk_test_`) may appear in rule documentation.
    core = flt.body(secret).replace("\n", "")
    return any(core[i : i + 8] in output for i in range(0, max(1, len(core) - 8), 3))


def test_no_output_format_prints_a_detected_value(tmp_path: Path) -> None:
    secrets = [value for _, _, value in FORMATS_CASES if "\n" not in value]
    key = pem()
    files = {
        "creds.txt": "".join(f"value{i}: {v}\n" for i, v in enumerate(secrets)),
        "action.py": f'PASSWORD = "{PW}"\ndef f(api_key: str = "{TOKEN}"): ...\nKEY = """{key}"""\n',
        "t.yml": f"headers:\n  Authorization: Bearer {TOKEN}\n",
    }
    diags = lint_files(tmp_path, files, select=["RL5"])
    assert len(diags) >= len(secrets) + 3
    # The secret part of every finding (a webhook's path, a URL's password, a key's body lines).
    detected = [f.secret for name, content in files.items() for f in scan_text(name, content, kind_for(name))]
    detected += [PW, TOKEN, *key.splitlines()[1:-1]]
    detected = [d for secret in detected for d in (secret.splitlines() if "-----" in secret else [secret])
                if not d.startswith("-----")]
    from registry_lint.results import RunResult

    result = RunResult(diags, files=3, actions=0)
    for name, content in files.items():
        result.sources[str(tmp_path / name)] = content
    for fmt in FORMATS:
        for show in (False, True):
            try:
                out = renderer(fmt)(result, color=False, statistics=False, show_source=show)
            except TypeError:
                out = renderer(fmt)(result)
            for secret in detected:
                assert not _leaks(out, secret), f"{fmt} output leaks a detected value"


def test_cli_text_and_json_never_print_values(tmp_path: Path) -> None:
    value = "gh" + "p_" + rnd(36)
    (tmp_path / "a.py").write_text(f'TOKEN = "{value}"\n', encoding="utf-8")
    (tmp_path / "registry-lint.toml").write_text("", encoding="utf-8")
    for fmt in ("text", "json"):
        proc = subprocess.run(
            [sys.executable, "-m", "registry_lint", "check", str(tmp_path), "--select", "RL5", "--output-format", fmt,
             "--no-cache", "--show-source"],
            capture_output=True, text=True, check=False,
        )
        assert proc.returncode == 1, proc.stderr
        assert "RL501" in proc.stdout
        assert not _leaks(proc.stdout + proc.stderr, value)


# Suppression, laziness, robustness -----------------------------------------------------------------
def test_allowlist_pragmas(tmp_path: Path) -> None:
    value = "gh" + "p_" + rnd(36)
    files = {
        "a.py": textwrap.dedent(f"""\
            A = "{value}"  # pragma: allowlist secret
            # pragma: allowlist nextline secret
            B = "{value}"
            C = "{value}"  # noqa: RL501
            D = "{value}"
        """),
    }
    diags = lint_files(tmp_path, files, select=["RL5"])
    assert [(d.code, d.location.line) for d in diags] == [("RL501", 5)]


def test_rule_module_does_not_import_detect_secrets() -> None:
    code = (
        "import sys, registry_lint.rules.credentials, registry_lint.credentials;"
        "assert 'detect_secrets' not in sys.modules, 'imported at import time'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("seed", range(30))
def test_scanner_never_crashes_on_junk(seed: int) -> None:
    rng = random.Random(seed)
    junk = "".join(rng.choice(string.printable + "ü€\u2028{}[]:'\"`$") for _ in range(rng.randint(0, 3000)))
    for path in ("a.py", "t.yml", "x.json", "d.md", ".env"):
        scan_text(path, junk, kind_for(path))


def test_one_pass_caches_combined_patterns() -> None:
    from registry_lint.credentials.scanner import _combined, active_detectors

    text = "ghp_ xoxb- AKIA sk-"
    first = _combined(active_detectors(text))
    assert _combined(active_detectors(text)) is first


TRACECAT_REGISTRY = next(
    (p for p in (Path("/work/tracecat/packages/tracecat-registry"), Path("/work/ext/tracecat/packages/tracecat-registry"))
     if p.is_dir()),
    Path("/work/tracecat/packages/tracecat-registry"),
)


@pytest.mark.slow
@pytest.mark.skipif(not TRACECAT_REGISTRY.is_dir(), reason="no Tracecat checkout")
def test_tracecat_registry_has_no_credential_findings() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "registry_lint", "check", str(TRACECAT_REGISTRY), "--select", "RL5",
         "--output-format", "json", "--exit-zero", "--no-cache"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
