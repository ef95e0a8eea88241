"""False-positive filters: plain functions ``(filename, line, secret) -> bool``.

detect-secrets' shape: each returns True to *drop* a candidate. They only
look at the candidate (and the file name / line when that matters), so each
is tested on its own. A vendor prefix (``sk-proj-``, ``ghp_``) is public
and skipped before looking for placeholder words, so ``sk-test-...`` is a
placeholder but ``sk_test_<random>`` (a real Stripe test-mode key) is not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from ..digest import sha256
from .public import in_public_url

Filter = Callable[[str, str, str], bool]

# Public prefixes of known formats, longest first.
VENDOR_PREFIXES = tuple(
    sorted(
        (
            "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-",
            "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-",
            "glrt-", "glptt-", "glsoat-", "glft-", "glcbt-", "glimt-", "gloas-", "glagent-",
            "xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xapp-", "sk_live_", "rk_live_",
            "sk_test_", "rk_test_", "whsec_", "SG.", "AIza", "AKIA", "ASIA", "ABIA", "ACCA", "secret_",
            "npm_", "pypi-", "sq0csp-", "AccountKey=",
        ),
        key=len,
        reverse=True,
    )
)

_TEMPLATE = re.compile(
    r"\$\{|\{\{|\}\}|%\(\w+\)[sd]|\$\(|#\{|\{[^{}\s]{0,60}\}|%s|^\$[A-Za-z_]\w*$|^%[A-Za-z_]\w*%$"
)
_MASK = re.compile(r"\*{3,}|•|…|\.\.\.|\[(?:redacted|masked|hidden|removed)\]|^redacted$", re.I)
_RUN = re.compile(r"(.)\1{5,}")
_ENV_NAME = re.compile(r"^\$?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_REFERENCE = re.compile(
    r"^(?:op://|arn:aws[\w-]*:|vault:|keyvault:|ENC\[|projects/[^/]+/secrets/|env:|secret:|"
    r"(?:os\.)?environ\b|process\.env\.|settings\.|config\.)"
)
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")

# A whole piece (split on non-alphanumerics) that is one of these is a placeholder.
EXACT_WORDS = frozenset(
    {
        "my", "your", "foo", "bar", "baz", "qux", "xxx", "na", "tbd", "todo", "fixme", "none",
        "null", "nil", "undefined", "secret", "password", "passwd", "token", "apikey",
        "value", "here", "demo", "lorem", "ipsum", "sample", "example", "test", "tests",
        "testing", "dummy", "fake", "mock", "placeholder", "redacted", "changeme", "replace",
        "replaceme", "default", "string", "str", "abc", "abcd", "xyz", "hello", "world", "admin",
        "user", "username", "pass", "temp", "tmp", "insert", "enter", "sk", "localhost", "stub",
        "bogus", "invalid", "examplekey", "notasecret", "header", "payload", "signature",
    }
)
# A piece that starts with one of these is a placeholder (`yourkey`, `testtoken1`).
PREFIX_WORDS = ("your", "example", "sample", "dummy", "fake", "test", "mock", "placeholder",
                "redacted", "replace", "changeme", "insert_", "notreal", "notasecret")
# Distinctive enough to count anywhere in a piece (`AKIAIOSFODNN7EXAMPLE`).
CONTAINED_WORDS = ("example", "placeholder", "redacted", "changeme", "replaceme", "dummy", "xmpl",
                   "password", "passwd", "secret", "apikey",
                   "notreal", "fakekey", "faketoken", "testkey", "testtoken", "yourkey",
                   "yourtoken", "yourapikey", "yoursecret", "yourpassword")

# Well-known default or throwaway passwords: an obvious placeholder, never a leak.
COMMON_DEFAULTS = frozenset(
    {
        "password", "passw0rd", "p@ssw0rd", "p@ssword", "password1", "password123", "password!",
        "123456", "1234567", "12345678", "123456789", "1234567890", "qwerty", "qwerty123",
        "letmein", "letmein!", "admin", "admin123", "administrator", "root", "toor", "postgres",
        "mysql", "redis", "guest", "changeit", "changeme", "changeme123", "secret", "secret123",
        "s3cr3t", "pass", "pass123", "welcome", "welcome1", "default", "hunter2", "foobared",
        "trustno1", "iloveyou", "abc123", "test123", "testpass", "testpassword", "mypassword",
        "secretpassword", "supersecret", "supersecretpassword", "opensesame", "sa", "oracle",
        "minioadmin", "elastic", "neo4j", "rabbitmq", "airflow", "tracecat", "user", "demo",
    }
)

# sha256 of public example credentials from vendor documentation (jwt.io's
# sample token, Stripe's docs keys): in docs everywhere, granting nothing.
KNOWN_EXAMPLE_HASHES = frozenset(
    {
        "7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606",  # jwt.io sample
        "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",  # Stripe docs
        "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397",  # Stripe docs
    }
)

LOCK_FILES = frozenset(
    {"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock", "pipfile.lock",
     "cargo.lock", "composer.lock", "gemfile.lock", "go.sum", "pdm.lock", "bun.lock"}
)


def body(secret: str) -> str:
    """The secret without a public vendor prefix."""
    for prefix in VENDOR_PREFIXES:
        if secret.startswith(prefix):
            return secret[len(prefix):]
    return secret


def pieces(text: str) -> list[str]:
    return [p for p in re.split(r"[^A-Za-z0-9]+", text.lower()) if p]


# The filters --------------------------------------------------------------------------
def is_template(filename: str, line: str, secret: str) -> bool:
    """``${{ SECRETS.x.Y }}``, ``${keys.NAME}``, ``{{ var }}``, ``$TOKEN``, ``%(x)s``, ``{name}``, ``{f(x)}``."""
    return bool(_TEMPLATE.search(secret))


def is_angle_placeholder(filename: str, line: str, secret: str) -> bool:
    """``<OPENAI_API_KEY>``, ``<your token>``."""
    return secret.startswith("<") or ("<" in secret and ">" in secret)


def is_masked(filename: str, line: str, secret: str) -> bool:
    """``sk-...``, ``****``, ``[REDACTED]``, ``ghp_…``."""
    return bool(_MASK.search(secret))


def is_repetitive(filename: str, line: str, secret: str) -> bool:
    """``xxxxxxxx``, ``0000000000``, ``abcabcabc``: too few distinct characters or a period."""
    core = re.sub(r"[^A-Za-z0-9]", "", body(secret))
    if not core:
        return True
    if _RUN.search(core) or len(set(core.lower())) <= 5:
        return True
    n = len(core)
    return any(core == (core[:p] * (n // p + 1))[:n] for p in range(1, min(8, n // 3) + 1))


def is_monotonous(filename: str, line: str, secret: str) -> bool:
    """``Aaaaaaa1!``, ``Ab1!Ab1!Ab1!``: ``is_repetitive`` for a password a person chose, whose few
    letters may repeat (``Fall2020&``, ``M@ng055*``): a run of six, three distinct characters or
    fewer, or a period."""
    core = re.sub(r"[^A-Za-z0-9]", "", secret)
    if len(set(core.lower())) <= 3 or _RUN.search(core):
        return True
    n = len(core)
    return any(core == (core[:p] * (n // p + 1))[:n] for p in range(1, min(8, n // 3) + 1))


def _counts_up(text: str) -> bool:
    return all(ord(b) - ord(a) == 1 for a, b in zip(text, text[1:]))


def is_sequential(filename: str, line: str, secret: str) -> bool:
    """``12345``, ``abcdefgh``, ``qwerty...``, ``a1b2c3d4e5f6``: keyboard or alphabet runs of five."""
    low = body(secret).lower()
    letters = "".join(c for c in low if c.isalpha())
    digits = "".join(c for c in low if c.isdigit())
    for seq in _SEQUENCES:
        for i in range(len(seq) - 4):
            window = seq[i : i + 5]
            if window in low or window[::-1] in low:
                return True
    # `a1b2c3d4e5f6`, `a123b45c6d78`: the letters and the digits both count up from the start.
    if len(letters) >= 5 and len(digits) >= 5:
        return _counts_up(letters[:5]) and _counts_up(digits[:5])
    return False


_HASH_FORMAT = re.compile(r"^(?:\$(?:2[abxy]?|5|6|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*|y|gy|7)\$|pbkdf2_sha\d+\$|sha\d+[:$-]|md5[:$])")


def is_hash_format(filename: str, line: str, secret: str) -> bool:
    """``$2b$12$...`` (bcrypt), ``$argon2id$...``, ``pbkdf2_sha256$...``, ``sha256:...``: a digest, not a secret."""
    return bool(_HASH_FORMAT.match(secret))


_CAMEL_WORD = re.compile(
    r"(?:^|(?<=[^a-z]))(?:Token|Secret|Password|Example|Sample|Dummy|Fake|Test|Mock|Placeholder|Redacted|Really|Your)(?![a-z])"
)


# Word separators. Symbols (`!`, `#`, `@`) are not: in `1!W.lLS!YCn6v!my` no word is "my".
_WORD_SPLIT = re.compile(r"[\s_.\-/:,;|]+")


def has_placeholder_word(filename: str, line: str, secret: str) -> bool:
    """``your-api-key``, ``test-token-123``, ``dummy_secret``, ``REPLACE_ME``, ``...EXAMPLE``,
    ``IQoJb3...ReallyLongSessionToken`` (camel-case words in a made-up value)."""
    core = body(secret)
    if _CAMEL_WORD.search(core):
        return True
    parts = [p for p in _WORD_SPLIT.split(core.lower()) if p]
    for part in parts:
        if part in EXACT_WORDS or part.startswith(PREFIX_WORDS):
            return True
        if any(word in part for word in CONTAINED_WORDS):
            return True
    # `change-me-in-production`, `REPLACE_ME`, `your_api_key`: the words split over pieces.
    joined = "".join(parts)
    return any(word in joined for word in ("replaceme", "changeme", "notasecret", "yourapikey", "yourtoken", "yoursecret", "yourpassword", "putyour", "insertyour", "enteryour"))


def is_env_var_name(filename: str, line: str, secret: str) -> bool:
    """``OPENAI_API_KEY``: the name of a variable, not its value."""
    return bool(_ENV_NAME.match(secret))


def is_reference(filename: str, line: str, secret: str) -> bool:
    """``op://vault/item``, ``arn:aws:secretsmanager:...``, ``ENC[...]``: a pointer, not the value."""
    return bool(_REFERENCE.match(secret))


