"""RL501, RL503, RL504: hardcoded credentials of a known format, in URLs and
private keys, in every text file of the linted set (credentials found by the
name they are bound to are ``credentials_context.py``).

The five rules share one scan per file (``registry_lint.credentials``),
imported inside the hook so ``--version``, ``rules`` and runs without RL5
never load it (nor detect-secrets, whose plugins it reads lazily).

The examples' fake credentials come from ``_credential_examples``, built at
import time from a seeded generator, so no credential-shaped literal lives
in this file (and nobody's secret scanner trips over the linter's own source).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from registry_lint.rule import Invalid, Valid
from registry_lint.rules import _credential_examples as ex

from ._credential_rule import CredentialRule, advice

if TYPE_CHECKING:
    from registry_lint.credentials import Finding
    from registry_lint.source import SourceFile


class HardcodedToken(CredentialRule):
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

        return f"Hardcoded {finding.label} ({mask(finding.secret)}); {advice(src)}"


class CredentialInUrl(CredentialRule):
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
            return f"Credential in the `{param}` query parameter ({len(finding.secret)} chars); {advice(src)}"
        if finding.kind == "basic-auth-url":
            return f"URL to `{host}` has a password in its userinfo ({len(finding.secret)} chars); {advice(src)}"
        return f"{finding.label} (host `{host}`) carries its secret in the URL; {advice(src)}"


class PrivateKey(CredentialRule):
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
        return f"{finding.label[0].upper()}{finding.label[1:]} block ({lines} lines); {advice(src)}"


