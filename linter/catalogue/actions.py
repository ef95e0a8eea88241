"""Tracecat's built-in actions and their parameters (``data/tracecat_actions.json``).

Generated from a Tracecat checkout with the linter's own extractors (the
Python extractor's parameters for UDFs, the template extractor's ``expects``
for templates): nothing of Tracecat is imported or run. Which files count
follows the loader (``tracecat/registry/repository.py``): the base registry
registers UDFs from ``core/`` and ``integrations/`` only (``sdk/`` and the
default excluded directories skipped) and templates from the whole package;
``iter_valid_files`` prunes hidden, private and non-identifier names.

Each action also records its secret declarations as Tracecat validates them
(``secrets``: null when not statically known) and, for templates, the
actions its steps call (``steps``): Tracecat fetches a template's step
actions' secrets too (``collect_action_secrets_from_manifest``,
``tracecat/executor/registry_resolver.py``), so RL402 and the resolver
follow the steps into built-in actions.

At lint time the shipped file is read on first use only (a template with
steps); ``tracecat-registry = "path"`` reads a user's checkout instead, with
the same generator, cached in ``.registry-lint-cache/`` by the checkout's
file sizes and mtimes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import UNKNOWN, ActionSpec, Location, Param, SecretSpec, Value
from ..tracecat import (
    BASE_UDF_DIRS,
    BASE_UDF_EXCLUDED_DIRS,
    LOADER_EXCLUDED_DIRS,
    LOADER_IGNORED_TEMPLATE_PART,
    LOADER_SKIPPED_FILE_PREFIXES,
    TRACECAT_COMMIT,
)

DATA_FILE = "tracecat_actions.json"
_FORMAT = 2


@dataclass(frozen=True)
class CatalogAction:
    key: str
    #: "udf" (parameters carry TemplateValidator) or "template".
    kind: str
    #: None: the parameters are not known (any argument is accepted).
    params: tuple[Param, ...] | None
    #: The action's own secret declarations; None: not statically known.
    secrets: tuple[SecretSpec, ...] | None = ()
    #: Templates: the action of each step.
    steps: tuple[str, ...] = ()


# Generation ----------------------------------------------------------------------
def package_dir(root: Path) -> Path:
    """The ``tracecat_registry`` package under a Tracecat checkout, a
    ``tracecat-registry`` distribution directory, or the package itself."""
    for candidate in (root / "packages" / "tracecat-registry" / "tracecat_registry", root / "tracecat_registry", root):
        if (candidate / "__init__.py").is_file() and candidate.name == "tracecat_registry":
            return candidate
    raise FileNotFoundError(f"{root}: no tracecat_registry package found (give a Tracecat checkout or its packages/tracecat-registry)")


def _walk(base: Path, extensions: tuple[str, ...], excluded: frozenset[str]) -> list[Path]:
    """``iter_valid_files``: sorted, so the catalogue is stable."""
    out: list[Path] = []
    for root, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(LOADER_SKIPPED_FILE_PREFIXES) and d not in excluded and d.isidentifier()
        )
        for name in sorted(filenames):
            if name.endswith(extensions) and not name.startswith(LOADER_SKIPPED_FILE_PREFIXES):
                out.append(Path(root) / name)
    return out


def generate(tracecat_root: Path) -> dict:
    """The catalogue of a Tracecat checkout (or of its ``tracecat-registry``)."""
    from ..extract import python as pyx
    from ..extract import yaml as yx
    from ..source import SourceFile

    package = package_dir(Path(tracecat_root))
    actions: dict[str, dict] = {}
    for base in (package / name for name in BASE_UDF_DIRS):
        for path in _walk(base, (".py",), LOADER_EXCLUDED_DIRS | BASE_UDF_EXCLUDED_DIRS):
            if path.stem in ("__init__", "__main__") or not all(p.isidentifier() for p in path.relative_to(base).with_suffix("").parts):
                continue
            source = SourceFile(str(path), path.read_text("utf-8"), "python")
            parsed = pyx.extract(source, pyx.parse_python(source))
            for spec in parsed.specs:
                if spec.key is not None and spec.unloadable is None:
                    actions[spec.key] = _entry("udf", spec)
    for path in _walk(package, (".yml", ".yaml"), LOADER_EXCLUDED_DIRS):
        if LOADER_IGNORED_TEMPLATE_PART in path.parts:
            continue
        source = SourceFile(str(path), path.read_text("utf-8"), "yaml")
        parsed = yx.extract(source, yx.compose(source))
        if parsed.spec is not None and parsed.spec.key is not None:
            actions[parsed.spec.key] = _entry("template", parsed.spec)
    return {
        "format": _FORMAT,
        "tracecat_commit": git_head(Path(tracecat_root)) or TRACECAT_COMMIT,
        "generated_by": "python -m registry_lint.catalogue",
        "actions": dict(sorted(actions.items())),
    }


def _entry(kind: str, spec: ActionSpec) -> dict:
    out: dict[str, object] = {"kind": kind, "params": _param_rows(spec.params), "secrets": _secret_rows(spec)}
    steps = [step.action.text for step in spec.steps if step.action.text is not None]
    if steps:
        out["steps"] = steps
    return out


def _param_rows(params: tuple[Param, ...] | None) -> list[dict] | None:
    if params is None:
        return None
    rows = []
    for param in params:
        row: dict[str, object] = {"name": param.name, "type": param.type, "required": param.required}
        if not param.required and _is_json(param.default):
            row["default"] = list(param.default) if isinstance(param.default, tuple) else param.default
        rows.append(row)
    return rows


def _secret_rows(spec: ActionSpec) -> list[dict] | None:
    """The declarations as Tracecat validates them; None when one is not statically known.

    An invalid declaration is left out: it fails its own action's
    registration (the action is not there to call)."""
    from ..runtime.declarations import CustomSecret, OAuthSecret, Unknown, action_declarations

    if not spec.secrets_known:
        return None
    rows: list[dict] = []
    for _, decl in action_declarations(spec):
        if isinstance(decl, Unknown):
            return None
        if isinstance(decl, CustomSecret):
            row: dict[str, object] = {"name": decl.name}
            if decl.keys is not None:
                row["keys"] = list(decl.keys)
            if decl.optional_keys is not None:
                row["optional_keys"] = list(decl.optional_keys)
            if decl.secret_type != "custom":
                row["secret_type"] = decl.secret_type
        elif isinstance(decl, OAuthSecret):
            row = {"type": "oauth", "provider_id": decl.provider_id, "grant_type": decl.grant_type}
        else:
            continue
        if decl.optional:
            row["optional"] = True
        rows.append(row)
    return rows


def _is_json(value: object, depth: int = 0) -> bool:
    if depth > 20 or value is UNKNOWN:
        return False
    if isinstance(value, (tuple, list)):
        return all(_is_json(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(_is_json(v, depth + 1) for v in value.values())
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    return value is None or isinstance(value, (str, bool, int))


def git_head(root: Path) -> str | None:
    """The commit a checkout is at, read from its git files (no git process)."""
    git = root / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text("utf-8").split("gitdir:", 1)[1].strip())
        head = (git / "HEAD").read_text("utf-8").strip()
        if not head.startswith("ref:"):
            return head
        ref = head[4:].strip()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text("utf-8").strip()).resolve()
        for base in (git, common):
            if (base / ref).is_file():
                return (base / ref).read_text("utf-8").strip()
        for line in (common / "packed-refs").read_text("utf-8").splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    return None


# Reading -------------------------------------------------------------------------
def dumps(data: dict) -> str:
    """The catalogue as JSON with one action per line, so that a run reads only
    the lines of the actions its steps call (``Catalogue.get``)."""
    head = {k: v for k, v in data.items() if k != "actions"}
    lines = ["{" + ",\n".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in head.items()) + ',\n"actions":{']
    rows = [f"{json.dumps(k)}:{json.dumps(v, separators=(',', ':'), ensure_ascii=False)}" for k, v in data["actions"].items()]
    return lines[0] + "\n" + ",\n".join(rows) + "\n}}\n"


#: Up to this many keys, ``Catalogue.present`` searches the text for each.
_SEARCHED_KEYS = 8


class Catalogue:
    """Built-in actions, decoded one at a time from the text of a catalogue file."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: dict[str, CatalogAction | None] = {}
        self._all: dict[str, dict] | None = None
        if '\n"actions":{\n' not in text:  # not written by dumps (edited by hand): read it all
            self._all = json.loads(text)["actions"]

    def get(self, key: str) -> CatalogAction | None:
        if key in self._found:
            return self._found[key]
        entry = self._entry(key)
        found = None if entry is None else _action(key, entry)
        self._found[key] = found
        return found

    def _entry(self, key: str) -> dict | None:
        if self._all is not None:
            return self._all.get(key)
        marker = "\n" + json.dumps(key) + ":"
        start = self._text.find(marker)
        if start < 0:
            return None
        start += len(marker)
        end = self._text.find("\n", start)
        line = self._text[start:end]
        return json.loads(line[:-1] if line.endswith(",") else line)

    def present(self, keys: Collection[str]) -> set[str]:
        """Which of ``keys`` are actions of the catalogue (RL109). A search of
        the text costs about a fifth of a millisecond a key, reading every
        key about two: a few keys are searched for, many looked up."""
        if self._all is None and len(keys) <= _SEARCHED_KEYS:
            return {key for key in keys if f"\n{json.dumps(key)}:" in self._text}
        every = set(self.keys())
        return {key for key in keys if key in every}

    def keys(self) -> list[str]:
        if self._all is not None:
            return list(self._all)
        body = self._text.split('\n"actions":{\n', 1)[1]
        return [json.loads(line.split(":", 1)[0]) for line in body.splitlines() if line.startswith('"')]


