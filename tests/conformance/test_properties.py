"""Property tests (bounded): random declarations, random stores.

- lint-clean declarations (no RL2xx/RL3xx/RL4xx error from the implemented
  rules) resolve whenever the store satisfies them;
- no problem, error, repr or str of the resolver ever contains a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from registry_lint import engine, run
from registry_lint.config_table import parse_config
from registry_lint.model import ActionSpec, Severity
from registry_lint.rule import load_rules
from registry_lint.runtime import (
    CustomSecret,
    HttpRequest,
    KeyReferenceError,
    KeyStore,
    OAuthSecret,
    ResolutionError,
    SecretStore,
    SecretValue,
    StoredKey,
    action_declarations,
    check,
    resolve,
    substitute_keys,
)

CFG = parse_config({}, root=Path("/prop"))
IMPLEMENTED = frozenset(load_rules())
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = ["exa", "slack_bot", "aws", "Bad-Name", "x_oauth", "ssh"]
KEYS = ["API_KEY", "TOKEN", "PRIVATE_KEY", "TLS_CERTIFICATE", "TLS_PRIVATE_KEY", "CA_CERTIFICATE", "lower", "BASE_URL"]
TYPES = [None, "custom", "ssh_key", "mtls", "ca_cert", "SSH_KEY"]
PROVIDERS = ["github", "slack", "google", "microsoft_teams", "acme_idp"]
GRANTS = ["authorization_code", "client_credentials", None, "implicit"]


@dataclass(frozen=True)
class Custom:
    name: str
    keys: tuple[str, ...] | None
    optional_keys: tuple[str, ...] | None
    optional: bool
    secret_type: str | None

    def py(self) -> str:
        args = [f"name={self.name!r}"]
        if self.keys is not None:
            args.append(f"keys={list(self.keys)!r}")
        if self.optional_keys is not None:
            args.append(f"optional_keys={list(self.optional_keys)!r}")
        if self.optional:
            args.append("optional=True")
        if self.secret_type is not None:
            args.append(f"secret_type={self.secret_type!r}")
        return f"RegistrySecret({', '.join(args)})"


@dataclass(frozen=True)
class OAuth:
    provider_id: str
    grant_type: str | None
    optional: bool

    def py(self) -> str:
        args = [f"provider_id={self.provider_id!r}"]
        if self.grant_type is not None:
            args.append(f"grant_type={self.grant_type!r}")
        if self.optional:
            args.append("optional=True")
        return f"RegistryOAuthSecret({', '.join(args)})"


key_lists = st.none() | st.lists(st.sampled_from(KEYS), max_size=3).map(tuple)
any_customs = st.builds(Custom, st.sampled_from(NAMES), key_lists, key_lists, st.booleans(), st.sampled_from(TYPES))
# Mostly-valid declarations, so that lint-clean examples are common.
GOOD_NAMES = ["exa", "slack_bot", "aws", "ssh", "corp"]
GOOD_KEYS = ["API_KEY", "TOKEN", "BASE_URL", "REGION", "USER_NAME"]
STRUCTURED = [("ssh_key", ("PRIVATE_KEY",)), ("mtls", ("TLS_PRIVATE_KEY", "TLS_CERTIFICATE")), ("ca_cert", ("CA_CERTIFICATE",))]
good_key_lists = st.lists(st.sampled_from(GOOD_KEYS), min_size=1, max_size=3, unique=True).map(tuple)
good_customs = st.builds(
    lambda name, keys, n_optional, optional, stype: Custom(
        name, keys[n_optional:] or keys, keys[:n_optional] if 0 < n_optional < len(keys) else None, optional, stype
    ),
    st.sampled_from(GOOD_NAMES), good_key_lists, st.integers(0, 2), st.booleans(), st.sampled_from([None, "custom"]),
) | st.builds(
    lambda name, shape, optional: Custom(name, shape[1], None, optional, shape[0]),
    st.sampled_from(GOOD_NAMES), st.sampled_from(STRUCTURED), st.booleans(),
)
# Grants each provider offers (RULES.md catalogue).
SUPPORTED = [("github", "authorization_code"), ("slack", "authorization_code"), ("google", "client_credentials"),
             ("microsoft_teams", "authorization_code"), ("microsoft_teams", "client_credentials")]
good_oauths = st.builds(lambda pg, optional: OAuth(pg[0], pg[1], optional), st.sampled_from(SUPPORTED), st.booleans())
oauths = st.builds(OAuth, st.sampled_from(PROVIDERS), st.sampled_from(GRANTS), st.booleans())
declarations = st.lists(st.one_of(good_customs, good_oauths, any_customs, oauths), max_size=4)
token_keys = [f"{p.upper()}_{s}" for p in PROVIDERS for s in ("USER_TOKEN", "SERVICE_TOKEN")]
reads = st.lists(st.tuples(st.sampled_from(["get", "get_or_default"]), st.sampled_from(KEYS + GOOD_KEYS + token_keys)), max_size=3)


@st.composite
def clean_inputs(draw: st.DrawFn) -> tuple[list[Custom | OAuth], list[tuple[str, str]]]:
    """Declarations plus reads drawn mostly from the keys they declare."""
    decls = draw(st.lists(st.one_of(good_customs, good_oauths), max_size=3, unique_by=_identity))
    keys: list[str] = []
    for d in decls:
        if isinstance(d, Custom):
            keys += [*(d.keys or ()), *(d.optional_keys or ())]
        elif d.grant_type:
            keys.append(f"{d.provider_id.upper()}_{'USER' if d.grant_type == 'authorization_code' else 'SERVICE'}_TOKEN")
    key = st.sampled_from(keys * 4 + GOOD_KEYS)  # mostly declared keys, sometimes not
    body = draw(st.lists(st.tuples(st.sampled_from(["get", "get_or_default"]), key), max_size=3))
    if draw(st.integers(0, 3)) == 0:
        decls = decls + [draw(st.one_of(any_customs, oauths))]
    return decls, body


def _identity(decl: Custom | OAuth) -> object:
    return decl.name if isinstance(decl, Custom) else (decl.provider_id, decl.grant_type)


# Values that cannot be confused with names or message text.
values = st.text(min_size=6, max_size=20).map(lambda s: f"~{s}#")


@st.composite
def satisfying(draw: st.DrawFn, spec: ActionSpec) -> SecretStore:
    """Required secrets/keys/integrations, plus random optional ones and unique extra keys."""
    secrets: dict[str, dict[str, str]] = {}
    oauth: dict[tuple[str, str], str] = {}
    declared = [decl for _, decl in action_declarations(spec)]
    # AuthSandbox: a name is optional when any of its declarations says so.
    optional = {d.name for d in declared if isinstance(d, CustomSecret) and d.optional}
    skipped = {name for name in sorted(optional) if not draw(st.booleans())}
    for decl in declared:
        if isinstance(decl, CustomSecret):
            if decl.name in skipped:
                continue
            target = secrets.setdefault(decl.name, {})
            for key in decl.required_keys:
                target[key] = draw(values)
            for key in decl.exposed_keys:
                if key not in target and draw(st.booleans()):
                    target[key] = draw(values)
            if draw(st.booleans()):
                target[f"EXTRA_{decl.name}"] = draw(values)  # unique: never collides
        elif isinstance(decl, OAuthSecret):
            if not decl.optional or draw(st.booleans()):
                oauth[decl.provider_key] = draw(values)
    return SecretStore.build(secrets, oauth=oauth)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(inputs=clean_inputs(), data=st.data())
def test_lint_clean_declarations_resolve_against_satisfying_stores(
    inputs: tuple[list[Custom | OAuth], list[tuple[str, str]]], data: st.DataObject
) -> None:
    decls, body_reads = inputs
    spec, source = _build_with_source(decls, body_reads)
    errors = _errors(spec, source)
    assume(not errors)
    assert "RL401" in IMPLEMENTED  # otherwise undeclared reads would pass as clean
    store = data.draw(satisfying(spec))
    result = check(spec, store)
    assert result.resolves, [(p.kind, p.secret, p.key) for p in result.problems]


def _build_with_source(decls: list[Custom | OAuth], body_reads: list[tuple[str, str]]) -> tuple[ActionSpec, bytes]:
    body = "".join(
        f"    v{i} = secrets.{via}({key!r}{', None' if via == 'get_or_default' else ''})\n"
        for i, (via, key) in enumerate(body_reads)
    )
    source = (
        "from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets\n\n\n"
        "@registry.register(default_title='T', description='D.', display_group='G',\n"
        "    doc_url='https://example.com', namespace='tools.prop',\n"
        f"    secrets=[{', '.join(d.py() for d in decls)}])\n"
        "async def act() -> dict[str, str]:\n" + body + "    return {}\n"
    ).encode()
    result = engine.lint_file("/prop/act.py", CFG, source)
    assert not result.internal_errors and len(result.actions) == 1
    return result.actions[0], source


def _errors(spec: ActionSpec, source: bytes) -> list[str]:
    done = run.finish([engine.lint_file(spec.path, CFG, source)], CFG)
    # An RL213 warning is a collision of optional secrets/keys: it fails exactly
    # when the workspace sets both, which a satisfying store may do.
    return [
        d.code
        for d in done.diagnostics
        if d.code[:3] in ("RL2", "RL3", "RL4") and (d.severity is Severity.ERROR or d.code == "RL213")
    ]


@st.composite
def random_store(draw: st.DrawFn) -> SecretStore:
    secrets = draw(st.dictionaries(st.sampled_from(NAMES), st.dictionaries(st.sampled_from(KEYS), values, max_size=3), max_size=4))
    oauth = draw(st.dictionaries(st.tuples(st.sampled_from(PROVIDERS), st.sampled_from(GRANTS[:2])), values, max_size=3))
    envs = draw(st.dictionaries(st.sampled_from(["staging", "prod"]), st.just(secrets), max_size=1))
    return SecretStore.build(secrets, environments=envs, oauth=oauth)


@pytest.mark.slow
@SETTINGS
@given(decls=declarations, body_reads=reads, store=random_store(), env=st.sampled_from(["default", "staging"]))
def test_resolver_output_never_contains_values(
    decls: list[Custom | OAuth], body_reads: list[tuple[str, str]], store: SecretStore, env: str
) -> None:
    spec, _ = _build_with_source(decls, body_reads)
    secret_values = [v.get_secret_value() for v in store.values()]
    result = check(spec, store, environment=env)
    texts = [repr(result), str(result), repr(store), str(store)]
    texts += [repr(p) for p in result.problems] + [p.message for p in result.problems]
    try:
        secrets = resolve(spec, store, environment=env)
    except ResolutionError as exc:
        texts += [str(exc), repr(exc), repr(exc.args)]
    else:
        texts += [repr(secrets), str(secrets)] + [f"{secrets.get(k)!s} {secrets.get(k)!r}" for k in secrets]
        try:
            secrets.get("NOT_A_KEY")
        except KeyError as exc:
            texts += [str(exc), repr(exc)]
    if result.resolves:
        try:
            rendered = result.render({f"{n}.{k}": f"Bearer ${{{{ SECRETS.{n}.{k} }}}}" for n in NAMES for k in KEYS})
        except ResolutionError as exc:
            texts += [str(exc), repr(exc)]
        else:
            texts += [repr(rendered), str(rendered)]
    for text in texts:
        for value in secret_values:
            assert value not in text


@SETTINGS
@given(
    user=st.dictionaries(st.sampled_from(["A", "B", "C"]), values, max_size=3),
    workspace=st.dictionaries(st.sampled_from(["B", "C", "D"]), values, max_size=3),
    allow=st.lists(st.sampled_from(["https://api.example.com", "http://api.example.com:8080", "https://other.example"]), max_size=2),
    url=st.sampled_from(["https://api.example.com/x", "http://api.example.com:8080/", "https://${keys.A}/", "nonsense"]),
    header=st.sampled_from(["${keys.A}", "${keys.B}", "Bearer ${keys.D}", "${keys.E}", "plain"]),
)
def test_key_substitution_never_leaks(
    user: dict[str, str], workspace: dict[str, str], allow: list[str], url: str, header: str
) -> None:
    keys = KeyStore(
        user={k: StoredKey(SecretValue(v), tuple(allow)) for k, v in user.items()},
        workspace={k: StoredKey(SecretValue(v)) for k, v in workspace.items()},
    )
    try:
        out = substitute_keys(HttpRequest(url=url, headers={"Authorization": header}, body=[header]), keys)
    except KeyReferenceError as exc:
        texts = [str(exc), repr(exc)]
    else:
        texts = [repr(out), str(out)]
    for text in texts:
        for value in [*user.values(), *workspace.values()]:
            assert value not in text
