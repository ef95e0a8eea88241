"""The reference runtime resolver: values, declarations, stores, resolution, rendering, ``${keys.NAME}``."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest

from registry_lint import engine
from registry_lint.config_table import parse_config
from registry_lint.model import ActionSpec
from registry_lint.runtime import (
    MASK,
    CustomSecret,
    HttpRequest,
    Invalid,
    InventoryError,
    KeyNotAllowedError,
    KeyStore,
    OAuthSecret,
    ResolutionError,
    SecretNotFoundError,
    SecretStore,
    SecretValue,
    StoredKey,
    UndefinedKeyError,
    check,
    declaration,
    load_inventory,
    origin,
    parse_inventory,
    resolve,
    reveal,
    store_for,
    substitute_keys,
    url_allowed,
)

CFG = parse_config({}, root=Path("/virtual"))


def action(source: str, filename: str = "/virtual/action.py") -> ActionSpec:
    result = engine.lint_file(filename, CFG, source.encode())
    assert len(result.actions) == 1, result.diagnostics
    return result.actions[0]


def py(secrets: str, body: str = "pass") -> ActionSpec:
    return action(
        "from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets\n"
        f"@registry.register(namespace='tools.t', description='d', default_title='t', display_group='g', secrets={secrets})\n"
        "async def act() -> dict:\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
        + "    return {}\n"
    )


def yml(secrets: str, args: str) -> ActionSpec:
    text = (
        "type: action\ndefinition:\n  name: act\n  namespace: tools.t\n  title: T\n  description: D\n"
        "  display_group: G\n  secrets:\n"
        + "".join(f"    {line}\n" for line in secrets.strip().splitlines())
        + "  expects: {}\n  steps:\n    - ref: s\n      action: core.http_request\n      args:\n"
        + "".join(f"        {line}\n" for line in args.strip().splitlines())
        + "  returns: ${{ steps.s.result }}\n"
    )
    return action(text, "/virtual/action.yml")


# Secret values ------------------------------------------------------------------
def test_secret_value_is_masked_everywhere(caplog: pytest.LogCaptureFixture) -> None:
    value = SecretValue("hunter2-very-secret")
    assert str(value) == MASK and MASK in repr(value) and f"{value}" == MASK and f"{value:>12}".strip() == MASK
    assert "hunter2" not in repr([value, {"k": value}])
    with caplog.at_level(logging.INFO):
        logging.getLogger("t").info("value %s %r", value, value)
        logging.getLogger("t").info(f"value {value}")
    assert "hunter2" not in caplog.text
    assert value.get_secret_value() == "hunter2-very-secret"
    assert value == SecretValue("hunter2-very-secret") and value != SecretValue("other")
    with pytest.raises(TypeError):
        pickle.dumps(value)
    assert reveal({"a": [value]}) == {"a": ["hunter2-very-secret"]}


def test_secret_value_rejects_non_strings_without_echoing() -> None:
    with pytest.raises(TypeError) as err:
        SecretValue(12345)
    assert "12345" not in str(err.value)


# Declarations --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("secrets", "expected"),
    [
        ('[RegistrySecret(name="exa", keys=["K"])]', CustomSecret("exa", ("K",))),
        ('[RegistrySecret(name="Exa-Key", keys=["K"])]', CustomSecret("Exa-Key", ("K",))),  # pattern is searched
        ('[RegistrySecret(name="s", keys=["TLS_PRIVATE_KEY", "TLS_CERTIFICATE"], secret_type="mtls")]',
         CustomSecret("s", ("TLS_PRIVATE_KEY", "TLS_CERTIFICATE"), secret_type="mtls")),
        ('[RegistrySecret(name="s", keys=["K"], optional="yes")]', CustomSecret("s", ("K",), optional=True)),
        ('[RegistrySecret(name="s", keys=[], secretType="x")]', CustomSecret("s", ())),  # extras ignored
        ('[RegistryOAuthSecret(provider_id="github", grant_type="authorization_code")]',
         OAuthSecret("github", "authorization_code")),
    ],
)
def test_declarations_tracecat_accepts(secrets: str, expected: object) -> None:
    assert declaration(py(secrets).secrets[0]) == expected


@pytest.mark.parametrize(
    ("secrets", "reason"),
    [
        ('[RegistrySecret(name="s")]', "at least one"),
        ('[RegistrySecret(name="s", keys="K")]', "list"),
        ('[RegistrySecret(name="s_oauth", keys=["K"])]', "_oauth"),
        ('[RegistrySecret(name="s", keys=["K"], secret_type="ssh_key")]', "PRIVATE_KEY"),
        ('[RegistrySecret(name="s", keys=["PRIVATE_KEY"], optional_keys=["P"], secret_type="ssh_key")]', "optional_keys"),
        ('[RegistrySecret(name="s", keys=["CA_CERTIFICATE"], secret_type="CA_CERT")]', "secret_type"),
        ('[RegistrySecret(name="s", keys=["-"])]', "does not match"),
        ('[RegistrySecret(name="--", keys=["K"])]', "does not match"),
        ('[RegistrySecret("s", keys=["K"])]', "keyword"),
        ('[RegistrySecret(name="s", keys=["K"], optional=None)]', "boolean"),
        ('[RegistryOAuthSecret(provider_id="github", grant_type="implicit")]', "grant_type"),
        ('[RegistryOAuthSecret(grant_type="client_credentials")]', "provider_id"),
        ('[{"name": "s", "keys": ["K"]}]', "model_dump"),  # register() calls .model_dump() on each entry
        ('[{"name": "github_oauth"}]', "model_dump"),
    ],
)
def test_declarations_tracecat_rejects(secrets: str, reason: str) -> None:
    decl = declaration(py(secrets).secrets[0])
    assert isinstance(decl, Invalid) and reason in decl.message


def test_unknown_declaration_is_unchecked_not_failed() -> None:
    spec = py("[RegistrySecret(name=compute(), keys=['K'])]")
    result = check(spec, SecretStore.build())
    assert result.resolves and result.unchecked


# Stores and inventories ----------------------------------------------------------
def test_inventory_environments_and_oauth(tmp_path: Path) -> None:
    path = tmp_path / "inv.yml"
    path.write_text(
        "secrets:\n  exa: [EXA_API_KEY]\n  ssh: {PRIVATE_KEY: 's3cr3t-pem'}\n"
        "environments:\n  staging: {secrets: {exa: [EXA_API_KEY]}}\n"
        "oauth:\n  - {provider_id: slack, grant_type: authorization_code}\n"
    )
    store = load_inventory(path)
    assert set(store.secret("exa") or {}) == {"EXA_API_KEY"}
    assert (store.secret("ssh") or {})["PRIVATE_KEY"].get_secret_value() == "s3cr3t-pem"
    assert store.secret("ssh", "staging") is None  # exact environment, no fallback
    assert store.integration("slack", "authorization_code") is not None
    assert store.integration("slack", "client_credentials") is None
    assert "s3cr3t" not in repr(store)


def test_inventory_json(tmp_path: Path) -> None:
    path = tmp_path / "inv.json"
    path.write_text('{"secrets": {"exa": ["EXA_API_KEY"]}, "oauth": []}')
    assert load_inventory(path).secret("exa") is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "mapping"),
        ({"secret": {}}, "unknown top-level"),
        ({"secrets": {"exa": "EXA_API_KEY"}}, "list of keys"),
        ({"secrets": {"exa": {"K": {"nested": "hunter2"}}}}, "value must be a string"),
        ({"secrets": {"exa": {"K": "v"}}, "environments": {"default": {"secrets": {"exa": ["K"]}}}}, "also given"),
        ({"environments": {"staging": {"secret": {}}}}, "single `secrets`"),
        ({"oauth": [{"provider_id": "slack", "grant_type": "implicit"}]}, "grant_type"),
        ({"oauth": [{"provider_id": "slack", "grant_type": "authorization_code", "scope": "x"}]}, "unknown field"),
        ({"oauth": {"slack": "authorization_code"}}, "list"),
    ],
)
def test_inventory_errors(data: object, message: str) -> None:
    with pytest.raises(InventoryError) as err:
        parse_inventory(data)
    assert message in str(err.value)
    assert "hunter2" not in str(err.value)


def test_inventory_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match="not found"):
        load_inventory(tmp_path / "missing.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("secrets: [unclosed\n  token: 'hunter2'\n")
    with pytest.raises(InventoryError, match="invalid YAML") as err:
        load_inventory(bad)
    assert "hunter2" not in str(err.value)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"secrets": {"x": {"K": "hunter2"}')
    with pytest.raises(InventoryError, match="invalid JSON") as err:
        load_inventory(bad_json)
    assert "hunter2" not in str(err.value)


# Resolution ------------------------------------------------------------------------
def test_resolve_returns_flattened_mapping() -> None:
    spec = py(
        '[RegistrySecret(name="exa", keys=["EXA_API_KEY"]), RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")]',
        'k = secrets.get("EXA_API_KEY")\nt = secrets.get("SLACK_USER_TOKEN")',
    )
    store = SecretStore.build({"exa": {"EXA_API_KEY": "k-value"}}, oauth={("slack", "authorization_code"): "t-value"})
    secrets = resolve(spec, store)
    assert secrets.get("EXA_API_KEY").get_secret_value() == "k-value"
    assert secrets.get("SLACK_USER_TOKEN").get_secret_value() == "t-value"
    assert secrets.get_or_default("NOPE", "dflt") == "dflt"
    with pytest.raises(SecretNotFoundError) as err:
        secrets.get("NOPE")
    assert "NOPE" in str(err.value)
    assert "k-value" not in repr(secrets)


def test_oauth_token_only_for_matching_grant() -> None:
    spec = py('[RegistryOAuthSecret(provider_id="microsoft_teams", grant_type="client_credentials", optional=True)]')
    store = SecretStore.build(oauth=[("microsoft_teams", "authorization_code")])
    result = check(spec, store)
    assert result.resolves and "MICROSOFT_TEAMS_USER_TOKEN" not in (result.secrets or ())
    assert "microsoft_teams_oauth" not in result.context
    store = SecretStore.build(oauth=[("microsoft_teams", "client_credentials")])
    assert "MICROSOFT_TEAMS_SERVICE_TOKEN" in resolve(spec, store)


def test_required_and_optional_secrets_and_keys() -> None:
    spec = py('[RegistrySecret(name="a", keys=["A"], optional_keys=["B"]), RegistrySecret(name="o", keys=["O"], optional=True)]')
    assert check(spec, SecretStore.build({"a": ["A"]})).resolves
    kinds = [(p.kind, p.secret, p.key) for p in check(spec, SecretStore.build({"a": ["B"]})).problems]
    assert kinds == [("missing-key", "a", "A")]
    kinds = [(p.kind, p.secret, p.key) for p in check(spec, SecretStore.build({})).problems]
    assert kinds == [("missing-secret", "a", None)]


def test_collision_only_between_present_secrets() -> None:
    spec = py('[RegistrySecret(name="a", keys=["K"]), RegistrySecret(name="b", keys=["K"], optional=True)]')
    assert check(spec, SecretStore.build({"a": ["K"]})).resolves
    result = check(spec, SecretStore.build({"a": ["K"], "b": ["K"]}))
    assert [(p.kind, p.key) for p in result.problems] == [("key-collision", "K")]
    with pytest.raises(ResolutionError) as err:
        resolve(spec, SecretStore.build({"a": {"K": "v1-secret"}, "b": {"K": "v2-secret"}}))
    assert "secret" in str(err.value) and "v1-secret" not in str(err.value) and "v2-secret" not in repr(err.value)


def test_invalid_declaration_stops_resolution() -> None:
    spec = py('[RegistrySecret(name="a", keys=["K"]), RegistrySecret(name="s", keys=["X"], secret_type="ssh_key")]')
    result = check(spec, SecretStore.build({"a": ["K"], "s": ["X"]}))
    assert [(p.kind, p.secret) for p in result.problems] == [("invalid-declaration", "s")]
    assert result.secrets is None


def test_template_reference_to_undeclared_secret_is_not_fetched() -> None:
    # executor/service.py: a template's SECRETS context holds only what was
    # fetched for its declarations (and its steps'); its own references are
    # never fetched, so an undeclared one renders None whatever the workspace has.
    spec = yml("- name: a\n  keys: [K]", "x: ${{ SECRETS.a.K }}\ny: ${{ SECRETS.other.O }}")
    result = check(spec, SecretStore.build({"a": ["K"], "other": ["O"]}))
    assert [(p.kind, p.secret, p.key) for p in result.problems] == [("undeclared-secret", "other", "O")]
    assert "never fetches" in result.problems[0].message
    # Declared by a step action (Tracecat aggregates step declarations): fetched.
    step = py('[RegistrySecret(name="other", keys=["O"])]')
    assert check(spec, SecretStore.build({"a": ["K"], "other": ["O"]}), also_declared=step.secrets).resolves


def test_template_oauth_reference_needs_the_declared_grant() -> None:
    spec = yml(
        "- {type: oauth, provider_id: slack, grant_type: authorization_code}",
        "h: ${{ SECRETS.slack_oauth.SLACK_USER_TOKEN }}",
    )
    assert check(spec, SecretStore.build(oauth=[("slack", "authorization_code")])).resolves
    result = check(spec, SecretStore.build(oauth=[("slack", "client_credentials")]))
    assert [(p.kind, p.secret, p.key) for p in result.problems] == [
        ("missing-oauth-integration", "slack_oauth", "SLACK_USER_TOKEN")
    ]
    # The other grant's token is never fetched, even when that integration exists.
    other = yml(
        "- {type: oauth, provider_id: slack, grant_type: authorization_code}",
        "h: ${{ SECRETS.slack_oauth.SLACK_SERVICE_TOKEN }}",
    )
    both = SecretStore.build(oauth=[("slack", "authorization_code"), ("slack", "client_credentials")])
    assert [(p.kind, p.key) for p in check(other, both).problems] == [("undeclared-secret", "SLACK_SERVICE_TOKEN")]
    undeclared = yml("[]", "h: ${{ SECRETS.slack_oauth.SLACK_USER_TOKEN }}")
    assert [p.kind for p in check(undeclared, both).problems] == ["undeclared-secret"]


def test_key_in_keys_and_optional_keys_is_optional() -> None:
    # validation/service.py: missing = (required - defined) - optional.
    spec = yml("- name: a\n  keys: [K, O]\n  optional_keys: [O]", "x: ${{ SECRETS.a.K }}\ny: ${{ SECRETS.a.O }}")
    assert check(spec, SecretStore.build({"a": ["K"]})).resolves
    assert [(p.kind, p.key) for p in check(spec, SecretStore.build({"a": ["O"]})).problems] == [("missing-key", "K")]


def test_secret_declared_twice() -> None:
    # Fetched once; AuthSandbox exempts names any declaration marks optional;
    # the validation service checks keys against the first declaration only.
    spec = py(
        '[RegistrySecret(name="a", keys=["K"]), RegistrySecret(name="a", keys=["L"], optional=True)]',
        'x = secrets.get("K")',
    )
    assert check(spec, SecretStore.build()).resolves  # optional by the second declaration
    result = check(spec, SecretStore.build({"a": ["L"]}))
    assert [(p.kind, p.key) for p in result.problems] == [("missing-key", "K")]
    assert check(spec, SecretStore.build({"a": ["K"]})).resolves  # L: only the second declaration's key


def test_render_step_args() -> None:
    spec = yml(
        "- name: a\n  keys: [K]\n  optional_keys: [OPT]",
        "h: ${{ SECRETS.a.K }}",
    )
    result = check(spec, SecretStore.build({"a": {"K": "tok-123"}}))
    rendered = result.render(
        {
            "whole": "${{ SECRETS.a.K }}",
            "inline": ["Bearer ${{ SECRETS.a.K }}"],
            "optional": "${{ SECRETS.a.OPT }}",
            "fallback": "${{ SECRETS.a.OPT || SECRETS.a.K }}",
            "other": "${{ inputs.x }}",
            "n": 3,
        }
    )
    assert isinstance(rendered, dict)
    assert reveal(rendered) == {
        "whole": "tok-123",
        "inline": ["Bearer tok-123"],
        "optional": None,
        "fallback": "tok-123",
        "other": "${{ inputs.x }}",
        "n": 3,
    }
    assert "tok-123" not in repr(rendered)
    with pytest.raises(ResolutionError) as err:
        result.render({"h": "${{ SECRETS.a.MISSING }}", "g": "${{ SECRETS.nope.K }}"})
    assert {(p.kind, p.secret, p.key) for p in err.value.problems} == {
        ("missing-key", "a", "MISSING"),
        ("undeclared-secret", "nope", "K"),
    }


# ${keys.NAME} ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://API.Example.com:443/path?q=1", "https://api.example.com"),
        ("http://example.com:80", "http://example.com"),
        ("http://example.com:8080/x", "http://example.com:8080"),
        ("HTTPS://user:pw@example.com/", "https://example.com"),
        ("https://[::1]:8443/", "https://[::1]:8443"),
        ("example.com/path", None),
        ("https://example.com:99999/", None),
    ],
)
def test_origin(url: str, expected: str | None) -> None:
    assert origin(url) == expected


def test_url_allowlist() -> None:
    assert url_allowed("https://evil.example", [])
    assert url_allowed("https://api.example.com/v1", ["https://api.example.com"])
    assert url_allowed("https://api.example.com:443/v1", ["https://api.example.com/other/path"])
    assert not url_allowed("http://api.example.com/v1", ["https://api.example.com"])
    assert not url_allowed("https://api.example.com:8443/", ["https://api.example.com"])
    assert not url_allowed("https://api.example.com.evil.io/", ["https://api.example.com"])
    assert not url_allowed("not a url", ["https://api.example.com"])
    assert not url_allowed("https://api.example.com/", ["api.example.com"])


def _keys() -> KeyStore:
    return KeyStore(
        user={"GH": StoredKey(SecretValue("gh-user-value"), ("https://api.github.com",))},
        workspace={
            "GH": StoredKey(SecretValue("gh-ws-value")),
            "SHARED": StoredKey(SecretValue("shared-value"), ("https://hooks.example.com",)),
        },
    )


def test_substitute_keys_in_url_headers_body() -> None:
    request = HttpRequest(
        url="https://api.github.com/repos?token=${keys.GH}",
        headers={"Authorization": "Bearer ${keys.GH}", "Accept": "json"},
        body={"nested": ["${keys.GH}", 1], "plain": "x"},
    )
    out = substitute_keys(request, _keys())
    assert reveal(out.url) == "https://api.github.com/repos?token=gh-user-value"
    assert reveal(dict(out.headers)) == {"Authorization": "Bearer gh-user-value", "Accept": "json"}
    assert reveal(out.body) == {"nested": ["gh-user-value", 1], "plain": "x"}
    assert "gh-user-value" not in repr(out)


def test_substitute_keys_workspace_fallback_and_scope() -> None:
    request = HttpRequest(url="https://hooks.example.com/x", headers={"X-Key": "${keys.SHARED}"})
    assert reveal(dict(substitute_keys(request, _keys()).headers))["X-Key"] == "shared-value"
    # Workspace scope does not see user keys.
    request = HttpRequest(url="https://elsewhere.example/", headers={"X": "${keys.GH}"})
    out = substitute_keys(request, _keys(), scope="workspace")
    assert reveal(dict(out.headers))["X"] == "gh-ws-value"


def test_substitute_keys_errors_never_leak() -> None:
    with pytest.raises(UndefinedKeyError) as undefined:
        substitute_keys(HttpRequest(url="https://x.example/${keys.NOPE}"), _keys())
    assert "NOPE" in str(undefined.value)
    # A user key with an allowlist: a header is sent to the URL's origin too.
    with pytest.raises(KeyNotAllowedError) as denied:
        substitute_keys(HttpRequest(url="https://evil.example/", headers={"A": "${keys.GH}"}), _keys())
    assert "GH" in str(denied.value) and "https://evil.example" in str(denied.value)
    assert "gh-user-value" not in str(denied.value)
    # A key substituted into the host is masked in the error.
    keys = KeyStore(workspace={"HOST": StoredKey(SecretValue("secret-host.example")), "T": StoredKey(SecretValue("t"), ("https://ok.example",))})
    with pytest.raises(KeyNotAllowedError) as masked:
        substitute_keys(HttpRequest(url="https://${keys.HOST}/", headers={"A": "${keys.T}"}), keys)
    assert "secret-host" not in str(masked.value) and MASK in str(masked.value)


def test_key_reference_pattern() -> None:
    keys = KeyStore(workspace={"a-b_1": StoredKey(SecretValue("v"))})
    out = substitute_keys(HttpRequest(url="https://x.example/${keys.a-b_1}/${keys.}/${keys.a.b}"), keys)
    assert reveal(out.url) == "https://x.example/v/${keys.}/${keys.a.b}"


def test_store_for_satisfies_declarations() -> None:
    spec = py(
        '[RegistrySecret(name="a", keys=["A"], optional_keys=["B"]), RegistryOAuthSecret(provider_id="g", grant_type="client_credentials")]'
    )
    store = store_for(spec)
    assert set(store.secret("a") or {}) == {"A", "B"}
    assert store.integration("g", "client_credentials") is not None
    minimal = store_for(spec, include_optional=False)
    assert set(minimal.secret("a") or {}) == {"A"}
    assert check(spec, minimal).resolves
