"""The fake credentials of the RL5xx rules' examples (``rules/credentials.py``).

They are built at import time from a seeded generator, so no credential-shaped literal
lives in the rule module or here (and nobody's secret scanner trips over the linter's own
source). Each value is drawn in a fixed order: a new one goes after the others, so that
those stay the same.
"""

from __future__ import annotations

import itertools

from registry_lint.digest import sha256

B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
DRAWS = itertools.count(1)


def fake(prefix: str, n: int, alphabet: str = B62) -> str:
    """A pseudo-random body in a credential's shape: fake, but shaped like the real thing.

    Deterministic (SHA-256 of a counter), and without ``random``/``string``,
    whose imports a one-file run would otherwise pay for these examples.
    """
    out: list[str] = []
    while len(out) < n:
        out.extend(alphabet[b % len(alphabet)] for b in sha256(b"registry-lint-fake-%d" % next(DRAWS)).digest())
    return prefix + "".join(out[:n])


OPENAI = fake("sk-" + "proj-", 64)
GITHUB = fake("gh" + "p_", 36)
GOOGLE = fake("AI" + "za", 35)
SLACK_HOOK = "https://hooks.slack" + ".com/services/" + fake("T", 10, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") + "/" + fake("B", 10, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") + "/" + fake("", 24)
PASSWORD = fake("", 14, B62 + "!#%+")
TOKEN = fake("", 40)
HEX = fake("", 32, "0123456789abcdef")
PEM_BODY = "\n".join(fake("", 64, B62 + "+/") for _ in range(6))
PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + PEM_BODY + "\n-----END RSA " + "PRIVATE KEY-----"


# Passwords a person would choose (issue 17), drawn after the values above so those stay the same.
DIGITS = "0123456789"
CHOSEN = "Ma" + "ple#" + fake("", 4, DIGITS) + "river"
SEASON = "Sum" + "mer" + fake("20", 2, DIGITS) + "!"
PD_KEY = fake("", 32, "0123456789abcdef")
ZAPIER = "https://hooks.zapier" + ".com/hooks/catch/" + fake("4", 6, DIGITS) + "/" + fake("", 7, "abcdefghijkmnpqrstuvwxyz23456789") + "/"

# Public by design (issue 18), drawn after the values above so those stay the same: a Builder
# space's public API key and a published asset's media token.
SPACE = fake("", 32, "0123456789abcdef")
MEDIA = "-".join(fake("", n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
BUILDER_ASSET = (f"https://cdn.builder.io/o/assets%2F{SPACE}%2F" + fake("", 32, "0123456789abcdef")
                 + f"?alt=media&token={MEDIA}&apiKey={SPACE}")


def pem_in(indent: str) -> str:
    return ("\n" + indent).join(PEM.splitlines())
