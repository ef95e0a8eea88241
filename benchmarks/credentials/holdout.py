"""Held-out snippets, reported as their own splits by ``score.py``.

``holdout/`` (``positives``/``negatives``): written after the detector was
tuned on the main corpus; its first run scored recall 0.731 (precision
1.000), and the linter was then improved on the misses, so it is tuned
now. ``holdout2/`` (``positives2``/``negatives2``): written after those
fixes; first run recall 0.842 (precision 1.000), then fixed too.
``holdout3/`` (``positives3``/``negatives3``): written after that and
never tuned against: the honest estimate for unseen forms. Same labelling rules as snippets.py:
a random value in a credential's shape is a credential; a value that is a
name, reference, hash, date, size or placeholder is not.
"""

from __future__ import annotations

import base64

from fakes import HEX, Fakes

# (file suffix, lines, kind) -- positives.
def positives(fk: Fakes) -> list[tuple[str, list[str], str]]:
    g, pw = fk.generic(), fk.password()
    return [
        (".py", [f'CONFIG = {{"slack": {{"bot_token": "{fk.slack_token()}"}}}}'], "slack_token"),
        (".py", [f'resp = requests.post(TOKEN_URL, data={{"client_id": CID, "client_secret": "{g}"}})'], "generic"),
        (".py", [f'API_KEYS = ["{fk.generic()}", "{fk.generic()}"]'], "generic"),
        (".py", [f'os.environ.setdefault("ACME_API_KEY", "{g}")'], "generic"),
        (".py", [f'AUTH_HEADER = "Bearer " + "{g}"'], "generic"),
        (".py", ["class Settings:", f'    bearer_token: str = "{g}"'], "generic"),
        (".py", ["class Client:", "    def __init__(self) -> None:", f'        self._password = "{pw}"'], "generic"),
        (".py", [f'token = b"{g}"'], "generic"),
        (".py", [f'API_KEY = "{g}"  # TODO rotate'], "generic"),
        (".py", [f'WEBHOOK = "{fk.discord_webhook()}"  # alerts channel'], "discord_webhook"),
        (".yml", [f"api_key: &acme_key {g}", "other_key: *acme_key"], "generic"),
        (".yml", [f'"X-Api-Key": "{g}"'], "generic"),
        (".yml", ["token: >", f"  {g}"], "generic"),
        (".yml", [f'password: "{pw}"  # staging only'], "generic"),
        (".yml", [f"url: {fk.teams_webhook()}"], "teams_webhook"),
        (".yml", [f"connection: {fk.basic_auth_url()}"], "basic_auth_url"),
        (".md", [f'export SLACK_BOT_TOKEN="{fk.slack_token()}"'], "slack_token"),
        (".md", [f"API key: {g}"], "generic"),
        (".md", [f"Use the key `{fk.openai()}` for the demo workspace."], "openai"),
        (".json", [f'{{"headers": {{"Authorization": "Bearer {g}"}}}}'], "generic"),
        (".json", [f'{{"credentials": {{"user": "svc", "pass": "{pw}"}}}}'], "generic"),
        (".json", [f'{{"github": {{"token": "{fk.github()}"}}}}'], "github"),
        (".env", [f"DATABASE_PASSWORD = {pw.replace(chr(35), '')}"], "generic"),
        (".env", [f"ANTHROPIC_API_KEY={fk.anthropic()}"], "anthropic"),
        (".env", [f"GOOGLE_MAPS_KEY={fk.google()}"], "google"),
    ]


