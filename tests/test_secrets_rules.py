"""Secret, OAuth and usage rules (RL2xx-RL4xx) beyond their embedded examples:
extractor behaviour they rely on, the OAuth catalogue, fixes, silence on
unknown values, and the Python flow analysis.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from registry_lint import oauth_catalog
from registry_lint.config_table import parse_config
from registry_lint.extract import python as pyx
from registry_lint.extract import yaml as yx
from registry_lint.fix import apply_fixes
from registry_lint.model import Diagnostic
from registry_lint.analysis.names import credential_name, snake_case
from registry_lint.analysis.refs import path_key
from registry_lint.source import SourceFile
from registry_lint.tracecat import GRANT_TYPES, token_name

from .helpers import lint_files, rel

HEAD = "from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets\n"


def lint(tmp_path: Path, files: dict[str, str], *codes: str, config: dict[str, object] | None = None) -> list[Diagnostic]:
    clean = {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()}
    return lint_files(tmp_path, clean, select=list(codes) or ["RL2", "RL3", "RL4"], config=config)


def where(diags: list[Diagnostic], root: Path) -> list[tuple[str, str, int, int]]:
    return sorted((d.code, rel(d, root), d.location.line, d.location.col) for d in diags)


# OAuth catalogue -------------------------------------------------------------------
RULES_TABLE = {
    "authorization_code": "github github_mcp google_drive google_gmail slack jira_mcp linear_mcp notion_mcp "
    "runreveal_mcp secureannex_mcp sentry_mcp wiz_mcp",
    "client_credentials": "google google_docs google_sheets jamf servicenow",
    "both": "azure_management azure_log_analytics microsoft_sentinel microsoft_defender_endpoint "
    "microsoft_defender_xdr microsoft_graph microsoft_entra microsoft_teams",
}


def test_catalogue_matches_rules_table_and_records_commit() -> None:
    expected: dict[str, frozenset[str]] = {}
    for grant, ids in RULES_TABLE.items():
        grants = frozenset(GRANT_TYPES) if grant == "both" else frozenset({grant})
        expected.update({pid: grants for pid in ids.split()})
    assert oauth_catalog.builtin() == expected
    assert oauth_catalog.builtin_commit() == "4209a655bc1da1a36d75ea29edfea69daffbdd23"


def test_extra_providers_extend_the_catalogue(tmp_path: Path) -> None:
    config = parse_config({"extra-oauth-providers": {"acme_idp": ["client_credentials"], "slack": ["client_credentials"]}}, root=tmp_path)
    providers = oauth_catalog.providers(config)
    assert providers["acme_idp"] == {"client_credentials"}
    assert providers["slack"] == {"authorization_code", "client_credentials"}
    assert token_name("acme_idp", "client_credentials") == "ACME_IDP_SERVICE_TOKEN"


# Extractor behaviour the rules rely on ---------------------------------------------
SHARED = HEAD + 'acme = RegistrySecret(name="acme", keys=["ACME_API_KEY"])\nslack = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")\nSHARED = [acme, slack]\n'


def _action(imports: str, body: str, secrets: str = "SHARED") -> str:
    return (
        HEAD
        + imports
        + f'\n\n@registry.register(namespace="tools.acme", description="Run", secrets={secrets})\n'
        + "async def run() -> str:\n"
        + body
        + "\n"
    )


@pytest.mark.parametrize(
    ("module_path", "import_line"),
    [
        ("pkg/actions.py", "from .common import SHARED, slack"),
        # The official registry spells it with the package name, inside `tracecat_registry/`.
        ("tracecat_registry/integrations/actions.py", "from tracecat_registry.integrations.common import SHARED, slack"),
    ],
)
def test_secrets_list_imported_from_a_sibling(tmp_path: Path, module_path: str, import_line: str) -> None:
    common = module_path.rsplit("/", 1)[0] + "/common.py"
    body = '    a = secrets.get("ACME_API_KEY")\n    b = secrets.get(slack.token_name)\n    c = secrets.get("ACME_TOKEN")\n    return "ok"'
    diags = lint(tmp_path, {common: SHARED, module_path: _action(import_line, body)})
    assert where(diags, tmp_path) == [("RL401", module_path, 8, 21)]
    assert "declared keys: ACME_API_KEY, SLACK_USER_TOKEN" in diags[0].message


def test_sdk_modules_are_never_siblings(tmp_path: Path) -> None:
    # Without the linted tree holding it, `tracecat_registry.x` is the SDK: unknown, so silent.
    diags = lint(tmp_path, {"acts.py": _action("from tracecat_registry.integrations.common import SHARED", '    nope = secrets.get("NOPE")\n    return "ok"')})
    assert diags == []


def test_token_name_is_computed_from_the_declaration(tmp_path: Path) -> None:
    text = HEAD + 'oauth = RegistryOAuthSecret(provider_id="jamf", grant_type="client_credentials")\n'
    src = SourceFile("m.py", text + "def f() -> str:\n    return secrets.get(oauth.token_name)\n", "python")
    parsed = pyx.extract(src, pyx.parse_python(src))
    (ref,) = parsed.module_refs
    assert (ref.key, ref.computed, ref.attributed) == ("JAMF_SERVICE_TOKEN", True, False)


def test_reads_no_action_reaches_are_checked_against_the_module(tmp_path: Path) -> None:
    text = _action(SHARED.replace(HEAD, ""), '    return "ok"', secrets="[acme]") + (
        "\n\ndef unused_helper() -> str:\n    return secrets.get('ACME_API_KEY') + secrets.get('OTHER_KEY')\n"
    )
    src = SourceFile("m.py", text, "python")
    parsed = pyx.extract(src, pyx.parse_python(src))
    assert [(r.key, r.attributed) for r in parsed.module_refs] == [("ACME_API_KEY", False), ("OTHER_KEY", False)]
    diags = lint(tmp_path, {"m.py": text}, "RL401")
    assert len(diags) == 1 and "any action of this module" in diags[0].message and "'OTHER_KEY'" in diags[0].message


def test_helper_reached_by_two_actions_reports_once_naming_the_one_lacking_it(tmp_path: Path) -> None:
    text = (
        HEAD
        + 'acme = RegistrySecret(name="acme", keys=["ACME_API_KEY"])\n\n\n'
        + "def _key() -> str:\n    return secrets.get('ACME_API_KEY')\n\n\n"
        + '@registry.register(namespace="tools.acme", description="A", secrets=[acme])\nasync def good() -> str:\n    return _key()\n\n\n'
        + '@registry.register(namespace="tools.acme", description="B")\nasync def bad() -> str:\n    return _key()\n'
    )
    diags = lint(tmp_path, {"m.py": text}, "RL401")
    # At the call in the action that reaches the helper (the action declares too little).
    assert where(diags, tmp_path) == [("RL401", "m.py", 16, 12)]
    assert "action `bad`" in diags[0].message and "good" not in diags[0].message and "`_key` (line 6)" in diags[0].message


def test_declaration_only_module_is_checked_once(tmp_path: Path) -> None:
    diags = lint(tmp_path, {"shared.py": HEAD + 'a = RegistrySecret(name="Bad-Name", keys=["K"])\nALL = [a, RegistrySecret(name="x_oauth", keys=["K2"])]\n'})
    assert where(diags, tmp_path) == [("RL201", "shared.py", 2, 25), ("RL208", "shared.py", 3, 31)]


def test_dual_grant_template_references_are_both_extracted() -> None:
    text = textwrap.dedent(
        """\
        type: action
        definition:
          name: x
          namespace: tools.x
          steps:
            - args: {h: "${{ SECRETS.a_oauth.A_USER_TOKEN || SECRETS.a_oauth.A_SERVICE_TOKEN }}"}
        """
    )
    src = SourceFile("t.yml", text, "yaml")
    spec = yx.extract(src, yx.compose(src)).spec
    assert spec is not None
    assert [(r.secret, r.key, r.location.line, r.location.col) for r in spec.refs] == [
        ("a_oauth", "A_USER_TOKEN", 6, 22),
        ("a_oauth", "A_SERVICE_TOKEN", 6, 54),
    ]


def test_foreign_declaration_problems_are_reported_at_secrets_argument(tmp_path: Path) -> None:
    common = HEAD + 'a = RegistrySecret(name="a", keys=["K"])\nb = RegistrySecret(name="b", keys=["K"])\n'
    action = _action("from .common import a, b", '    return "ok"', secrets="[a, b]")
    diags = lint(tmp_path, {"pkg/common.py": common, "pkg/acts.py": action}, "RL213")
    assert where(diags, tmp_path) == [("RL213", "pkg/acts.py", 4, 71)]
    assert "'a' (common.py:2)" in diags[0].message


# Silence when something is not statically known --------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        '    value = secrets.get(name)\n    return "ok"',
        '    value = secrets.get(f"{name}_KEY")\n    return "ok"',
        '    value = secrets.get_or_default("TRACECAT_AWS_EXTERNAL_ID")\n    return "ok"',
    ],
)
def test_unknown_keys_are_silent(tmp_path: Path, body: str) -> None:
    text = HEAD + 'acme = RegistrySecret(name="acme", keys=["K"])\n\n\n@registry.register(namespace="tools.a", description="d", secrets=[acme])\nasync def run(name: str) -> str:\n' + body + "\n"
    assert lint(tmp_path, {"m.py": text}) == []


@pytest.mark.parametrize("secrets_expr", ["make_secrets()", "[acme, *EXTRA]", "[RegistrySecret(name='acme', keys=KEYS)]"])
def test_unknown_declarations_are_silent(tmp_path: Path, secrets_expr: str) -> None:
    text = (
        HEAD
        + "from elsewhere import make_secrets, EXTRA, KEYS\n"
        + 'acme = RegistrySecret(name="acme", keys=["K"])\n\n\n'
        + f'@registry.register(namespace="tools.a", description="d", secrets={secrets_expr})\n'
        + "async def run() -> str:\n    value = secrets.get('OTHER') + secrets.get('SLACK_USER_TOKEN')\n    return 'ok'\n"
    )
    assert lint(tmp_path, {"m.py": text}, "RL2", "RL3", "RL4", "RL404") == []


def test_template_with_computed_secrets_is_one_rl214(tmp_path: Path) -> None:
    # `definition.secrets` is validated as written (list[RegistrySecretType]):
    # an expression there is a string, so Tracecat skips the template.
    text = """
    type: action
    definition:
      name: x
      namespace: tools.x
      secrets: ${{ inputs.secrets }}
      steps:
        - args: {h: "${{ SECRETS.other.K }} ${{ SECRETS.gh_oauth.X }}"}
    """
    assert [d.code for d in lint(tmp_path, {"t.yml": text}, "RL2", "RL3", "RL4", "RL404")] == ["RL214"]


# Fixes ---------------------------------------------------------------------------------
def _fixed(tmp_path: Path, name: str, text: str, code: str, *, unsafe: bool = False) -> str:
    text = textwrap.dedent(text).lstrip("\n")
    diags = [d for d in lint(tmp_path, {name: text}, code) if d.code == code]
    assert diags, f"{code} did not fire"
    return apply_fixes(text, diags, unsafe=unsafe)[0]


def test_rl304_fix_in_python_and_yaml(tmp_path: Path) -> None:
    py = HEAD + 'o = RegistryOAuthSecret(provider_id="microsoft_teams", grant_type="client_credentials")\n\n\n@registry.register(namespace="tools.a", description="d", secrets=[o])\nasync def run() -> str:\n    return secrets.get(\'MICROSOFT_TEAMS_USER_TOKEN\')\n'
    assert "secrets.get('MICROSOFT_TEAMS_SERVICE_TOKEN')" in _fixed(tmp_path, "m.py", py, "RL304")
    yml = """
    type: action
    definition:
      name: x
      namespace: tools.x
      secrets:
        - {type: oauth, provider_id: github, grant_type: authorization_code}
      steps:
        - args: {h: "Bearer ${{ SECRETS.github_oauth.GITHUB_TOKEN }}"}
    """
    assert "${{ SECRETS.github_oauth.GITHUB_USER_TOKEN }}" in _fixed(tmp_path / "y", "t.yml", yml, "RL304")


def test_rl304_has_no_fix_when_ambiguous(tmp_path: Path) -> None:
    text = """
    type: action
    definition:
      name: x
      namespace: tools.x
      secrets:
        - {type: oauth, provider_id: microsoft_graph, grant_type: authorization_code, optional: true}
        - {type: oauth, provider_id: microsoft_graph, grant_type: client_credentials, optional: true}
      steps:
        - args: {h: "${{ SECRETS.microsoft_graph_oauth.MICROSOFT_GRAPH_TOKEN }}"}
    """
    (diag,) = lint(tmp_path, {"t.yml": text}, "RL304")
    assert diag.fix is None
    assert "MICROSOFT_GRAPH_USER_TOKEN for grant_type authorization_code or MICROSOFT_GRAPH_SERVICE_TOKEN for grant_type client_credentials" in diag.message


def test_rl201_fix_is_unsafe(tmp_path: Path) -> None:
    text = HEAD + 'a = RegistrySecret(name="AcmeProd", keys=["K"])\n'
    assert _fixed(tmp_path, "m.py", text, "RL201") == text
    assert 'name="acme_prod"' in _fixed(tmp_path, "m.py", text, "RL201", unsafe=True)


def test_rl210_fix_uses_existing_import_alias(tmp_path: Path) -> None:
    text = (
        "from tracecat_registry import RegistrySecret as RS, registry\n\n\n"
        '@registry.register(namespace="tools.a", description="d", secrets=[{"name": "a", "keys": ["K"], "optional": True}])\n'
        "async def run() -> str:\n    return ''\n"
    )
    assert 'secrets=[RS(name="a", keys=["K"], optional=True)]' in _fixed(tmp_path, "m.py", text, "RL210")


def test_rl403_constant_argument_has_no_fix(tmp_path: Path) -> None:
    text = HEAD + 'KEY = "acme.K"\n\n\n@registry.register(namespace="tools.a", description="d")\nasync def run() -> str:\n    return secrets.get(KEY)\n'
    (diag,) = lint(tmp_path, {"m.py": text}, "RL403")
    assert diag.fix is None and "use 'K'" in diag.message


# Python flow (RL406-RL408) ---------------------------------------------------------------
def _flow(tmp_path: Path, body: str, *codes: str, head: str = "") -> list[tuple[str, int, int]]:
    text = (
        "import logging\nimport os\n"
        + HEAD
        + head
        + 'acme = RegistrySecret(name="acme", keys=["ACME_API_KEY"])\nlogger = logging.getLogger(__name__)\n\n\n'
        + '@registry.register(namespace="tools.a", description="d", secrets=[acme])\n'
        + "async def run() -> object:\n"
        + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
        + "\n"
    )
    return [(d.code, d.location.line, d.location.col) for d in lint(tmp_path, {"m.py": text}, *codes)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('key = secrets.get("ACME_API_KEY")\nlogging.getLogger(__name__).warning("k=%s", key)\nreturn None', [("RL408", 11, 49)]),
        ('if key := secrets.get_or_default("ACME_API_KEY"):\n    logger.debug(key.strip())\nreturn None', [("RL408", 11, 22)]),
        ('key = secrets.get("ACME_API_KEY")\nheaders = {}\nheaders["X"] = key\nreturn headers', [("RL408", 13, 12)]),
        ('key = secrets.get("ACME_API_KEY")\nkey = len(key)\nprint(key)\nreturn None', []),
        ('key = secrets.get("ACME_API_KEY")\nlogger.info("has key: %s", key.startswith("sk"))\nreturn None', []),
        ('key = secrets.get("ACME_API_KEY")\nreturn {"ok": bool(key)}', []),
        ('def inner() -> str:\n    return secrets.get("ACME_API_KEY")\nreturn None', []),
    ],
)
def test_secret_value_flow(tmp_path: Path, body: str, expected: list[tuple[str, int, int]]) -> None:
    assert _flow(tmp_path, body, "RL408") == expected


def test_helper_return_is_not_a_leak_but_its_log_is(tmp_path: Path) -> None:
    helper = 'def _token() -> str:\n    token = secrets.get("ACME_API_KEY")\n    logger.info("token %s" % token)\n    return token\n\n\n'
    text = "import logging\n" + HEAD + 'acme = RegistrySecret(name="acme", keys=["ACME_API_KEY"])\nlogger = logging.getLogger(__name__)\n\n\n' + helper
    text += '@registry.register(namespace="tools.a", description="d", secrets=[acme])\nasync def run() -> str:\n    return _token()[:0]\n'
    assert [(d.code, d.location.line) for d in lint(tmp_path, {"m.py": text}, "RL408")] == [("RL408", 9)]


def test_environment_reads(tmp_path: Path) -> None:
    body = """
    url = os.getenv("ACME_BASE_URL")
    key = os.environ.get("ACME_API_KEY", "sk-live-abcdef0123456789")
    token = os.environ["GITHUB_TOKEN"]
    page = os.getenv("NEXT_PAGE_TOKEN")
    return None
    """
    # In a helper: in the registered function itself Tracecat refuses any env read (RL157).
    text = (
        "import os\n" + HEAD + 'acme = RegistrySecret(name="acme", keys=["ACME_API_KEY"])\n\n\n'
        '@registry.register(namespace="tools.a", description="d", secrets=[acme])\nasync def run() -> None:\n    return _env()\n\n\n'
        "def _env() -> None:\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n"
    )
    diags = lint(tmp_path, {"m.py": text}, "RL406", "RL407")
    assert [(d.code, d.location.line) for d in diags] == [("RL406", 13), ("RL406", 14)]
    assert [d.code for d in lint(tmp_path, {"m.py": text.replace("return _env()", "return os.getenv('GITHUB_TOKEN')")}, "RL406", "RL157")].count("RL157") == 1
    assert all("sk-live" not in d.message for d in diags)


def test_environment_fallback_is_only_rl407(tmp_path: Path) -> None:
    body = 'return _key()\n\n\ndef _key() -> object:\n    return secrets.get_or_default("ACME_API_KEY") or os.getenv("ACME_API_KEY")'
    assert _flow(tmp_path, body, "RL406", "RL407") == [("RL407", 14, 58)]  # a nested def: not in co_names


# RL409 on block scalars ---------------------------------------------------------------------
def test_malformed_expressions_in_block_scalar_exact_positions(tmp_path: Path) -> None:
    text = """
    type: action
    definition:
      name: x
      namespace: tools.x
      secrets:
        - {name: a, keys: [K]}
      steps:
        - ref: s
          action: core.script.run_python
          args:
            script: |
              # ${{ SECRETS.a.K }} is fine, ${{ SECRETS.a }} is not
              x = "${ SECRETS.a.K }"
    """
    diags = lint(tmp_path, {"t.yml": text}, "RL409")
    assert where(diags, tmp_path) == [("RL409", "t.yml", 12, 45), ("RL409", "t.yml", 13, 16)]


# Names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("api_key", True), ("apiKey", True), ("client_secret", True), ("ssh_private_key", True),
        ("AWS_SECRET_ACCESS_KEY", True), ("refresh_token", True), ("password", True),
        ("page_token", False), ("nextPageToken", False), ("token_type", False), ("secret_type", False),
        ("max_tokens", False), ("secret_name", False), ("sha256_hashed_password", False),
        ("credentials", False), ("action_token", False), ("GITHUB_TOKEN_URL", False),
    ],
)
def test_credential_names(name: str, credential: bool) -> None:
    assert credential_name(name) is credential


@pytest.mark.parametrize(
    ("raw", "key"),
    [("API_KEY", None), ("SECRETS.acme.API_KEY", "API_KEY"), ("acme.API_KEY", "API_KEY"), ("${{ SECRETS.acme.K }}", "K"), ("SECRETS.acme", "")],
)
def test_path_key(raw: str, key: str | None) -> None:
    assert path_key(raw) == key


def test_snake_case() -> None:
    assert [snake_case(s) for s in ("My-Secret", "mySecret", "HTTPToken", "a__b")] == ["my_secret", "my_secret", "http_token", "a_b"]


def test_oauth_token_messages_name_expected_key_and_line(tmp_path: Path) -> None:
    text = HEAD + '\n\nslack = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")\n\n\n@registry.register(namespace="tools.a", description="d", secrets=[slack])\nasync def run() -> str:\n    return secrets.get_or_default("SLACK_BOT_TOKEN_X") or ""\n'
    diags = lint(tmp_path, {"m.py": text}, "RL401", "RL304")
    assert [d.code for d in diags] == ["RL401"]
    text2 = text.replace("SLACK_BOT_TOKEN_X", "SLACK_SERVICE_TOKEN")
    (diag,) = lint(tmp_path, {"m.py": text2}, "RL401", "RL304")
    assert diag.code == "RL304" and "expected SLACK_USER_TOKEN for grant_type authorization_code (declared at line 4)" in diag.message


# Odd input never crashes a rule ------------------------------------------------------------
ODD_YAML = """
type: action
definition:
  name: x
  namespace: tools.x
  secrets:
    - 1
    - just-a-string
    - {type: oauth}
    - {type: oauth, provider_id: 123, grant_type: [a]}
    - {name: null, keys: [1, null, {a: b}], optional_keys: 5, secret_type: 7, optional: maybe}
    - {name: [x], keys: {A: 1}}
  expects:
    - not-a-mapping
  steps:
    - args: {h: "${{ SECRETS }} ${{ SECRETS. }} ${{ SECRETS.a.b.c.d }} ${{ }} ${{ SECRETS.x.Y"}
    - {{ secrets.a.b }}: 1
