"""Secret declarations as Tracecat validates them.

Mirrors ``RegistrySecret`` / ``RegistryOAuthSecret`` and the legacy-dict
discriminator in ``tracecat_registry/_internal/models.py``: what those
pydantic models accept becomes a concrete declaration, what they reject is
an :class:`Invalid` declaration (the action cannot be registered, so it
never resolves). Pydantic's lax mode is reproduced where it matters:
``StringConstraints(pattern=...)`` is *searched*, not full-matched (so
``My-Secret`` is accepted: RL201 is a convention, not a load failure),
unknown fields are ignored, and ``optional`` accepts ``"yes"``/``1``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import ActionSpec, SecretSpec, Value
from ..tracecat import (
    DEFAULT_SECRET_TYPE,
    GRANT_TYPES,
    OAUTH_SECRET_SUFFIX,
    SECRET_KEY_RE,
    SECRET_NAME_PATTERN,
    SECRET_KINDS,
    SECRET_NAME_RE,
    SECRET_TYPES,
    STRUCTURED_KEYS,
    lax_bool,
    oauth_secret_name,
    structured_keys_ok,
    token_name,
)

# Tracecat's patterns are applied with re.search, like pydantic v2 does.
# The Python extractor records positional arguments under this field name.
_POSITIONAL = "<positional argument>"


@dataclass(frozen=True, slots=True)
class CustomSecret:
    name: str
    keys: tuple[str, ...] | None = None
    optional_keys: tuple[str, ...] | None = None
    optional: bool = False
    secret_type: str = DEFAULT_SECRET_TYPE

    @property
    def required_keys(self) -> tuple[str, ...]:
        """``keys`` minus ``optional_keys``: Tracecat's validation service
        (``validate_single_secret``) computes ``(required - defined) - optional``,
        so a key listed in both is optional."""
        optional = set(self.optional_keys or ())
        return tuple(k for k in dict.fromkeys(self.keys or ()) if k not in optional)

    @property
    def exposed_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*(self.keys or ()), *(self.optional_keys or ()))))

    def is_optional_key(self, key: str) -> bool:
        return key in (self.optional_keys or ())


@dataclass(frozen=True, slots=True)
class OAuthSecret:
    provider_id: str
    grant_type: str
    optional: bool = False

    @property
    def name(self) -> str:
        return oauth_secret_name(self.provider_id)

    @property
    def token_name(self) -> str:
        # The grant type was validated (one of GRANT_TYPES): the name is known.
        return token_name(self.provider_id, self.grant_type) or ""

    @property
    def provider_key(self) -> tuple[str, str]:
        return (self.provider_id, self.grant_type)


@dataclass(frozen=True, slots=True)
class Invalid:
    """A declaration Tracecat's models reject."""

    secret: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Unknown:
    """A declaration with values the linter could not evaluate statically."""

    secret: str | None
    field: str


Declaration = CustomSecret | OAuthSecret | Invalid | Unknown




class _Reject(Exception):
    pass


class _NotKnown(Exception):
    def __init__(self, field: str) -> None:
        self.field = field


def _raw(value: Value | None, field: str) -> object:
    if value is None:
        return None
    if not value.known:
        raise _NotKnown(field)
    if isinstance(value.value, tuple):
        return tuple(_raw(item, field) for item in value.value)
    return value.value


def _string(value: Value | None, field: str, *, required: bool) -> str | None:
    raw = _raw(value, field)
    if raw is None:
        if required:
            raise _Reject(f"`{field}` is required")
        return None
    if not isinstance(raw, str):
        raise _Reject(f"`{field}` must be a string")
    return raw


def _bool(value: Value | None, field: str) -> bool:
    if value is None:
        return False
    found = lax_bool(_raw(value, field))
    if found is None:
        raise _Reject(f"`{field}` must be a boolean")
    return found


