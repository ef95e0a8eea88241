"""Which configuration applies to each file (ruff's hierarchical model).

Each file uses its nearest configuration: walking up from the file's
directory, the first ``registry-lint.toml``, or ``pyproject.toml`` with a
``[tool.registry-lint]`` table. A file with none above it uses the
configuration of the current directory (found the same way), else the
defaults. ``--config FILE`` makes one configuration apply to every file.
Command-line selections (``--select``, ``--extend-select``, ``--ignore``)
apply on top of each. Patterns (``exclude``, ``per-file-ignores``) are
relative to the directory of the file that declares them.

A file is excluded when any configuration at or above it excludes it, so
``check .``, ``check sub/`` and pre-commit's list of file names agree: a
parent's ``exclude = ["legacy/"]`` also covers a subproject's ``legacy/``.

Lookups are memoised per directory: each directory is asked for its own
configuration files once per run, whatever the number of files below it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .codes import normalise_codes
from .config import Config, ConfigError
from .config_files import config_in, load_config
from .paths import relpath_of_absolute

_DEFAULTS = ""  # key of the built-in defaults (no configuration file)


class Settings:
    """The configuration of every file of a run."""

    def __init__(
        self,
        *,
        config_file: str | None = None,
        fixed: Config | None = None,
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        cwd: str | None = None,
        tracecat_registry: str | None = None,
    ) -> None:
        self.cwd = os.path.abspath(cwd or os.getcwd())
        #: Directory -> the configuration file that applies there ("" for none above it).
        self._dir_file: dict[str, str] = {}
        #: Configuration file -> the next configuration file above its directory.
        self._parent_file: dict[str, str] = {}
        #: Configuration file -> Config as written (shared by with_overrides copies).
        self._raw: dict[str, Config] = {}
        self._fixed: str | None = None
        if config_file is not None:
            if not os.path.isfile(config_file):
                raise ConfigError(f"config file not found: {config_file}")
            fixed = load_config(Path(config_file), default_root=Path(self.cwd))
        if fixed is not None:
            self._fixed = fixed.source or "<fixed>"
            self._raw[self._fixed] = fixed
        self._overrides: dict[str, tuple[str, ...] | None] = {"select": None, "extend_select": (), "ignore": ()}
        #: ``--tracecat-registry``: every configuration reads this checkout's actions.
        self._tracecat_registry = tracecat_registry
        self._applied: dict[str, Config] = {}
        #: Directory -> the configurations at or above it, nearest first.
        self._chains: dict[str, tuple[Config, ...]] = {}
        self._set_overrides(select, extend_select, ignore)
        self._default_file = self._fixed if self._fixed is not None else self._file_for(self.cwd)
        self._load(self._default_file)  # a broken configuration is an error before anything is linted

    @classmethod
    def fixed(cls, config: Config) -> Settings:
        """Every file uses ``config`` (``--config``, tests, library callers)."""
        return cls(fixed=config, cwd=os.getcwd())

    def with_overrides(
        self, *, select: Iterable[str] | None = None, extend_select: Iterable[str] = (), ignore: Iterable[str] = ()
    ) -> Settings:
        """The same lookup with more command-line selections on top (``select`` replaces)."""
        new = object.__new__(Settings)
        new.__dict__.update(self.__dict__)  # the files on disk are the same: share the lookups
        new._overrides = dict(self._overrides)
        new._applied = {}
        new._chains = {}  # they hold configurations with the old overrides
        new._set_overrides(select, extend_select, ignore)
        return new

    # Lookups ---------------------------------------------------------------------
    def for_path(self, path: str) -> Config:
        """The configuration of the file ``path``."""
        if self._fixed is not None:
            return self._load(self._fixed)
        return self.for_dir(os.path.dirname(os.path.abspath(path)))

    def for_dir(self, directory: str) -> Config:
        if self._fixed is not None:
            return self._load(self._fixed)
        found = self._file_for(os.path.abspath(directory))
        return self._load(found or self._default_file)

    def chain(self, directory: str) -> list[Config]:
        """Every configuration at or above ``directory``, nearest first (the
        default alone when there is none)."""
        return list(self._chain(os.path.abspath(directory)))

    def _chain(self, directory: str) -> tuple[Config, ...]:
        chain = self._chains.get(directory)
        if chain is None:
            chain = self._chains[directory] = tuple(self._walk_chain(directory))
        return chain

    def _walk_chain(self, directory: str) -> list[Config]:
        if self._fixed is not None:
            return [self._load(self._fixed)]
        out: list[Config] = []
        found = self._file_for(directory)
        while found:
            out.append(self._load(found))
            if found not in self._parent_file:
                here = os.path.dirname(found)
                above = os.path.dirname(here)
                self._parent_file[found] = self._file_for(above) if above != here else _DEFAULTS
            found = self._parent_file[found]
        return out or [self._load(self._default_file)]

    def is_excluded(self, path: str, *, directory: bool = False) -> bool:
        """Whether any configuration at or above ``path`` excludes it."""
        absolute = os.path.abspath(path)
        for cfg in self._chain(os.path.dirname(absolute)):
            rel = relpath_of_absolute(absolute, cfg.root)
            if rel in (".", ""):
                continue
            if cfg.is_excluded(rel + "/x" if directory else rel):
                return True
        return False

    def configs(self) -> list[Config]:
        """Every configuration used so far, the default first."""
        default = self._load(self._default_file)
        return list(dict.fromkeys([default, *self._applied.values()]))

    @property
    def default(self) -> Config:
        """The configuration of files with none above them (the current directory's)."""
        return self._load(self._default_file)

    # Internals -------------------------------------------------------------------
    def _set_overrides(self, select: Iterable[str] | None, extend_select: Iterable[str], ignore: Iterable[str]) -> None:
        if select is not None:
            self._overrides["select"] = normalise_codes(select, "--select")
        self._overrides["extend_select"] = (self._overrides["extend_select"] or ()) + normalise_codes(extend_select, "--extend-select")
        self._overrides["ignore"] = (self._overrides["ignore"] or ()) + normalise_codes(ignore, "--ignore")

    def _file_for(self, directory: str) -> str:
        memo = self._dir_file
        pending: list[str] = []
        current = directory
        while current not in memo:
            pending.append(current)
            found = config_in(current)
            if found is not None:
                result = str(found)
                break
            parent = os.path.dirname(current)
            if parent == current:
                result = _DEFAULTS
                break
            current = parent
        else:
            result = memo[current]
        for seen in pending:
            memo[seen] = result
        return result

    def _load(self, config_file: str) -> Config:
        applied = self._applied.get(config_file)
        if applied is not None:
            return applied
        raw = self._raw.get(config_file)
        if raw is None:
            if config_file == _DEFAULTS:
                raw = Config(root=self.cwd)
            else:
                raw = load_config(Path(config_file), default_root=Path(self.cwd))
            self._raw[config_file] = raw
        o = self._overrides
        if o["select"] is not None or o["extend_select"] or o["ignore"] or self._tracecat_registry:
            applied = raw.with_overrides(
                select=o["select"], extend_select=o["extend_select"] or (), ignore=o["ignore"] or (),
                tracecat_registry=self._tracecat_registry,
            )
        else:
            applied = raw
        self._applied[config_file] = applied
        return applied


def as_settings(config: Config | Settings) -> Settings:
    return config if isinstance(config, Settings) else Settings.fixed(config)
