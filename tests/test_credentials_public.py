"""Values that are credential-shaped but no secret (issue 18, agent-native): keys published
by design in URLs, documentation hosts, natural-language words, stylesheet classes and
publishable `pk_` keys.

Values are generated at run time, so no credential-shaped literal lives in this file.
"""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from registry_lint.credentials import filters as flt
from registry_lint.credentials import scan_text
from registry_lint.credentials.public import in_public_url, is_documentation_host
from registry_lint.credentials.shape import looks_random, secret_value
from registry_lint.credentials.words import is_class_list, is_natural_word
from registry_lint.source import kind_for

RNG = random.Random(18)
HEX = "0123456789abcdef"


def rnd(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def found(path: str, text: str) -> list[tuple[str, str]]:
    return [(f.code, text[f.start : f.end]) for f in scan_text(path, text, kind_for(path))]


SPACE = rnd(20)  # a Builder space's public API key (legacy 20-character form)
ASSET = rnd(32, HEX)
MEDIA_TOKEN = str(uuid.UUID(int=RNG.getrandbits(128)))


def builder_asset(host: str = "cdn.builder.io") -> str:
    return f"https://{host}/o/assets%2F{SPACE}%2F{ASSET}?alt=media&token={MEDIA_TOKEN}&apiKey={SPACE}"


# Public by design ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("docs/page.mdx", f'<video src="{builder_asset()}" />\n'),
        ("app/Video.tsx", f'const URL =\n  "{builder_asset()}"; // public media token\n'),
        ("a.py", f'POSTER = "https://cdn.builder.io/api/v1/image/assets%2F{ASSET}%2F{rnd(32, HEX)}?apiKey={ASSET}&token={rnd(32, HEX)}"\n'),
        ("README.md", f"![demo](https://cdn.builder.io/api/v3/content/page?apiKey={rnd(32, HEX)}&limit=1)\n"),
    ],
)
def test_builder_public_key_and_asset_token_are_not_reported(path: str, text: str) -> None:
    assert found(path, text) == []


def test_the_same_url_elsewhere_is_reported() -> None:
    text = f'<video src="{builder_asset("media.acme.io")}" />\n'
    assert [code for code, _ in found("docs/page.mdx", text)] == ["RL503", "RL503"]


def test_builder_private_key_and_non_asset_token_stay_reported() -> None:
    private = "bpk-" + rnd(32, HEX)
    assert found("a.md", f"https://cdn.builder.io/api/v3/content/page?apiKey={private}\n") == [("RL503", private)]
    token = rnd(32)
    assert found("a.md", f"https://builder.io/api/v1/write/page?token={token}\n") == [("RL503", token)]


@pytest.mark.parametrize(
    "host",
    ["api.example.com", "example.org", "svc.example", "db.test", "x.invalid", "localhost", "app.localhost",
     "127.0.0.1"],
)
def test_documentation_hosts(host: str) -> None:
    assert is_documentation_host(host)
    token, password = rnd(32), rnd(16)
    text = f'url = "https://{host}/v1?token={token}"\ndsn = "postgres://app:{password}@{host}:5432/app"\n'
    assert found("a.py", text) == []


@pytest.mark.parametrize("host", ["example.com.evil.io", "notexample.com", "api.acme.io", "testing.io", "10.0.0.1"])
def test_other_hosts_are_not_documentation(host: str) -> None:
    assert not is_documentation_host(host)
    token = rnd(32)
    assert found("a.md", f"https://{host}/v1?token={token}\n") == [("RL503", token)]


def test_known_format_in_a_documentation_url_is_still_reported() -> None:
    github = "gh" + "p_" + rnd(36)
    assert found("a.md", f"https://api.example.com/repos?access_token={github}\n") == [("RL503", github)]
    assert [code for code, _ in found("a.md", f"https://api.example.com/repos/{github}\n")] == ["RL501"]


def test_value_also_outside_the_url_stays_reported() -> None:
    token = rnd(32)
    line = f'api_token = "{token}"  # https://api.example.com/?token={token}'
    assert not in_public_url("a.py", line, token)
    assert found("a.py", line + "\n") == [("RL502", token), ("RL503", token)]


def test_public_url_filter_is_per_parameter() -> None:
    line = f"https://cdn.builder.io/o/assets%2F{SPACE}%2F{ASSET}?alt=media&token={MEDIA_TOKEN}&apiKey={SPACE}"
    assert in_public_url("", line, SPACE) and in_public_url("", line, MEDIA_TOKEN)
    assert not in_public_url("", line.replace("cdn.builder.io", "cdn.acme.io"), SPACE)
    assert not in_public_url("", f"token={MEDIA_TOKEN}", MEDIA_TOKEN)  # no URL at all


# Publishable keys ---------------------------------------------------------------------------
def test_pk_prefix_is_publishable() -> None:
    for value in ("pk_" + rnd(32), "pk_" + "publishable"):
        assert flt.is_publishable_key("", "", value)
        assert found("a.ts", f'const secrets = {{ LOGO_DEV_TOKEN: "{value}" }};\n') == []
    secret = rnd(32)
    assert found("a.ts", f'const secrets = {{ LOGO_DEV_SECRET_KEY: "{secret}" }};\n') == [("RL502", secret)]


