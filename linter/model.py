"""The shared, source-neutral action model.

Extractors turn Python UDFs and YAML templates into these frozen records;
model rules are written once against them. Every value carries the
location it came from so diagnostics point at the exact token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from .tracecat import DEFAULT_UDF_NAMESPACE, oauth_secret_name, token_name


@dataclass(frozen=True, slots=True)
class Location:
    """A source range. Lines and columns are 1-based; ``end_col`` is exclusive."""

    path: str
    line: int
    col: int
    end_line: int
    end_col: int

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.line, self.col)


class _Unknown:
    """Marks a value given by an expression the linter cannot evaluate."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass(frozen=True, slots=True)
class Value:
    """A metadata value with its location.

    ``value`` is a plain Python value (str, int, bool, None, tuple of Value
    for lists, dict for mappings) or :data:`UNKNOWN` when the source uses an
    expression the linter cannot evaluate statically. ``expr`` is the source
    text of such an expression, for messages.
    """

    value: object
    location: Location
    expr: str | None = None

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN

    @property
    def text(self) -> str | None:
        """The value if it is a string, else None."""
        return self.value if isinstance(self.value, str) else None

    def items(self) -> tuple[Value, ...]:
        """Elements of a list value (empty for non-lists)."""
        return self.value if isinstance(self.value, tuple) else ()


SecretKind = Literal["custom", "oauth"]
RefVia = Literal["get", "get_or_default", "template", "token_name"]


@dataclass(frozen=True, slots=True)
class SecretSpec:
    """One entry of an action's ``secrets``.

    ``keys``/``optional_keys`` hold a :class:`Value` whose ``value`` is a
    tuple of Values when a list was given (so each key has its own
    location), or the raw value otherwise (``keys="API_KEY"``: RL212).
    """

    kind: SecretKind
    location: Location
    name: Value | None = None
    keys: Value | None = None
    optional_keys: Value | None = None
    optional: Value | None = None
    secret_type: Value | None = None
    provider_id: Value | None = None
    grant_type: Value | None = None
    #: Field names the secret model does not have (``key=``, ``secretType=``).
    unknown_fields: tuple[Value, ...] = ()
    #: Python legacy ``{"name": ..., "keys": [...]}`` form.
    legacy_dict: bool = False
    #: The ``type`` a mapping gave (``custom``/``oauth``; anything else: RL214).
    declared_type: Value | None = None
    #: Fields a legacy ``<pid>_oauth`` mapping wrote that Tracecat's
    #: ``_validate_registry_secret_type`` overwrites (``grant_type``, ``provider_id``).
    overridden: tuple[Value, ...] = ()

    @property
    def secret_name(self) -> str | None:
        """The name Tracecat stores this secret under (OAuth: ``<pid>_oauth``)."""
        if self.kind == "oauth":
            pid = self.provider_id.text if self.provider_id else None
            return oauth_secret_name(pid) if pid else None
        return self.name.text if self.name else None

    @property
    def is_optional(self) -> bool:
        return bool(self.optional and self.optional.value is True)

    def key_values(self, *, optional: bool = False) -> tuple[Value, ...]:
        field_ = self.optional_keys if optional else self.keys
        return field_.items() if field_ is not None else ()

    def all_key_values(self) -> tuple[Value, ...]:
        """``keys`` then ``optional_keys``."""
        return (*self.key_values(), *self.key_values(optional=True))

    def key_names(self, *, optional: bool = False) -> tuple[str, ...]:
        return tuple(v.text for v in self.key_values(optional=optional) if v.text is not None)

    @property
    def token_name(self) -> str | None:
        """``<PROVIDER_ID>_USER_TOKEN`` / ``_SERVICE_TOKEN`` for OAuth secrets."""
        if self.kind != "oauth" or not self.provider_id or not self.grant_type:
            return None
        pid, grant = self.provider_id.text, self.grant_type.text
        if not pid:
            return None
        return token_name(pid, grant or "")

    def exposed_keys(self) -> tuple[str, ...]:
        """Every key this secret makes available to ``secrets.get``."""
        if self.kind == "oauth":
            token = self.token_name
            return (token,) if token else ()
        return self.key_names() + self.key_names(optional=True)


