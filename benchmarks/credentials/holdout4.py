"""Fourth held-out set (``holdout4/``): written for issue 17 before any detection change.

Forms: passwords people choose bound to credential names (numbered names,
test constants, ``monkeypatch.setenv``), defaults and fallbacks
(``os.environ.get``/``os.getenv`` with a literal, ``secrets.get(...) or
"..."``, shell ``${X:-...}``), YAML template inputs (a credential key under
step ``args`` or a payload, an ``expects`` description that states the
default), prose (Markdown inline code after a key name, ``export`` lines,
commented-out assignments) and integration URLs whose path or query carries
the secret (PagerDuty ``/integration/<key>/enqueue``, Zapier catch hooks,
IFTTT, Splunk On-Call, Datadog intake, Grafana OnCall), across ``.py``,
``.yml``, ``.md``, ``.env``, ``.ini``, ``.toml``, ``.json`` and ``.sh``.

Kinds (the form a credential takes): ``password`` (chosen by a person and
bound to a credential name), ``fallback``, ``template_input``, ``prose``,
``integration_url``. Hard negatives name the kind they imitate.

Labelling, decided when each snippet was written (README, "Labelling
policy"): weak is not fake. A password a person chose is a credential however
weak (``Welcome1!``, ``Password123``, ``Summer2024!``); what is not: a bare
dictionary word (``password``, ``secret``), a word that asks to be replaced
(``changeme``), a service's documented local default (``postgres``,
``admin``), an env-var name, a reference or template, a hash, an identifier,
a publishable key (``pk_live_``, also as a Bearer token), a public DSN, a
documentation example, and a value whose name says it was made up
(``mock_``, ``wrong_``). ``TEST_`` in a *password's* name names the test
environment whose account it opens, so ``TEST_LDAP_BIND_PASSWORD = "..."``
is a credential (holdout-1's random ``test_api_key`` stays a fixture).
"""

from __future__ import annotations

from fakes import HEX, Fakes

Entry = tuple[str, list[str], str]


