"""Issue 17: passwords people choose, credential defaults and fallbacks, prose, integration URLs.

Every new form is found (with the right code and role, pointing at the value)
and every placeholder next to it stays quiet. Passwords are assembled at run
time from words, digits and symbols, so no password-shaped literal lives in
this file.
"""

from __future__ import annotations

import random
import string
import uuid
from pathlib import Path

import pytest

from registry_lint.credentials import filters as flt
from registry_lint.credentials import scan_text
from registry_lint.credentials.names import credential_kind
from registry_lint.credentials.shape import human_password, secret_value
from registry_lint.source import kind_for

from .helpers import lint_files

RNG = random.Random(17)
HEX = "0123456789abcdef"


def rnd(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def num(n: int) -> str:
    return str(RNG.randint(1, 9)) + rnd(n - 1, string.digits)


# Passwords a person would choose (the shapes), assembled from pieces.
WELCOME = "Wel" + "come" + "1!"
SEASON = "Sum" + "mer" + "2024!"
MAPLE = "Map" + "le#" + num(4) + "river"
DICEWARE = "tiger-" + "orbit-" + num(3) + "-Qxzv"
CLASSIC = "Pass" + "word" + "123"
LEET = "P@ss" + "w0rd" + "1"
NAME_YEAR = "Jes" + "sica" + "1987"
WORD_YEAR = "wal" + "nut" + "1984"
SHORT = "Ot" + "ter6#"
HUMAN = [WELCOME, SEASON, MAPLE, DICEWARE, CLASSIC, LEET, NAME_YEAR, WORD_YEAR, SHORT]
TOKEN = rnd(40)


def found(path: str, text: str) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.role, text[f.start : f.end]) for f in scan_text(path, text, kind_for(path))]


# The shape ----------------------------------------------------------------------------------
@pytest.mark.parametrize("value", HUMAN)
def test_human_passwords_are_secrets_for_password_names(value: str) -> None:
    assert human_password(value, "password") is not None
    assert secret_value(value, "password") == value


@pytest.mark.parametrize(
    "value",
    [
        "password", "Password", "secret", "changeme", "Change" + "me1!", "Your" + "Password1!", "Test" + "Pass#1",
        "password" + "123", "admin" + "123", "postgres" + "14", "Acme-Prod-2", "apiKeyV2", "acme-db-credentials",
        "tracecat-s3-credentials", "shadow-mango-jasper-honey", "user@acme.io", "#/definitions/Password1",
        "!secret db_password", "*.acme.io", "Pass!", "Abc1!", "x" * 70 + "A1!",
        "Aaaaaaa1!", "Ab1!Ab1!Ab1!", "MyApp.Config2", "${DB_PASSWORD}", "<Password1!>", "pk_live_" + rnd(24),
    ],
)
def test_words_identifiers_and_placeholders_are_not(value: str) -> None:
    assert secret_value(value, "password") is None


def test_plain_word_and_year_only_for_password_names() -> None:
    assert human_password(WORD_YEAR, "password") == "plain"
    assert human_password(WORD_YEAR, "secret") is None
    assert human_password(SEASON, "secret") == "decorated"
    # Tokens and keys are generated, not chosen: a chosen-looking value there stays quiet.
    assert secret_value(SEASON, "token") is None


def test_naming_words_are_not_placeholder_words_in_a_chosen_password() -> None:
    assert flt.has_placeholder_word("", "", CLASSIC)
    assert not flt.has_placeholder_word_besides_naming("", "", CLASSIC)
    assert not flt.has_placeholder_word_besides_naming("", "", "Ad" + "min@123")
    assert flt.has_placeholder_word_besides_naming("", "", "Your" + "Password1!")
    assert flt.has_placeholder_word_besides_naming("", "", "Change" + "Me123!")


def test_monotonous_and_common_defaults() -> None:
    assert flt.is_monotonous("", "", "Aaaaaaa1!")
    assert not flt.is_monotonous("", "", "Fall" + "2020&")  # five distinct characters is still a password
    assert flt.is_repetitive("", "", "Fall" + "2020&")
    assert flt.is_common_default("", "", "postgres" + "14")