# Hard negatives.
def negatives(fk: Fakes) -> list[tuple[str, list[str], str]]:
    return [
        (".py", [f'password_hash = "{fk.sha256()}"'], "generic"),
        (".py", ['token_expiry = "2024-01-01T00:00:00Z"'], "generic"),
        (".py", ['api_key_name = "acme-prod"'], "generic"),
        (".py", ["SECRET_LENGTH = 32"], "generic"),
        (".py", ['payload = {"username": user, "password": password}'], "generic"),
        (".py", ["api_key = get_api_key()"], "generic"),
        (".py", [f'headers = {{"X-Request-ID": "{fk.uuid()}"}}'], "generic"),
        (".py", ['TOKEN_RE = re.compile(r"ghp_[A-Za-z0-9]{36}")'], "github"),
        (".py", [f'test_api_key = "{fk.generic()}"'], "generic"),
        (".py", ['api_key = "${ACME_API_KEY}"'], "generic"),
        (".py", ["auth = None"], "generic"),
        (".py", [f'logger.info("token refreshed for %s", "{fk.uuid()}")'], "generic"),
        # Relabelled after the first run: a key *ID* names the key, it is not the secret.
        (".py", [f'GCP_KEY = {{"type": "service_account", "private_key_id": "{fk.s(40, HEX)}"}}'], "generic"),
        (".yml", ['token: ${{ FN.lookup(SECRETS.acme, "TOKEN") }}'], "generic"),
        (".yml", ["api_key_header: X-API-KEY"], "generic"),
        (".yml", ["secret_name: prod/acme"], "generic"),
        (".yml", ["password_policy: {min_length: 12, require_symbols: true}"], "generic"),
        (".yml", ["auth_type: oauth2"], "generic"),
        (".yml", ["webhook_secret: ${{ SECRETS.acme.WEBHOOK_SECRET }}"], "generic"),
        (".yml", [f"checksum: sha256:{fk.sha256()}"], "generic"),
        (".md", ["Store your `ACME_API_KEY` in the Tracecat secrets manager."], "generic"),
        (".md", ["The token expires after 3600 seconds."], "generic"),
        (".md", ["Authorization: Bearer {{token}}"], "generic"),
        (".md", [f"Commit `{fk.sha()}` fixed the token refresh."], "generic"),
        (".json", ['{"auth": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}'], "generic"),
        (".json", ['{"secret_ref": "acme-prod", "passwordLastUsed": "2024-05-01T10:00:00Z"}'], "generic"),
        (".json", [f'{{"key": "{fk.uuid()}", "token_count": 1234}}'], "generic"),
        (".env", ["API_KEY_HEADER=X-API-Key"], "generic"),
        (".env", ["TOKEN_TTL=3600"], "generic"),
        (".env", ["PASSWORD_MIN_LENGTH=12"], "generic"),
    ]


# Second held-out set: written after the fixes prompted by the first one; run once, not tuned.
def positives2(fk: Fakes) -> list[tuple[str, list[str], str]]:
    g, pw = fk.generic(), fk.password()
    docker_auth = base64.b64encode(f"ci-bot:{fk.github()}".encode()).decode()
    return [
        (".py", [f's3 = boto3.client("s3", aws_access_key_id="{fk.aws()}", aws_secret_access_key="{fk.aws_secret()}")'], "aws"),
        (".py", [f'TOKENS = {{"prod": "{fk.generic()}", "staging": "{fk.generic()}"}}'], "generic"),
        (".py", [f'def connect(dsn: str = "{fk.basic_auth_url()}") -> None: ...'], "basic_auth_url"),
        (".py", [f'headers.update(Authorization="Bearer {g}")'], "generic"),
        (".py", ["API_KEY = (", f'    "{g[: len(g) // 2]}"', f'    "{g[len(g) // 2 :]}"', ")"], "generic"),
        (".py", [f'settings = Settings(slack_webhook_url="{fk.slack_webhook()}")'], "slack_webhook"),
        (".py", [f'password: Final = "{pw}"'], "generic"),
        (".py", [f'ENV = {{"ACME_API_KEY": "{g}", "LOG_LEVEL": "INFO"}}'], "generic"),
        (".py", [f'x_api_key = "{g}"'], "generic"),
        (".py", [f'jwt_secret = "{g}"'], "generic"),
        (".py", [f'signing_key = "{fk.s(64, HEX)}"'], "generic"),
        (".py", [f'conn = psycopg.connect(host="db", user="app", password="{pw}")'], "generic"),
        (".py", [f'cache = redis.Redis(host="cache", port=6379, password="{pw}")'], "generic"),
        (".yml", [f'headers: {{"Authorization": "Basic {base64.b64encode(("svc:" + pw).encode()).decode()}"}}'], "generic"),
        (".yml", ["env:", f'  ACME_API_KEY: "{g}"'], "generic"),
        (".yml", ["args:", f'  - "--token={g}"'], "generic"),
        (".yml", [f"secretKey: {g}"], "generic"),
        (".md", ["```http", f"Authorization: Bearer {g}", "```"], "generic"),
        (".md", [f"Fetch https://api.acme.io/v1/items?key={g} to test."], "url_query_secret"),
        (".md", [f"curl https://api.telegram.org/bot{fk.telegram()}/sendMessage"], "telegram"),
        (".json", [f'{{"auth": {{"type": "bearer", "bearer": [{{"key": "token", "value": "{g}", "type": "string"}}]}}}}'], "generic"),
        (".json", [f'{{"auths": {{"ghcr.io": {{"auth": "{docker_auth}"}}}}}}'], "generic"),
        (".env", [f"NOTION_TOKEN=secret_{fk.s(43)}"], "generic"),
        (".env", [f"AZURE_CLIENT_SECRET={fk.s(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~._-')}"], "generic"),
    ]


