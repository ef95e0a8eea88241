"""A workspace's secrets and OAuth integrations, and the inventory file format.

Tracecat semantics mirrored here:
- secrets live per environment; the top-level ``secrets:`` of an inventory
  is the ``default`` environment, and lookups match the environment exactly
  (``search_secrets(names, environment)``: no fallback to ``default``);
- OAuth integrations are workspace-wide, keyed by ``(provider_id,
  grant_type)`` (``ProviderKey``), not by environment; only a ``connected``
  one yields a token (``INTEGRATION_STATUSES`` in ``tracecat.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..model import ActionSpec
from ..tracecat import INTEGRATION_STATUSES, INTEGRATION_USABLE
from .declarations import GRANT_TYPES, CustomSecret, OAuthSecret, action_declarations
from .values import SecretValue

DEFAULT_ENVIRONMENT = "default"
MAX_INVENTORY_SIZE = 1024 * 1024
_TOP_LEVEL = ("secrets", "environments", "oauth", "exported")
#: Where an exported snapshot came from (``registry-lint resolve --export-inventory``).
_EXPORTED_FIELDS = ("workspace", "workspace_id", "at")

SecretMap = Mapping[str, Mapping[str, SecretValue]]
RawValue = str | SecretValue | None


class InventoryError(ValueError):
    """The inventory file is malformed. Messages never quote values."""


def _freeze(secrets: Mapping[str, Mapping[str, SecretValue]]) -> SecretMap:
    return MappingProxyType({n: MappingProxyType(dict(kv)) for n, kv in secrets.items()})


@dataclass(frozen=True)
class SecretStore:
    """``{environment: {secret name: {KEY: value}}}`` plus OAuth integrations."""

    environments: Mapping[str, SecretMap] = field(default_factory=dict)
    oauth: Mapping[tuple[str, str], SecretValue] = field(default_factory=dict)
    #: Integrations that exist but yield no usable token, with their
    #: ``IntegrationStatus`` (``configured``, ``reauth_required``): absent
    #: from ``oauth``, named in messages.
    oauth_status: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        secrets: Mapping[str, Iterable[str] | Mapping[str, RawValue]] | None = None,
        *,
        environments: Mapping[str, Mapping[str, Iterable[str] | Mapping[str, RawValue]]] | None = None,
        oauth: Iterable[tuple[str, str]] | Mapping[tuple[str, str], RawValue] = (),
    ) -> SecretStore:
        """Convenience constructor: key lists get placeholder values, str values are wrapped."""
        envs: dict[str, dict[str, dict[str, SecretValue]]] = {}
        for env, env_secrets in [(DEFAULT_ENVIRONMENT, secrets or {}), *(environments or {}).items()]:
            target = envs.setdefault(env, {})
            for name, keys in env_secrets.items():
                target[name] = _wrap_keys(keys)
        integrations: dict[tuple[str, str], SecretValue] = {}
        items = oauth.items() if isinstance(oauth, Mapping) else ((k, None) for k in oauth)
        for provider_key, token in items:
            integrations[(provider_key[0], provider_key[1])] = _wrap(token)
        return cls(
            MappingProxyType({env: _freeze(s) for env, s in envs.items()}),
            MappingProxyType(integrations),
        )

    def secret(self, name: str, environment: str = DEFAULT_ENVIRONMENT) -> Mapping[str, SecretValue] | None:
        return self.environments.get(environment, {}).get(name)

    def integration(self, provider_id: str, grant_type: str) -> SecretValue | None:
        return self.oauth.get((provider_id, grant_type))

    def integration_status(self, provider_id: str, grant_type: str) -> str | None:
        """Why an integration yields no token (a status other than ``connected``), or None."""
        return self.oauth_status.get((provider_id, grant_type))

    def has_environment(self, environment: str) -> bool:
        return environment in self.environments

    def environment_names(self) -> list[str]:
        """``default`` first (actions run there unless a workflow says otherwise), then by name."""
        return [DEFAULT_ENVIRONMENT, *sorted(e for e in self.environments if e != DEFAULT_ENVIRONMENT)]

    def values(self) -> list[SecretValue]:
        """Every stored value (for scrubbing messages)."""
        out = [v for env in self.environments.values() for kv in env.values() for v in kv.values()]
        return out + list(self.oauth.values())


def _wrap(value: RawValue) -> SecretValue:
    if isinstance(value, SecretValue):
        return value
    if value is None:
        return SecretValue.unset()
    return SecretValue(value)


def _wrap_keys(keys: Iterable[str] | Mapping[str, RawValue]) -> dict[str, SecretValue]:
    if isinstance(keys, Mapping):
        return {k: _wrap(v) for k, v in keys.items()}
    return {k: SecretValue.unset() for k in keys}


# Inventory files -------------------------------------------------------------
def load_inventory(path: str | Path) -> SecretStore:
    """Read an inventory (YAML or JSON). Raises :class:`InventoryError`."""
    return parse_inventory(inventory_data(path), source=str(path))


def inventory_data(path: str | Path) -> object:
    """The parsed inventory file (YAML or JSON), Tracecat's or an app's. Raises :class:`InventoryError`."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_INVENTORY_SIZE:
            raise InventoryError(f"{p}: inventory is larger than {MAX_INVENTORY_SIZE} bytes")
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InventoryError(f"{p}: inventory file not found") from None
    except IsADirectoryError:
        raise InventoryError(f"{p}: is a directory, expected an inventory file") from None
    except UnicodeDecodeError:
        raise InventoryError(f"{p}: inventory is not valid UTF-8") from None
    except OSError as exc:
        raise InventoryError(f"{p}: cannot read inventory ({exc.strerror or type(exc).__name__})") from None
    return _parse_text(text, p)