@pytest.mark.parametrize("value", ["pass" + "word1234!", "admin" + "123!", "welcome" + "1!", "postgres" + "14#"])
def test_lowercase_defaults_with_a_symbol_stay_quiet(value: str) -> None:
    """Tracecat's smoke tests fall back to its dev default plus `!` (frontend/tests/smoke/utils/auth.ts)."""
    assert human_password(value, "password") == "decorated"
    assert flt.is_lowercase_default("", "", value)
    assert secret_value(value, "password") is None
    assert found("auth.ts", f'export const P =\n  process.env.SMOKE_PASSWORD ?? "{value}"\n') == []
    chosen = value.capitalize()  # `Password1234!`: capitalised, someone chose it
    assert not flt.is_lowercase_default("", "", chosen)
    assert secret_value(chosen, "password") == chosen


def test_publishable_keys_are_not_secrets() -> None:
    pk = "pk_live_" + rnd(99)
    assert flt.is_publishable_key("", "", pk)
    assert flt.is_publishable_key("", "", "pk.eyJ" + rnd(60))
    assert not flt.is_publishable_key("", "", "sk_live_" + rnd(24))
    for path, text in [
        ("a.py", f'headers = {{"Authorization": "Bearer {pk}"}}\n'),
        ("t.yml", f"args:\n  headers:\n    Authorization: Bearer {pk}\n"),
        ("f.json", f'{{"headers": {{"Authorization": "Bearer {pk}"}}}}\n'),
        ("s.sh", f'curl -H "Authorization: Bearer {pk}" https://api.stripe.com/v1/tokens\n'),
    ]:
        assert found(path, text) == [], path


# Names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("password2", "password"), ("ADMIN_PASSWORD_2", "password"), ("TEST_LDAP_BIND_PASSWORD", "password"),
        ("test_password", "password"), ("PGPASSWORD", "password"), ("rootpassword", "password"),
        ("mock_password", None), ("WRONG_PASSWORD", None), ("test_api_key", None), ("haspassword", None),
        ("forgotpassword", None), ("key2", None), ("sha256", None), ("password_hash", None),
        ("SMTP_PASSWORD_FILE", None), ("api_key_2", "key"),
    ],
)
def test_names(name: str, kind: str | None) -> None:
    assert credential_kind(name) == kind