def negatives2(fk: Fakes) -> list[tuple[str, list[str], str]]:
    return [
        (".py", ['password = getpass.getpass("Password: ")'], "generic"),
        (".py", ['API_KEY = os.environ.get("ACME_API_KEY", "")'], "generic"),
        (".py", ['token = "Bearer"'], "generic"),
        (".py", ["secret = hashlib.sha256(body).hexdigest()"], "generic"),
        (".py", [f'expected = "sha256=" + "{fk.sha256()}"'], "generic"),
        (".py", ['raise ValueError("Invalid API key: must be 32 characters")'], "generic"),
        (".py", ['KEY_FILE = "/etc/acme/key.pem"'], "private_key"),
        (".py", ['PASSWORD_FIELD = "password"'], "generic"),
        (".py", ['oauth_scopes = "openid profile email offline_access"'], "generic"),
        (".py", ['secret_key_ref = {"name": "acme", "key": "api-key"}'], "generic"),
        (".py", ['token_endpoint_auth_method = "client_secret_post"'], "generic"),
        (".py", ['assert client.api_key == "sk-test"'], "openai"),
        (".py", ["aws_secret_access_key = session.get_credentials().secret_key"], "generic"),
        (".py", ['signature = hmac.new(secret.encode(), body, "sha256").hexdigest()'], "generic"),
        (".yml", ["client_secret: ${{ SECRETS.okta.OKTA_CLIENT_SECRET }}"], "generic"),
        (".yml", ['api_key: "{{ api_key }}"'], "generic"),
        (".yml", ["token: !vault |", "  $ANSIBLE_VAULT;1.1;AES256", *[f"  {fk.s(80, HEX)}" for _ in range(3)]], "generic"),
        (".yml", ["password: null"], "generic"),
        (".yml", ["password_env: ACME_PASSWORD"], "generic"),
        (".md", ["| password | string | The account password |"], "generic"),
        (".md", ["`api_key` (str): Your Acme API key."], "generic"),
        (".md", ["ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519"], "private_key"),
        (".json", ['{"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}}'], "generic"),
        (".json", [f'{{"request_token_url": "https://api.acme.io/oauth/request_token", "nonce": "{fk.s(32)}"}}'], "generic"),
        (".env", ["SECRET_KEY_BASE="], "generic"),
        (".env", ["API_KEY=<required>"], "generic"),
        (".env", ["TOKEN=xxx"], "generic"),
        (".env", ["DEFAULT_PASSWORD_LENGTH=16"], "generic"),
    ]


