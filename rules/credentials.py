"""RL5xx: hardcoded credentials, in every text file of the linted set.

The five rules share one scan per file (``registry_lint.credentials``),
imported inside the hook so ``--version``, ``rules`` and runs without RL5
never load it (nor detect-secrets, whose plugins it reads lazily).

The examples' fake credentials come from ``_credential_examples``, built at
import time from a seeded generator, so no credential-shaped literal lives
in this file (and nobody's secret scanner trips over the linter's own source).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from registry_lint.model import Diagnostic
from registry_lint.rule import Invalid, Rule, Valid
from registry_lint.rules import _credential_examples as ex

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.credentials import Finding
    from registry_lint.extract.python import PythonFile
    from registry_lint.extract.yamlnodes import YamlFile
    from registry_lint.source import SourceFile

class _CredentialRule(Rule):
    sources = ("python", "yaml", "text")

    def check_text(
        self, src: SourceFile, parsed: PythonFile | YamlFile | None, ctx: FileContext
    ) -> Iterable[Diagnostic]:
        from registry_lint.credentials import scan

        for finding in scan(src, parsed):
            if finding.code == self.code:
                yield self.diagnostic(src.span(finding.start, finding.end), self.message(finding, src))

    def message(self, finding: Finding, src: SourceFile) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


def _advice(src: SourceFile) -> str:
    if src.kind == "python":
        return "declare a RegistrySecret and read it with `secrets.get`"
    if src.kind == "yaml":
        return "declare it in `secrets` and use `${{ SECRETS.<name>.<KEY> }}`"
    if src.kind == "typescript":
        return "read it at run time (agent-native: `registerRequiredSecret` + `readAppSecret`) or use a placeholder such as `<API_KEY>`"
    return "keep credentials out of the repository (use a placeholder such as `<API_KEY>`)"


def _where(finding: Finding, src: SourceFile | None = None) -> str:
    name = finding.name or "?"
    if src is not None and src.kind == "typescript" and finding.role == "env-default":
        return f"`{name}`"  # the `??`/`||` operand: `process.env.X`, `config.apiKey`
    return {
        "param-default": f"parameter `{name}`",
        "env-default": f"`getenv(\"{name}\")`",
        "secret-default": f"`secrets.get_or_default(\"{name}\")`",
        "expects-default": f"`expects.{name}.default`",
        "expects-description": f"`expects.{name}` (stated in its description)",
        "or-default": f"`get(\"{name}\") or ...`",
        "shell-default": f"`${{{name}:-...}}`",
    }.get(finding.role or "", f"`{name}`")


class HardcodedToken(_CredentialRule):
    """## What it does
    Reports a string in the format of a known credential: AWS access key IDs,
    GitHub (classic and fine-grained), GitLab, Slack, Stripe (`sk_`/`rk_`
    live and test, `whsec_`), Twilio (`SK...`), SendGrid, OpenAI (`sk-proj-`,
    `sk-`), Anthropic (`sk-ant-`), Google (`AIza`), JSON Web Tokens (signed,
    with a JSON header and payload), Azure storage keys and SAS signatures,
    Discord and Telegram bot tokens, npm, PyPI, Mailchimp, Square, Hugging
    Face, Shopify, Atlassian, Linear, Notion, Postman, DigitalOcean, Grafana,
    Tailscale and age keys. Formats detect-secrets knows are read from its
    plugins; the rest are the linter's own.

    It looks at every text file: code, templates, docs, tests and fixtures.
    Placeholders are not reported: `<OPENAI_API_KEY>`, `${keys.NAME}`,
    `${{ SECRETS.x.Y }}`, `sk-...`, `ghp_xxxxxxxx...`, values with words such
    as `your`, `example`, `dummy`, `fake`, `test`, `REPLACE_ME`, `changeme`,
    repeated or sequential characters, and public documentation samples
    (AWS's `...EXAMPLE` keys, jwt.io's token). A Stripe `sk_test_` key is
    reported: it is a working key for the account's test data. Twilio account
    SIDs (`AC...`) and Stripe publishable keys (`pk_`) are identifiers, not
    secrets, and are not reported.

    The message names the format and shows at most a masked form such as
    `sk-p…9f (48 chars)`; the value is never printed.

    ## Why is this bad?
    Anything committed to a registry repository is readable by everyone who
    can clone it, forever (git history). Tracecat has a secrets manager so
    that actions never carry credentials themselves.

    ## Example
    ```python
    OPENAI_API_KEY = "sk-proj-4fT9…"  # a real key
    ```

    ## Use instead
    ```python
    openai_secret = RegistrySecret(name="openai", keys=["OPENAI_API_KEY"])
    ...
    api_key = secrets.get("OPENAI_API_KEY")
    ```
    Revoke a key that was ever committed. A deliberate fixture can be marked
    with `# pragma: allowlist secret` or `# noqa: RL501` on its line.
    """

    code = "RL501"
    name = "hardcoded-token"
    VALID = (
        Valid('OPENAI_API_KEY = "<OPENAI_API_KEY>"\nGITHUB = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n'),
        Valid('KEY = "sk-..."\nAWS = "AKIAIOSFODNN7' + 'EXAMPLE"\n'),
        Valid(f'TOKEN = "{ex.GITHUB}"  # pragma: allowlist secret\n'),
        Valid(f'TOKEN = "{ex.GITHUB}"  # noqa: RL501\n'),
        Valid("headers:\n  Authorization: Bearer ${{ SECRETS.github.GITHUB_TOKEN }}\n", filename="t.yml"),
        Valid("Set `OPENAI_API_KEY` to your key, e.g. `sk-proj-...`.\n", filename="README.md"),
        Valid("PUBLISHABLE=pk_live_" + ex.fake("", 24) + "\n", filename=".env"),
    )
    INVALID = (
        Invalid(f'OPENAI_API_KEY = "{ex.OPENAI}"\n', line=1, col=19, message="OpenAI API key"),
        Invalid(f"steps:\n  - ref: call\n    args:\n      key: {ex.GOOGLE}\n", filename="t.yml", line=4, col=12),
        Invalid(f"GITHUB_TOKEN={ex.GITHUB}\n", filename=".env", line=1, col=14, message="GitHub token"),
        Invalid(f'{{"config": {{"token": "{ex.GITHUB}"}}}}\n', filename="fixture.json", line=1, col=23),
        Invalid(f"# Usage\n\n```bash\ncurl -H 'Authorization: token {ex.GITHUB}' ...\n```\n", filename="docs.md", line=4, col=31),
    )

    def message(self, finding: Finding, src: SourceFile) -> str:
        from registry_lint.credentials import mask

        return f"Hardcoded {finding.label} ({mask(finding.secret)}); {_advice(src)}"


class HardcodedSecret(_CredentialRule):
    """## What it does
    Reports a secret-looking string assigned or passed to a credential-like
    name: a variable, attribute, keyword argument, dict key or HTTP header
    (`api_key`, `token`, `secret`, `password`, `client_secret`, `private_key`,
    `Authorization`, `X-API-Key`, ...), a YAML key likewise, a `.env`/INI/TOML
    `NAME=value`, a JSON `"name": "value"`, or a comparison (`if token ==
    "..."`).

    It also reads the places people write credentials by hand: Markdown
    inline code after a key name ("Set `DB_PASSWORD` to `...`", "`SMTP_PASSWORD`
    = `...`", "with password `...`"), `export X_PASSWORD=...` lines,
    commented-out assignments in `.env`, YAML, INI, TOML and shell files
    (`# SMTP_PASSWORD=...`), `PGPASSWORD='...' psql`, `curl -u user:'...'`, and
    credential keys under template step `args` and payloads (`bind_password:`).

    "Secret-looking" means: not a placeholder (see RL501), not an
    environment-variable name, identifier, dotted path, URL, file path,
    number, date or phrase of words, and random enough: passwords need 8+
    characters of two character classes; tokens and keys 12+ characters with
    enough entropy. Words of a natural language are not secrets whatever
    their length, in any script: letters only, no digits, written in one
    case style and pronounceable (vowels between consonant clusters, a
    language's letter frequencies), so the translations an app assigns to
    its own `authToken`/`auth` keys (`Authentifizierungstoken`,
    `Authentification`, `認証トークン`) stay quiet; random letters are mixed
    case or spread evenly over the alphabet and do not pass. Stylesheet
    utility classes with a variant or an arbitrary value
    (`token: "max-[1199px]:text-lg"`, `md:text-sm`) are not secrets either. `Bearer <token>` is judged by its token; `Basic <base64>`
    by the decoded password. Names that describe a credential rather than
    hold one (`secret_name`, `token_url`, `api_key_header`, `page_token`,
    `token_type`, `max_tokens`, `public_key`) are not credential-like.
    Publishable keys are made to ship to browsers and are not reported, also
    as `Authorization: Bearer pk_live_...`: `pk_` is the publishable half of
    a `pk_`/`sk_` pair wherever it is used (Stripe, Clerk and Paystack
    `pk_live_`/`pk_test_`, Logo.dev `pk_...`), Mapbox's is `pk.`. A value in
    a URL that is public by design (see RL503) is not reported either.

    Passwords people choose are words, not randomness, so for a password name
    (`password`, `passwd`, `pwd`, `passphrase`, numbered as in `password2` or
    `ADMIN_PASSWORD_2`, joined as in `PGPASSWORD`) or a secret name (`secret`,
    `credentials`) a value is also reported when it mixes what identifiers
    keep apart (weak is not fake: `Welcome1!` is a password, however guessable):

    - letters with a symbol from `!@#$%^&*+?~` and a digit or both cases, from
      7 characters (`Welcome1!`, `Maple#4410river`, `P@ssw0rd1`, `Qwerty123!`);
    - both cases and a digit, from 8 characters, as capitalised words followed
      by a number (`Password123`, `Summer2024`, `BlueHorse42`) or as pieces
      joined by `-`/`_`/`.` in different case styles (`tiger-orbit-519-Qxzv`;
      a naming convention keeps one style, so `Acme-Prod-2` is a name);
    - for password names only, one lowercase word of 4+ letters and 2-4 digits
      (`walnut1984`), unless it is a throwaway default (`password123`,
      `admin123`, `postgres14`).

    Never: a lone dictionary word in any case (`password`, `Password`,
    `secret`), a word asking to be replaced (`changeme`, `Changeme1!`,
    `YourPassword1!`, `TestPass#1`), a throwaway default in lower case with
    digits and a trailing symbol (`password1234!`, `admin123!`: Tracecat's own
    dev and smoke-test accounts use `password1234`; `Password123` and
    `P@ssw0rd1` are chosen), a value of one repeated character or a
    short period (`Aaaaaaa1!`), whitespace, `=`, a leading symbol (YAML tags,
    globs, anchors, references), e-mail addresses, camel-case identifiers with
    digits inside (`apiKeyV2`, `Ec2Instance`), all-lowercase kebab names (also
    four-word passphrases such as `correct-horse-battery-staple`, which look
    exactly like resource names and stay quiet), over 64 characters. Words
    that only name the credential (`Password123`, `Admin@123`) do not make a
    value a placeholder the way `your`, `example` or `test` do.

    `TEST_` before a password name names the test environment's account
    (`TEST_LDAP_BIND_PASSWORD = "..."` is reported: someone chose it and it
    logs in somewhere); `mock_`, `fake_`, `dummy_`, `wrong_`, `invalid_`
    say the value was made up and are not.

    ## Why is this bad?
    A hardcoded password or API key is shared with everybody who can read the
    repository and cannot be rotated without a commit.

    ## Example
    ```python
    headers = {"X-API-Key": "9f3b2c…"}  # a real key
    ```
    ```yaml
    args:
      headers:
        Authorization: Bearer 9f3b2c…  # a real token
    ```

    ## Use instead
    ```python
    headers = {"X-API-Key": secrets.get("ACME_API_KEY")}
    ```
    ```yaml
    Authorization: Bearer ${{ SECRETS.acme.ACME_API_KEY }}
    ```
    """

    code = "RL502"
    name = "hardcoded-secret"
    VALID = (
        Valid('password = "changeme"\napi_key = "your-api-key"\ntoken = "REPLACE_ME"\n'),
        Valid(f'password2 = "Password"\nTEST_LDAP_BIND_PASSWORD = "changeme"\nmock_password = "{ex.CHOSEN}"\n'),
        Valid('monkeypatch.setenv("SMTP_PASSWORD", "<smtp-password>")\n'),
        Valid('headers = {"Authorization": "Bearer pk_live_' + ex.fake("", 24) + '"}\n'),
        Valid("steps:\n  - ref: bind\n    args:\n      bind_password: ${{ SECRETS.ldap.LDAP_BIND_PASSWORD }}\n", filename="t.yml"),
        Valid("# bind_password: ${{ SECRETS.ldap.LDAP_BIND_PASSWORD }}\nx: 1\n", filename="t.yml"),
        Valid("Set `DB_PASSWORD` to `<your-password>`; `SMTP_PASSWORD` must be set.\n", filename="README.md"),
        Valid("# SMTP_PASSWORD=<smtp-password>\n# LDAP_BIND_PASSWORD=changeme\n", filename=".env"),
        Valid('export SMTP_PASSWORD="${SMTP_PASSWORD:?required}"\n', filename="deploy.sh"),
        Valid('API_KEY_ENV = "OPENAI_API_KEY"\ntoken_type = "Bearer"\nsecret_name = "acme_prod"\n'),
        Valid('api_key = os.environ["ACME_API_KEY"]\npage_token = "CAESGgoYCNqvr4WOxPUCEgt0cmFjZWNhdA"\n'),
        Valid('headers = {"Authorization": f"Bearer {token}", "X-API-Key": "${keys.ACME}"}\n'),
        Valid("args:\n  password: ${{ SECRETS.db.PASSWORD }}\n  token: ${{ inputs.token }}\n", filename="t.yml"),
        Valid('{"api_key": "<API_KEY>", "password": "xxxxxxxx", "token": "..."}\n', filename="f.json"),
        Valid("ACME_API_KEY=\nACME_PASSWORD=your-password-here\n", filename=".env"),
        Valid('DE = {"auth": "Authentifizierung", "authToken": "Authentifizierungstoken"}\n'
              'FR = {"auth": "Authentification"}\nCLASSES = [{"token": "max-[1199px]:text-lg"}]\n'),
        Valid('LOGO_DEV_TOKEN = "pk_' + ex.fake("", 24) + '"\n'),
    )
    INVALID = (
        Invalid(f'password = "{ex.PASSWORD}"\n', line=1, col=13, message="`password`"),
        Invalid(f'headers = {{"X-API-Key": "{ex.HEX}"}}\n', line=1, col=26),
        Invalid(f'client = Client(api_key="{ex.TOKEN}")\n', line=1, col=26),
        Invalid(f"args:\n  headers:\n    Authorization: Bearer {ex.TOKEN}\n", filename="t.yml", line=3, col=27),
        Invalid(f"ACME_API_KEY={ex.HEX}\n", filename=".env", line=1, col=14),
        Invalid(f'{{"client_secret": "{ex.TOKEN}"}}\n', filename="fixture.json", line=1, col=20),
        Invalid(f"Example:\n\n```python\nclient = Acme(token=\"{ex.TOKEN}\")\n```\n", filename="README.md", line=4, col=22),
        Invalid(f'password2 = "{ex.SEASON}"\n', line=1, col=14, message="`password2`"),
        Invalid(f'TEST_LDAP_BIND_PASSWORD = "{ex.CHOSEN}"\n', line=1, col=28),
        Invalid(f'monkeypatch.setenv("SMTP_PASSWORD", "{ex.SEASON}")\n', line=1, col=38, message="`SMTP_PASSWORD`"),
        Invalid(f"steps:\n  - ref: bind\n    args:\n      bind_password: {ex.CHOSEN}\n", filename="t.yml", line=4, col=22),
        Invalid(f"# bind_password: {ex.SEASON}\nx: 1\n", filename="t.yml", line=1, col=18),
        Invalid(f"Set `DB_PASSWORD` to `{ex.CHOSEN}` first.\n", filename="README.md", line=1, col=23),
        Invalid(f"Log in as `admin` with password `{ex.SEASON}`.\n", filename="README.md", line=1, col=34),
        Invalid(f"# SMTP_PASSWORD={ex.CHOSEN}\n", filename=".env", line=1, col=17),
        Invalid(f"export SMTP_PASSWORD='{ex.SEASON}'\n", filename="deploy.sh", line=1, col=23),
    )

    def message(self, finding: Finding, src: SourceFile) -> str:
        from registry_lint.credentials import mask

        return f"Hardcoded secret in `{finding.name}` ({mask(finding.secret)}); {_advice(src)}"


class CredentialInUrl(_CredentialRule):
    """## What it does
    Reports a URL with a password in its userinfo (`https://user:pass@host`),
    a random-looking value in a credential query parameter (`?api_key=`,
    `&token=`, `&client_secret=`, ...), and webhook URLs whose path or
    query is the secret: Slack
    (`hooks.slack.com`), Discord (`/api/webhooks/`), Microsoft Teams
    (`webhook.office.com`, Power Automate `...?sig=`) and Google Chat
    (`?key=...&token=...`); and alerting and automation hooks whose path
    carries the integration key, so that whoever holds the URL can page or
    trigger: PagerDuty (`events.pagerduty.com/integration/<key>/enqueue`, as
    CloudWatch/SNS subscriptions use it), Zapier catch hooks
    (`hooks.zapier.com/hooks/catch/<account>/<hook>/`), IFTTT
    (`maker.ifttt.com/trigger/<event>/with/key/<key>`), Splunk On-Call
    (`alert.victorops.com/integrations/.../alert/<api key>/<routing key>`)
    and Grafana OnCall (`<stack>.grafana.net/oncall/integrations/v1/<type>/<token>/`).
    Datadog's intake `?dd-api-key=` counts as a credential query parameter.

    Not reported: placeholders in the password (`user:password@`,
    `:${DB_PASSWORD}@`, `:<password>@`), a password equal to the user name
    (`postgres:postgres@`, a local default), well-known defaults, and
    placeholder webhook paths (`T00000000/B00000000/XXXXXXXX...`,
    `/integration/<INTEGRATION_KEY>/enqueue`, `/integration/${{ SECRETS.pd.KEY }}/enqueue`,
    Zapier's documentation sample `catch/123456/abcdef/`). PagerDuty Events
    v2's `/v2/enqueue` carries its routing key in the body (a `routing_key`
    there is RL502). A Sentry DSN (`https://<key>@o1.ingest.sentry.io/2`) has
    no password: its key is public by design. The message names only the
    host.

    URLs to hosts reserved for documentation and testing (RFC 2606, RFC 6761:
    `example.com`, `example.net`, `example.org` and their subdomains, names
    under `.example`, `.test`, `.invalid` and `.localhost`, `localhost`,
    `127.x.x.x`) are not reported: they reach no shared service, so their
    query values and passwords open nothing (`https://api.example.com/?token=...`
    in a doc or test, `postgres://app:...@localhost/app` in a local setup).
    A known token format (RL501) in such a URL is still reported: a real key
    pasted into a sample is a real key.

    Query parameters public by design are not reported, by host, path and
    name (`PUBLIC_PARAMS` in `credentials/public.py`, each with its vendor's
    words):

    - Builder.io's `apiKey` on `builder.io` hosts: Builder's Public API Key,
      which its documentation calls "public, meaning that you don't have to
      keep it private ... no inherent security risks in it being publicly
      viewable, for example, on GitHub" (builder.io/c/docs/using-your-api-key),
      meant for client code like a Stripe publishable key. A Private API Key
      (`bpk-...`) in that parameter is still reported.
    - The media `token` of published asset URLs on `cdn.builder.io`
      (`/o/assets...`, `/api/v1/image/assets...`, `/api/v1/file/assets...`):
      the asset library hands these URLs out for embedding, and the Image API
      serves the same files without any token, so the token opens nothing
      that is not public already.

    A value is treated as public only where every occurrence of it on the
    line is inside such a URL: the same value also assigned to `api_token`
    elsewhere on the line is reported.

    ## Why is this bad?
    Anyone holding a webhook URL can post into the channel; anyone holding a
    URL with a password can log in. Both are credentials.

    ## Example
    ```yaml
    args:
      url: https://hooks.slack.com/services/T0…/B0…/Xk…  # a real webhook
    ```

    ## Use instead
    ```yaml
    secrets:
      - name: slack
        keys: [SLACK_WEBHOOK_URL]
    ...
      url: ${{ SECRETS.slack.SLACK_WEBHOOK_URL }}
    ```
    """

    code = "RL503"
    name = "credential-in-url"
    VALID = (
        Valid('DB = "postgresql://postgres:postgres@localhost:5432/app"\nURL = "https://user:${PASSWORD}@host/x"\n'),
        Valid('HOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"\n'),
        Valid("args:\n  url: ${{ SECRETS.slack.SLACK_WEBHOOK_URL }}\n", filename="t.yml"),
        Valid("Connect with `postgres://user:password@host/db`.\n", filename="README.md"),
        Valid("args:\n  url: https://events.pagerduty.com/integration/${{ SECRETS.pagerduty.KEY }}/enqueue\n", filename="t.yml"),
        Valid('URL = f"https://events.pagerduty.com/integration/{key}/enqueue"\nV2 = "https://events.pagerduty.com/v2/enqueue"\n'),
        Valid("Zapier hooks look like `https://hooks.zapier.com/hooks/catch/123456/abcdef/`.\n", filename="README.md"),
        Valid(f"SENTRY_DSN=https://{ex.PD_KEY}@o4{ex.fake('', 5, ex.DIGITS)}.ingest.sentry.io/4{ex.fake('', 6, ex.DIGITS)}\n", filename=".env"),
        Valid(f'<video src="{ex.BUILDER_ASSET}" />\n', filename="page.mdx"),
        Valid(f"curl 'https://api.example.com/v1/items?token={ex.TOKEN}'\n"
              f"DATABASE_URL=postgres://app:{ex.PASSWORD}@localhost:5432/app\n", filename="README.md"),
    )
    INVALID = (
        Invalid(f'WEBHOOK = "{ex.SLACK_HOOK}"\n', line=1, col=12, message="hooks.slack.com"),
        Invalid(f"args:\n  url: {ex.SLACK_HOOK}\n", filename="t.yml", line=2, col=8),
        Invalid(f"DATABASE_URL=postgres://app:{ex.PASSWORD}@db.internal:5432/app\n", filename=".env", line=1, col=14, message="db.internal"),
        Invalid(f"url: https://api.acme.io/v1/export?format=csv&api_key={ex.HEX}\n", filename="t.yml", line=1, col=55, message="`api_key` query parameter"),
        Invalid(f"args:\n  url: https://events.pagerduty.com/integration/{ex.PD_KEY}/enqueue\n", filename="t.yml", line=2, col=8,
                message="PagerDuty integration URL (host `events.pagerduty.com`)"),
        Invalid(f'requests.post("{ex.ZAPIER}", json=event)\n', line=1, col=16, message="Zapier webhook URL"),
    )

    def message(self, finding: Finding, src: SourceFile) -> str:
        from registry_lint.credentials import url_host

        host = url_host(src.text[finding.start : finding.end])
        if finding.kind == "url-query-secret":
            match = re.search(r"[?&]([\w-]+)=$", src.text[max(0, finding.start - 80) : finding.start])
            param = match.group(1) if match else "?"
            return f"Credential in the `{param}` query parameter ({len(finding.secret)} chars); {_advice(src)}"
        if finding.kind == "basic-auth-url":
            return f"URL to `{host}` has a password in its userinfo ({len(finding.secret)} chars); {_advice(src)}"
        return f"{finding.label} (host `{host}`) carries its secret in the URL; {_advice(src)}"


class PrivateKey(_CredentialRule):
    """## What it does
    Reports a PEM or OpenSSH private key block (`-----BEGIN ... PRIVATE
    KEY-----` through `-----END ... PRIVATE KEY-----`, also inside string
    literals with `\\n` escapes and concatenations), a PuTTY private key, and
    a base64-encoded PEM private key (`LS0tLS1CRUdJTi...`). A block whose
    body is a placeholder (`...`, `<your key>`) is not reported; neither are
    public keys and certificates.

    ## Why is this bad?
    A private key in a repository is compromised: every clone has it.

    ## Example
    ```python
    KEY = \"\"\"-----BEGIN OPENSSH PRIVATE KEY-----
    b3BlbnNzaC1rZXktdjEAAAAA…
    -----END OPENSSH PRIVATE KEY-----\"\"\"
    ```

    ## Use instead
    An `ssh_key` secret: `RegistrySecret(name="ssh", keys=["PRIVATE_KEY"],
    secret_type="ssh_key")` and `secrets.get("PRIVATE_KEY")`.
    """

    code = "RL504"
    name = "private-key"
    VALID = (
        Valid('MSG = "The key must start with -----BEGIN OPENSSH PRIVATE KEY-----"\n'),
        Valid('KEY = "-----BEGIN RSA PRIVATE KEY-----\\n...\\n-----END RSA PRIVATE KEY-----"\n'),
        Valid("key: |\n  -----BEGIN PRIVATE KEY-----\n  <paste your key here>\n  -----END PRIVATE KEY-----\n", filename="t.yml"),
    )
    INVALID = (
        Invalid(f'KEY = """{ex.PEM}"""\n', line=1, col=10),
        Invalid(f"ssh:\n  key: |\n    {ex.pem_in('    ')}\n", filename="t.yml", line=3, col=5),
        Invalid(f"```\n{ex.PEM}\n```\n", filename="notes.md", line=2, col=1, message="Private key block"),
    )

    def message(self, finding: Finding, src: SourceFile) -> str:
        lines = src.text.count("\n", finding.start, finding.end) + 1
        return f"{finding.label[0].upper()}{finding.label[1:]} block ({lines} lines); {_advice(src)}"


class HardcodedFallback(_CredentialRule):
    """## What it does
    Reports a literal credential used as a default: the default of a
    credential-like parameter (`def f(api_key: str = "...")`, also
    `Field(default="...")`), `secrets.get_or_default("K", "literal")` and
    `os.getenv("K", "literal")` / `os.environ.get("K", "literal")` for a
    credential-like `K`, a fallback after a lookup (`secrets.get("K") or
    "literal"`, `os.getenv("K") or ...`, `config.get("K") or ...`), the
    default of a shell, `.env` or Compose expansion (`${DB_PASSWORD:-literal}`),
    a YAML `expects.<x>.default` of a credential-like input, and a default
    that input's `description` states ("Defaults to ... when unset",
    "Default: `...`"). A known credential format (RL501) in any of these
    places is reported here instead, naming the format. The value is judged
    as in RL502, passwords people choose included.

    Empty strings, `None`, names (`or DEFAULT_PASSWORD`), placeholders, a
    description that names a secret instead of a value ("Defaults to the
    `LDAP_BIND_PASSWORD` secret"), `${X:-}` and `${X:?message}` are fine.

    ## Why is this bad?
    The fallback is used whenever the real secret is missing, so one person's
    key silently serves every user of the registry, and it is committed.

    ## Example
    ```python
    api_key = secrets.get_or_default("ACME_API_KEY", "9f3b2c…")  # a real key
    ```

    ## Use instead
    ```python
    api_key = secrets.get("ACME_API_KEY")
    ```
    """

    code = "RL505"
    name = "hardcoded-fallback"
    VALID = (
        Valid('async def f(api_key: str = "") -> str: ...\nTOKEN = os.getenv("ACME_TOKEN", "")\n'),
        Valid('k = secrets.get_or_default("ACME_API_KEY", None)\nr = secrets.get_or_default("REGION", "us-east-1")\n'),
        Valid("definition:\n  expects:\n    api_key:\n      type: str\n      default: null\n", filename="t.yml"),
        Valid('def f(token: str = "<TOKEN>", page_token: str = "CAESGgoYCNqvr4WOxPUCEgt0cmFjZWNhdA"): ...\n'),
        Valid('p = secrets.get("DB_PASSWORD") or ""\nq = os.getenv("DB_PASSWORD") or DEFAULT_PASSWORD\n'
              'r = secrets.get("ACME_REGION") or "us-east-1"\n'),
        Valid("DB_PASSWORD=${DB_PASSWORD:-}\nSMTP_PASSWORD=${SMTP_PASSWORD:?required}\n", filename=".env"),
        Valid("definition:\n  expects:\n    bind_password:\n      type: str\n"
              "      description: Defaults to the `LDAP_BIND_PASSWORD` secret when unset.\n", filename="t.yml"),
        Valid('export const PASSWORD =\n  process.env.SMOKE_PASSWORD ?? "pass' + 'word1234!";\n', filename="auth.ts"),
    )
    INVALID = (
        Invalid(f'async def f(api_key: str = "{ex.TOKEN}") -> str: ...\n', line=1, col=29, message="parameter `api_key`"),
        Invalid(f'k = secrets.get_or_default("ACME_API_KEY", "{ex.HEX}")\n', line=1, col=45),
        Invalid(f'k = os.getenv("OPENAI_API_KEY", "{ex.OPENAI}")\n', line=1, col=34, message="OpenAI API key"),
        Invalid(
            f"type: action\ndefinition:\n  expects:\n    api_token:\n      type: str\n      default: {ex.TOKEN}\n",
            filename="t.yml", line=6, col=16, message="expects.api_token.default",
        ),
        Invalid(f'password = secrets.get("DB_PASSWORD") or "{ex.SEASON}"\n', line=1, col=43,
                message='`get("DB_PASSWORD") or ...`'),
        Invalid(f'pw = os.environ.get("SMTP_PASSWORD", "{ex.CHOSEN}")\n', line=1, col=39),
        Invalid(f"DB_PASSWORD=${{DB_PASSWORD:-{ex.CHOSEN}}}\n", filename=".env", line=1, col=28, message="`${DB_PASSWORD:-...}`"),
        Invalid(
            "definition:\n  expects:\n    smtp_password:\n      type: str\n"
            f"      description: Relay password. Defaults to {ex.SEASON} when unset.\n",
            filename="t.yml", line=5, col=48, message="`expects.smtp_password` (stated in its description)",
        ),
    )

    def message(self, finding: Finding, src: SourceFile) -> str:
        from registry_lint.credentials import mask

        what = finding.label if finding.kind != "hardcoded-fallback" else "literal credential"
        return f"Hardcoded fallback: {what} ({mask(finding.secret)}) is the default of {_where(finding, src)}; {_advice(src)}"