# Forms ---------------------------------------------------------------------------------------
FORMS = [
    # (file, text, code, role, value)
    ("a.py", f'password = "{WELCOME}"\n', "RL502", "assign", WELCOME),
    ("a.py", f'password2 = "{SEASON}"\n', "RL502", "assign", SEASON),
    ("a.py", f'TEST_LDAP_BIND_PASSWORD = "{MAPLE}"\n', "RL502", "assign", MAPLE),
    ("a.py", f'monkeypatch.setenv("SMTP_PASSWORD", "{DICEWARE}")\n', "RL502", "assign", DICEWARE),
    ("a.py", f'conn = connect(user="svc", password="{CLASSIC}")\n', "RL502", "kwarg", CLASSIC),
    ("a.py", f'DB = {{"db_password": "{LEET}"}}\n', "RL502", "dict", LEET),
    ("a.py", f'x = os.environ.get("SMTP_PASSWORD", "{NAME_YEAR}")\n', "RL505", "env-default", NAME_YEAR),
    ("a.py", f'x = os.getenv("LDAP_BIND_PASSWORD", "{WORD_YEAR}")\n', "RL505", "env-default", WORD_YEAR),
    ("a.py", f'password = secrets.get("DB_PASSWORD") or "{WELCOME}"\n', "RL505", "or-default", WELCOME),
    ("a.py", f'token = os.environ.get("ACME_TOKEN") or "{TOKEN}"\n', "RL505", "or-default", TOKEN),
    ("a.py", f'pw = cfg.get("x") or os.getenv("DB_PASSWORD") or "{SEASON}"\n', "RL505", "or-default", SEASON),
    ("a.py", f'def bind(host: str, password: str = "{MAPLE}") -> None: ...\n', "RL505", "param-default", MAPLE),
    ("t.yml", f"steps:\n  - ref: bind\n    args:\n      bind_password: {MAPLE}\n", "RL502", "dict", MAPLE),
    ("t.yml", f'args:\n  payload:\n    username: svc\n    password: "{SEASON}"\n', "RL502", "dict", SEASON),
    ("t.yml", f"definition:\n  expects:\n    smtp_password:\n      type: str\n"
              f"      description: Relay password. Defaults to {WELCOME} when unset.\n",
     "RL505", "expects-description", WELCOME),
    ("t.yml", f"definition:\n  expects:\n    api_token:\n      type: str\n      description: 'Token (default: `{TOKEN}`)'\n",
     "RL505", "expects-description", TOKEN),
    ("t.yml", f"definition:\n  expects:\n    bind_password:\n      type: str\n      default: \"{SHORT}\"\n",
     "RL505", "expects-default", SHORT),
    ("t.yml", f"# SMTP_PASSWORD={CLASSIC}\nx: 1\n", "RL502", "assign", CLASSIC),
    ("t.yml", f"# bind_password: {LEET}\nx: 1\n", "RL502", "assign", LEET),
    ("t.yml", f"services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:-{SEASON}}}\n",
     "RL505", "shell-default", SEASON),
    ("d.md", f"Set `DB_PASSWORD` to `{DICEWARE}` before the tests.\n", "RL502", "assign", DICEWARE),
    ("d.md", f"The relay uses `SMTP_PASSWORD` = `{WELCOME}`.\n", "RL502", "assign", WELCOME),
    ("d.md", f"Log in as `admin` with password `{MAPLE}`.\n", "RL502", "assign", MAPLE),
    ("d.md", f"```bash\nexport LDAP_BIND_PASSWORD='{SEASON}'\n```\n", "RL502", "assign", SEASON),
    (".env", f"# SMTP_PASSWORD={WELCOME}\n", "RL502", "assign", WELCOME),
    (".env", f"export REDIS_PASSWORD='{MAPLE}'\n", "RL502", "assign", MAPLE),
    (".env", f"DB_PASSWORD=${{DB_PASSWORD:-{SEASON}}}\n", "RL505", "shell-default", SEASON),
    ("s.sh", f"PGPASSWORD='{LEET}' psql -h db -c 'select 1'\n", "RL502", "assign", LEET),
    ("s.sh", f"curl -sf -u admin:'{CLASSIC}' https://grafana.acme.io/api/health\n", "RL502", "assign", CLASSIC),
    ("s.sh", f'DB_PASSWORD="${{DB_PASSWORD:-{DICEWARE}}}"\n', "RL505", "shell-default", DICEWARE),
    ("c.ini", f"[ldap]\nbind_password = {NAME_YEAR}\n", "RL502", "assign", NAME_YEAR),
    ("c.ini", f"; smtp_password = {SEASON}\n", "RL502", "assign", SEASON),
    ("c.toml", f'[database]\npassword = "{WORD_YEAR}"\n', "RL502", "assign", WORD_YEAR),
    ("f.json", f'{{"env": {{"LDAP_BIND_PASSWORD": "{MAPLE}"}}}}\n', "RL502", "dict", MAPLE),
]


@pytest.mark.parametrize(("path", "text", "code", "role", "value"), FORMS, ids=[f"{f[0]}-{i}" for i, f in enumerate(FORMS)])
def test_new_forms_are_found(path: str, text: str, code: str, role: str, value: str) -> None:
    assert found(path, text) == [(code, role, value)]


URLS = [
    ("pagerduty-integration-url", f"https://events.pagerduty.com/integration/{rnd(32, HEX)}/enqueue"),
    ("pagerduty-integration-url", f"https://events.eu.pagerduty.com/integration/{rnd(32, HEX)}/enqueue"),
    ("zapier-webhook", f"https://hooks.zapier.com/hooks/catch/{num(7)}/{rnd(7, string.ascii_lowercase + string.digits)}/"),
    ("ifttt-webhook", f"https://maker.ifttt.com/trigger/door_open/with/key/{rnd(22)}"),
    ("victorops-url", f"https://alert.victorops.com/integrations/generic/20131114/alert/{uuid.UUID(int=RNG.getrandbits(128))}/secops"),
    ("grafana-oncall-url", f"https://oncall-prod-us-central-0.grafana.net/oncall/integrations/v1/alertmanager/{rnd(25)}/"),
    ("url-query-secret", f"https://http-intake.logs.datadoghq.com/api/v2/logs?dd-api-key={rnd(32, HEX)}&ddsource=x"),
]


