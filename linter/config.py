"""``[tool.registry-lint]`` configuration: loading, validation, rule selection."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .model import Diagnostic
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
# Re-exported: the codes' validation lives in codes.py.
from .codes import CODE_RE, UNIGNORABLE, ConfigError, known_selectors, normalise_codes, suggest_code  # noqa: F401,E402

_codes = normalise_codes


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
    #: Which codes ``--fix`` may fix (None: all), and which never.
    fixable: tuple[str, ...] | None = None
    unfixable: tuple[str, ...] = ()
    extend_per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Inherited through ``extend`` (config_extend.py), base-most first: the
    #: selection layers (select, extend-select, ignore) and fixability layers
    #: (fixable, unfixable) applied before this file's own, and pattern
    #: groups (key, root they are relative to, patterns or pairs).
    base_selection: tuple[tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]], ...] = ()
    base_fixability: tuple[tuple[tuple[str, ...] | None, tuple[str, ...]], ...] = ()
    inherited_excludes: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    inherited_ignores: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
    #: The files this one extends, nearest first.
    extends: tuple[str, ...] = ()
    #: Directory that relative paths in the config are resolved against.
    root: str = "."
    #: The file the config came from, if any.
    source: str | None = None
    _compiled_ns: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _exclude_matcher: PathMatcher | None = field(default=None, init=False, repr=False, compare=False)
    _fixable_memo: dict[str, bool] | None = field(default=None, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, object]:
        # Sent to worker processes with every chunk: not the compiled
        # matchers (the exclude matcher memoises every directory of the run).
        return {**self.__dict__, "_compiled_ns": None, "_exclude_matcher": None, "_fixable_memo": None}

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
            self.fixable,
            self.unfixable,
            self.extend_per_file_ignores,
            self.base_selection,
            self.base_fixability,
            self.inherited_ignores,
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

    def is_fixable(self, code: str) -> bool:
        """Whether ``--fix`` may fix ``code`` (``fixable``/``unfixable``, as ruff's)."""
        memo = self._fixable_memo
        if memo is None:
            memo = {}
            object.__setattr__(self, "_fixable_memo", memo)
        if code not in memo:
            state = True  # fixable = ["ALL"] by default
            for fixable, unfixable in (*self.base_fixability, (self.fixable, self.unfixable)):
                state = _layer(code, False, state, fixable, (), unfixable)
            memo[code] = state
        return memo[code]

    def without_unfixable(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """As ruff: a finding of an ``unfixable`` code carries no fix (no
        ``[*]``, nothing for ``--fix``, ``--diff`` or an editor to apply)."""
        if self.fixable is None and not self.unfixable and not self.base_fixability:
            return diagnostics
        return [replace(d, fix=None) if d.fix is not None and not self.is_fixable(d.code) else d for d in diagnostics]

    def ignored_for(self, relpath: str) -> frozenset[str]:
        """Codes (and prefixes) ignored for one file by per-file-ignores
        (its own, and those inherited through ``extend``, each relative to
        the file that declares it)."""
        out: set[str] = set()
        groups = [(self.root, (*self.per_file_ignores, *self.extend_per_file_ignores))]
        groups += [(root, pairs) for _, root, pairs in self.inherited_ignores]
        for root, pairs in groups:
            rel = relpath if root == self.root else _rebase(relpath, self.root, root)
            if _outside_root(rel):
                continue
            for pattern, codes in pairs:
                if path_matches(rel, pattern):
                    out.update(codes)
        return frozenset(out)

    def is_excluded(self, relpath: str) -> bool:
        if self.inherited_excludes and any(
            not _outside_root(rel := _rebase(relpath, self.root, root)) and PathMatcher(patterns)(rel)
            for _, root, patterns in self.inherited_excludes
        ):
            return True
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


def _rebase(relpath: str, root: str, other: str) -> str:
    """``relpath`` (relative to ``root``, or absolute) relative to ``other``."""
    from .paths import relpath_of_absolute

    absolute = relpath if _outside_root(relpath) else os.path.join(root, relpath)
    return relpath_of_absolute(os.path.normpath(absolute), other)


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
    state = not opt_in  # the default selection: every rule that is not opt-in
    for select, extend_select, ignore in (*cfg.base_selection, (cfg.select, cfg.extend_select, cfg.ignore)):
        state = _layer(code, opt_in, state, select, extend_select, ignore)
    return state


def _layer(
    code: str, opt_in: bool, state: bool, select: tuple[str, ...] | None, extend: tuple[str, ...], ignore: tuple[str, ...]
) -> bool:
    """One configuration's selection applied on top of ``state`` (its base's,
    through ``extend``; ruff's ordered rule selections). ``select`` starts
    afresh; a code no selector of the layer names keeps its state."""
    chosen = _specificity(code, select, opt_in) if select is not None else -1
    chosen = max(chosen, _specificity(code, extend, opt_in))
    ignored = _specificity(code, ignore, False)
    if chosen < 0 and ignored < 0:
        return False if select is not None else state
    # As in ruff, the more specific selector wins; ignore wins a tie.
    return chosen > ignored


# Loading -----------------------------------------------------------------
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
    table = read_table(path)
    if "extend" in table:
        from .config_extend import load_extending

        return load_extending(path, table)
    # Absolute, not resolved: discovery and relpath() see paths as given (a
    # symlinked checkout keeps its own path), and so must the patterns.
    return parse_config(table, root=Path(os.path.abspath(path)).parent, source=str(path))


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


_DEFAULT_MATCHER = PathMatcher(DEFAULT_EXCLUDE)
