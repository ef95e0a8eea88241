"""Seeded generators of FAKE credentials (random strings in the right shape) and
of the hard negatives a scanner must not report.

Nothing here is a real credential: every value is drawn from a seeded RNG in
the documented shape of its format (prefix, length, alphabet, structure).
The few fixed strings are public documentation samples used as negatives.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid
from urllib.parse import quote

B62 = string.ascii_letters + string.digits
B64 = B62 + "+/"
B64URL = B62 + "-_"
HEX = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"
SYMBOLS = "!#%&*+-.:=?@^_~"
# Words people build passwords from (holdout-4).
WORDS = ("maple", "river", "tiger", "orbit", "falcon", "copper", "harbor", "willow", "cobalt", "summit",
         "ember", "juniper", "lantern", "meadow", "pepper", "quartz", "raven", "saddle", "timber", "velvet",
         "walnut", "canyon", "dolphin", "garnet", "hazel", "jasper", "kestrel", "marble", "otter", "pebble",
         "sparrow", "thunder", "violet", "badger", "cactus", "glacier", "honey", "island", "mango", "nutmeg",
         "panther", "rocket", "silver", "tulip", "yellow", "sunshine", "dragon", "monkey", "football", "shadow")
SEASONS = ("Spring", "Summer", "Autumn", "Fall", "Winter")
MONTHS = ("January", "March", "April", "June", "July", "August", "October", "November", "December")
NAMES = ("jessica", "michael", "daniel", "sophie", "oliver", "natalie", "marcus", "elena", "brandon", "chloe")
# Weak passwords people really pick (not placeholders: nobody types these to mean "fill me in").
CLASSIC_PASSWORDS = ("Welcome1!", "Password123", "P@ssw0rd1", "Summer2024!", "Qwerty123!", "Passw0rd!",
                     "Welcome@2024", "Admin@123", "Winter2023#", "Company123!", "Letmein!23", "Spring2025!")
PW_SYMBOLS = "!@#%&*?+"
LEET = str.maketrans({"a": "@", "o": "0", "e": "3", "i": "1", "s": "5"})


class Fakes:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    # primitives -------------------------------------------------------------------
    def s(self, n: int, alphabet: str = B62) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def digits(self, n: int) -> str:
        return str(self.r.randint(1, 9)) + self.s(n - 1, string.digits)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def pick(self, items):
        return self.r.choice(items)

    def password(self) -> str:
        n = self.r.randint(12, 22)
        chars = [self.r.choice(string.ascii_lowercase), self.r.choice(string.ascii_uppercase),
                 self.r.choice(string.digits), self.r.choice(SYMBOLS)]
        chars += [self.r.choice(B62 + SYMBOLS) for _ in range(n - 4)]
        self.r.shuffle(chars)
        return "".join(chars)

    def url_password(self) -> str:
        return self.s(self.r.randint(12, 24), B62 + "-_.~")

    # positives by kind ----------------------------------------------------------------
    def aws(self) -> str:
        return self.pick(["AKIA", "ASIA"]) + self.s(16, B32)

    def aws_secret(self) -> str:
        return self.s(40, B64)

    def github(self) -> str:
        if self.r.random() < 0.5:
            return self.pick(["ghp_", "gho_", "ghs_", "ghu_"]) + self.s(36)
        return "github_pat_" + self.s(22) + "_" + self.s(59)

    def gitlab(self) -> str:
        return self.pick(["glpat-", "glpat-", "gldt-", "glrt-"]) + self.s(20, B62 + "_-")

    def slack_token(self) -> str:
        if self.r.random() < 0.6:
            return f"xoxb-{self.digits(12)}-{self.digits(13)}-{self.s(24)}"
        return f"xoxp-{self.digits(12)}-{self.digits(12)}-{self.digits(13)}-{self.s(32, HEX)}"

    def slack_webhook(self) -> str:
        up = string.ascii_uppercase + string.digits
        return f"https://hooks.slack.com/services/T{self.s(10, up)}/B{self.s(10, up)}/{self.s(24)}"

    def discord_webhook(self) -> str:
        host = self.pick(["discord.com", "discordapp.com", "canary.discord.com"])
        return f"https://{host}/api/webhooks/{self.digits(19)}/{self.s(68, B64URL)}"

    def teams_webhook(self) -> str:
        if self.r.random() < 0.6:
            tenant = self.pick(["acmecorp", "contoso", "initech", "globex"])
            return (f"https://{tenant}.webhook.office.com/webhookb2/{self.uuid()}@{self.uuid()}"
                    f"/IncomingWebhook/{self.s(32, HEX)}/{self.uuid()}/{self.s(44, B62 + '-_')}")
        return (f"https://prod-{self.r.randint(10, 99)}.westus.logic.azure.com:443/workflows/{self.s(32, HEX)}"
                f"/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0"
                f"&sig={self.s(43, B62 + '-_')}")

    def discord_bot(self) -> str:
        ident = base64.b64encode(self.digits(18).encode()).decode().rstrip("=")
        return f"{ident}.{self.s(6, B64URL)}.{self.s(self.pick([27, 38]), B64URL)}"

    def stripe(self) -> str:
        kind = self.pick(["sk_live_", "rk_live_", "sk_test_", "sk_live_"])
        if self.r.random() < 0.15:
            return "whsec_" + self.s(32)
        return kind + self.s(self.pick([24, 99]))

    def twilio(self) -> str:
        return "SK" + self.s(32, HEX)

    def sendgrid(self) -> str:
        return f"SG.{self.s(22, B64URL)}.{self.s(43, B64URL)}"

    def openai(self) -> str:
        roll = self.r.random()
        if roll < 0.5:
            return "sk-proj-" + self.s(156, B64URL)
        if roll < 0.7:
            return "sk-svcacct-" + self.s(120, B64URL)
        if roll < 0.85:
            return "sk-" + self.s(20) + "T3BlbkFJ" + self.s(20)
        return "sk-" + self.s(48)

    def anthropic(self) -> str:
        return "sk-ant-api03-" + self.s(93, B64URL) + "AA"

    def google(self) -> str:
        return "AIza" + self.s(35, B64URL)

    def jwt(self) -> str:
        alg = self.pick(["HS256", "RS256", "ES256"])
        header = {"alg": alg, "typ": "JWT"}
        if alg != "HS256":
            header["kid"] = self.s(16, HEX)
        payload = {"sub": self.uuid(), "iss": self.pick(["https://auth.acme.io", "https://login.contoso.com"]),
                   "iat": self.r.randint(1_600_000_000, 1_800_000_000), "scope": self.pick(["read", "read write", "admin"])}
        payload["exp"] = payload["iat"] + 3600
        enc = lambda d: base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).decode().rstrip("=")
        sig = self.s({"HS256": 43, "RS256": 342, "ES256": 86}[alg], B64URL)
        return f"{enc(header)}.{enc(payload)}.{sig}"

    def azure_storage(self) -> str:
        account = self.pick(["acmelogs", "contosodata", "secopsarchive"])
        if self.r.random() < 0.6:
            return (f"DefaultEndpointsProtocol=https;AccountName={account};"
                    f"AccountKey={self.s(86, B64)}==;EndpointSuffix=core.windows.net")
        sig = quote(self.s(43, B64) + "=", safe="")
        return (f"https://{account}.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl"
                f"&se=2026-01-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig={sig}")

    def telegram(self) -> str:
        return f"{self.digits(self.pick([9, 10]))}:AA{self.s(33, B64URL)}"

    def npm(self) -> str:
        return "npm_" + self.s(36)

    def huggingface(self) -> str:
        return "hf_" + self.s(34, string.ascii_letters)

    def basic_auth_url(self) -> str:
        user = self.pick(["app", "svc_tracecat", "admin", "etl", "reader", "deploy"])
        pw = self.url_password()
        return self.pick([
            f"postgresql://{user}:{pw}@db.internal.acme.io:5432/tracecat",
            f"mysql://{user}:{pw}@10.0.3.17:3306/cases",
            f"redis://:{pw}@cache.prod.acme.io:6379/0",
            f"amqp://{user}:{pw}@mq.acme.io:5672/%2F",
            f"https://{user}:{pw}@artifacts.acme.io/simple/",
            f"mongodb+srv://{user}:{pw}@cluster0.ab1cd.mongodb.net/?retryWrites=true",
        ])

    def private_key(self) -> list[str]:
        kind = self.pick(["RSA ", "", "OPENSSH ", "EC "])
        n = {"RSA ": 25, "": 26, "OPENSSH ": 27, "EC ": 4}[kind]
        lead = {"RSA ": "MIIEpAIBAAKCAQEA", "": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
                "OPENSSH ": "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB", "EC ": "MHcCAQEEI"}[kind]
        width = 70 if kind == "OPENSSH " else 64
        body = lead + self.s(width * n - len(lead), B64)
        lines = [body[i : i + width] for i in range(0, len(body), width)]
        return [f"-----BEGIN {kind}PRIVATE KEY-----", *lines, f"-----END {kind}PRIVATE KEY-----"]

    # generic secrets (found only by context) ---------------------------------------------
    def generic(self) -> str:
        return self.pick([
            self.s(32, HEX), self.s(40, HEX), self.s(40), self.s(self.r.randint(24, 48), B62),
            self.uuid(), self.s(34, B62 + "~._-"), self.s(64, HEX), self.s(43, B64URL),
        ])

    # holdout-4: passwords people choose, and URLs whose path carries the secret ---------------
    def human_password(self) -> str:
        """A password a person would choose: words, years, a symbol, some leetspeak.

        Weighted by how often such shapes show up in leaked and audited configs (the
        classic list and season+year most, passphrases least).
        """
        cap = str.capitalize
        w = lambda: self.pick(WORDS)
        pattern = self.r.choices(
            ["classic", "season", "word_digit_sym", "word_sym_digits_word", "diceware", "two_words",
             "leet", "name_year", "lower_digits", "passphrase"],
            weights=[2, 2, 2, 1, 1, 1, 1, 1, 1, 0.5],
        )[0]
        sym = self.pick(PW_SYMBOLS)
        if pattern == "classic":
            return self.pick(CLASSIC_PASSWORDS)
        if pattern == "season":
            return f"{self.pick(SEASONS + MONTHS)}{self.r.randint(2018, 2026)}{sym}"
        if pattern == "word_digit_sym":
            return f"{cap(w())}{self.r.randint(1, 999)}{sym}"
        if pattern == "word_sym_digits_word":
            first = w()
            return f"{cap(first) if self.r.random() < 0.5 else first}{sym}{self.digits(4)}{w()}"
        if pattern == "diceware":
            return f"{w()}-{w()}-{self.digits(3)}-{cap(self.s(4, string.ascii_lowercase))}"
        if pattern == "two_words":
            return f"{cap(w())}{cap(w())}{self.r.randint(10, 99)}"
        if pattern == "leet":
            return f"{cap(w()).translate(LEET)}{self.r.randint(1, 99)}{sym}"
        if pattern == "name_year":
            return f"{cap(self.pick(NAMES))}{self.r.randint(1960, 2005)}"
        if pattern == "lower_digits":
            return f"{w()}{self.r.randint(10, 9999)}"
        return "-".join(self.pick(WORDS) for _ in range(4))

    def pagerduty_url(self) -> str:
        host = self.pick(["events.pagerduty.com", "events.pagerduty.com", "events.eu.pagerduty.com"])
        return f"https://{host}/integration/{self.s(32, HEX)}/enqueue"

    def zapier_hook(self) -> str:
        return f"https://hooks.zapier.com/hooks/catch/{self.digits(self.pick([7, 8]))}/{self.s(7, string.ascii_lowercase + string.digits)}/"

    def ifttt_url(self) -> str:
        event = self.pick(["alert", "door_open", "tracecat_case", "backup_failed"])
        return f"https://maker.ifttt.com/trigger/{event}/with/key/{self.s(22, B64URL)}"

    def victorops_url(self) -> str:
        route = self.pick(["secops", "platform", "database"])
        return f"https://alert.victorops.com/integrations/generic/20131114/alert/{self.uuid()}/{route}"

    def datadog_intake_url(self) -> str:
        return f"https://http-intake.logs.datadoghq.com/api/v2/logs?dd-api-key={self.s(32, HEX)}&ddsource=tracecat"

    def grafana_oncall_url(self) -> str:
        return f"https://oncall-prod-us-central-0.grafana.net/oncall/integrations/v1/alertmanager/{self.s(25)}/"

    def integration_url(self) -> str:
        return self.pick([self.pagerduty_url, self.pagerduty_url, self.zapier_hook, self.ifttt_url,
                          self.victorops_url, self.datadog_intake_url, self.grafana_oncall_url])()

    def publishable_key(self) -> str:
        return "pk_live_" + self.s(self.pick([24, 99]))

    def sentry_dsn(self) -> str:
        return f"https://{self.s(32, HEX)}@o{self.digits(6)}.ingest.sentry.io/{self.digits(7)}"

    # negatives -----------------------------------------------------------------------------
    def sha(self) -> str:
        return hashlib.sha1(self.s(20).encode()).hexdigest()

    def sha256(self) -> str:
        return hashlib.sha256(self.s(20).encode()).hexdigest()

    def md5(self) -> str:
        return hashlib.md5(self.s(20).encode()).hexdigest()  # a fixture, not security

    def b64_text(self) -> str:
        text = self.pick([
            "The quick brown fox jumps over the lazy dog while the incident is triaged.",
            '{"event": "login", "user": "alice@acme.io", "result": "success"}',
            "Suspicious PowerShell execution detected on host WS-0231 by EDR policy 7.",
            "Content-Type: text/plain; charset=utf-8\r\n\r\nQuarterly report attached.",
        ])
        return base64.b64encode(text.encode()).decode()

    def ssh_public_key(self) -> str:
        return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + self.s(43, B64) + " deploy@acme"

    def certificate(self) -> list[str]:
        body = "MIIDdzCCAl+gAwIBAgIE" + self.s(64 * 12, B64)
        return ["-----BEGIN CERTIFICATE-----", *[body[i : i + 64] for i in range(0, len(body), 64)], "-----END CERTIFICATE-----"]

    def long_url(self) -> str:
        return self.pick([
            f"https://github.com/TracecatHQ/tracecat/blob/{self.sha()}/packages/tracecat-registry/README.md",
            f"https://docs.google.com/spreadsheets/d/1{self.s(43, B64URL)}/edit#gid=0",
            f"https://acme-exports.s3.us-east-1.amazonaws.com/reports/{self.uuid()}/summary.csv",
            f"https://api.acme.io/v2/alerts?page_token={self.s(48, B64URL)}&limit=100",
            f"https://login.microsoftonline.com/{self.uuid()}/oauth2/v2.0/token",
            f"https://www.virustotal.com/gui/file/{self.sha256()}/detection",
        ])

    def random_id(self) -> str:
        return self.pick([self.s(24, HEX), self.s(20, B62), f"INC{self.digits(9)}", self.s(18, string.digits)])
