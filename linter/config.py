"""``[tool.registry-lint]`` configuration: loading, validation, rule selection."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .patterns import PathMatcher, path_matches  # noqa: F401 - path_matches: part of the API

DEFAULT_NAMESPACE_PATTERN = r"tools\.[a-z][a-z0-9_]*"
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
DEFAULT_EXCLUDE = (
    ".git/",
    ".hg/",
    ".venv/",
    "venv/",
    ".tox/",
    ".nox/",
    "node_modules/",
    "__pycache__/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".registry-lint-cache/",
    "*.egg-info/",
)
CODE_RE = re.compile(r"^(ALL|RL[0-9]{0,3})$")


class ConfigError(ValueError):
    """A user error in configuration or options: exit code 2, no traceback."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    namespace_pattern: str = DEFAULT_NAMESPACE_PATTERN
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    extra_oauth_providers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: agent-native secrets registered outside the linted set: (key, scope).
    extra_app_secrets: tuple[tuple[str, str], ...] = ()
    #: A Tracecat checkout (or its ``tracecat-registry``) whose built-in actions
    #: replace the shipped catalogue (absolute path).
    tracecat_registry: str | None = None
    #: Actions of other registries steps may call: (key, params or None for
    #: "any arguments"), each param (name, type expression or None, required).
    extra_actions: tuple[tuple[str, tuple[tuple[str, str | None, bool], ...] | None], ...] = ()
    #: Directory that relative paths in the config are resolved against.
    root: str = "."
    #: The file the config came from, if any.
    source: str | None = None
    _compiled_ns: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _exclude_matcher: PathMatcher | None = field(default=None, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, object]:
        # Sent to worker processes with every chunk: not the compiled
        # matchers (the exclude matcher memoises every directory of the run).
        return {**self.__dict__, "_compiled_ns": None, "_exclude_matcher": None}

    @property
    def namespace_re(self) -> re.Pattern[str]:
        if self._compiled_ns is None:
            object.__setattr__(self, "_compiled_ns", re.compile(self.namespace_pattern))
        assert self._compiled_ns is not None
        return self._compiled_ns

    def fingerprint(self) -> str:
        """Stable text of everything that changes lint results (for the cache key)."""
        parts = (
            self.select,
            self.extend_select,
            self.ignore,
            self.per_file_ignores,
            self.namespace_pattern,
            self.max_file_size,
            self.extra_oauth_providers,
            self.extra_app_secrets,
            self.extra_actions,
            self._tracecat_registry_state(),
        )
        return repr(parts)

    def _tracecat_registry_state(self) -> tuple[str, str] | None:
        """The checkout and a digest of its files: its catalogue changes results."""
        if self.tracecat_registry is None:
            return None
        from .catalogue.actions import checkout_digest

        return (self.tracecat_registry, checkout_digest(self.tracecat_registry))

    # Selection ---------------------------------------------------------
    def enabled_codes(self, codes: Iterable[str], opt_in: Iterable[str]) -> frozenset[str]:
        opt = set(opt_in)
        return frozenset(c for c in codes if _is_enabled(c, c in opt, self))

    def ignored_for(self, relpath: str) -> frozenset[str]:
        """Codes (and prefixes) ignored for one file by per-file-ignores."""
        if _outside_root(relpath):
            return frozenset()
        out: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if path_matches(relpath, pattern):
                out.update(codes)
        return frozenset(out)

    def is_excluded(self, relpath: str) -> bool:
        if _outside_root(relpath):
            # The config's patterns describe its own tree: `tests/` in our
            # pyproject must not exclude another checkout's tests/.
            return _DEFAULT_MATCHER(relpath)
        if self._exclude_matcher is None:
            matcher = PathMatcher((*DEFAULT_EXCLUDE, *self.exclude, *self.extend_exclude))
            object.__setattr__(self, "_exclude_matcher", matcher)
        return self._exclude_matcher(relpath)  # type: ignore[misc]

    def with_overrides(
        self,
        *,
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        tracecat_registry: str | None = None,
    ) -> Config:
        return replace(
            self,
            tracecat_registry=_checkout(tracecat_registry, "--tracecat-registry") if tracecat_registry else self.tracecat_registry,
            select=_codes(select, "--select") if select is not None else self.select,
            extend_select=self.extend_select + _codes(extend_select, "--extend-select"),
            ignore=self.ignore + _codes(ignore, "--ignore"),
        )


