"""``[tool.registry-lint]`` configuration: the :class:`Config` and rule selection.

A table becomes a ``Config`` in ``config_table.py``; configuration files are
found and loaded (``extend`` included) in ``config_files.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .codes import ConfigError, normalise_codes
from .model import Diagnostic
from .patterns import PathMatcher, path_matches

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
    # Any virtual environment, whatever its directory is called (as ruff):
    # installed packages are not the project's code.
    "site-packages/",
)
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
        return self._exclude_matcher(relpath)

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
            tracecat_registry=registry_checkout(tracecat_registry, "--tracecat-registry") if tracecat_registry else self.tracecat_registry,
            select=_codes(select, "--select") if select is not None else self.select,
            extend_select=self.extend_select + _codes(extend_select, "--extend-select"),
            ignore=self.ignore + _codes(ignore, "--ignore"),
        )


def registry_checkout(path: str, where: str) -> str:
    """``path`` resolved, when it is a Tracecat checkout (or its ``tracecat-registry``)."""
    from .catalogue.actions import package_dir

    resolved = Path(path).expanduser().resolve()
    try:
        package_dir(resolved)
    except FileNotFoundError:
        raise ConfigError(f"{where}: {path} holds no tracecat_registry package (give a Tracecat checkout or its packages/tracecat-registry)") from None
    return str(resolved)


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


_DEFAULT_MATCHER = PathMatcher(DEFAULT_EXCLUDE)
