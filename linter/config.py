"""``[tool.registry-lint]`` configuration: loading, validation, rule selection."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

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
    #: Directory that relative paths in the config are resolved against.
    root: str = "."
    #: The file the config came from, if any.
    source: str | None = None
    _compiled_ns: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _exclude_matcher: PathMatcher | None = field(default=None, init=False, repr=False, compare=False)

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
        )
        return repr(parts)

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
    ) -> Config:
        return replace(
            self,
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


def path_matches(relpath: str, pattern: str) -> bool:
    """gitignore-like matching of a POSIX relative path.

    ``dir/`` matches that directory anywhere below the root; a pattern with a
    slash is anchored at the root; a bare pattern matches any path component.
    """
    relpath = relpath.replace("\\", "/")
    if relpath.startswith("./"):
        relpath = relpath[2:]
    parts = relpath.split("/")
    if pattern.endswith("/"):
        pat = pattern.rstrip("/")
        if "/" in pat:
            return any(fnmatch.fnmatchcase("/".join(parts[:i]), pat) for i in range(1, len(parts)))
        return any(fnmatch.fnmatchcase(p, pat) for p in parts[:-1])
    if "/" in pattern:
        pat = pattern.lstrip("/")
        return fnmatch.fnmatchcase(relpath, pat) or any(
            fnmatch.fnmatchcase("/".join(parts[:i]), pat) for i in range(1, len(parts))
        )
    return any(fnmatch.fnmatchcase(p, pattern) for p in parts)


class PathMatcher:
    """``any(path_matches(relpath, p) for p in patterns)``, compiled once.

    Each kind of pattern becomes one alternation of ``fnmatch.translate``
    regexes, tested against the same strings ``path_matches`` tests, so a
    tree with a 200-line .gitignore costs one regex match per path part
    instead of 200 ``fnmatch`` calls.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        parent_parts: list[str] = []  # `dir/`: any directory component
        parent_prefixes: list[str] = []  # `a/b/`: any proper prefix
        any_parts: list[str] = []  # `*.pyc`: any component
        anchored: list[str] = []  # `a/*.py`: the path or any proper prefix
        for pattern in patterns:
            if pattern.endswith("/"):
                pat = pattern.rstrip("/")
                (parent_prefixes if "/" in pat else parent_parts).append(pat)
            elif "/" in pattern:
                anchored.append(pattern.lstrip("/"))
            else:
                any_parts.append(pattern)
        self._parent_parts = _alternation(parent_parts)
        self._parent_prefixes = _alternation(parent_prefixes)
        self._any_parts = _alternation(any_parts)
        self._anchored = _alternation(anchored)
        self._directories: dict[str, bool] = {}

    def __call__(self, relpath: str) -> bool:
        relpath = relpath.replace("\\", "/")
        if relpath.startswith("./"):
            relpath = relpath[2:]
        head, _, name = relpath.rpartition("/")
        if self._any_parts is not None and self._any_parts(name):
            return True
        if head and self._directory_matches(head):
            return True
        return self._anchored is not None and bool(self._anchored(relpath))

    def _directory_matches(self, head: str) -> bool:
        """Whether a pattern matches the directory part of a path (a component
        or a prefix of it). Memoised: every file of a directory shares the
        answer, and discovery asks for each file twice (.gitignore, excludes)."""
        hit = self._directories.get(head)
        if hit is None:
            parts = head.split("/")
            prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
            hit = bool(
                (self._any_parts is not None and any(self._any_parts(p) for p in parts))
                or (self._parent_parts is not None and any(self._parent_parts(p) for p in parts))
                or (self._parent_prefixes is not None and any(self._parent_prefixes(p) for p in prefixes))
                or (self._anchored is not None and any(self._anchored(p) for p in prefixes))
            )
            if len(self._directories) < _MAX_MEMO:
                self._directories[head] = hit
        return hit


#: Directories remembered per matcher (a run sees a few thousand at most).
_MAX_MEMO = 100_000


def _alternation(patterns: list[str]):  # type: ignore[no-untyped-def]
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns)).match


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
}


def find_config(start: Path) -> Path | None:
    """The nearest registry-lint.toml, or pyproject.toml with [tool.registry-lint]."""
    start = start.resolve()
    for directory in (start, *start.parents):
        dedicated = directory / "registry-lint.toml"
        if dedicated.is_file():
            return dedicated
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "registry-lint" not in text and "\\u" not in text and "\\U" not in text:
                continue  # cannot name the table (even escaped): skip the TOML parse
            import tomllib  # here, not at the top: most runs never parse TOML

            try:
                data = tomllib.loads(text)
            except (tomllib.TOMLDecodeError, RecursionError):  # tomllib recurses: deep arrays overflow it
                # Broken TOML that mentions us is our config: report it, don't skip it.
                if "registry-lint" in text:
                    return pyproject
                continue
            if "registry-lint" in data.get("tool", {}):
                return pyproject
    return None


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
    return parse_config(table, root=path.resolve().parent, source=str(path))


def parse_config(table: Mapping[str, object], *, root: Path, source: str | None = None) -> Config:
    where = source or "configuration"
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: [tool.registry-lint] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown option(s): {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    kwargs: dict[str, object] = {"root": str(root), "source": source}
    if "select" in table:
        kwargs["select"] = _codes(_str_list(table["select"], "select", where), "select")
    if "extend-select" in table:
        kwargs["extend_select"] = _codes(_str_list(table["extend-select"], "extend-select", where), "extend-select")
    if "ignore" in table:
        kwargs["ignore"] = _codes(_str_list(table["ignore"], "ignore", where), "ignore")
    if "exclude" in table:
        kwargs["exclude"] = tuple(_str_list(table["exclude"], "exclude", where))
    if "extend-exclude" in table:
        kwargs["extend_exclude"] = tuple(_str_list(table["extend-exclude"], "extend-exclude", where))
    if "per-file-ignores" in table:
        pfi = table["per-file-ignores"]
        if not isinstance(pfi, Mapping):
            raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [codes]")
        kwargs["per_file_ignores"] = tuple(
            (str(glob), _codes(_str_list(codes, f"per-file-ignores.{glob}", where), "per-file-ignores"))
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


def _str_list(value: object, key: str, where: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return value


def _codes(values: Iterable[str], option: str) -> tuple[str, ...]:
    out = []
    for raw in values:
        for part in str(raw).split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not CODE_RE.match(code):
                raise ConfigError(f"{option}: {part.strip()!r} is not a rule code or prefix (e.g. RL304, RL3, ALL)")
            out.append(code)
    return tuple(out)


_DEFAULT_MATCHER = PathMatcher(DEFAULT_EXCLUDE)