def positives4(fk: Fakes) -> list[Entry]:
    hp = fk.human_password
    g = fk.generic
    return [
        # Python: named assignments.
        (".py", [f'password = "{hp()}"'], "password"),
        (".py", [f'password2 = "{hp()}"'], "password"),
        (".py", [f'TEST_LDAP_BIND_PASSWORD = "{hp()}"'], "password"),
        (".py", [f'monkeypatch.setenv("SMTP_PASSWORD", "{hp()}")'], "password"),
        (".py", ["class LdapSettings(BaseSettings):", f'    bind_password: str = "{hp()}"'], "password"),
        (".py", [f'conn = ldap3.Connection(server, user="cn=svc,dc=acme,dc=io", password="{hp()}")'], "password"),
        (".py", [f'DB = {{"host": "db.internal", "user": "app", "db_password": "{hp()}"}}'], "password"),
        (".py", [f'ADMIN_PASSWORD_2 = "{hp()}"'], "password"),
        # Python: defaults and fallbacks.
        (".py", [f'smtp_password = os.environ.get("SMTP_PASSWORD", "{hp()}")'], "fallback"),
        (".py", [f'bind_password = os.getenv("LDAP_BIND_PASSWORD", "{hp()}")'], "fallback"),
        (".py", [f'api_token = os.getenv("ACME_API_TOKEN", "{g()}")'], "fallback"),
        (".py", [f'password = secrets.get("DB_PASSWORD") or "{hp()}"'], "fallback"),
        (".py", [f'token = secrets.get("ACME_TOKEN") or "{g()}"'], "fallback"),
        (".py", [f'password = os.environ.get("REDIS_PASSWORD") or "{hp()}"'], "fallback"),
        (".py", [f'def bind(host: str, password: str = "{hp()}") -> None: ...'], "fallback"),
        # Python: integration URLs.
        (".py", [f'PAGERDUTY_URL = "{fk.pagerduty_url()}"'], "integration_url"),
        (".py", [f'requests.post("{fk.integration_url()}", json=payload, timeout=10)'], "integration_url"),
        # YAML templates: step args and payloads, expects descriptions, comments, compose-style env.
        (".yml", ["steps:", "  - ref: bind", "    action: tools.ldap.bind", "    args:",
                  "      bind_dn: cn=svc,dc=acme,dc=io", f"      bind_password: {hp()}"], "template_input"),
        (".yml", ["steps:", "  - ref: login", "    action: core.http_request", "    args:",
                  "      url: https://relay.acme.io/v1/login", "      method: POST", "      payload:",
                  "        username: svc-alerts", f'        password: "{hp()}"'], "template_input"),
        (".yml", ["steps:", "  - ref: page", "    action: core.http_request", "    args:",
                  "      url: https://events.pagerduty.com/v2/enqueue", "      method: POST", "      payload:",
                  f"        routing_key: {fk.s(32, HEX)}", "        event_action: trigger"], "template_input"),
        (".yml", ["definition:", "  expects:", "    smtp_password:", "      type: str | None",
                  f"      description: SMTP relay password. Defaults to {hp()} when unset.", "      default: null"],
         "fallback"),
        (".yml", ["definition:", "  expects:", "    api_token:", "      type: str | None",
                  f"      description: Acme API token. Defaults to `{g()}`.", "      default: null"], "fallback"),
        (".yml", ["definition:", "  expects:", "    bind_password:", "      type: str",
                  f"      default: \"{hp()}\""], "fallback"),
        (".yml", [f"# SMTP_PASSWORD={hp()}"], "prose"),
        (".yml", [f"# bind_password: {hp()}"], "prose"),
        (".yml", ["services:", "  db:", "    environment:", f"      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:-{hp()}}}"],
         "fallback"),
        (".yml", ["steps:", "  - ref: notify", "    action: core.http_request", "    args:",
                  f"      url: {fk.integration_url()}", "      method: POST"], "integration_url"),
        # Markdown prose and code.
        (".md", [f"Set `DB_PASSWORD` to `{hp()}` before running the integration tests."], "prose"),
        (".md", [f"The staging relay uses `SMTP_PASSWORD` = `{hp()}`."], "prose"),
        (".md", [f"Log in as `admin` with password `{hp()}`."], "prose"),
        (".md", ["```bash", f"export LDAP_BIND_PASSWORD='{hp()}'", "```"], "prose"),
        (".md", [f"| `SMTP_PASSWORD` | `{hp()}` |"], "prose"),
        (".md", ["```bash", f"curl -X POST {fk.pagerduty_url()} -d @alert.json", "```"], "integration_url"),
        (".md", [f"Alerts go to {fk.integration_url()} (the on-call hook)."], "integration_url"),
        # .env
        (".env", [f"SMTP_PASSWORD={hp()}"], "password"),
        (".env", [f"# LDAP_BIND_PASSWORD={hp()}"], "prose"),
        (".env", [f"export REDIS_PASSWORD='{hp()}'"], "prose"),
        (".env", [f"DB_PASSWORD=${{DB_PASSWORD:-{hp()}}}"], "fallback"),
        (".env", [f"PAGERDUTY_INTEGRATION_URL={fk.pagerduty_url()}"], "integration_url"),
        # INI and TOML
        (".ini", ["[ldap]", f"bind_password = {hp()}"], "password"),
        (".ini", [f"; smtp_password = {hp()}"], "prose"),
        (".ini", ["[alerts]", f"webhook = {fk.integration_url()}"], "integration_url"),
        (".toml", ["[database]", f'password = "{hp()}"'], "password"),
        (".toml", [f'# smtp_password = "{hp()}"'], "prose"),
        (".toml", [f'admin_password = "{hp()}"  # staging'], "password"),
        # JSON
        (".json", [f'{{"smtp": {{"host": "smtp.acme.io", "password": "{hp()}"}}}}'], "password"),
        (".json", [f'{{"env": {{"LDAP_BIND_PASSWORD": "{hp()}"}}}}'], "password"),
        (".json", [f'{{"args": {{"url": "https://relay.acme.io", "payload": {{"bind_password": "{hp()}"}}}}}}'],
         "template_input"),
        (".json", [f'{{"webhook_url": "{fk.integration_url()}"}}'], "integration_url"),
        # Shell
        (".sh", [f"export SMTP_PASSWORD='{hp()}'"], "prose"),
        (".sh", [f"# export LDAP_BIND_PASSWORD='{hp()}'"], "prose"),
        (".sh", [f"PGPASSWORD='{hp()}' psql -h db.internal -U app -c 'select 1'"], "password"),
        (".sh", [f'DB_PASSWORD="${{DB_PASSWORD:-{hp()}}}"'], "fallback"),
        (".sh", [f"curl -sf -u admin:'{hp()}' https://grafana.acme.io/api/health"], "password"),
        (".sh", [f'curl -X POST "{fk.integration_url()}" -H "Content-Type: application/json" -d @event.json'],
         "integration_url"),
    ]