def _parse_text(text: str, path: Path) -> object:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            # Position only: the message of a decode error can quote content.
            raise InventoryError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON") from None
    import yaml

    from ..budget import check_yaml

    if check_yaml(text) is not None:  # libyaml recurses in C: refuse before it overflows
        raise InventoryError(f"{path}: inventory is nested too deeply")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise InventoryError(f"{path}{where}: invalid YAML ({exc.problem or 'parse error'})") from None
    except (yaml.YAMLError, RecursionError):
        raise InventoryError(f"{path}: invalid YAML") from None


def parse_inventory(data: object, *, source: str = "inventory") -> SecretStore:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InventoryError(f"{source}: the inventory must be a mapping with `secrets`, `environments`, `oauth`")
    unknown = sorted(str(k) for k in data if k not in _TOP_LEVEL)
    if unknown:
        raise InventoryError(f"{source}: unknown top-level field(s) {', '.join(map(repr, unknown))}; expected {', '.join(_TOP_LEVEL)}")
    _exported_section(data.get("exported"), f"{source}: exported")
    envs: dict[str, dict[str, dict[str, SecretValue]]] = {
        DEFAULT_ENVIRONMENT: _secrets_section(data.get("secrets"), f"{source}: secrets")
    }
    raw_envs = data.get("environments") or {}
    if not isinstance(raw_envs, dict):
        raise InventoryError(f"{source}: `environments` must map environment names to {{secrets: ...}}")
    for env, body in raw_envs.items():
        where = f"{source}: environments.{env}"
        if not isinstance(env, str) or not env:
            raise InventoryError(f"{source}: environment names must be non-empty strings")
        if body is None:
            body = {}
        if not isinstance(body, dict) or any(k != "secrets" for k in body):
            raise InventoryError(f"{where}: expected a mapping with a single `secrets` field")
        section = _secrets_section(body.get("secrets"), f"{where}.secrets")
        target = envs.setdefault(env, {})
        clash = sorted(set(target) & set(section))
        if clash:
            raise InventoryError(f"{where}: secret(s) {', '.join(map(repr, clash))} also given at the top level (the `default` environment)")
        target.update(section)
    oauth, status = _oauth_section(data.get("oauth"), f"{source}: oauth")
    return SecretStore(
        MappingProxyType({env: _freeze(s) for env, s in envs.items()}),
        MappingProxyType(oauth),
        MappingProxyType(status),
    )


def _exported_section(raw: object, where: str) -> None:
    """Provenance of an exported snapshot: checked for shape, not used."""
    if raw is None:
        return
    if not isinstance(raw, dict) or any(k not in _EXPORTED_FIELDS or not isinstance(v, str) for k, v in raw.items()):
        raise InventoryError(f"{where}: expected a mapping of {', '.join(_EXPORTED_FIELDS)} to strings")