def _action(key: str, entry: dict) -> CatalogAction:
    rows = entry.get("params")
    params = None if rows is None else tuple(Param(r["name"], r.get("type"), bool(r["required"])) for r in rows)
    secrets = entry.get("secrets", ())
    specs = None if secrets is None else tuple(_secret_spec(key, row) for row in secrets)
    return CatalogAction(key, entry.get("kind", "udf"), params, specs, tuple(entry.get("steps", ())))


def _secret_spec(key: str, row: dict) -> SecretSpec:
    """A catalogue declaration as the model holds it, located at the built-in action (no file of the run)."""
    at = Location(f"<built-in {key}>", 1, 1, 1, 1)

    def value(raw: object) -> Value:
        return Value(tuple(Value(v, at) for v in raw) if isinstance(raw, list) else raw, at)

    optional = value(True) if row.get("optional") else None
    if row.get("type") == "oauth":
        return SecretSpec("oauth", at, provider_id=value(row["provider_id"]), grant_type=value(row["grant_type"]), optional=optional)
    return SecretSpec(
        "custom", at, name=value(row["name"]),
        keys=value(row["keys"]) if "keys" in row else None,
        optional_keys=value(row["optional_keys"]) if "optional_keys" in row else None,
        optional=optional,
        secret_type=value(row["secret_type"]) if "secret_type" in row else None,
    )


