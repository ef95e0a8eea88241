"""Resolve an action's secrets the way Tracecat's executor does.

Mirrors ``tracecat/secrets/secrets_manager.py`` (``get_action_secrets``,
``flatten_secrets``), ``tracecat/auth/sandbox.py`` (required vs optional
secret names), ``tracecat/validation/service.py`` (required keys and
integrations) and ``tracecat_registry/_internal/secrets.py`` (``get`` /
``get_or_default``):

1. every declaration is validated like the registry models; one invalid
   declaration means the action cannot be registered: nothing resolves;
2. declared secrets plus secrets named by template references are fetched
   from the run's environment (exact match); a missing secret fails unless
   every declaration of it is ``optional`` (``AuthSandbox``);
3. a fetched secret lacking a required key fails (validation service);
4. OAuth integrations are fetched per ``(provider_id, grant_type)``, from
   declarations and from template references (grant inferred from the
   ``_USER_TOKEN``/``_SERVICE_TOKEN`` suffix); the token appears under
   ``<provider_id>_oauth`` only for the grant that is connected; a missing
   required declared integration fails, and so does one that exists without
   a usable token (``configured``, ``reauth_required``: the message says
   which);
5. the fetched secrets, with all their stored keys, are flattened for
   ``secrets.get``; a key present in two fetched secrets fails;
6. each ``secrets.get("K")`` the action reaches must find K, unless the
   action declares K optional (then the read is the UDF's own, conditional
   business: RL405); each template reference must render, except references
   the action declared optional (Tracecat renders those as ``None``).

Problems name secrets and keys, never values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

from ..model import ActionSpec, Location, SecretRef
from .declarations import CustomSecret, Invalid, OAuthSecret, Unknown, action_declarations, infer_grant_type
from .store import DEFAULT_ENVIRONMENT, SecretStore
from .values import SecretValue

ProblemKind = Literal[
    "missing-secret", "missing-key", "missing-oauth-integration", "key-collision", "invalid-declaration"
]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    secret: str | None
    key: str | None
    message: str
    location: Location | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "secret": self.secret, "key": self.key, "message": self.message}


class ResolutionError(Exception):
    """The action would fail before (or while) running: missing credentials."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems) or "does not resolve")


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

    @property
    def resolves(self) -> bool:
        return not self.problems

    def lookup(self, secret: str, key: str, location: Location | None = None) -> SecretValue | Problem | None:
        """Value of ``${{ SECRETS.secret.key }}``: a value, None (optional and absent) or a Problem."""
        values = self.context.get(secret)
        if values is None:
            if secret in self.optional_secrets or (secret, key) in self.optional_keys:
                return None
            grant = infer_grant_type(key) if secret.endswith("_oauth") else None
            if grant is not None:
                pid = secret[: -len("_oauth")]
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


def check(action: ActionSpec, store: SecretStore, *, environment: str = DEFAULT_ENVIRONMENT) -> Resolution:
    """Resolve ``action`` against ``store``; never raises for missing credentials."""
    problems: list[Problem] = []
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

    templates = [r for r in action.refs if r.via == "template" and r.secret and r.key]
    context = _fetch_secrets(action, custom, templates, store, environment, problems)  # 2. 3.
    _fetch_integrations(action, oauth, templates, store, context, problems)  # 4.
    flat = _flatten(action, context, problems)  # 5.
    optional_keys = {(c.name, k) for c in custom for k in c.exposed_keys if c.is_optional_key(k)}
    optional_keys -= {(c.name, k) for c in custom for k in c.required_keys}
    optional_keys |= {(o.name, o.token_name) for o in oauth.values() if o.optional}
    resolution = Resolution(
        action.key, environment, (), None if flat is None else ResolvedSecrets(flat),
        context, tuple(unchecked), frozenset(c.name for c in custom if c.optional), frozenset(optional_keys),
        store.oauth_status,
    )
    if flat is not None:  # 6.
        problems += _check_reads(action, [*custom, *oauth.values()], flat)
    for ref in templates:
        assert ref.secret is not None and ref.key is not None
        found = resolution.lookup(ref.secret, ref.key, ref.location)
        if isinstance(found, Problem):
            problems.append(found)
    return replace(resolution, problems=_dedupe(problems))


