"""The cache's on-disk format and keys: tagged JSON for the model's dataclasses.

Plain JSON, decoded only into the fixed set of classes below, so a planted
entry cannot run code (as a pickle could) and the files are easy to scan for
leaks. Every entry starts with a header line carrying the length and SHA-256
of its body; a body that does not match is never decoded.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .digest import bulk_hexdigest, sha256
from .model import UNKNOWN, ActionSpec, Diagnostic, Edit, Fix, Location, Param, SecretRef, SecretSpec, Severity, StepArg, StepCall, Value
from .results import Directive, FileDirectives

if TYPE_CHECKING:
    from .results import FileResult

SCHEMA = 1
MAGIC = b"registry-lint-cache"
#: Installed packages whose code changes what the linter reports.
_DEPENDENCIES = ("libcst", "yaml", "detect_secrets", "tree_sitter", "tree_sitter_typescript")

#: The agent-native model's classes join the tables the first time a value
#: needs them (``_app_classes``): runs without TypeScript never import it.
_APP_CLASSES = ("AppFile", "AppSecretRegistration", "AppSecretRead", "EnvFallback", "KeyReference")


class Uncacheable(Exception):
    """A value the JSON format cannot hold (e.g. a YAML timestamp)."""


# Encoding ------------------------------------------------------------------------
_CLASSES: dict[str, type] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}
_TAGS: dict[type, str] = {}
#: Every field of a class at once, in ``_FIELDS`` order (a tuple even for one field).
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_SCALARS = frozenset({str, bool, int, float, type(None)})


def _add(cls: type) -> None:
    """Enter one dataclass in the tables (its name is its tag)."""
    names = tuple(f.name for f in fields(cls))
    _CLASSES[cls.__name__] = cls
    _FIELDS[cls] = names
    _TAGS[cls] = "@" + cls.__name__
    _GETTERS[cls] = attrgetter(*names) if len(names) > 1 else (lambda obj, name=names[0]: (getattr(obj, name),))


for _cls in (Location, Value, SecretSpec, SecretRef, Param, StepArg, StepCall, ActionSpec, Diagnostic, Fix, Edit, Directive, FileDirectives):
    _add(_cls)


def _app_classes() -> bool:
    """Add the agent-native classes to the tables; False when they are there already."""
    if _APP_CLASSES[0] in _CLASSES:
        return False
    from . import appmodel

    for name in _APP_CLASSES:
        _add(getattr(appmodel, name))
    return True


def _enc(obj: Any) -> Any:
    # Exact types only (a str enum or a tuple subclass is not what it seems):
    # anything unexpected is Uncacheable, and the result is simply not stored.
    # Scalars are tested inline, not by a call per value: a cold run encodes
    # some 250,000 of them in the parent while the workers lint.
    cls = type(obj)
    if cls in _SCALARS:
        return obj
    getter = _GETTERS.get(cls)
    if getter is not None:
        return {_TAGS[cls]: [v if type(v) in _SCALARS else _enc(v) for v in getter(obj)]}
    if cls is tuple:
        return [x if type(x) in _SCALARS else _enc(x) for x in obj]
    if obj is UNKNOWN:
        return {"@U": 0}
    if cls is Severity:
        return {"@S": obj.value}
    if cls is frozenset:
        return {"@F": sorted(_enc(x) for x in obj)}
    if cls is dict and all(type(k) is str for k in obj):
        return {"@D": {k: _enc(v) for k, v in obj.items()}}
    if cls.__name__ in _APP_CLASSES and _app_classes():
        return _enc(obj)
    raise Uncacheable(cls.__name__)


def _dec(obj: Any) -> Any:
    if isinstance(obj, list):
        return tuple([_dec(x) for x in obj])
    if not isinstance(obj, dict):
        return obj
    ((tag, payload),) = obj.items()
    if tag == "@U":
        return UNKNOWN
    if tag == "@S":
        return Severity(payload)
    if tag == "@F":
        return frozenset([_dec(x) for x in payload])
    if tag == "@D":
        return {k: _dec(v) for k, v in payload.items()}
    cls = _CLASSES.get(tag[1:])
    if cls is None and tag[1:] in _APP_CLASSES and _app_classes():
        cls = _CLASSES[tag[1:]]
    if cls is None:
        raise KeyError(tag)  # anything else: treated as corrupt
    return cls(*[_dec(x) for x in payload])


def mask_line(line: str, directives: tuple[Directive, ...]) -> str:
    """``line`` with every character outside the directives (and the blanks
    before them) replaced by ``x``: same length and columns, no content.

    That is all RL010 needs: the directive, the blanks before it and whether
    anything follows it.
    """
    keep = [False] * len(line)
    for d in directives:
        start = d.start
        while start > 0 and line[start - 1] in " \t":
            start -= 1
        for i in range(start, min(d.end, len(line))):
            keep[i] = True
    return "".join(c if keep[i] or c in " \t" else "x" for i, c in enumerate(line))


def encode_result(result: FileResult) -> dict[str, Any]:
    by_line: dict[int, list[Directive]] = {}
    for d in result.directives.noqa:
        by_line.setdefault(d.line, []).append(d)
    lines = {str(n): mask_line(text, tuple(by_line.get(n, ()))) for n, text in result.directive_lines.items()}
    return {
        "path": result.path,
        "diagnostics": [_enc(d) for d in result.diagnostics],
        "actions": [_enc(a) for a in result.actions],
        "directives": _enc(result.directives),
        "directive_lines": lines,
        "deps": list(result.deps),
        "skipped": result.skipped,
        "app": _enc(result.app),
    }


def decode_result(data: dict[str, Any]) -> FileResult:
    from .results import FileResult

    return FileResult(
        path=data["path"],
        diagnostics=[_dec(d) for d in data["diagnostics"]],
        actions=[_dec(a) for a in data["actions"]],
        directives=_dec(data["directives"]),
        directive_lines={int(n): text for n, text in data["directive_lines"].items()},
        deps=tuple(data["deps"]),
        skipped=bool(data["skipped"]),
        app=_dec(data.get("app")),
    )


def frame(body: bytes) -> bytes:
    """Header line (magic, schema, length, SHA-256) plus the body."""
    return b"%s %d %d %s\n" % (MAGIC, SCHEMA, len(body), bulk_hexdigest(body).encode()) + body


def verified_body(raw: bytes) -> bytes | None:
    newline = raw.find(b"\n")
    if newline < 0:
        return None
    parts = raw[:newline].split(b" ")
    if len(parts) != 4 or parts[0] != MAGIC or parts[1] != str(SCHEMA).encode():
        return None
    body = raw[newline + 1 :]
    if parts[2] != str(len(body)).encode() or bulk_hexdigest(body).encode() != parts[3]:
        return None
    return body


# Keys ----------------------------------------------------------------------------
def code_fingerprint() -> str:
    """Version plus size and mtime of the linter's own modules and of the
    parsers and detectors: an edited rule or an upgraded dependency is a
    different linter (editable installs change without a version bump)."""
    h = sha256(f"{SCHEMA}\0{__version__}\0{sys.version}".encode())
    roots = [Path(__file__).resolve().parent]
    rules_spec = importlib.util.find_spec("registry_lint.rules")
    if rules_spec is not None and rules_spec.submodule_search_locations:
        roots.extend(Path(p) for p in rules_spec.submodule_search_locations)
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".json")):
                    _stat_into(h, os.path.join(dirpath, name))
    for dep in _DEPENDENCIES:
        try:
            spec = importlib.util.find_spec(dep)
        except (ImportError, ValueError):
            spec = None
        h.update(f"\0{dep}".encode())
        if spec is not None and spec.origin:
            _stat_into(h, spec.origin)
    return h.hexdigest()


def _stat_into(h: Any, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    h.update(f"\0{path}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8", "surrogateescape"))


def file_ident(path: str) -> str:
    """The prefix of every entry of ``path`` (as displayed, and absolute)."""
    return sha256(f"{path}\0{os.path.abspath(path)}".encode("utf-8", "surrogateescape")).hexdigest()[:16]  # non-UTF-8 names


def content_hash(data: bytes) -> str:
    return bulk_hexdigest(data)
