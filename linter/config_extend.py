"""``extend = "path"``: a configuration file built on another one (ruff's ``extend``).

The path is relative to the file that names it (``~`` and ``$VARS`` are
expanded); the base may itself extend another. The base is resolved first,
then the extending file is merged on top, as in ruff:

- Rule selection is layered: each file's ``select`` / ``extend-select`` /
  ``ignore`` apply, in order, on top of the selection its base resolved to.
  A ``select`` in the extending file starts afresh (the base's selection,
  including its ``ignore``, no longer matters); without one, the base's
  selection is kept and the extending file's ``extend-select`` adds to it
  and its ``ignore`` removes from it (within one file, the most specific
  selector wins and ``ignore`` wins a tie). ``fixable`` / ``unfixable``
  are layered the same way.
- ``exclude`` and ``per-file-ignores`` in the extending file replace the
  base's; ``extend-exclude`` and ``extend-per-file-ignores`` accumulate.
  Patterns stay relative to the directory of the file that declares them
  (as ruff resolves them), so a base's ``exclude = ["fixtures/"]`` means its
  own directory's ``fixtures/``; unanchored patterns such as ``"*.gen.py"``
  match wherever the base's directory holds them.
- Every other key (``namespace-pattern``, ``max-file-size``,
  ``extra-oauth-providers``, ``extra-app-secrets``): the extending file's value if it sets one,
  else the base's.

A missing base, a base that is a ``pyproject.toml`` without
``[tool.registry-lint]``, a non-string ``extend`` and a cycle
(``a.toml -> b.toml -> a.toml``) are configuration errors (exit 2) that
name every file involved.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from .codes import ConfigError
from .config import Config
from .config_table import parse_config, read_table


def load_extending(path: Path, table: Mapping[str, object]) -> Config:
    """The configuration of ``path`` (whose table has ``extend``) merged onto its bases."""
    return _load(Path(os.path.abspath(path)), table, ())


def _load(path: Path, table: Mapping[str, object], chain: tuple[str, ...]) -> Config:
    own = parse_config(table, root=path.parent, source=str(path))
    extend = table.get("extend")
    if extend is None:
        return own
    assert isinstance(extend, str)  # parse_config checked it
    here = os.path.realpath(path)
    chain = (*chain, here)
    base_path = Path(os.path.expandvars(os.path.expanduser(extend)))
    if not base_path.is_absolute():
        base_path = path.parent / base_path
    base_path = Path(os.path.abspath(base_path))
    if os.path.realpath(base_path) in chain:
        cycle = " -> ".join([*chain, os.path.realpath(base_path)])
        raise ConfigError(f"{path}: extend = {extend!r} makes a cycle: {cycle}")
    if not base_path.is_file():
        raise ConfigError(f"{path}: extend = {extend!r}: no such file ({base_path})")
    base_table = read_table(base_path)
    if not base_table and base_path.name == "pyproject.toml":
        raise ConfigError(f"{path}: extend = {extend!r}: {base_path} has no [tool.registry-lint] table")
    try:
        base = _load(base_path, base_table, chain)
    except ConfigError as exc:
        raise ConfigError(f"{exc} (extended by {path})") from None
    return combine(base, own, frozenset(table))


def combine(base: Config, own: Config, keys: frozenset[str]) -> Config:
    """``own`` (a file setting ``keys``) merged onto ``base``, as ruff merges an extending file."""
    excludes = (*base.inherited_excludes, ("exclude", base.root, base.exclude), ("extend-exclude", base.root, base.extend_exclude))
    ignores = (
        *base.inherited_ignores,
        ("per-file-ignores", base.root, base.per_file_ignores),
        ("extend-per-file-ignores", base.root, base.extend_per_file_ignores),
    )
    if "exclude" in keys:
        excludes = tuple(g for g in excludes if g[0] != "exclude")
    if "per-file-ignores" in keys:
        ignores = tuple(g for g in ignores if g[0] != "per-file-ignores")
    scalars = {
        name: getattr(base, name)
        for key, name in (
            ("namespace-pattern", "namespace_pattern"),
            ("max-file-size", "max_file_size"),
            ("extra-oauth-providers", "extra_oauth_providers"),
            ("extra-app-secrets", "extra_app_secrets"),
            ("tracecat-registry", "tracecat_registry"),
            ("extra-actions", "extra_actions"),
        )
        if key not in keys
    }
    return replace(
        own,
        base_selection=(*base.base_selection, (base.select, base.extend_select, base.ignore)),
        base_fixability=(*base.base_fixability, (base.fixable, base.unfixable)),
        inherited_excludes=tuple(g for g in excludes if g[2]),
        inherited_ignores=tuple(g for g in ignores if g[2]),
        extends=(str(base.source), *base.extends),
        **scalars,
    )