def _fetch_secrets(
    action: ActionSpec,
    custom: list[CustomSecret],
    templates: list[SecretRef],
    store: SecretStore,
    environment: str,
    problems: list[Problem],
) -> dict[str, dict[str, SecretValue]]:
    """Declared and template-referenced secrets (AuthSandbox), then required keys."""
    declared = {c.name for c in custom}
    optional = {c.name for c in custom if c.optional}  # AuthSandbox: optional if declared so
    referenced: dict[str, Location] = {}
    for ref in templates:
        if ref.secret and not ref.secret.endswith("_oauth"):
            referenced.setdefault(ref.secret, ref.location)
    context: dict[str, dict[str, SecretValue]] = {}
    # Sorted: Tracecat's database order is unspecified.
    for name in sorted(declared | set(referenced)):
        values = store.secret(name, environment)
        if values is not None:
            context[name] = dict(values)
        elif name not in optional:
            hint = "" if name in declared else " (referenced by a template, not declared)"
            problems.append(Problem(
                "missing-secret", name, None, f"Secret {name!r} is not set in environment {environment!r}{hint}",
                referenced.get(name) or _decl_location(action, name),
            ))
    for decl in custom:
        present = context.get(decl.name)
        for key in decl.required_keys if present is not None else ():
            if key not in present:
                problems.append(Problem(
                    "missing-key", decl.name, key,
                    f"Secret {decl.name!r} has no required key {key!r} in environment {environment!r}",
                    _decl_location(action, decl.name),
                ))
    return context


def _fetch_integrations(
    action: ActionSpec,
    oauth: dict[tuple[str, str], OAuthSecret],
    templates: list[SecretRef],
    store: SecretStore,
    context: dict[str, dict[str, SecretValue]],
    problems: list[Problem],
) -> None:
    """Declared integrations plus those template references name (grant inferred)."""
    referenced: dict[tuple[str, str], str] = {}
    for ref in templates:
        if ref.secret and ref.key and ref.secret.endswith("_oauth"):
            grant = infer_grant_type(ref.key)
            if grant is not None:  # Tracecat skips (with a warning) otherwise
                referenced.setdefault((ref.secret[: -len("_oauth")], grant), ref.key)
    for pkey in sorted(set(oauth) | set(referenced)):
        pid, grant = pkey
        token_name = oauth[pkey].token_name if pkey in oauth else referenced[pkey]
        token = store.integration(pid, grant)
        if token is not None:
            context.setdefault(f"{pid}_oauth", {})[token_name] = token
        elif pkey in oauth and not oauth[pkey].optional:
            problems.append(Problem(
                "missing-oauth-integration", f"{pid}_oauth", token_name,
                f"Required OAuth integration {pid!r} ({grant}) {unusable(store.integration_status(pid, grant))}",
                _decl_location(action, f"{pid}_oauth"),
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
    action: ActionSpec, decls: list[CustomSecret | OAuthSecret], flat: dict[str, SecretValue]
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
        if owners and all(_optional_key(d, ref.key) for d in owners):
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


def _dedupe(problems: list[Problem]) -> tuple[Problem, ...]:
    seen: set[tuple[str, str | None, str | None]] = set()
    out: list[Problem] = []
    for problem in problems:
        ident = (problem.kind, problem.secret, problem.key)
        # A missing secret or integration already explains its missing keys.
        if problem.kind != "missing-secret" and ("missing-secret", problem.secret, None) in seen:
            continue
        if problem.kind == "missing-key" and ("missing-oauth-integration", problem.secret, problem.key) in seen:
            continue
        if ident not in seen:
            seen.add(ident)
            out.append(problem)
    return tuple(out)


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