def _secrets_section(raw: object, where: str) -> dict[str, dict[str, SecretValue]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InventoryError(f"{where}: must map secret names to a list of keys or a KEY: value mapping")
    out: dict[str, dict[str, SecretValue]] = {}
    for name, keys in raw.items():
        if not isinstance(name, str) or not name:
            raise InventoryError(f"{where}: secret names must be non-empty strings")
        if isinstance(keys, list):
            if not all(isinstance(k, str) and k for k in keys):
                raise InventoryError(f"{where}.{name}: keys must be non-empty strings")
            out[name] = {k: SecretValue.unset() for k in keys}
        elif isinstance(keys, dict):
            values: dict[str, SecretValue] = {}
            for key, value in keys.items():
                if not isinstance(key, str) or not key:
                    raise InventoryError(f"{where}.{name}: keys must be non-empty strings")
                if value is None:
                    values[key] = SecretValue.unset()
                elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    values[key] = SecretValue(str(value))
                else:
                    # Never echo the value, only where it is.
                    raise InventoryError(f"{where}.{name}.{key}: value must be a string or empty")
            out[name] = values
        else:
            raise InventoryError(f"{where}.{name}: expected a list of keys or a KEY: value mapping")
    return out


def _oauth_section(raw: object, where: str) -> tuple[dict[tuple[str, str], SecretValue], dict[tuple[str, str], str]]:
    """Usable integrations (with their optional token) and unusable ones (with their status)."""
    if raw is None:
        return {}, {}
    if not isinstance(raw, list):
        raise InventoryError(f"{where}: must be a list of {{provider_id, grant_type}} entries")
    out: dict[tuple[str, str], SecretValue] = {}
    unusable: dict[tuple[str, str], str] = {}
    for index, entry in enumerate(raw):
        at = f"{where}[{index}]"
        if not isinstance(entry, dict):
            raise InventoryError(f"{at}: expected a mapping with provider_id and grant_type")
        unknown = sorted(str(k) for k in entry if k not in ("provider_id", "grant_type", "status", "token"))
        if unknown:
            raise InventoryError(f"{at}: unknown field(s) {', '.join(map(repr, unknown))}")
        pid, grant = entry.get("provider_id"), entry.get("grant_type")
        if not isinstance(pid, str) or not pid:
            raise InventoryError(f"{at}: `provider_id` must be a non-empty string")
        if grant not in GRANT_TYPES:
            raise InventoryError(f"{at}: `grant_type` must be one of {', '.join(GRANT_TYPES)}")
        status = entry.get("status", INTEGRATION_USABLE)
        if status not in INTEGRATION_STATUSES:
            raise InventoryError(f"{at}: `status` must be one of {', '.join(INTEGRATION_STATUSES)}")
        token = entry.get("token")
        if token is not None and not isinstance(token, str):
            raise InventoryError(f"{at}: `token` must be a string")
        key = (pid, str(grant))
        if key in out or key in unusable:
            raise InventoryError(f"{at}: integration {pid!r} ({grant}) is listed twice")
        if status == INTEGRATION_USABLE:
            out[key] = SecretValue(token) if token is not None else SecretValue.unset()
        elif token is not None:
            raise InventoryError(f"{at}: `token` given for an integration with status {status!r}")
        elif status != "not_configured":  # not_configured is the same as not listed
            unusable[key] = str(status)
    return out, unusable


# Stores that satisfy declarations --------------------------------------------
def store_for(
    actions: ActionSpec | Iterable[ActionSpec],
    *,
    environment: str = DEFAULT_ENVIRONMENT,
    value: Callable[[str, str], str] | None = None,
    include_optional: bool = True,
) -> SecretStore:
    """The smallest workspace that satisfies the actions' valid declarations.

    Every declared secret with every declared key (optional ones too when
    ``include_optional``), every declared OAuth integration. ``value(secret,
    key)`` chooses the stored values (placeholders by default).
    """
    specs = [actions] if isinstance(actions, ActionSpec) else list(actions)
    secrets: dict[str, dict[str, SecretValue]] = {}
    oauth: dict[tuple[str, str], SecretValue] = {}

    def make(secret: str, key: str) -> SecretValue:
        return SecretValue(value(secret, key)) if value is not None else SecretValue.unset()

    for spec in specs:
        for _, decl in action_declarations(spec):
            if isinstance(decl, CustomSecret):
                if decl.optional and not include_optional:
                    continue
                keys = decl.exposed_keys if include_optional else decl.required_keys
                target = secrets.setdefault(decl.name, {})
                for key in keys:
                    target.setdefault(key, make(decl.name, key))
            elif isinstance(decl, OAuthSecret):
                if decl.optional and not include_optional:
                    continue
                oauth.setdefault(decl.provider_key, make(decl.name, decl.token_name))
    envs = {environment: secrets}
    return SecretStore(
        MappingProxyType({env: _freeze(s) for env, s in envs.items()}), MappingProxyType(oauth)
    )