def _outside_root(relpath: str) -> bool:
    """``discover.relpath`` leaves paths outside the config root absolute."""
    return relpath.startswith("/") or relpath[1:3] == ":/" or relpath[1:3] == ":\\"


def code_matches(code: str, selector: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def _specificity(code: str, selectors: Iterable[str], opt_in: bool) -> int:
    """Length of the most specific selector matching ``code``; -1 if none."""
    best = -1
    for sel in selectors:
        if opt_in and sel not in (code, "ALL"):
            continue
        if code_matches(code, sel):
            best = max(best, 0 if sel == "ALL" else len(sel))
    return best


def _is_enabled(code: str, opt_in: bool, cfg: Config) -> bool:
    if cfg.select is None:
        chosen = -1 if opt_in else 0
    else:
        chosen = _specificity(code, cfg.select, opt_in)
    chosen = max(chosen, _specificity(code, cfg.extend_select, opt_in))
    ignored = _specificity(code, cfg.ignore, False)
    # As in ruff, the more specific selector wins; ignore wins a tie.
    return chosen >= 0 and chosen > ignored


# Loading -----------------------------------------------------------------
_KEYS = {
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "namespace-pattern",
    "max-file-size",
    "extra-oauth-providers",
    "extra-app-secrets",
    "tracecat-registry",
    "extra-actions",
}


def find_config(start: Path) -> Path | None:
    """The nearest registry-lint.toml, or pyproject.toml with [tool.registry-lint]."""
    start = Path(os.path.abspath(start))
    for directory in (start, *start.parents):
        found = config_in(directory)
        if found is not None:
            return found
    return None


def config_in(directory: Path | str) -> Path | None:
    """The configuration file in ``directory`` itself, if it has one.

    Asked once per directory of a run (settings.py): plain ``os.path``
    calls, no Path objects until a file is found."""
    base = os.fspath(directory)
    dedicated = os.path.join(base, "registry-lint.toml")
    if os.path.isfile(dedicated):
        return Path(dedicated)
    pyproject_path = os.path.join(base, "pyproject.toml")
    if not os.path.isfile(pyproject_path):
        return None
    pyproject = Path(pyproject_path)
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "registry-lint" not in text and "\\u" not in text and "\\U" not in text:
        return None  # cannot name the table (even escaped): skip the TOML parse
    import tomllib  # here, not at the top: most runs never parse TOML

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):  # tomllib recurses: deep arrays overflow it
        # Broken TOML that mentions us is our config: report it, don't skip it.
        return pyproject if "registry-lint" in text else None
    tool = data.get("tool", {})
    return pyproject if isinstance(tool, dict) and "registry-lint" in tool else None


