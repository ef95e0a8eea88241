"""``check --show-settings PATH`` and ``check --show-files``: what applies where."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from .config import Config
from .paths import display, relpath
from .settings import Settings
from .source import kind_for


def _source(cfg: Config) -> str:
    return display(cfg.source) if cfg.source else "(none: the defaults)"


def _toml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def _toml_table(pairs: Sequence[tuple[str, Sequence[str]]]) -> str:
    return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_list(v)}" for k, v in pairs) + " }" if pairs else "{}"


def settings_text(settings: Settings, path: str) -> str:
    """The configuration that applies to one file (or to the files directly in a directory)."""
    from .engine import ruleset

    is_dir = os.path.isdir(path)
    cfg = settings.for_dir(path) if is_dir else settings.for_path(path)
    rel = relpath(path, cfg.root, settings.cwd)
    excluded_by = [c for c in settings.chain(path if is_dir else os.path.dirname(os.path.abspath(path)))]
    excluded = "no"
    if not is_dir and settings.is_excluded(path):
        by = [c for c in excluded_by if c.is_excluded(relpath(path, c.root, settings.cwd))]
        excluded = f"yes, by {', '.join(_source(c) for c in by) or 'a parent directory'}"
    elif is_dir and settings.is_excluded(path, directory=True):
        excluded = "yes"
    enabled = sorted(ruleset(cfg).enabled)
    lines = [
        f"Settings for: {display(path)}{'/ (files directly in it)' if is_dir else ''}",
        f"Config file: {_source(cfg)}",
        *([f"Extends: {' -> '.join(display(e) for e in cfg.extends)}"] if cfg.extends else []),
        f"Root (patterns are relative to it): {cfg.root}",
        f"Path relative to the root: {rel}",
        f"Excluded: {excluded}",
    ]
    if not is_dir:
        lines.append(f"Linted as: {kind_for(path)}")
        ignored = sorted(cfg.ignored_for(rel))
        lines.append(f"Ignored here by per-file-ignores: {', '.join(ignored) if ignored else 'nothing'}")
    lines.append(f"Enabled rules ({len(enabled)}): {', '.join(enabled)}")
    lines.append("")
    lines.append("[tool.registry-lint]  # resolved, with command-line options applied")
    lines.append(f"select = {_toml_list(cfg.select)}" if cfg.select is not None else "# select: not set (every rule that is not opt-in)")
    lines.append(f"extend-select = {_toml_list(cfg.extend_select)}")
    lines.append(f"ignore = {_toml_list(cfg.ignore)}")
    lines.append(f"fixable = {_toml_list(cfg.fixable)}" if cfg.fixable is not None else '# fixable: not set (["ALL"])')
    lines.append(f"unfixable = {_toml_list(cfg.unfixable)}")
    lines.append(f"per-file-ignores = {_toml_table(cfg.per_file_ignores)}")
    lines.append(f"extend-per-file-ignores = {_toml_table(cfg.extend_per_file_ignores)}")
    lines.append(f"exclude = {_toml_list(cfg.exclude)}")
    lines.append(f"extend-exclude = {_toml_list(cfg.extend_exclude)}")
    for sel, ext, ign in cfg.base_selection:
        lines.append(f"# inherited selection layer: select = {_toml_list(sel) if sel is not None else 'not set'}, extend-select = {_toml_list(ext)}, ignore = {_toml_list(ign)}")
    for fix, unfix in cfg.base_fixability:
        lines.append(f"# inherited fixability layer: fixable = {_toml_list(fix) if fix is not None else 'not set'}, unfixable = {_toml_list(unfix)}")
    for key, root, patterns in cfg.inherited_excludes:
        lines.append(f"# inherited {key} (relative to {root}) = {_toml_list(patterns)}")
    for key, root, pairs in cfg.inherited_ignores:
        lines.append(f"# inherited {key} (relative to {root}) = {_toml_table(pairs)}")
    lines.append(f"namespace-pattern = {json.dumps(cfg.namespace_pattern)}")
    lines.append(f"max-file-size = {cfg.max_file_size}")
    lines.append(f"extra-oauth-providers = {_toml_table(cfg.extra_oauth_providers)}")
    return "\n".join(lines) + "\n"


def files_text(settings: Settings, targets: Sequence[str]) -> str:
    """One line per file that would be linted: the path, a tab, its config file."""
    return "".join(f"{path}\t{_source(settings.for_path(path))}\n" for path in targets)
