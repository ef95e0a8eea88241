"""Resolve an action's secrets the way Tracecat's executor does.

Mirrors ``tracecat/executor/service.py`` (``prepare_resolved_context``,
``_execute_template_action``), ``tracecat/executor/registry_resolver.py``
(``collect_action_secrets_from_manifest``), ``tracecat/secrets/secrets_manager.py``
(``get_action_secrets``, ``flatten_secrets``), ``tracecat/auth/sandbox.py``
(required vs optional secret names), ``tracecat/validation/service.py``
(required keys and integrations) and ``tracecat_registry/_internal/secrets.py``
(``get`` / ``get_or_default``):

1. every declaration is validated like the registry models; one invalid
   declaration (or a ``secrets`` that is not a list of them) means the
   action cannot be registered: nothing resolves;
2. the secrets fetched are the declared ones, the action's and its steps'
   (``also_declared``: Tracecat collects a template's step actions'
   declarations too); a template's own ``${{ SECRETS... }}`` references
   are *not* fetched (only a workflow's arguments are scanned for them),
   so a reference to a secret or OAuth token nothing declares renders
   ``None``: it does not resolve;
3. a declared secret missing from the run's environment fails unless some
   declaration of that name is ``optional`` (``AuthSandbox``: the names of
   optional declarations are exempt); a secret declared twice is fetched once;
4. a fetched secret lacking a required key fails, judged by the first
   declaration of that name (the validation service checks each name once)
   with required = ``keys`` minus ``optional_keys``, so a key in both lists
   is optional;
5. OAuth integrations are fetched per declared ``(provider_id,
   grant_type)``; the token appears under ``<provider_id>_oauth`` only for
   the grant that is connected; a missing required integration fails, and
   so does one that exists without a usable token (``configured``,
   ``reauth_required``: the message says which);
6. the fetched secrets, with all their stored keys, are flattened for
   ``secrets.get``; a key present in two fetched secrets fails;
7. each ``secrets.get("K")`` the action reaches must find K, unless the
   action declares K optional (then the read is the UDF's own, conditional
   business: RL405); each template reference must render, except references
   the action declared optional (Tracecat renders those as ``None``).

Problems name secrets and keys, never values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from ..model import ActionSpec, Location, SecretSpec
from ..tracecat import OAUTH_SECRET_SUFFIX, grant_for_token, oauth_secret_name
from .declarations import CustomSecret, Invalid, OAuthSecret, Unknown, action_declarations, declaration
from .problems import Problem, ProblemKind, ResolutionError, dedupe
from .store import DEFAULT_ENVIRONMENT, SecretStore
from .values import SecretValue

T = TypeVar("T")


class SecretNotFoundError(KeyError):
    """``secrets.get(K)`` for a key the run does not have (Tracecat's message)."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)

    def __str__(self) -> str:
        return f"Secret {self.key!r} is required but not found."


class ResolvedSecrets:
    """The flattened mapping a UDF reads through ``secrets.get``."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, SecretValue]) -> None:
        self._values = dict(values)

    def get(self, key: str) -> SecretValue:
        if key in self._values:
            return self._values[key]
        raise SecretNotFoundError(key)

    def get_or_default(self, key: str, default: T | None = None) -> SecretValue | T | None:
        return self._values.get(key, default)

    def __getitem__(self, key: str) -> SecretValue:
        return self.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._values))

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return sorted(self._values)

    def __repr__(self) -> str:
        return f"ResolvedSecrets(keys={self.keys()!r})"


@dataclass(frozen=True)
class Resolution:
    """Everything :func:`check` learned about one action against one store."""

    action: str | None
    environment: str
    problems: tuple[Problem, ...] = ()
    #: Flattened mapping; None when declarations are invalid or keys collide.
    secrets: ResolvedSecrets | None = None
    #: The ``SECRETS`` context templates render against: {name: {KEY: value}}.
    context: Mapping[str, Mapping[str, SecretValue]] = field(default_factory=dict)
    #: Declarations the linter could not evaluate statically (not checked).
    unchecked: tuple[str, ...] = ()
    optional_secrets: frozenset[str] = frozenset()
    optional_keys: frozenset[tuple[str, str]] = frozenset()
    #: Status of integrations that exist without a usable token (for messages).
    integration_status: Mapping[tuple[str, str], str] = field(default_factory=dict)
    #: Names Tracecat fetches for this action (declared, by it or its steps).
    declared: frozenset[str] = frozenset()
    #: (``<pid>_oauth``, token key) of every declared OAuth secret.
    declared_tokens: frozenset[tuple[str, str]] = frozenset()

    @property
    def resolves(self) -> bool:
        return not self.problems

    def lookup(self, secret: str, key: str, location: Location | None = None) -> SecretValue | Problem | None:
        """Value of ``${{ SECRETS.secret.key }}``: a value, None (optional and absent) or a Problem."""
        values = self.context.get(secret)
        if values is None:
            if secret in self.optional_secrets or (secret, key) in self.optional_keys:
                return None
            if secret not in self.declared:
                return Problem(
                    "undeclared-secret", secret, key,
                    f"`SECRETS.{secret}.{key}` names a secret the action does not declare: Tracecat never fetches it, "
                    "so the expression renders None",
                    location,
                )
            grant = grant_for_token(key) if secret.endswith(OAUTH_SECRET_SUFFIX) else None
            if grant is not None:
                pid = secret[: -len(OAUTH_SECRET_SUFFIX)]
                state = unusable(self.integration_status.get((pid, grant)))
                return Problem(
                    "missing-oauth-integration", secret, key,
                    f"OAuth integration {pid!r} ({grant}) {state}, so {secret}.{key} is unavailable",
                    location,
                )
            return Problem("missing-secret", secret, None, f"Secret {secret!r} is not set in environment {self.environment!r}", location)
        if key in values:
            return values[key]
        if (secret, key) in self.optional_keys:
            return None
        if secret.endswith(OAUTH_SECRET_SUFFIX) and (secret, key) not in self.declared_tokens:
            return Problem(
                "undeclared-secret", secret, key,
                f"`SECRETS.{secret}.{key}`: no declared OAuth secret provides this token, so Tracecat never fetches it "
                "and the expression renders None",
                location,
            )
        return Problem("missing-key", secret, key, f"Secret {secret!r} has no key {key!r} in environment {self.environment!r}", location)

    def render(self, obj: object) -> object:
        """Render ``${{ SECRETS.a.B }}`` (and ``A || B`` of such) in step args.

        Strings holding a secret become :class:`SecretValue`; other
        expressions are left untouched. Raises :class:`ResolutionError`.
        """
        if not self.resolves:
            raise ResolutionError(self.problems)
        from .render import render

        return render(obj, self)


def check(
    action: ActionSpec,
    store: SecretStore,
    *,
    environment: str = DEFAULT_ENVIRONMENT,
    also_declared: Sequence[SecretSpec] = (),
) -> Resolution:
    """Resolve ``action`` against ``store``; never raises for missing credentials.

    ``also_declared``: declarations of the template's step actions (Tracecat
    fetches them for the template too); invalid ones are ignored here (they
    fail their own action's registration).
    """
    problems: list[Problem] = [
        Problem("invalid-declaration", None, None, f"`secrets` cannot be registered: {what}", where)
        for where, what in action.malformed_secrets
    ]
    custom: list[CustomSecret] = []
    oauth: dict[tuple[str, str], OAuthSecret] = {}
    unchecked: list[str] = [] if action.secrets_known else ["secrets="]
    for spec, decl in action_declarations(action):  # 1.
        if isinstance(decl, Invalid):
            problems.append(Problem("invalid-declaration", decl.secret, None, decl.message, spec.location))
        elif isinstance(decl, Unknown):
            unchecked.append(f"{decl.secret or '<secret>'}.{decl.field}")
        elif isinstance(decl, CustomSecret):
            custom.append(decl)
        else:
            oauth[decl.provider_key] = decl  # a dict keyed by ProviderKey: last one wins
    if problems:
        return Resolution(action.key, environment, tuple(problems), unchecked=tuple(unchecked))
    for spec in also_declared:
        decl = declaration(spec)
        if isinstance(decl, CustomSecret):
            custom.append(decl)
        elif isinstance(decl, OAuthSecret):
            oauth.setdefault(decl.provider_key, decl)

    templates = [r for r in action.refs if r.via == "template" and r.secret and r.key]
    first: dict[str, CustomSecret] = {}
    for decl in custom:
        first.setdefault(decl.name, decl)
    context = _fetch_secrets(action, custom, first, store, environment, problems)  # 2. 3. 4.
    _fetch_integrations(action, oauth, store, context, problems)  # 5.
    flat = _flatten(action, context, problems)  # 6.
    optional_keys = {(n, k) for n, c in first.items() for k in c.exposed_keys if c.is_optional_key(k)}
    optional_keys |= {(o.name, o.token_name) for o in oauth.values() if o.optional}
    resolution = Resolution(
        action.key, environment, (), None if flat is None else ResolvedSecrets(flat),
        context, tuple(unchecked), frozenset(c.name for c in custom if c.optional), frozenset(optional_keys),
        store.oauth_status,
        frozenset(first) | frozenset(o.name for o in oauth.values()),
        frozenset((o.name, o.token_name) for o in oauth.values()),
    )
    if flat is not None:  # 7.
        problems += _check_reads(action, [*custom, *oauth.values()], flat, resolution.optional_secrets)
    for ref in templates:
        assert ref.secret is not None and ref.key is not None
        found = resolution.lookup(ref.secret, ref.key, ref.location)
        if isinstance(found, Problem):
            problems.append(found)
    return replace(resolution, problems=dedupe(problems))


def _fetch_secrets(
    action: ActionSpec,
    custom: list[CustomSecret],
    first: dict[str, CustomSecret],
    store: SecretStore,
    environment: str,
    problems: list[Problem],
) -> dict[str, dict[str, SecretValue]]:
    """Declared secrets (AuthSandbox), then required keys (validation service)."""
    optional = {c.name for c in custom if c.optional}  # AuthSandbox: optional if any declaration says so
    context: dict[str, dict[str, SecretValue]] = {}
    # Sorted: Tracecat's database order is unspecified.
    for name in sorted(first):
        values = store.secret(name, environment)
        if values is not None:
            context[name] = dict(values)
        elif name not in optional:
            problems.append(Problem(
                "missing-secret", name, None, f"Secret {name!r} is not set in environment {environment!r}",
                _decl_location(action, name),
            ))
    for name, decl in first.items():
        present = context.get(name)
        for key in decl.required_keys if present is not None else ():
            if key not in present:
                problems.append(Problem(
                    "missing-key", name, key,
                    f"Secret {name!r} has no required key {key!r} in environment {environment!r}",
                    _decl_location(action, name),
                ))
    return context


def _fetch_integrations(
    action: ActionSpec,
    oauth: dict[tuple[str, str], OAuthSecret],
    store: SecretStore,
    context: dict[str, dict[str, SecretValue]],
    problems: list[Problem],
) -> None:
    """Declared integrations only (a template's own references are never fetched)."""
    for pkey in sorted(oauth):
        pid, grant = pkey
        token_name = oauth[pkey].token_name
        token = store.integration(pid, grant)
        if token is not None:
            context.setdefault(oauth_secret_name(pid), {})[token_name] = token
        elif not oauth[pkey].optional:
            problems.append(Problem(
                "missing-oauth-integration", oauth_secret_name(pid), token_name,
                f"Required OAuth integration {pid!r} ({grant}) {unusable(store.integration_status(pid, grant))}",
                _decl_location(action, oauth_secret_name(pid)),
            ))


def unusable(status: str | None) -> str:
    """Why an integration gives no token, as a predicate: 'is not configured', ..."""
    if status == "configured":
        # Client credentials stored, no access token: never connected, or disconnected.
        return "is configured but not connected (status 'configured')"
    if status == "reauth_required":
        return "has expired and needs reauthorization (status 'reauth_required')"
    return "is not configured"


def _flatten(
    action: ActionSpec, context: dict[str, dict[str, SecretValue]], problems: list[Problem]
) -> dict[str, SecretValue] | None:
    """``flatten_secrets``: every stored key of every fetched secret; None on a collision."""
    flat: dict[str, SecretValue] = {}
    owner: dict[str, str] = {}
    collided = False
    for name, values in context.items():
        for key, value in values.items():
            if key not in flat:
                flat[key] = value
                owner[key] = name
                continue
            collided = True
            problems.append(Problem(
                "key-collision", name, key,
                f"Key {key!r} is set by both secret {owner[key]!r} and secret {name!r}: "
                "Tracecat flattens secrets for secrets.get and fails on the duplicate",
                _decl_location(action, name),
            ))
    return None if collided else flat


def _check_reads(
    action: ActionSpec,
    decls: list[CustomSecret | OAuthSecret],
    flat: dict[str, SecretValue],
    optional_names: frozenset[str],
) -> list[Problem]:
    """``secrets.get("K")`` calls the action reaches, against the flattened mapping."""
    exposes: dict[str, list[CustomSecret | OAuthSecret]] = {}
    for decl in decls:
        for key in decl.exposed_keys if isinstance(decl, CustomSecret) else (decl.token_name,):
            exposes.setdefault(key, []).append(decl)
    problems: list[Problem] = []
    for ref in action.refs:
        if ref.via != "get" or not ref.attributed or ref.key is None or ref.key in flat:
            continue
        owners = exposes.get(ref.key, [])
        if owners and all(d.name in optional_names or _optional_key(d, ref.key) for d in owners):
            # Declared optional: whether this read runs depends on the UDF's
            # own checks (RL405 warns when it is unguarded).
            continue
        problems.append(Problem(
            "missing-key", owners[0].name if owners else None, ref.key,
            f"secrets.get({ref.key!r}) raises: no fetched secret provides key {ref.key!r}",
            ref.location,
        ))
    return problems


def resolve(action: ActionSpec, store: SecretStore, *, environment: str = DEFAULT_ENVIRONMENT) -> ResolvedSecrets:
    """The mapping the action's UDF sees; raises :class:`ResolutionError`."""
    result = check(action, store, environment=environment)
    if not result.resolves or result.secrets is None:
        raise ResolutionError(result.problems)
    return result.secrets


def _optional_key(decl: CustomSecret | OAuthSecret, key: str) -> bool:
    if isinstance(decl, OAuthSecret):
        return decl.optional
    return decl.optional or decl.is_optional_key(key)


def _decl_location(action: ActionSpec, name: str) -> Location | None:
    for spec in action.secrets:
        if spec.secret_name == name:
            return spec.location
    return None


__all__ = [
    "Problem",
    "ProblemKind",
    "Resolution",
    "ResolutionError",
    "ResolvedSecrets",
    "SecretNotFoundError",
    "check",
    "resolve",
]