# Natural-language words ---------------------------------------------------------------------
WORDS = ["Authentifizierungstoken", "Aufnahmetoken", "Authentification", "Authentifizierung",
         "Abschnittstrenner", "Regierungsführung", "Accès", "l'authentification", "Zugangs-Schlüssel",
         "\u8a8d\u8a3c\u30c8\u30fc\u30af\u30f3", "\u0422\u043e\u043a\u0435\u043d\u0434\u043e\u0441\u0442\u0443\u043f\u0430"]


@pytest.mark.parametrize("word", WORDS)
def test_words_in_any_language_are_not_secrets(word: str) -> None:
    assert is_natural_word(word)
    for kind in ("token", "header", "key", "secret", "password"):
        assert secret_value(word, kind) is None, kind


def test_translations_under_token_keys_are_quiet() -> None:
    text = 'export const de = {\n  auth: "Authentifizierung",\n  authToken: "Authentifizierungstoken",\n  ingestToken: "Aufnahmetoken",\n};\n'
    assert found("app/i18n/de-DE.ts", text) == []


def test_random_letters_are_not_words() -> None:
    for _ in range(300):
        assert not is_natural_word(rnd(24, string.ascii_letters))  # mixed case: never a word's case style
        assert not is_natural_word(rnd(12, string.ascii_lowercase) + rnd(4, string.digits))
    lower = [rnd(32, string.ascii_lowercase) for _ in range(300)]
    assert sum(map(is_natural_word, lower)) <= 1  # letter frequencies, measured ~0.06% at 32 letters
    assert looks_random(rnd(24, string.ascii_letters), "token")


def test_human_passwords_are_not_words() -> None:
    for value in ("Wel" + "come1!", "Maple#" + "4410river", "tiger-orbit-" + "519-Qxzv", "Sum" + "mer2024"):
        assert not is_natural_word(value)
        assert secret_value(value, "password") == value


# Stylesheet classes -------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["max-[1199px]:text-lg", "max-[389px]:text-xs", "md:hover:bg-slate-100",
                                   "w-[calc(100%-2rem)]", "[&>*]:p-4", "lg:grid-cols-12", "text-[#1a2b3c]"])
def test_utility_classes_are_not_secrets(value: str) -> None:
    assert is_class_list(value)
    assert secret_value(value, "token") is None


@pytest.mark.parametrize("value", ["admin:" + "s3cr3tpa55", "key-[" + rnd(16) + "]", "text-lg", "user:hunter", rnd(20)])
def test_other_values_are_not_classes(value: str) -> None:
    assert not is_class_list(value)


def test_class_tokens_in_a_spec_are_quiet() -> None:
    text = '{ boundPx: 1199, utility: "text-lg", token: "max-[1199px]:text-lg" },\n'
    assert found("shared/responsive-classes.spec.ts", text) == []


# The public repositories the issues name (skipped without a checkout) -------------------------
AGENT_NATIVE = Path("/work/ext/agent-native")
TRACECAT = Path("/work/ext/tracecat")
# One file per form of the 80 false findings of issue 18, and the files of the 3 true ones.
AGENT_NATIVE_FILES = {
    "packages/core/docs/content/client-agent-chat.mdx": [],  # Builder asset URLs: public key and media token
    "packages/core/docs/content/locales/de-DE/what-is-agent-native.mdx": [],
    "packages/docs/app/routes/_index.tsx": [],
    "packages/docs/app/components/AgentNativeDemoVideo.tsx": [],
    "packages/docs/app/i18n/de-DE.ts": [],  # translations under token-ish keys
    "templates/calendar/app/i18n-data.ts": [],
    "templates/design/shared/responsive-classes.spec.ts": [],  # Tailwind classes under `token`
    "templates/slides/server/lib/media-search-providers.test.ts": [],  # `pk_publishable`
    "packages/core/src/extensions/proxy-security.spec.ts": [],  # api.example.com
    "templates/calendar/app/lib/sanitize-description.test.ts": ["RL503", "RL503"],  # Zoom meeting passcodes
    "packages/core/src/demo/redact.spec.ts": ["RL501"],  # a signed JWT
}


def _rl5(root: Path, files: list[str]) -> dict[str, list[str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "registry_lint", "check", *files, "--select", "RL5", "--output-format", "json",
         "--exit-zero", "--no-cache"],
        cwd=root, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out: dict[str, list[str]] = {f: [] for f in files}
    for diag in json.loads(proc.stdout):
        out[Path(diag["filename"]).as_posix().removeprefix("./")].append(diag["code"])
    return out


@pytest.mark.skipif(not AGENT_NATIVE.is_dir(), reason="no agent-native checkout")
def test_agent_native_findings_are_the_true_ones() -> None:
    assert _rl5(AGENT_NATIVE, list(AGENT_NATIVE_FILES)) == AGENT_NATIVE_FILES


@pytest.mark.skipif(not TRACECAT.is_dir(), reason="no Tracecat checkout")
def test_tracecat_smoke_default_password_is_quiet() -> None:
    assert _rl5(TRACECAT, ["frontend/tests/smoke/utils/auth.ts"]) == {"frontend/tests/smoke/utils/auth.ts": []}
