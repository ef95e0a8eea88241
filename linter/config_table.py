"""A ``[tool.registry-lint]`` table -> :class:`~registry_lint.config.Config`:
reading it from a file and validating every key (errors name the file)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from .codes import ConfigError, normalise_codes
from .config import Config, registry_checkout
from .tracecat import GRANT_TYPES

_codes = normalise_codes
_KEYS = {
    "extend",
    "select",
    "extend-select",
    "ignore",
    "fixable",
    "unfixable",
    "per-file-ignores",
    "extend-per-file-ignores",
    "exclude",
    "extend-exclude",
    "namespace-pattern",
    "max-file-size",
    "extra-oauth-providers",
    "extra-app-secrets",
    "tracecat-registry",
    "extra-actions",
}


def read_table(path: Path) -> Mapping[str, object]:
    """The ``[tool.registry-lint]`` table of a pyproject.toml, or the whole of another file."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    if path.name == "pyproject.toml" or "tool" in data:
        table = data.get("tool", {}).get("registry-lint", {})
    else:
        table = data
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.registry-lint] must be a table")
    return table


def parse_config(table: Mapping[str, object], *, root: Path, source: str | None = None) -> Config:
    where = source or "configuration"
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: [tool.registry-lint] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown option(s): {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    kwargs: dict[str, object] = {"root": str(root), "source": source}
    if "select" in table:
        kwargs["select"] = _codes(_str_list(table["select"], "select", where), "select", where)
    if "extend-select" in table:
        kwargs["extend_select"] = _codes(_str_list(table["extend-select"], "extend-select", where), "extend-select", where)
    if "ignore" in table:
        kwargs["ignore"] = _codes(_str_list(table["ignore"], "ignore", where), "ignore", where)
    if "fixable" in table:
        kwargs["fixable"] = _codes(_str_list(table["fixable"], "fixable", where), "fixable", where)
    if "unfixable" in table:
        kwargs["unfixable"] = _codes(_str_list(table["unfixable"], "unfixable", where), "unfixable", where)
    if "extend" in table and not isinstance(table["extend"], str):
        raise ConfigError(f"{where}: extend must be the path of another configuration file (a string)")
    if "exclude" in table:
        kwargs["exclude"] = tuple(_str_list(table["exclude"], "exclude", where))
    if "extend-exclude" in table:
        kwargs["extend_exclude"] = tuple(_str_list(table["extend-exclude"], "extend-exclude", where))
    for key in ("per-file-ignores", "extend-per-file-ignores"):
        if key in table:
            pfi = table[key]
            if not isinstance(pfi, Mapping):
                raise ConfigError(f"{where}: {key} must be a table of glob = [codes]")
            kwargs[key.replace("-", "_")] = tuple(
                (str(glob), _codes(_str_list(codes, f"{key}.{glob}", where), f"{key}.{glob}", where))
                for glob, codes in pfi.items()
            )
    if "namespace-pattern" in table:
        pattern = table["namespace-pattern"]
        if not isinstance(pattern, str):
            raise ConfigError(f"{where}: namespace-pattern must be a string")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: namespace-pattern is not a valid regex: {exc}") from None
        kwargs["namespace_pattern"] = pattern
    if "max-file-size" in table:
        size = table["max-file-size"]
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise ConfigError(f"{where}: max-file-size must be a positive integer (bytes)")
        kwargs["max_file_size"] = size
    if "extra-oauth-providers" in table:
        extra = table["extra-oauth-providers"]
        if not isinstance(extra, Mapping):
            raise ConfigError(f"{where}: extra-oauth-providers must be a table of provider_id = [grant types]")
        pairs = []
        for pid, grants in extra.items():
            grant_list = _str_list(grants, f"extra-oauth-providers.{pid}", where)
            bad = [g for g in grant_list if g not in GRANT_TYPES]
            if bad:
                raise ConfigError(
                    f"{where}: extra-oauth-providers.{pid}: unknown grant type(s) {bad}; "
                    f"use {' or '.join(GRANT_TYPES)}"
                )
            pairs.append((str(pid), tuple(grant_list)))
        kwargs["extra_oauth_providers"] = tuple(pairs)
    if "extra-app-secrets" in table:
        kwargs["extra_app_secrets"] = _app_secrets(table["extra-app-secrets"], where)
    if "tracecat-registry" in table:
        path = table["tracecat-registry"]
        if not isinstance(path, str) or not path:
            raise ConfigError(f"{where}: tracecat-registry must be a path (a Tracecat checkout or its packages/tracecat-registry)")
        kwargs["tracecat_registry"] = registry_checkout(str(root / path), f"{where}: tracecat-registry")
    if "extra-actions" in table:
        kwargs["extra_actions"] = _extra_actions(table["extra-actions"], where)
    return Config(**kwargs)


def _app_secrets(value: object, where: str) -> tuple[tuple[str, str], ...]:
    """``extra-app-secrets = { SHARED_API_KEY = "workspace" }``: keys an agent-native
    app registers outside the linted set (another package), with their scope."""
    from .agent_native import SCOPES

    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: extra-app-secrets must be a table of KEY = scope ({', '.join(SCOPES)})")
    out = []
    for key, scope in value.items():
        if scope not in SCOPES:
            raise ConfigError(f"{where}: extra-app-secrets.{key}: scope must be one of {', '.join(SCOPES)}")
        out.append((str(key), str(scope)))
    return tuple(sorted(out))


def _extra_actions(value: object, where: str) -> tuple[tuple[str, tuple[tuple[str, str | None, bool], ...] | None], ...]:
    """``"tools.acme.lookup" = { ip = "str", limit = { type = "int", required = false } }``;
    ``"tools.acme.any" = "*"`` accepts any arguments."""
    shape = 'extra-actions must be a table of "namespace.name" = { param = "type", ... } (or = "*")'
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: {shape}")
    out = []
    for key, params in value.items():
        if params == "*":
            out.append((str(key), None))
            continue
        if not isinstance(params, Mapping):
            raise ConfigError(f"{where}: extra-actions.{key}: {shape}")
        rows = []
        for name, spec in params.items():
            if isinstance(spec, str):
                rows.append((str(name), spec, True))
            elif isinstance(spec, Mapping) and set(spec) <= {"type", "required"} and isinstance(spec.get("type", ""), str) and isinstance(spec.get("required", True), bool):
                rows.append((str(name), spec.get("type"), bool(spec.get("required", True))))
            else:
                raise ConfigError(f'{where}: extra-actions.{key}.{name} must be a type string or {{ type = "...", required = false }}')
        out.append((str(key), tuple(rows)))
    return tuple(out)


def _str_list(value: object, key: str, where: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return value