def negatives4(fk: Fakes) -> list[Entry]:
    pk, hx = fk.publishable_key, fk.sha256
    return [
        # Python
        (".py", ['password = "password"'], "password"),
        (".py", ['SECRET = "secret"'], "password"),
        (".py", ['password = "changeme"'], "password"),
        (".py", ['password = "Password"'], "password"),
        (".py", ['DB_PASSWORD = "DB_PASSWORD"'], "password"),
        (".py", ['OPENAI_API_KEY = "<OPENAI_API_KEY>"'], "password"),
        (".py", [f'mock_password = "{fk.human_password()}"'], "password"),
        (".py", [f'WRONG_PASSWORD = "{fk.human_password()}"'], "password"),
        (".py", ["password2 = password1"], "password"),
        (".py", ['PASSWORD_RE = re.compile(r"^(?=.*[A-Z])(?=.*\\d)(?=.*[!@#%]).{12,}$")'], "password"),
        (".py", [f'password_hash = "$2b$12${fk.s(53)}"'], "password"),
        (".py", ['LDAP_BIND_DN = "cn=admin,dc=acme,dc=io"'], "password"),
        (".py", ['SMTP_PASSWORD_FILE = "/run/secrets/smtp_password"'], "password"),
        (".py", ['monkeypatch.setenv("SMTP_PASSWORD", "<smtp-password>")'], "password"),
        (".py", ['monkeypatch.setenv("ACME_API_KEY", "test-api-key")'], "password"),
        (".py", ['password = os.environ.get("SMTP_PASSWORD", "")'], "fallback"),
        (".py", ['bind_password = os.getenv("LDAP_BIND_PASSWORD", "changeme")'], "fallback"),
        (".py", ['password = os.getenv("DB_PASSWORD", "postgres")'], "fallback"),
        (".py", ['password = secrets.get("DB_PASSWORD") or ""'], "fallback"),
        (".py", ['token = secrets.get("ACME_TOKEN") or None'], "fallback"),
        (".py", ['password = os.getenv("DB_PASSWORD") or DEFAULT_PASSWORD'], "fallback"),
        (".py", ['region = secrets.get("ACME_REGION") or "us-east-1"'], "fallback"),
        (".py", ['host = os.environ.get("SMTP_HOST", "smtp.acme.io")'], "fallback"),
        (".py", [f'headers = {{"Authorization": "Bearer {pk()}"}}'], "password"),
        (".py", [f'request_id = "{fk.uuid()}"'], "password"),
        (".py", ['URL = f"https://events.pagerduty.com/integration/{integration_key}/enqueue"'], "integration_url"),
        (".py", ['EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"'], "integration_url"),
        (".py", [f'SENTRY_DSN = "{fk.sentry_dsn()}"'], "integration_url"),
        # YAML
        (".yml", ["steps:", "  - ref: bind", "    action: tools.ldap.bind", "    args:",
                  "      bind_password: ${{ SECRETS.ldap.LDAP_BIND_PASSWORD }}"], "template_input"),
        (".yml", ["steps:", "  - ref: login", "    action: core.http_request", "    args:", "      payload:",
                  "        password: ${{ inputs.password }}"], "template_input"),
        (".yml", ["definition:", "  expects:", "    bind_password:", "      type: str | None",
                  "      description: LDAP bind password. Defaults to the LDAP_BIND_PASSWORD secret when unset.",
                  "      default: null"], "fallback"),
        (".yml", ["definition:", "  expects:", "    smtp_password:", "      type: str | None",
                  "      description: SMTP password. Defaults to `changeme` in the local compose file.",
                  "      default: null"], "fallback"),
        (".yml", ["definition:", "  expects:", "    timeout:", "      type: int",
                  "      description: Request timeout in seconds. Defaults to 30 when unset.", "      default: 30"],
         "fallback"),
        (".yml", ["# SMTP_PASSWORD=<smtp-password>"], "prose"),
        (".yml", ["# bind_password: ${{ SECRETS.ldap.LDAP_BIND_PASSWORD }}"], "prose"),
        (".yml", ["args:", "  url: https://events.pagerduty.com/integration/${{ SECRETS.pagerduty.INTEGRATION_KEY }}/enqueue"],
         "integration_url"),
        (".yml", ["args:", "  headers:", f"    Authorization: Bearer {pk()}"], "template_input"),
        (".yml", ["services:", "  db:", "    environment:", "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-}"], "fallback"),
        (".yml", ["args:", "  api_key: ${{ SECRETS.x.Y }}"], "template_input"),
        (".yml", ["args:", f"  password_sha256: {hx()}"], "template_input"),
        # Markdown
        (".md", ["Set `DB_PASSWORD` in your environment before running the integration tests."], "prose"),
        (".md", ["Set `SMTP_PASSWORD` to `<your-smtp-password>`."], "prose"),
        (".md", ["```bash", "export OPENAI_API_KEY=<OPENAI_API_KEY>", "```"], "prose"),
        (".md", ["The `LDAP_BIND_PASSWORD` secret holds the bind password."], "prose"),
        (".md", ["| `SMTP_PASSWORD` | The relay password (required) |"], "prose"),
        (".md", ["```bash", "export SMTP_PASSWORD=...", "```"], "prose"),
        (".md", [f"Passwords must mix classes, for example `{fk.human_password()}`."], "prose"),
        (".md", [f"Use the publishable key `{pk()}` on the checkout page."], "prose"),
        (".md", ["```bash", "curl -X POST https://events.pagerduty.com/integration/<INTEGRATION_KEY>/enqueue", "```"],
         "integration_url"),
        (".md", ["Zapier hook URLs look like `https://hooks.zapier.com/hooks/catch/123456/abcdef/`."], "integration_url"),
        (".md", [f"Errors are reported to Sentry (`{fk.sentry_dsn()}`)."], "integration_url"),
        # .env
        (".env", ["# SMTP_PASSWORD=<smtp-password>"], "prose"),
        (".env", ["# LDAP_BIND_PASSWORD=changeme"], "prose"),
        (".env", ["LDAP_BIND_PASSWORD=${LDAP_BIND_PASSWORD:-}"], "fallback"),
        (".env", [f"STRIPE_PUBLISHABLE_KEY={pk()}"], "password"),
        (".env", ["PAGERDUTY_INTEGRATION_URL=https://events.pagerduty.com/integration/<INTEGRATION_KEY>/enqueue"],
         "integration_url"),
        (".env", [f"SENTRY_DSN={fk.sentry_dsn()}"], "integration_url"),
        (".env", ["DB_PASSWORD_FILE=/run/secrets/db_password"], "password"),
        (".env", ["POSTGRES_PASSWORD=postgres"], "password"),
        # INI and TOML
        (".ini", ["[db]", "password = %(DB_PASSWORD)s"], "password"),
        (".ini", ["; password = changeme"], "prose"),
        (".ini", ["[auth]", "auth_method = password"], "password"),
        (".ini", ["[ldap]", "bind_dn = cn=admin,dc=acme,dc=io"], "password"),
        (".toml", ['password = "{{ password }}"'], "password"),
        (".toml", ['password_env = "DB_PASSWORD"'], "password"),
        (".toml", ['# password = "<password>"'], "prose"),
        (".toml", [f'publishable_key = "{pk()}"'], "password"),
        (".toml", [f'checksum = "sha256:{hx()}"'], "password"),
        # JSON
        (".json", ['{"password": "********"}'], "password"),
        (".json", ['{"bind_password": "${LDAP_BIND_PASSWORD}"}'], "template_input"),
        (".json", [f'{{"headers": {{"Authorization": "Bearer {pk()}"}}}}'], "template_input"),
        (".json", ['{"routing_key": "<ROUTING_KEY>", "event_action": "trigger"}'], "template_input"),
        (".json", ['{"url": "https://events.pagerduty.com/v2/enqueue"}'], "integration_url"),
        (".json", ['{"password": "password"}'], "password"),
        (".json", [f'{{"request_id": "{fk.uuid()}"}}'], "password"),
        # Shell
        (".sh", ['export SMTP_PASSWORD="${SMTP_PASSWORD:?set SMTP_PASSWORD}"'], "prose"),
        (".sh", ['export DB_PASSWORD="$(cat /run/secrets/db_password)"'], "prose"),
        (".sh", ['read -rsp "Password: " PASSWORD'], "password"),
        (".sh", ["# export SMTP_PASSWORD=<smtp-password>"], "prose"),
        (".sh", [f'curl -H "Authorization: Bearer {pk()}" https://api.stripe.com/v1/tokens'], "password"),
        (".sh", ['curl -u "$ACME_USER:$ACME_PASSWORD" https://api.acme.io/v1/me'], "password"),
        (".sh", ['curl -X POST "https://events.pagerduty.com/integration/${PD_INTEGRATION_KEY}/enqueue"'],
         "integration_url"),
    ]
