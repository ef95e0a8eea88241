"""detect-secrets' plugin regexes, stored in the result cache so a run does
not import detect-secrets (and requests) just to read them."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from . import __version__
from .cache import dumps
from .cache_format import SCHEMA, _stat_into
from .digest import sha256

if TYPE_CHECKING:
    from .cache import ResultCache


def seed_plugin_patterns(cache: ResultCache) -> None:
    """Give the credential detectors the regexes of detect-secrets' plugins
    from a stored copy, so a run does not import detect-secrets (and
    requests) just to read them: ~100 ms, most of a one-file pre-commit
    run. The copy is taken from the installed plugins on the first run
    and keyed by their version (via the code fingerprint).

    Called in the parent before workers fork, so they inherit it too.
    Without a stored copy nothing is imported here: the detectors call
    back (``detectors.PATTERN_LOADER``) when a file first needs a plugin
    regex, and that call stores the copy.
    """
    try:
        from .credentials import detectors
    except ImportError:
        return
    store: dict[str, str] = getattr(detectors, "_PLUGIN_CACHE", None)
    refs = sorted({ref for det in getattr(detectors, "DETECTORS", ()) for ref in getattr(det, "plugin", ())})
    if store is None or not refs or all(ref in store for ref in refs):
        return
    # Keyed by what the stored regexes come from, not the whole linter:
    # the installed detect-secrets and the module that transforms them.
    h = sha256(f"{SCHEMA}\0{__version__}".encode())
    _stat_into(h, getattr(detectors, "__file__", "") or "")
    try:
        spec = importlib.util.find_spec("detect_secrets")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        _stat_into(h, spec.origin)
    name = f"plugins-{h.hexdigest()[:32]}.json"
    entry = cache.read_entry(name)
    patterns = entry.get("patterns") if entry is not None else None
    if isinstance(patterns, dict) and all(isinstance(patterns.get(ref), str) for ref in refs):
        store.update({ref: patterns[ref] for ref in refs})
        return

    def harvest() -> dict[str, str]:
        resolved = detectors.read_plugin_patterns(refs)
        body = dumps({"dep_hashes": [], "patterns": resolved})
        if body is not None:
            cache.write_entry(name, body)
        return resolved

    # Not stored yet: read the plugins only when a file needs one of their
    # regexes (most trees never do), then store them for the next runs.
    detectors.PATTERN_LOADER = harvest