"""

ODD_PY = """
import os
from os import environ as env
from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets

kw = {}
a = RegistrySecret(**kw)
b = RegistrySecret("positional", keys=[1, None, "K"], optional_keys="X", secret_type=None)
c = RegistryOAuthSecret(provider_id=None, grant_type=3)


@registry.register(namespace="tools.a", description="d", secrets=[a, b, c, {"name": 1}, {}, {**kw}])
async def run(*args: str, token: "str" = "", **kwargs: str) -> object:
    secrets.get()
    secrets.get(name="X")
    secrets.get(*args)
    x = env[1:2] or env.get() or os.getenv(*args) or os.environ["A" + "PI_TOKEN"]
    (p, q), r = secrets.get("K"), secrets.get("K")
    logger = None
    logger.info(p, *args, **kwargs)
    lambda: print(secrets.get("K"))
    raise x(secrets.get("K"))
"""


def test_odd_input_does_not_crash(tmp_path: Path) -> None:
    # lint_files asserts that no rule raised.
    lint(tmp_path, {"odd.yml": ODD_YAML, "odd.py": ODD_PY}, "RL2", "RL3", "RL4", "RL404")


def test_a_credential_pasted_as_a_key_is_never_echoed(tmp_path: Path) -> None:
    token = "ghp_" + "16C7e42F292c6912E7710c838347Ae178B4a"  # pragma: allowlist secret
    text = (
        HEAD
        + f'acme = RegistrySecret(name="acme", keys=["{token}-x"])\nother = RegistrySecret(name="other", keys="{token}")\n\n\n'
        + '@registry.register(namespace="tools.a", description="d", secrets=[acme])\n'
        + f'async def run() -> str:\n    value = secrets.get("{token}") + secrets.get("acme.{token}")\n    return "ok"\n'
    )
    diags = lint(tmp_path, {"m.py": text})
    assert {d.code for d in diags} >= {"RL202", "RL212", "RL401", "RL403"}
    assert all(token not in d.message for d in diags)


def test_every_secret_rule_has_examples_for_each_source() -> None:
    from registry_lint.rule import load_rules

    for code, cls in load_rules().items():
        if not code.startswith(("RL2", "RL3", "RL4")):
            continue
        for source, ext in (("python", ".py"), ("yaml", ".yml")):
            if source in cls.sources:
                assert any(e.filename.endswith(ext) for e in cls.VALID), (code, source)
                assert any(e.filename.endswith(ext) for e in cls.INVALID), (code, source)


def test_token_name_of_a_declaration_imported_from_a_sibling(tmp_path: Path) -> None:
    # The sibling spells the class through its own imports (an alias here).
    common = "from tracecat_registry import RegistryOAuthSecret as OAuth\n\nteams = OAuth(provider_id='microsoft_teams', grant_type='client_credentials')\n"
    action = "from tracecat_registry import secrets\nfrom .common import teams\n\n\ndef helper() -> str:\n    return secrets.get(teams.token_name)\n"
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "common.py").write_text(common)
    path = tmp_path / "pkg" / "acts.py"
    path.write_text(action)
    src = SourceFile(str(path), action, "python")
    (ref,) = pyx.extract(src, pyx.parse_python(src)).module_refs
    assert (ref.key, ref.computed) == ("MICROSOFT_TEAMS_SERVICE_TOKEN", True)