def _keys(value: Value | None, field: str) -> tuple[str, ...] | None:
    raw = _raw(value, field)
    if raw is None:
        return None
    if not isinstance(raw, tuple):  # lists (and tuple/set literals) arrive as tuples
        raise _Reject(f"`{field}` must be a list of key names")
    for key in raw:
        if not isinstance(key, str):
            raise _Reject(f"`{field}` must contain only strings")
        if not SECRET_KEY_RE.search(key):
            raise _Reject(f"key {key!r} in `{field}` does not match [a-zA-Z0-9_]+")
    return raw


def declaration(spec: SecretSpec) -> Declaration:
    """Validate one declaration the way Tracecat's registry models do.

    Legacy mappings are normalised by the extractors already (a keyless
    ``<pid>_oauth`` mapping is an OAuth secret of provider
    ``name.replace("_oauth", "")`` and grant ``authorization_code``).
    """
    label = _label(spec)
    try:
        if any(field.value == _POSITIONAL for field in spec.unknown_fields):
            raise _Reject("secret models take keyword arguments only")
        if spec.legacy_dict:
            raise _Reject("a dict in `secrets=` has no .model_dump(), which register() calls: the module fails to import")
        if spec.declared_type is not None:
            kind = _raw(spec.declared_type, "type")
            if kind not in SECRET_KINDS:
                raise _Reject("`type` must be " + " or ".join(f"`{k}`" for k in SECRET_KINDS))
        if spec.kind == "oauth":
            return _oauth(spec)
        return _custom(spec)
    except _Reject as exc:
        return Invalid(label, f"Secret {label or '<unnamed>'!r} is not a valid declaration: {exc}")
    except _NotKnown as exc:
        return Unknown(label, exc.field)


def action_declarations(action: ActionSpec) -> list[tuple[SecretSpec, Declaration]]:
    """Every declaration of ``action``, validated."""
    return [(spec, declaration(spec)) for spec in action.secrets]


def _label(spec: SecretSpec) -> str | None:
    if spec.kind == "oauth":
        pid = spec.provider_id.text if spec.provider_id is not None else None
        return oauth_secret_name(pid) if pid else None
    return spec.name.text if spec.name is not None else None


def _custom(spec: SecretSpec) -> CustomSecret:
    name = _string(spec.name, "name", required=True)
    assert name is not None
    if not SECRET_NAME_RE.search(name):
        raise _Reject(f"`name` does not match {SECRET_NAME_PATTERN}")
    keys = _keys(spec.keys, "keys")
    optional_keys = _keys(spec.optional_keys, "optional_keys")
    optional = _bool(spec.optional, "optional")
    secret_type = _string(spec.secret_type, "secret_type", required=False) or DEFAULT_SECRET_TYPE
    if secret_type not in SECRET_TYPES:
        raise _Reject(f"`secret_type` must be one of {', '.join(SECRET_TYPES)}")
    if name.endswith(OAUTH_SECRET_SUFFIX):
        raise _Reject(f"a static secret cannot be named `*{OAUTH_SECRET_SUFFIX}` (declare an OAuth secret)")
    if keys is None and optional_keys is None:
        raise _Reject("at least one of `keys` or `optional_keys` must be given")
    expected = STRUCTURED_KEYS.get(secret_type)
    if expected is not None:
        if not structured_keys_ok(secret_type, keys or ()):
            raise _Reject(f"{secret_type} secrets must declare keys={list(expected)}")
        if optional_keys:
            raise _Reject(f"{secret_type} secrets cannot have optional_keys")
    return CustomSecret(name, keys, optional_keys, optional, secret_type)


def _oauth(spec: SecretSpec) -> OAuthSecret:
    provider_id = _string(spec.provider_id, "provider_id", required=True)
    grant_type = _string(spec.grant_type, "grant_type", required=True)
    assert provider_id is not None and grant_type is not None
    if grant_type not in GRANT_TYPES:
        raise _Reject(f"`grant_type` must be one of {', '.join(GRANT_TYPES)}")
    return OAuthSecret(provider_id, grant_type, _bool(spec.optional, "optional"))
