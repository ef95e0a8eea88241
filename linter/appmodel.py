"""The agent-native secrets model: what a TypeScript/JavaScript file registers and reads.

``extract/typescript.py`` turns a parsed file into one :class:`AppFile`;
the RL7xx rules are written against these records, never against syntax.
Frozen dataclasses, every value a :class:`~registry_lint.model.Value` with
the location it came from (``UNKNOWN`` when not statically known). An
``AppFile`` travels in the per-file result (and the cache), so project-wide
rules (duplicates, unregistered reads, scope mismatches, env fallbacks) see
every file of the linted set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import Location, Value

FallbackVia = Literal["??", "||", "?:", "default"]


class _KeyAndScope:
    """``key_text``/``scope_text`` of a registration or a read (literal text, or None)."""

    __slots__ = ()
    key: Value | None
    scope: Value | None

    @property
    def key_text(self) -> str | None:
        return self.key.text if self.key is not None else None

    @property
    def scope_text(self) -> str | None:
        return self.scope.text if self.scope is not None else None


@dataclass(frozen=True, slots=True)
class AppSecretRegistration(_KeyAndScope):
    """One ``registerRequiredSecret({...})`` call.

    A field is None when the object literal does not have it. ``complete``
    is False when the argument is not an object literal, or has a spread or
    a computed key: then an absent field may be there after all.
    """

    location: Location
    app: str
    key: Value | None = None
    label: Value | None = None
    description: Value | None = None
    docs_url: Value | None = None
    scope: Value | None = None
    kind: Value | None = None
    required: Value | None = None
    validator: Value | None = None
    oauth_provider: Value | None = None
    oauth_connect_url: Value | None = None
    #: Property names ``RegisteredSecret`` does not have (value: the name).
    unknown_fields: tuple[Value, ...] = ()
    complete: bool = True


@dataclass(frozen=True, slots=True)
class AppSecretRead(_KeyAndScope):
    """A read of a stored secret: ``readAppSecret({ key, scope, scopeId })``
    and the other store reads (``api`` names which), or ``resolveSecret(key)``."""

    api: str
    location: Location
    app: str
    key: Value | None = None
    scope: Value | None = None
    scope_id: Value | None = None
    complete: bool = True


@dataclass(frozen=True, slots=True)
class EnvFallback:
    """``process.env.NAME`` used as the fallback of a value: the right side of
    ``??``/``||``, a branch of a ternary, or a parameter default.

    ``read`` is the store read the other side's value came from, when it did.
    """

    location: Location
    env_key: str | None
    via: FallbackVia
    read: AppSecretRead | None = None


@dataclass(frozen=True, slots=True)
class KeyReference:
    """``${keys.NAME}`` in a string literal, with the URL it is sent to when known."""

    name: str
    location: Location
    url: Value | None = None
    #: The scope of the ``resolveKeyReferences`` call holding it, if any.
    scope: Value | None = None


@dataclass(frozen=True, slots=True)
class AppFile:
    """Everything one file contributes to its app's secrets."""

    path: str
    #: The app the file belongs to: the directory of the nearest
    #: ``package.json`` above it ("" when there is none). Registrations are
    #: per process, so only files of the same app see each other's.
    app: str
    registrations: tuple[AppSecretRegistration, ...] = ()
    reads: tuple[AppSecretRead, ...] = ()
    env_fallbacks: tuple[EnvFallback, ...] = ()
    key_refs: tuple[KeyReference, ...] = ()
