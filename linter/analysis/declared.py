"""What a set of declarations makes available, and where a declaration is
relative to the action that uses it (written in its file or imported)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import ActionSpec, Location, SecretSpec


def report_at(action: ActionSpec, loc: Location) -> Location:
    """Where to report about a declaration: at it when it is in this file, else at ``secrets=``."""
    if loc.path == action.path:
        return loc
    return action.secrets_location or action.location


def local(action: ActionSpec, secret: SecretSpec) -> bool:
    """True when the declaration is written in the action's own file."""
    return secret.location.path == action.path


@dataclass
class Declared:
    """What a set of declarations makes available to ``secrets.get`` / templates."""

    secrets: tuple[SecretSpec, ...]
    #: False when some declaration or key list is not statically known.
    complete: bool = True
    #: key -> declarations exposing it
    by_key: dict[str, list[SecretSpec]] = field(default_factory=dict)
    #: stored secret name (``<pid>_oauth`` for OAuth) -> declarations
    by_name: dict[str, list[SecretSpec]] = field(default_factory=dict)

    @classmethod
    def of(cls, secrets: Sequence[SecretSpec], known: bool = True) -> Declared:
        out = cls(tuple(secrets), complete=known)
        for spec in secrets:
            if not keys_known(spec):
                out.complete = False
            name = spec.secret_name
            if name is not None:
                out.by_name.setdefault(name, []).append(spec)
            for key in spec.exposed_keys():
                out.by_key.setdefault(key, []).append(spec)
        return out

    @property
    def oauth(self) -> list[SecretSpec]:
        return [s for s in self.secrets if s.kind == "oauth"]

    def tokens(self) -> list[tuple[str, SecretSpec]]:
        return [(s.token_name, s) for s in self.oauth if s.token_name]

    def required(self, key: str) -> bool | None:
        """Whether some declaration guarantees ``key`` (None: cannot tell)."""
        answer: bool | None = False
        for spec in self.by_key.get(key, ()):
            if spec.optional is not None and not isinstance(spec.optional.value, bool):
                answer = None
                continue
            if spec.is_optional:
                continue
            # Tracecat subtracts optional_keys from keys: a key in both is optional.
            if spec.kind == "oauth" or (key in spec.key_names() and key not in spec.key_names(optional=True)):
                return True
        return answer


def keys_known(spec: SecretSpec) -> bool:
    """All key lists of a custom secret are literal lists of known strings."""
    if spec.kind == "oauth":
        return spec.token_name is not None or (
            spec.provider_id is not None and spec.provider_id.known and spec.grant_type is not None and spec.grant_type.known
        )
    for value in (spec.keys, spec.optional_keys):
        if value is None or value.value is None:
            continue
        if not isinstance(value.value, tuple):
            return False
        if not all(isinstance(item.value, str) for item in value.value):
            return False
    return True
