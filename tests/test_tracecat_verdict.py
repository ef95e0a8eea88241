"""Exactly Tracecat's verdict (issue 16): minimal cases for declarations,
metadata and the resolver, each checked against what Tracecat's code does at
the recorded commit (the rule docs name the file and function)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from registry_lint import engine
from registry_lint.config_table import parse_config
from registry_lint.extract.python import parse_python
from registry_lint.model import ActionSpec, Diagnostic, Severity
from registry_lint.rules.metadata_keys import suggest_namespace
from registry_lint.analysis.conames import code_names
from registry_lint.runtime import SecretStore, check
from registry_lint.source import SourceFile

from .helpers import lint_files, rel

CFG = parse_config({}, root=Path("/virtual"))
HEAD = "from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets\n"


def action(text: str, filename: str = "/virtual/a.yml") -> ActionSpec:
    result = engine.lint_file(filename, CFG, textwrap.dedent(text).lstrip("\n").encode())
    assert len(result.actions) == 1
    return result.actions[0]


def lint(tmp_path: Path, files: dict[str, str], *codes: str) -> list[Diagnostic]:
    clean = {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()}
    return lint_files(tmp_path, clean, select=list(codes))


def template(secrets: str, arg: str = "x") -> str:
    return (
        "type: action\ndefinition:\n  name: act\n  namespace: tools.t\n  title: T\n  display_group: G\n"
        "  description: D\n  secrets:\n"
        + textwrap.indent(textwrap.dedent(secrets).strip("\n"), "    ")
        + "\n  expects: {}\n  steps:\n    - ref: s\n      action: core.http_request\n"
        f"      args:\n        h: '{arg}'\n  returns: x\n"
    )


# Legacy OAuth mappings (_validate_registry_secret_type) --------------------------------
def test_legacy_oauth_mapping_is_normalised_like_tracecat() -> None:
    spec = action(template("- name: github_oauth\n  grant_type: client_credentials\n  provider_id: gitlab")).secrets[0]
    assert spec.kind == "oauth"
    assert (spec.provider_id.text, spec.grant_type.text) == ("github", "authorization_code")
    assert {v.value for v in spec.overridden} == {"grant_type", "provider_id"}
    assert spec.token_name == "GITHUB_USER_TOKEN"


def test_legacy_oauth_provider_is_name_replace_not_suffix_strip() -> None:
    spec = action(template("- name: my_oauth_app_oauth")).secrets[0]
    assert spec.provider_id.text == "my_app" and spec.secret_name == "my_app_oauth"


def test_explicit_type_is_not_legacy() -> None:
    spec = action(template("- type: custom\n  name: slack_oauth")).secrets[0]
    assert spec.kind == "custom"  # RegistrySecret then rejects the `_oauth` name (RL208)


def test_rl210_fix_builds_what_tracecat_would_have(tmp_path: Path) -> None:
    from registry_lint.fix import apply_fixes

    text = HEAD + (
        '@registry.register(namespace="tools.a", description="d", '
        'secrets=[{"name": "github_oauth", "grant_type": "client_credentials"}])\n'
        "async def run() -> str:\n    return 'ok'\n"
    )
    diags = [d for d in lint(tmp_path, {"a.py": text}, "RL210") if d.code == "RL210"]
    assert [d.severity for d in diags] == [Severity.ERROR]
    fixed, count = apply_fixes(text, diags)
    assert count == 1
    assert 'RegistryOAuthSecret(provider_id="github", grant_type="authorization_code")' in fixed


# RL213: one collision, one finding ------------------------------------------------------
SHARED = """
from tracecat_registry import RegistrySecret
a = RegistrySecret(name="a", optional_keys=["K"], optional=True)
b = RegistrySecret(name="b", optional_keys=["K"], optional=True)
ALL = [a, b]
"""


def _user(name: str, extra: str = "") -> str:
    return (
        "from tracecat_registry import registry\nfrom shared import ALL\n"
        f'@registry.register(namespace="tools.t", description="d", secrets=[*ALL{extra}])\n'
        f"async def {name}() -> str:\n    return 'ok'\n"
    )


def test_key_collision_of_a_shared_list_is_reported_once(tmp_path: Path) -> None:
    files = {"shared.py": SHARED, **{f"m{i}.py": _user(f"act{i}") for i in range(5)}}
    diags = [d for d in lint(tmp_path, files, "RL213") if d.code == "RL213"]
    assert [(rel(d, tmp_path), d.location.line, d.severity) for d in diags] == [("shared.py", 3, Severity.WARNING)]


# RL401: a helper's read is reported at the action's call -------------------------------
def test_helper_read_points_at_each_actions_call(tmp_path: Path) -> None:
    text = HEAD + textwrap.dedent(
        """
        acme = RegistrySecret(name="acme", keys=["ACME_API_KEY"])


        def _client() -> str:
            return secrets.get("ACME_TOKEN")


        @registry.register(namespace="tools.a", description="d", secrets=[acme])
        async def one() -> str:
            return _client()


        @registry.register(namespace="tools.a", description="d", secrets=[acme])
        async def two() -> str:
            x = 1
            return _client()
        """
    )
    diags = [d for d in lint(tmp_path, {"a.py": text}, "RL401") if d.code == "RL401"]
    assert sorted((d.location.line, d.location.col) for d in diags) == [(12, 12), (18, 12)]
    assert all("`_client` (line 7)" in d.message for d in diags)


# RL405: guards within the function ----------------------------------------------------
def test_key_in_keys_and_optional_keys_is_optional_for_rl405(tmp_path: Path) -> None:
    text = HEAD + (
        'acme = RegistrySecret(name="acme", keys=["K"], optional_keys=["K"])\n'
        '@registry.register(namespace="tools.a", description="d", secrets=[acme])\n'
        "async def run() -> str:\n    return secrets.get('K')\n"
    )
    assert [d.code for d in lint(tmp_path, {"a.py": text}, "RL405")] == ["RL405"]


def test_okta_style_auth_mode_match_is_guarded(tmp_path: Path) -> None:
    text = HEAD + textwrap.dedent(
        """
        okta = RegistrySecret(name="okta", optional_keys=["API_TOKEN", "CLIENT_ID"], optional=True)


        def _config(mode: str) -> dict:
            match mode:
                case "ssws":
                    return {"token": secrets.get("API_TOKEN")}
                case "private_key":
                    return {"client": secrets.get("CLIENT_ID")}
            return {"token": secrets.get("API_TOKEN")}


        @registry.register(namespace="tools.a", description="d", secrets=[okta])
        async def run(mode: str) -> dict:
            return _config(mode)
        """
    )
    diags = [d for d in lint(tmp_path, {"a.py": text}, "RL405") if d.code == "RL405"]
    assert [d.location.line for d in diags] == [12]  # the read after the match is unguarded


# RL106 ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("namespace", "expected"),
    [
        ("integrations.okta", "tools.okta"),
        ("tools.MyApp", "tools.my_app"),
        ("tools-myapp", "tools.myapp"),
        ("custom.crowd_strike.v2", "tools.crowd_strike_v2"),
        ("acme", "tools.acme"),
        ("integrations", "tools.integrations"),
    ],
)
def test_namespace_suggestions(namespace: str, expected: str) -> None:
    assert suggest_namespace(namespace) == expected


def test_builtin_registry_owns_reserved_namespaces(tmp_path: Path) -> None:
    text = (
        "from tracecat_registry import registry\n"
        '@registry.register(namespace="core.http", description="d")\nasync def get() -> str:\n    return ""\n'
        '@registry.register(description="d")\nasync def ping() -> str:\n    return ""\n'
    )
    files = {"pkg/tracecat_registry/core/http.py": text, "custom/http.py": text}
    diags = lint(tmp_path, files, "RL105", "RL106")
    assert {rel(d, tmp_path) for d in diags} == {"custom/http.py"}


# RL112 --------------------------------------------------------------------------------------
def test_definition_that_is_not_a_mapping(tmp_path: Path) -> None:
    files = {"a.yml": "type: action\ndefinition: 'name: x'\n", "notes.yml": "definition: a word\nsee: also\n"}
    diags = lint(tmp_path, files, "RL112")
    assert [(rel(d, tmp_path), d.location.line) for d in diags] == [("a.yml", 2)]


# RL157: co_names as CPython 3.12 builds them -----------------------------------------------
SNIPPET = '''
import os
def f(p):
    a.b: os.X = 1
    x: os.Y = 2
    [os for os in p]
    [q.environ for q in p]
    (r.getenv for r in p)
    import a.b as c
    from . import z
    lambda k=os.kk: k.environ2
    def g(d=os.dd) -> os.ret:
        os.inner
    class C(os.Base):
        os.cbody
    try:
        pass
    except os.Err as e:
        pass
    match p:
        case os.Q(kw=1):
            pass
    return True
'''
# Read from CPython 3.12 and 3.13 (`f.__code__.co_names`).
EXPECTED = {"", "Base", "Err", "Q", "a", "a.b", "b", "dd", "environ", "kk", "os", "ret", "z"}


def _function(text: str) -> object:
    import libcst as cst

    module = parse_python(SourceFile("s.py", text, "python"))
    return next(s for s in module.body if isinstance(s, cst.FunctionDef))


def test_code_names_match_cpython_312() -> None:
    assert set(code_names(_function(SNIPPET))) == EXPECTED


@pytest.mark.skipif(sys.version_info < (3, 12), reason="comprehensions are inlined from 3.12 (PEP 709)")
@pytest.mark.parametrize(
    "body",
    [
        SNIPPET,
        "def f():\n    global g\n    g = os.path\n    del h\n    from x.y import z as w\n    return [w for w in g]\n",
        "def f(os):\n    import os.path as p\n    return os.environ, p.getenv\n",
        "def f():\n    with open(os.devnull) as (a, b):\n        nonlocal_ = {k: v.getenv for k, v in a}\n    return f'{os.sep!r:>{width}}'\n",
    ],
)
def test_code_names_equal_compile(body: str) -> None:
    text = textwrap.dedent(body)
    code = compile(text, "s.py", "exec", dont_inherit=True)  # not this module's `from __future__ import annotations`
    real = next(c for c in code.co_consts if hasattr(c, "co_names"))
    assert set(code_names(_function(text))) == set(real.co_names)


# Resolver -----------------------------------------------------------------------------------
def test_malformed_secrets_do_not_resolve() -> None:
    spec = action(template("acme:\n  keys: [K]", "${{ SECRETS.acme.K }}"))
    result = check(spec, SecretStore.build({"acme": ["K"]}))
    assert [p.kind for p in result.problems] == ["invalid-declaration"]


def test_helper_reads_through_one_call_are_one_finding(tmp_path: Path) -> None:
    text = HEAD + textwrap.dedent(
        """
        def _tls() -> tuple:
            return secrets.get_or_default("TLS_CERTIFICATE"), secrets.get_or_default("TLS_PRIVATE_KEY")


        @registry.register(namespace="tools.a", description="d")
        async def run() -> str:
            return str(_tls())
        """
    )
    diags = [d for d in lint(tmp_path, {"a.py": text}, "RL401") if d.code == "RL401"]
    assert [(d.location.line, d.severity) for d in diags] == [(9, Severity.WARNING)]
    assert "'TLS_CERTIFICATE', 'TLS_PRIVATE_KEY'" in diags[0].message
