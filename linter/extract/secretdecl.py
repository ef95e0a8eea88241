"""How Tracecat reads a secret declaration given as a mapping.

Shared by the Python (legacy dicts) and YAML extractors. Tracecat's
``_validate_registry_secret_type`` adds a missing ``type``: ``custom`` when
``keys`` or ``optional_keys`` are given; ``oauth`` for a name ending in
``_oauth``, with ``provider_id = name.replace("_oauth", "")`` and
``grant_type = "authorization_code"`` *overwriting* whatever the mapping
says (``linter/tracecat.py``: :func:`legacy_oauth_provider`). Every rule,
fix and the resolver see the normalised declaration; the overwritten
values are kept in ``SecretSpec.overridden`` so a rule can say they are
ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Location, SecretSpec, Value
from ..tracecat import CUSTOM_SECRET_FIELDS as _CUSTOM
from ..tracecat import LEGACY_OAUTH_GRANT, SECRET_TYPE_FIELD, legacy_oauth_provider
from ..tracecat import OAUTH_SECRET_FIELDS as _OAUTH

#: The fields a declaration may have, its discriminator included.
CUSTOM_SECRET_FIELDS = (SECRET_TYPE_FIELD, *_CUSTOM)
OAUTH_SECRET_FIELDS = (SECRET_TYPE_FIELD, *_OAUTH)


def secret_from_mapping(
    fields: Mapping[str, tuple[Location, Value]], location: Location, *, legacy_dict: bool = False
) -> SecretSpec:
    """``fields`` maps each given field name to (key location, value)."""
    declared_type = fields["type"][1] if "type" in fields else None
    name = fields["name"][1] if "name" in fields else None
    legacy_pid = legacy_oauth_provider({k: v.value for k, (_, v) in fields.items()})
    kind = "oauth" if legacy_pid is not None or (declared_type is not None and declared_type.value == "oauth") else "custom"
    # An OAuth mapping may carry `name` (`<pid>_oauth`, as Tracecat dumps it);
    # the model derives it from provider_id, so it is accepted and dropped.
    allowed = OAUTH_SECRET_FIELDS + ("name",) if kind == "oauth" else CUSTOM_SECRET_FIELDS
    kwargs: dict[str, Value] = {}
    unknown: list[Value] = []
    for key, (key_loc, value) in fields.items():
        if key == "type" or (kind == "oauth" and key == "name"):
            continue
        if key in allowed:
            kwargs[key] = value
        else:
            unknown.append(Value(key, key_loc))
    overridden: list[Value] = []
    if legacy_pid is not None:
        assert name is not None
        for key, forced in (("provider_id", legacy_pid), ("grant_type", LEGACY_OAUTH_GRANT)):
            written = kwargs.get(key)
            if written is not None and written.value != forced:
                overridden.append(Value(key, written.location, None if written.value is None else str(written.value)))
            kwargs[key] = Value(forced, written.location if written is not None else name.location)
    return SecretSpec(
        kind=kind,
        location=location,
        unknown_fields=tuple(unknown),
        legacy_dict=legacy_dict,
        declared_type=declared_type,
        overridden=tuple(overridden),
        **kwargs,
    )
