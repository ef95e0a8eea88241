"""Which names say "this holds a credential".

A name is split into words (snake, kebab, camel, dots) and judged by its
last word: ``client_secret`` and ``X-API-Key`` are credentials,
``secret_name``, ``token_url`` and ``api_key_header`` are not (the last
word says what the value *is*: a name, a URL, a header name). ``key`` alone
is too generic (``{"key": ..., "value": ...}``); it needs a qualifier such
as ``api``/``access``/``private``.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "passcode", "pw"})
SECRET_WORDS = frozenset({"secret", "credential", "credentials", "creds", "cred"})
TOKEN_WORDS = frozenset({"token"})
# `GITHUB_PAT` is a personal access token; `GROUP_PAT` is a pattern.
PAT_QUALIFIERS = frozenset({"github", "gitlab", "gh", "gl", "azure", "ado", "devops", "personal", "access", "hf", "bitbucket"})
HEADER_WORDS = frozenset({"authorization", "bearer"})
# Single words that already mean "a key to an API".
JOINED_KEYS = frozenset(
    {"apikey", "accesskey", "secretkey", "privatekey", "authkey", "appkey", "clientsecret",
     "accesstoken", "authtoken", "apitoken", "apisecret", "sessionkey", "masterkey"}
)
KEY_QUALIFIERS = frozenset(
    {
        "api", "access", "secret", "private", "client", "app", "application", "auth", "signing",
        "sign", "encryption", "enc", "master", "service", "subscription", "account", "admin",
        "consumer", "webhook", "hmac", "session", "shared", "integration", "developer", "dev",
        "rest", "bot", "ingest", "ingestion", "write", "read", "management", "mgmt", "personal",
        "project", "organization", "org", "workspace", "storage", "sas", "routing", "crypto",
        "cipher", "aes", "jwt", "oauth", "ssh", "pgp", "gpg", "deploy", "license", "partner",
        "server", "sdk", "live", "prod", "production",
    }
)
# Qualifiers that make a "token" something else (opaque cursors, counts).
NON_SECRET_TOKEN_QUALIFIERS = frozenset(
    {"page", "next", "continuation", "sync", "cursor", "pagination", "start", "end", "max",
     "min", "num", "total", "input", "output", "prompt", "completion", "csrf", "xsrf", "resume",
     "skip", "delta", "change", "marker", "nonce", "state", "verify", "verification", "lex",
     # AWS-style idempotency and concurrency tokens (ClientToken, LockToken, ...)
     "client", "request", "lock", "idempotency", "lifecycle", "forward", "backward", "update",
     "continuation", "sequence", "upload", "multipart", "cancel", "task", "wait", "notification",
     "action", "product", "job", "execution", "operation", "transaction", "query", "batch",
     "snapshot", "provisioning", "launch", "copy", "share", "invite", "invitation", "unsubscribe"}
)
# A last word that says the value is metadata about a credential.
NON_SECRET_SUFFIXES = frozenset(
    {
        "name", "names", "type", "types", "id", "ids", "url", "uri", "urls", "endpoint", "path",
        "file", "filename", "dir", "env", "var", "field", "fields", "label", "prompt", "length",
        "len", "size", "count", "expiry", "expires", "expiration", "ttl", "format", "prefix",
        "suffix", "pattern", "regex", "re", "hint", "description", "desc", "help", "title",
        "message", "msg", "param", "params", "mode", "kind", "scope", "scopes", "version",
        "header", "headers", "policy", "rotation", "location", "ref", "reference", "provider",
        "source", "store", "manager", "backend", "validator", "required", "enabled", "exists",
        "present", "missing", "valid", "schema", "template", "placeholder", "example", "sample",
        "fingerprint", "hash", "digest", "algorithm", "alg", "method", "level",
        "status", "state", "created", "updated", "date", "time", "timestamp", "at", "by", "index",
        "column", "col", "option", "options", "flag", "check", "error", "errors", "class",
        "mask", "masked", "hidden", "visible", "input", "widget", "tag", "keys", "tokens",
        "secrets", "passwords", "min", "max", "reset", "change", "strength",
        "confirm", "confirmation", "policy", "label", "arn", "vault", "path", "list", "set",
    }
)
SCAFFOLD_WORDS = frozenset({"mock", "mocked", "fake", "dummy", "example", "sample", "expected", "test",
                            "placeholder", "stub", "bogus", "invalid", "wrong", "bad", "old"})
_PUBLIC = frozenset({"public", "pub", "primary", "foreign", "sort", "partition", "cache",
                     "idempotency", "dedup", "dedupe", "lookup", "row", "object", "dict",
                     "map", "hash", "join", "group", "unique", "composite", "natural"})


# `PGPASSWORD`, `ROOTPASSWORD`: one word ending in "password"; not these, which name a flag or a form.
_NOT_PASSWORD_PREFIXES = frozenset(
    {"no", "has", "is", "show", "hide", "forgot", "reset", "change", "require", "requires", "needs", "use",
     "with", "without", "validate", "check", "verify", "hash", "hashed", "encrypted", "encoded", "set"}
)


def _password_word(word: str) -> bool:
    if word in PASSWORD_WORDS:
        return True
    for tail in ("password", "passwd"):
        if word.endswith(tail) and word != tail:
            prefix = word[: -len(tail)]
            return prefix.isalpha() and len(prefix) <= 8 and prefix not in _NOT_PASSWORD_PREFIXES
    return False


def split_words(name: str) -> list[str]:
    """``X-API-Key`` -> ``['x', 'api', 'key']``; ``clientSecret`` -> ``['client', 'secret']``."""
    words: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        words.extend(w.lower() for w in _CAMEL.findall(chunk))
    return words


@lru_cache(maxsize=4096)
def credential_kind(name: str | None) -> str | None:
    """"password", "token", "secret", "key", "header" or None."""
    if not name or len(name) > 100:
        return None
    words = split_words(name)
    # `password2`, `ADMIN_PASSWORD_2`: a numbered name is the same kind of name.
    while len(words) > 1 and words[-1].isdigit():
        words.pop()
    if not words:
        return None
    # `mock_api_key`, `fake_token`, `expected_secret`: test scaffolding names a made-up value;
    # `publicKeyToken`, `public_key`: public by definition. `TEST_LDAP_BIND_PASSWORD` names the
    # test environment's account, whose password someone chose and which logs in somewhere.
    scaffold = set(words[:-1]) & SCAFFOLD_WORDS
    if scaffold and not (scaffold == {"test"} and _password_word(words[-1])):
        return None
    if "public" in words or "::" in name:
        return None
    if words[-1] == "pat" and len(words) > 1 and words[-2] in PAT_QUALIFIERS:
        return "token"
    last = words[-1]
    prev = words[-2] if len(words) > 1 else ""
    if last in NON_SECRET_SUFFIXES:
        return None
    # `pass` alone is a Python keyword, so as a name it is a key: `{"user": ..., "pass": ...}`.
    if _password_word(last) or (last == "pass" and (len(words) == 1 or prev in {"db", "user", "smtp", "admin", "mysql", "pg", "redis", "ldap", "ftp", "proxy", "root"})):
        return "password"
    if last in HEADER_WORDS or (last == "auth" and len(words) <= 2 and prev not in {"oauth", "use", "requires", "needs"}):
        return "header"
    if last in SECRET_WORDS:
        return "secret"
    if last in TOKEN_WORDS:
        if prev in NON_SECRET_TOKEN_QUALIFIERS:
            return None
        return "token"
    if last in JOINED_KEYS:
        return "key"
    if last == "key" and prev in KEY_QUALIFIERS and not (set(words[:-1]) & _PUBLIC):
        return "key"
    return None
