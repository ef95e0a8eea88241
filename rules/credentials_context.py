"""RL502, RL505: credentials found by the name a literal is bound to (an
assignment, keyword, header, parameter default, YAML key, ``expects``
default, an environment fallback): a secret-looking value in a
credential-named slot. Known formats are ``credentials.py``.

The examples' fake credentials come from ``_credential_examples``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from registry_lint.rule import Invalid, Valid
from registry_lint.rules import _credential_examples as ex

from ._credential_rule import CredentialRule, advice, where

if TYPE_CHECKING:
    from registry_lint.credentials import Finding
    from registry_lint.source import SourceFile


class HardcodedSecret(CredentialRule):
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

        return f"Hardcoded secret in `{finding.name}` ({mask(finding.secret)}); {advice(src)}"


class HardcodedFallback(CredentialRule):
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
        return f"Hardcoded fallback: {what} ({mask(finding.secret)}) is the default of {where(finding, src)}; {advice(src)}"
