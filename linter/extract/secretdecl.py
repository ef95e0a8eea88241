"""How Tracecat reads a secret declaration given as a mapping.

Shared by the Python (legacy dicts) and YAML extractors: Tracecat's
``_validate_registry_secret_type`` adds a missing ``type``: ``custom`` when
keys are given, ``oauth`` (provider = name without ``_oauth``, grant
``authorization_code``) for a keyless name ending in ``_oauth``.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Location, SecretSpec, Value

CUSTOM_SECRET_FIELDS = ("type", "name", "keys", "optional_keys", "optional", "secret_type")
OAUTH_SECRET_FIELDS = ("type", "provider_id", "grant_type", "optional")


def secret_from_mapping(
    fields: Mapping[str, tuple[Location, Value]], location: Location, *, legacy_dict: bool = False
) -> SecretSpec:
    """``fields`` maps each given field name to (key location, value)."""
    type_value = fields["type"][1].value if "type" in fields else None
    name = fields["name"][1] if "name" in fields else None
    legacy_oauth = (
        type_value is None
        and "keys" not in fields
        and "optional_keys" not in fields
        and name is not None
        and isinstance(name.value, str)
        and name.value.endswith("_oauth")
    )
    kind = "oauth" if type_value == "oauth" or legacy_oauth else "custom"
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
    if legacy_oauth and name is not None and "provider_id" not in kwargs:
        assert isinstance(name.value, str)
        kwargs["provider_id"] = Value(name.value[: -len("_oauth")], name.location)
        kwargs.setdefault("grant_type", Value("authorization_code", name.location))
    return SecretSpec(
        kind=kind,  # type: ignore[arg-type]
        location=location,
        unknown_fields=tuple(unknown),
        legacy_dict=legacy_dict,
        **kwargs,  # type: ignore[arg-type]
    )