@dataclass(frozen=True, slots=True)
class SecretRef:
    """A read of a secret.

    ``raw`` is the literal text the code or template used (the ``get``
    argument or the whole ``${{ ... }}`` expression); ``secret`` and ``key``
    are what the extractor parsed out of it (None when malformed).
    """

    via: RefVia
    location: Location
    key: str | None
    secret: str | None = None
    raw: str = ""
    #: Python: False for reads in module helpers that no action reaches.
    attributed: bool = True
    #: Python: the argument was computed (``oauth_secret.token_name``).
    computed: bool = False


@dataclass(frozen=True, slots=True)
class Param:
    """One argument an action accepts: a UDF's function parameter or a template's ``expects`` field.

    ``type`` is a type expression: a UDF's annotation normalised by the Python
    extractor (``str | None``, ``list[int]``, ``Literal['GET', 'POST']``,
    aliases inlined, opaque class names kept), or a template's ``expects``
    type as written (Tracecat's type grammar). None when there is none
    (an unannotated parameter accepts anything).
    """

    name: str
    type: str | None
    required: bool
    #: The default as plain data when it is a literal (for the catalogue's
    #: documentation); UNKNOWN otherwise or when required.
    default: object = UNKNOWN


@dataclass(frozen=True, slots=True)
class StepArg:
    """One ``args`` entry of a step. The value is plain data (str, int, float,
    bool, None, tuples for lists, dicts for mappings, UNKNOWN for what JSON
    cannot hold), located once: step arguments of a whole registry are kept
    for the project check and the cache, so they stay small."""

    name: str
    #: The key's location.
    key: Location
    value: object
    #: The value's location.
    location: Location


@dataclass(frozen=True, slots=True)
class StepCall:
    """One step of a template: the action it calls and the arguments it passes."""

    ref: str | None
    #: The ``action`` value (its text is the called action's key).
    action: Value
    #: ``args`` (merge keys resolved); None when absent or not a mapping.
    args: tuple[StepArg, ...] | None
    #: The ``args`` key.
    args_location: Location | None = None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One registered action, from either source."""

    source: Literal["python", "yaml"]
    path: str
    location: Location
    name: Value | None = None
    namespace: Value | None = None
    title: Value | None = None
    description: Value | None = None
    display_group: Value | None = None
    doc_url: Value | None = None
    author: Value | None = None
    deprecated: Value | None = None
    secrets: tuple[SecretSpec, ...] = ()
    #: Location of the ``secrets=`` argument / key, when present.
    secrets_location: Location | None = None
    #: False when ``secrets=`` (or one entry) could not be evaluated.
    secrets_known: bool = True
    #: Shapes of ``secrets`` Tracecat rejects before any entry is validated
    #: (not a list, an entry that is not a mapping/model): (where, what).
    malformed_secrets: tuple[tuple[Location, str], ...] = ()
    refs: tuple[SecretRef, ...] = ()
    #: The arguments the action accepts; None when not statically known.
    params: tuple[Param, ...] | None = None
    #: Template steps (empty for UDFs).
    steps: tuple[StepCall, ...] = ()
    #: Why Tracecat's loader never registers this action (RL619); None when it does.
    unloadable: str | None = None

    @property
    def key(self) -> str | None:
        """``namespace.name`` as Tracecat registers it (namespace defaults to ``core``)."""
        name = self.name.text if self.name else None
        if name is None:
            return None
        if self.namespace is None:
            return f"{DEFAULT_UDF_NAMESPACE}.{name}"
        ns = self.namespace.text
        return f"{ns}.{name}" if ns is not None else None

    def metadata(self) -> dict[str, Value | None]:
        return {
            "name": self.name,
            "namespace": self.namespace,
            "title": self.title,
            "description": self.description,
            "display_group": self.display_group,
            "doc_url": self.doc_url,
            "author": self.author,
        }


class Severity(str, Enum):
    ERROR = "E"
    WARNING = "W"

    @property
    def label(self) -> str:
        return "error" if self is Severity.ERROR else "warning"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text in ``location`` with ``content``."""

    location: Location
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    #: "safe" fixes never change behaviour and run with --fix.
    applicability: Literal["safe", "unsafe"] = "safe"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    location: Location
    severity: Severity = Severity.ERROR
    fix: Fix | None = None
    #: Extra locations (e.g. the other half of a duplicate action).
    related: tuple[Location, ...] = field(default=())
    #: Its lines hold a detected credential (``redact.py``): no format shows them.
    hides_line: bool = False

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code, self.message)