_LEET = str.maketrans({"@": "a", "4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "$": "s", "7": "t"})


def is_common_default(filename: str, line: str, secret: str) -> bool:
    """``changeme``, ``postgres``, ``postgres14``, ``P@ssw0rd``, ``P@55w0rd!``: throwaway defaults everybody knows."""
    low = secret.lower()
    return low in COMMON_DEFAULTS or low.translate(_LEET) in COMMON_DEFAULTS or (
        low.translate(_LEET).rstrip("!.?#*0123456789") in COMMON_DEFAULTS
    ) or low.rstrip("!.?#*0123456789") in COMMON_DEFAULTS  # `postgres14`: digits are not leet there


_LOWER_DEFAULT = re.compile(r"([a-z]+)[0-9]*[!.?#*]*")


def is_lowercase_default(filename: str, line: str, secret: str) -> bool:
    """``password1234!``, ``admin123!``: a throwaway default in lower case with digits and a
    trailing symbol is still the default everybody knows (Tracecat's dev and smoke-test
    accounts use ``password1234``); capitalised or leet forms (``Password123``, ``P@ssw0rd1``,
    ``Welcome1!``) are passwords someone chose."""
    m = _LOWER_DEFAULT.fullmatch(secret)
    return m is not None and m.group(1) in COMMON_DEFAULTS


def is_known_example(filename: str, line: str, secret: str) -> bool:
    """Vendor documentation examples (jwt.io's sample token, ...)."""
    return sha256(secret.encode("utf-8", "surrogatepass")).hexdigest() in KNOWN_EXAMPLE_HASHES


# `pk_` is the publishable half of a `pk_`/`sk_` pair wherever it is used: Stripe, Clerk and
# Paystack (`pk_live_`/`pk_test_`), Magic, Knock, Logo.dev (`pk_...`, "use anywhere").
_PUBLISHABLE = re.compile(r"^(?:pk_[A-Za-z0-9]|pk\.eyJ)")


def is_publishable_key(filename: str, line: str, secret: str) -> bool:
    """``pk_live_...`` (Stripe), ``pk_...`` (Logo.dev), ``pk.eyJ...`` (Mapbox): keys made to ship
    to browsers, also when sent as ``Authorization: Bearer pk_live_...``."""
    return bool(_PUBLISHABLE.match(secret))


# Words that only name what a password is (`Password123`, `Admin@123`, `P@ssw0rd1`): in a value a
# person chose they are the weak part, not a sign that the value is a stand-in.
_NAMING = re.compile(r"(?i)p[a@4]ss(?:w[o0]rd|wd)?|secret|token|admin|user")


def has_placeholder_word_besides_naming(filename: str, line: str, secret: str) -> bool:
    """``has_placeholder_word`` after taking out the words that name a credential: ``Password123``
    passes, ``YourPassword1!``, ``Changeme1!`` and ``TestPass#1`` do not."""
    return has_placeholder_word(filename, line, _NAMING.sub("-", secret))


def is_lock_file(filename: str, line: str, secret: str) -> bool:
    """Dependency lock files hold integrity hashes, never credentials."""
    return os.path.basename(filename).lower() in LOCK_FILES


# For formats with a fixed shape (the regex already vouches for the shape).
FORMAT_FILTERS: tuple[Filter, ...] = (
    is_lock_file,
    is_template,
    is_angle_placeholder,
    is_masked,
    is_repetitive,
    is_sequential,
    has_placeholder_word,
    is_known_example,
)
# For values found by context (a name says "credential"; the value must not be a placeholder).
VALUE_FILTERS: tuple[Filter, ...] = (
    *FORMAT_FILTERS,
    is_env_var_name,
    is_reference,
    is_common_default,
    is_hash_format,
    is_publishable_key,
    in_public_url,
)
# For a password a person chose (``shape.human_password``: a symbol, or mixed case and digits):
# weak is not fake, so the common-default list (`Welcome1`, `P@ssw0rd`) and keyboard runs
# (`Qwerty123!`) do not drop it; naming words do not count as placeholder words.
HUMAN_FILTERS: tuple[Filter, ...] = (
    is_lock_file,
    is_template,
    is_angle_placeholder,
    is_masked,
    is_monotonous,
    is_lowercase_default,
    has_placeholder_word_besides_naming,
    is_known_example,
    is_env_var_name,
    is_reference,
    is_hash_format,
    is_publishable_key,
    in_public_url,
)


def dropped(
    secret: str,
    *,
    filename: str = "",
    line: str = "",
    filters: tuple[Filter, ...] = VALUE_FILTERS,
    known_format: Callable[[str], bool] | None = None,
) -> bool:
    """True when any filter says the candidate is not a real credential.

    ``known_format``: whether a value holds a token of a known format (the
    scanner's format detectors); such a value stays reported in a public
    URL (public.py).
    """
    for f in filters:
        if f(filename, line, secret):
            if f is in_public_url and known_format is not None and known_format(secret):
                continue
            return True
    return False


def example_hash(value: str) -> str:
    """For maintainers adding a KNOWN_EXAMPLE_HASHES entry."""
    return sha256(value.encode("utf-8")).hexdigest()
