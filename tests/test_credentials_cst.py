"""The Python context from the engine's LibCST tree gives exactly the slots (and so the
findings) of the stdlib ``ast`` path it replaces, gated or not."""

from __future__ import annotations

import random
import string

import pytest

from registry_lint.credentials.scanner import scan_text
from registry_lint.extract import python as pyx
from registry_lint.source import SourceFile

_RNG = random.Random(11)


def _fake(prefix: str, n: int) -> str:
    return prefix + "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(n))


TOKEN, PASSWORD, OTHER = _fake("", 32), _fake("", 16), _fake("", 17)
CHOSEN = "Map" + "le#" + "4410" + "river"  # a password a person chose (issue 17)
OPENAI = _fake("sk-" + "proj-", 64)

BODY = f'''
"""Usage: password={PASSWORD} and token: {TOKEN}"""
from tracecat_registry import registry, secrets
API_KEY = "{TOKEN}"
x = y = "{PASSWORD}"
headers = {{"Authorization": "Bearer {TOKEN}", "X-Api-Key": SecretStr("{OTHER}")}}
AUTH_HEADER = "Bearer " + "{TOKEN}"
h = f"Bearer {TOKEN}"
g = f"a=1{{x:%H:%M}}b{{z=}}" "password={PASSWORD}"
creds = ("admin", "{PASSWORD}")
API_TOKENS = ["{TOKEN}", *other]
def f(api_key: str = Field(default="{OTHER}"), *, password="{PASSWORD}"): ...
lam = lambda token="{TOKEN}": token
requests.get(u, auth=("me", "{PASSWORD}"))
os.getenv("DB_PASSWORD", "{PASSWORD}")
secrets.get_or_default("API_TOKEN", "{TOKEN}")
smtp.login(user, "{PASSWORD}")
if password == "{PASSWORD}": pass
if "{PASSWORD}" != pwd: pass
d["secret"] = b"{PASSWORD}"
s = ("client_secret={OTHER}"  # password: {PASSWORD}
     "&x=1")
t = r"\\password={PASSWORD}"
u = "pass\\x77ord={PASSWORD}"
v: str = "{TOKEN}"
if (token := "{TOKEN}"): pass
pw = secrets.get("DB_PASSWORD") or "{CHOSEN}"
tk = cfg.get("x") or os.environ.get("API_TOKEN") or "{TOKEN}"
ADMIN_PASSWORD_2 = "{CHOSEN}"
'''
WITH_FORMAT = BODY + f'''
OPENAI = "{OPENAI}"
cfg = {{"openai_key": "{OPENAI}", "note": "key={OPENAI}"}}
def g(openai_key=os.getenv("K", "{OPENAI}")): pass
'''


def _findings(text: str, parsed: object | None) -> list[tuple[object, ...]]:
    return [(f.code, f.start, f.end, f.secret, f.name, f.role) for f in scan_text("t.py", text, "python", parsed)]


@pytest.mark.parametrize("text", [BODY, WITH_FORMAT], ids=["gated", "format-match"])
def test_libcst_context_matches_ast_context(text: str) -> None:
    src = SourceFile("t.py", text, "python")
    parsed = pyx.extract(src, pyx.parse_python(src))
    expected = _findings(text, None)
    assert len(expected) > 15
    assert _findings(text, parsed) == expected