def load_config(path: Path | None, *, default_root: Path) -> Config:
    if path is None:
        return Config(root=str(default_root.resolve()))
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
    # Absolute, not resolved: discovery and relpath() see paths as given (a
    # symlinked checkout keeps its own path), and so must the patterns.
    return parse_config(table, root=Path(os.path.abspath(path)).parent, source=str(path))


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
    if "exclude" in table:
        kwargs["exclude"] = tuple(_str_list(table["exclude"], "exclude", where))
    if "extend-exclude" in table:
        kwargs["extend_exclude"] = tuple(_str_list(table["extend-exclude"], "extend-exclude", where))
    if "per-file-ignores" in table:
        pfi = table["per-file-ignores"]
        if not isinstance(pfi, Mapping):
            raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [codes]")
        kwargs["per_file_ignores"] = tuple(
            (str(glob), _codes(_str_list(codes, f"per-file-ignores.{glob}", where), f"per-file-ignores.{glob}", where))
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
            bad = [g for g in grant_list if g not in ("authorization_code", "client_credentials")]
            if bad:
                raise ConfigError(
                    f"{where}: extra-oauth-providers.{pid}: unknown grant type(s) {bad}; "
                    "use authorization_code or client_credentials"
                )
            pairs.append((str(pid), tuple(grant_list)))
        kwargs["extra_oauth_providers"] = tuple(pairs)
    if "extra-app-secrets" in table:
        kwargs["extra_app_secrets"] = _app_secrets(table["extra-app-secrets"], where)
    if "tracecat-registry" in table:
        path = table["tracecat-registry"]
        if not isinstance(path, str) or not path:
            raise ConfigError(f"{where}: tracecat-registry must be a path (a Tracecat checkout or its packages/tracecat-registry)")
        kwargs["tracecat_registry"] = _checkout(str(root / path), f"{where}: tracecat-registry")
    if "extra-actions" in table:
        kwargs["extra_actions"] = _extra_actions(table["extra-actions"], where)
    return Config(**kwargs)  # type: ignore[arg-type]


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


def _checkout(path: str, where: str) -> str:
    from .catalogue.actions import package_dir

    resolved = Path(path).expanduser().resolve()
    try:
        package_dir(resolved)
    except FileNotFoundError:
        raise ConfigError(f"{where}: {path} holds no tracecat_registry package (give a Tracecat checkout or its packages/tracecat-registry)") from None
    return str(resolved)


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


#: Reported whatever the selection (as ruff's E902): naming it in an ignore
#: list is a mistake, not a way to hide unchecked files.
UNIGNORABLE = "RL003"


def normalise_codes(values: Iterable[str], option: str, where: str | None = None) -> tuple[str, ...]:
    """Upper-cased codes and prefixes from ``values`` (comma-separated or
    repeated). A code or prefix no rule has is an error, with a suggestion:
    ``--select RL999`` must not pass by checking nothing."""
    out = []
    for raw in values:
        for part in str(raw).split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not CODE_RE.match(code) or not _is_known(code):
                raise ConfigError(_unknown_code(part.strip(), option, where))
            if code == UNIGNORABLE and ("ignore" in option):
                raise ConfigError(
                    f"{where + ': ' if where else ''}{option}: {UNIGNORABLE} cannot be ignored: a file that could not "
                    "be read or linted is always reported (as ruff's E902); exclude the file, or raise max-file-size"
                )
            out.append(code)
    return tuple(out)


_codes = normalise_codes


_SELECTORS: frozenset[str] | None = None


def known_selectors() -> frozenset[str]:
    """Every valid selector: ALL, each rule code and each prefix of one."""
    global _SELECTORS
    if _SELECTORS is None:
        from .rule import load_rules

        codes = load_rules()
        _SELECTORS = frozenset({"ALL", *(code[:i] for code in codes for i in range(2, len(code) + 1))})
    return _SELECTORS


def _is_known(code: str) -> bool:
    return code in known_selectors()


def _unknown_code(given: str, option: str, where: str | None) -> str:
    suggestion = suggest_code(given)
    hint = f" (did you mean {suggestion}?)" if suggestion else ""
    prefix = f"{where}: " if where else ""
    return (
        f"{prefix}{option}: {given!r} is not a rule code or prefix of registry-lint{hint}; "
        "see `registry-lint rules` (e.g. RL304, RL3, ALL)"
    )


def suggest_code(given: str) -> str | None:
    """The code a mistyped selector most likely meant: look-alike letters
    (`RL1O5`), one digit too many (`RL1011`), else the closest code of the
    longest family prefix it starts with (`RL40X` -> RL401)."""
    import difflib

    from .rule import load_rules

    code = given.strip().upper()
    if code.startswith("RL"):
        code = "RL" + code[2:].translate(str.maketrans("OIL", "011"))
    if _is_known(code):
        return code
    if len(code) > 5 and _is_known(code[:5]):
        return code[:5]
    codes = sorted(load_rules())
    for n in range(len(code), 2, -1):
        pool = [c for c in codes if c.startswith(code[:n])]
        if pool:
            break
    else:
        pool, n = codes, 0
    scores = [(difflib.SequenceMatcher(None, code, c).ratio(), -i, c) for i, c in enumerate(pool)]
    score, _, best = max(scores)
    return best if n >= 3 or score >= 0.8 else None


_DEFAULT_MATCHER = PathMatcher(DEFAULT_EXCLUDE)