# Third held-out set: written after the fixes prompted by the second one; run once, not tuned.
def positives3(fk: Fakes) -> list[tuple[str, list[str], str]]:
    g, pw, hx = fk.generic(), fk.password(), fk.s(32, HEX)
    return [
        (".py", [f'SLACK = {{"token": "{fk.slack_token()}", "channel": "#alerts"}}'], "slack_token"),
        (".py", [f'client = Anthropic(api_key="{fk.anthropic()}")'], "anthropic"),
        (".py", [f'OKTA_API_TOKEN = "00{fk.s(40, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")}"'], "generic"),
        (".py", [f'auth = aiohttp.BasicAuth("svc", "{pw}")'], "generic"),
        (".py", [f'params = {{"apikey": "{hx}"}}'], "generic"),
        (".py", [f'cfg.set("virustotal", "api_key", "{g}")'], "generic"),
        (".py", [f'DD_API_KEY: str = "{hx}"'], "generic"),
        (".py", ["class Acme:", f'    def __init__(self, token: str = "{g}") -> None: ...'], "fallback"),
        (".py", [f'req = urllib.request.Request(url, headers={{"PRIVATE-TOKEN": "{fk.gitlab()}"}})'], "gitlab"),
        (".yml", ["args:", f"  api_token: {g}"], "generic"),
        (".yml", ["expects:", "  secret_key:", "    type: str", f"    default: {g}"], "fallback"),
        (".yml", ["password: >-", f"  {pw.replace('#', '')}"], "generic"),
        (".yml", ["environment:", f"  - POSTGRES_PASSWORD={pw.replace('#', '')}"], "generic"),
        (".yml", [f'webhook: "{fk.slack_webhook()}"'], "slack_webhook"),
        (".md", [f"The CI bot uses `{fk.github()}`."], "github"),
        (".md", ["```python", f'os.environ["OPENAI_API_KEY"] = "{g}"', "```"], "generic"),
        (".md", [f"Use token {g} to log in to staging."], "generic"),
        (".json", [f'{{"api": {{"key": "{g}"}}}}'], "generic"),
        (".json", [f'{{"password": "{pw}", "username": "svc"}}'], "generic"),
        (".json", [f'{{"connectionString": "Server=tcp:sql.acme.io;Database=x;User ID=app;Password={pw.replace(";", "")};"}}'], "generic"),
        (".env", [f'SENDGRID_API_KEY="{fk.sendgrid()}"'], "sendgrid"),
        (".env", [f"REDIS_URL=redis://default:{fk.url_password()}@redis:6379"], "basic_auth_url"),
        (".env", [f"WEBHOOK_SECRET=whsec_{fk.s(32)}"], "stripe"),
        (".env", [f"API_SECRET = '{g}'"], "generic"),
    ]


def negatives3(fk: Fakes) -> list[tuple[str, list[str], str]]:
    return [
        (".py", ['api_key = config.get("acme", "api_key")'], "generic"),
        (".py", ['PASSWORD_RE = re.compile(r"(?=.*[A-Z])(?=.*\\d).{12,}")'], "generic"),
        (".py", ['token = request.headers.get("Authorization", "").removeprefix("Bearer ")'], "generic"),
        (".py", ['SECRET_KEYS = ["ACME_API_KEY", "ACME_SECRET"]'], "generic"),
        (".py", ["TOKENS_PER_MINUTE = 90000"], "generic"),
        (".py", ['payload = {"password": "{{ inputs.password }}"}'], "generic"),
        (".py", ['key = f"{prefix}:{user_id}"'], "generic"),
        (".py", ["api_key = None  # set via secrets"], "generic"),
        (".py", ['authorization_url = "https://github.com/login/oauth/authorize"'], "generic"),
        (".py", ['access_token = response.json()["access_token"]'], "generic"),
        (".py", ['client_secret = "<CLIENT_SECRET>"'], "generic"),
        (".py", ["secret = uuid.uuid4().hex"], "generic"),
        (".py", ['AUTH_HEADERS = ["Authorization", "X-API-Key"]'], "generic"),
        (".py", [f'VERSION_HASH = "{fk.sha()}"'], "generic"),
        (".yml", ["api_key: ${{ SECRETS.virustotal.VIRUSTOTAL_API_KEY }}"], "generic"),
        (".yml", ["token: \"{{ lookup('env', 'ACME_TOKEN') }}\""], "generic"),
        (".yml", ["password_secret_ref: acme-db-password"], "generic"),
        (".yml", ["auth: {type: bearer}"], "generic"),
        (".yml", [f'hash: "$2b$12${fk.s(53)}"'], "generic"),
        (".md", ["Your key will look like `sk-proj-...`."], "openai"),
        (".md", ['export OPENAI_API_KEY="sk-..."'], "openai"),
        (".md", ["Rotated the Slack token (see #1234)."], "slack_token"),
        (".json", [f'{{"integrity": "sha384-{fk.s(64)}"}}'], "generic"),
        (".json", [f'{{"public_key": "{fk.s(43)}="}}'], "generic"),
        (".env", ["ACME_API_KEY=${ACME_API_KEY}"], "generic"),
        (".env", ["SESSION_SECRET=please-change-this"], "generic"),
        (".env", ["PASSWORD_HASH_ROUNDS=12"], "generic"),
    ]