@pytest.mark.parametrize(("kind", "url"), URLS, ids=[k for k, _ in URLS])
@pytest.mark.parametrize("path", ["a.py", "t.yml", "d.md", ".env", "s.sh", "f.json"])
def test_integration_urls(kind: str, url: str, path: str) -> None:
    text = {"a.py": f'URL = "{url}"\n', "t.yml": f"args:\n  url: {url}\n", "d.md": f"Post to {url} now.\n",
            ".env": f"HOOK={url}\n", "s.sh": f'curl -X POST "{url}"\n', "f.json": f'{{"url": "{url}"}}\n'}[path]
    result = scan_text(path, text, kind_for(path))
    assert [(f.code, f.kind) for f in result] == [("RL503", kind)]
    assert result[0].secret in url and len(result[0].secret) >= 12


# Placeholders and look-alikes next to every new form --------------------------------------------
QUIET = [
    ("a.py", 'password = "password"\nSECRET = "secret"\npassword = "changeme"\npassword = "Password"\n'),
    ("a.py", 'DB_PASSWORD = "DB_PASSWORD"\nOPENAI_API_KEY = "<OPENAI_API_KEY>"\npassword2 = password1\n'),
    ("a.py", f'mock_password = "{SEASON}"\nWRONG_PASSWORD = "{WELCOME}"\n'),
    ("a.py", f'password_hash = "$2b$12${rnd(53)}"\nrequest_id = "{uuid.UUID(int=RNG.getrandbits(128))}"\n'),
    ("a.py", 'PASSWORD_RE = re.compile(r"^(?=.*[A-Z])(?=.*\\d)(?=.*[!@#%]).{12,}$")\n'),
    ("a.py", 'monkeypatch.setenv("SMTP_PASSWORD", "<smtp-password>")\nmonkeypatch.setenv("ACME_API_KEY", "test-api-key")\n'),
    ("a.py", 'p = os.environ.get("SMTP_PASSWORD", "")\nq = os.getenv("LDAP_BIND_PASSWORD", "changeme")\n'
             'r = os.getenv("DB_PASSWORD", "postgres")\n'),
    ("a.py", 'p = secrets.get("DB_PASSWORD") or ""\nt = secrets.get("ACME_TOKEN") or None\n'
             'u = os.getenv("DB_PASSWORD") or DEFAULT_PASSWORD\nregion = secrets.get("ACME_REGION") or "us-east-1"\n'),
    ("a.py", 'host = os.environ.get("SMTP_HOST", "smtp.acme.io")\nv = budget("DB_PASSWORD") or "x"\n'),
    ("a.py", 'URL = f"https://events.pagerduty.com/integration/{integration_key}/enqueue"\n'
             'EVENTS = "https://events.pagerduty.com/v2/enqueue"\n'),
    ("a.py", f'SENTRY_DSN = "https://{rnd(32, HEX)}@o{num(6)}.ingest.sentry.io/{num(7)}"\n'),
    ("t.yml", "steps:\n  - ref: bind\n    args:\n      bind_password: ${{ SECRETS.ldap.LDAP_BIND_PASSWORD }}\n"
              "      payload:\n        password: ${{ inputs.password }}\n      api_key: ${{ SECRETS.x.Y }}\n"),
    ("t.yml", "definition:\n  expects:\n    bind_password:\n      type: str\n"
              "      description: LDAP bind password. Defaults to the LDAP_BIND_PASSWORD secret when unset.\n"
              "    smtp_password:\n      type: str\n      description: Defaults to `changeme` locally, else empty.\n"
              "    timeout:\n      type: int\n      description: Seconds. Defaults to 30 when unset.\n"),
    ("t.yml", "# SMTP_PASSWORD=<smtp-password>\n# bind_password: ${{ SECRETS.ldap.LDAP_BIND_PASSWORD }}\nx: 1\n"),
    ("t.yml", "environment:\n  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-}\n  DB_PASSWORD: ${DB_PASSWORD:?required}\n"),
    ("t.yml", "args:\n  url: https://events.pagerduty.com/integration/${{ SECRETS.pagerduty.INTEGRATION_KEY }}/enqueue\n"),
    ("d.md", "Set `DB_PASSWORD` in your environment.\nSet `SMTP_PASSWORD` to `<your-smtp-password>`.\n"),
    ("d.md", "The `LDAP_BIND_PASSWORD` secret holds the bind password.\n| `SMTP_PASSWORD` | The relay password |\n"),
    ("d.md", "```bash\nexport OPENAI_API_KEY=<OPENAI_API_KEY>\nexport SMTP_PASSWORD=...\n```\n"),
    ("d.md", f"Passwords must mix classes, for example `{SEASON}`.\n"),
    ("d.md", "Hooks look like `https://hooks.zapier.com/hooks/catch/123456/abcdef/`.\n"
             "curl -X POST https://events.pagerduty.com/integration/<INTEGRATION_KEY>/enqueue\n"),
    ("d.md", "Set `ACME_TOKEN` to `${{ SECRETS.acme.ACME_TOKEN }}` and the password to `changeme`.\n"),
    (".env", "# SMTP_PASSWORD=<smtp-password>\n# LDAP_BIND_PASSWORD=changeme\nLDAP_BIND_PASSWORD=${LDAP_BIND_PASSWORD:-}\n"),
    (".env", "DB_PASSWORD_FILE=/run/secrets/db_password\nPOSTGRES_PASSWORD=postgres\nADMIN_PASSWORD=${ADMIN_PASSWORD:-admin}\n"),
    (".env", f"PAGERDUTY_URL=https://events.pagerduty.com/integration/{'x' * 32}/enqueue\n"),
    ("c.ini", "[db]\npassword = %(DB_PASSWORD)s\n; password = changeme\nauth_method = password\n"),
    ("c.toml", 'password = "{{ password }}"\npassword_env = "DB_PASSWORD"\n# password = "<password>"\n'),
    ("f.json", '{"password": "********", "bind_password": "${LDAP_BIND_PASSWORD}", "routing_key": "<ROUTING_KEY>"}\n'),
    ("s.sh", 'export SMTP_PASSWORD="${SMTP_PASSWORD:?set SMTP_PASSWORD}"\nread -rsp "Password: " PASSWORD\n'),
    ("s.sh", 'curl -u "$ACME_USER:$ACME_PASSWORD" https://x\ncurl -X POST "https://events.pagerduty.com/integration/${PD_KEY}/enqueue"\n'),
]