@lru_cache(maxsize=1)
def shipped() -> Catalogue:
    """The catalogue shipped with the linter (read on first use)."""
    return Catalogue(shipped_text())


def shipped_text() -> str:
    try:
        return Path(__file__).parent.parent.joinpath("data", DATA_FILE).read_text("utf-8")
    except OSError:
        from importlib import resources

        return resources.files("registry_lint").joinpath(f"data/{DATA_FILE}").read_text("utf-8")


@lru_cache(maxsize=4)
def checkout_digest(path: str) -> str:
    """Sizes and mtimes of a checkout's registry files: what its catalogue depends on."""
    from ..digest import sha256

    h = sha256(_FORMAT.to_bytes(2, "big"))
    try:
        package = package_dir(Path(path))
    except FileNotFoundError:
        return "missing"
    for root, dirnames, filenames in os.walk(package):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".py", ".yml", ".yaml")):
                try:
                    st = os.stat(os.path.join(root, name))
                except OSError:
                    continue
                h.update(f"{root}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:32]


@lru_cache(maxsize=4)
def from_checkout(path: str, cache_dir: str | None) -> Catalogue:
    """The catalogue of a user's Tracecat checkout, generated once per change of it."""
    digest = checkout_digest(path)
    stored = Path(cache_dir) / f"actions-{digest}.json" if cache_dir else None
    if stored is not None:
        try:
            return Catalogue(stored.read_text("utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    data = generate(Path(path))
    if stored is not None:
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            ignore = stored.parent.parent / ".gitignore"
            if not ignore.exists():  # as the result cache does: never in `git status`
                ignore.write_text("# Automatically created by registry-lint.\n*\n", encoding="utf-8")
            tmp = stored.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(dumps(data), "utf-8")
            os.replace(tmp, stored)
        except OSError:
            pass
    return Catalogue(dumps(data))


def for_config(config: object) -> Catalogue:
    """The catalogue a run uses: the shipped one, or the ``tracecat-registry`` checkout's."""
    path = getattr(config, "tracecat_registry", None)
    if path is None:
        return shipped()
    from ..cache import CACHE_DIR

    cache = Path(getattr(config, "root")) / CACHE_DIR
    return from_checkout(path, None if cache.is_symlink() else str(cache / "catalogue"))