@pytest.mark.parametrize(("path", "text"), QUIET, ids=[f"{p}-{i}" for i, (p, _) in enumerate(QUIET)])
def test_placeholders_stay_quiet(path: str, text: str) -> None:
    assert found(path, text) == []


def test_messages_mask_the_new_forms(tmp_path: Path) -> None:
    files = {
        "a.py": f'password = secrets.get("DB_PASSWORD") or "{MAPLE}"\nPASSWORD2 = "{SEASON}"\n',
        "t.yml": "definition:\n  expects:\n    smtp_password:\n      type: str\n"
                 f"      description: Defaults to {WELCOME} when unset.\n",
        ".env": f"DB_PASSWORD=${{DB_PASSWORD:-{DICEWARE}}}\nHOOK=https://events.pagerduty.com/integration/{rnd(32, HEX)}/enqueue\n",
    }
    diags = lint_files(tmp_path, files, select=["RL5"])
    assert sorted(d.code for d in diags) == ["RL502", "RL503", "RL505", "RL505", "RL505"]
    messages = " ".join(d.message for d in diags)
    for value in (MAPLE, SEASON, WELCOME, DICEWARE):
        assert value not in messages and value[2:-2] not in messages
    assert "`get(\"DB_PASSWORD\") or ...`" in messages
    assert "`expects.smtp_password` (stated in its description)" in messages
    assert "`${DB_PASSWORD:-...}`" in messages
    assert "PagerDuty integration URL" in messages
