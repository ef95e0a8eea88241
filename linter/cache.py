"""Result cache in ``.registry-lint-cache/`` at the config root.

A file entry holds one file's :class:`~registry_lint.results.FileResult` (what
``finish`` needs: diagnostics, actions, directives, directive lines), found by
a key over everything the result depends on: the file's bytes and path, the
resolved config, the linter's version and code, and the installed parsers and
detectors. A result that read other files, or looked for one that was not
there (``deps``: sibling modules, RL404's imported modules), records their
content hashes (``"absent"`` for a missing one), checked again on every hit. A run entry holds the final diagnostics
of a whole run, keyed by every file entry of it, so a run where nothing
changed neither decodes the files' actions nor loads the rules.

Safety:
- Writes go to a temporary file renamed over the entry (``os.replace``), so
  concurrent runs never see a half-written entry; each entry starts with a
  header carrying the length and SHA-256 of its body, so a truncated or
  corrupted entry is a miss, never trusted.
- Plain JSON decoded into a fixed set of model classes: a planted cache file
  cannot run code, as a pickle could.
- No secret values: a result with any RL5xx finding is never written (its
  actions might quote the value), and the noqa lines kept for RL010 fixes are
  stored masked: only blanks and the directives themselves survive.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache_format import (
    SCHEMA,
    Uncacheable,
    _dec,
    _enc,
    code_fingerprint,
    content_hash,
    decode_result,
    encode_result,
    file_ident,
    frame,
    verified_body,
)
from .digest import sha256
from .model import Diagnostic

if TYPE_CHECKING:
    from .config import Config
    from .results import FileResult, RunResult

CACHE_DIR = ".registry-lint-cache"
#: Temporary files of a killed run older than this are removed when pruning.
_TMP_MAX_AGE = 3600.0
#: Run entries only pay off for the latest state of a few path sets (the
#: whole tree, a pre-commit subset): keep the newest few.
_MAX_RUN_ENTRIES = 8
#: Runs of at least this many files keep their file entries in one pack
#: instead of a file each: creating ~1000 small files costs more kernel time
#: than linting them on some file systems (0.5-0.8 s here), one pack ~10 ms.
PACK_MIN = 32
#: The newest packs consulted and kept (the last full run, a few partial ones).
_MAX_PACKS = 3

def _hash_file(path: str) -> str | None:
    # Non-blocking open and a type check on the descriptor: a FIFO or device
    # named like a sibling module must never hang the run.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (FileNotFoundError, NotADirectoryError):
        return "absent"
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return "directory"  # a directory's existence is the fact (the loader's package directories)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 16 * 1024 * 1024:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return content_hash(b"".join(chunks))
    except OSError:
        return None
    finally:
        os.close(fd)


def dumps(entry: dict[str, Any] | None) -> bytes | None:
    text = _dumps_text(entry) if entry is not None else None
    return text.encode("utf-8") if text is not None else None


def _dumps_text(value: Any) -> str | None:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (ValueError, TypeError):
        return None


def _has_credential_finding(diagnostics: list[Diagnostic]) -> bool:
    return any(d.code.startswith("RL5") for d in diagnostics)


# The cache -----------------------------------------------------------------------
class ResultCache:
    """One directory of entries; every method fails soft (a miss, no write)."""

    def __init__(self, directory: Path, config: Config | None = None) -> None:
        self.directory = directory
        self.entries = directory / f"v{SCHEMA}"
        self._code = code_fingerprint()
        # Each file entry is keyed by the configuration of its own file
        # (``entry_name``): one run can use several (settings.py).
        salt = "\0".join((self._code, os.getcwd()))
        self._salt = sha256(salt.encode("utf-8", "surrogateescape")).hexdigest()
        self._config_keys: dict[Config, str] = {}
        self._hashes: dict[str, str | None] = {}
        self.written: set[str] = set()
        self.written_runs: set[str] = set()
        # A checkout may plant `.registry-lint-cache` as a symlink: never write
        # (or prune) through it into a directory outside the tree.
        self.writable = not (directory.is_symlink() or self.entries.is_symlink())
        # Packs: entries of this run (carried over and new) and the loaded ones.
        self.use_packs = False
        #: Entries of the next pack. New results are JSON-encoded as they
        #: arrive, which overlaps the encoding with the workers instead of
        #: adding ~40 ms to the end of a cold run; cache hits stay dicts and
        #: are encoded only if the pack is written.
        self._pending: dict[str, str | dict[str, Any]] = {}
        self._dirty = False
        self._packed: dict[str, dict[str, Any]] = {}
        self._pack_files: list[Path] | None = None

    @classmethod
    def for_config(cls, config: Config) -> ResultCache:
        """The cache in ``config``'s root directory (entries of any configuration)."""
        return cls(Path(config.root) / CACHE_DIR)

    # Keys
    def entry_name(self, path: str, digest: str, config: Config) -> str:
        # Path part first, so pruning finds the outdated entries of a file.
        ident = file_ident(path)
        key = sha256(f"{self._salt}\0{self._config_key(config)}\0{ident}\0{digest}".encode()).hexdigest()[:32]
        return f"{ident}-{key}.json"

    def _config_key(self, config: Config) -> str:
        """Everything in the file's configuration that changes its result:
        the selection and options, and the root its patterns are relative to."""
        key = self._config_keys.get(config)
        if key is None:
            text = "\0".join((config.fingerprint(), str(Path(config.root).resolve())))
            key = self._config_keys[config] = sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
        return key

    def digest(self, path: str, data: bytes) -> str:
        digest = content_hash(data)
        self._hashes[path] = digest
        return digest

    def file_hash(self, path: str) -> str | None:
        """Content hash of a file (a dependency), memoised for the run:
        ``"absent"`` for a file that does not exist (a probed import that may
        appear later), None when it cannot be read (then nothing is stored)."""
        if path not in self._hashes:
            self._hashes[path] = _hash_file(path)
        return self._hashes[path]

    # File entries
    def begin(self, count: int) -> None:
        """Called once per run with the number of files: decides packs or files."""
        self.use_packs = count >= PACK_MIN

    def get(self, path: str, data: bytes, config: Config, digest: str | None = None) -> FileResult | None:
        digest = digest or self.digest(path, data)
        name = self.entry_name(path, digest, config)
        entry = self.read_entry(name)
        from_file = entry is not None
        if entry is None and self.use_packs:
            entry = self._from_packs(name)
        if entry is None:
            return None
        try:
            if entry["digest"] != digest or entry["path"] != path or not self._deps_ok(entry):
                return None
            result = decode_result(entry["result"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if self.use_packs:
            self._pending[name] = entry  # the next pack holds the whole run (encoded only if written)
            self._dirty = self._dirty or from_file
        return result

    def put(self, path: str, data: bytes, result: FileResult, config: Config) -> bool:
        """Store ``result``; False when it must not or cannot be stored."""
        if not self.writable or result.internal_errors or _has_credential_finding(result.diagnostics):
            return False
        if result.transient:  # the time budget ran out: a faster run may lint it fully
            return False
        digest = content_hash(data)
        name = self.entry_name(path, digest, config)
        entry = self._entry(result.deps, lambda: {"path": path, "digest": digest, "result": encode_result(result)})
        if entry is None:
            return False
        if self.use_packs:
            encoded = _dumps_text(entry)
            if encoded is None:
                return False
            self._pending[name] = encoded  # written by flush(), in one file
            self._dirty = True
            return True
        body = dumps(entry)
        if body is None or not self.write_entry(name, body):
            return False
        self.written.add(name)
        return True

    def flush(self) -> None:
        """Write this run's pack: every file entry of the run, in one file."""
        if not (self.use_packs and self._dirty and self._pending):
            return
        key = sha256("\0".join(sorted(self._pending)).encode()).hexdigest()[:32]
        name = f"pack-{self._salt[:16]}-{key}.json"
        parts: list[str] = []
        for key, value in self._pending.items():
            encoded = value if isinstance(value, str) else _dumps_text(value)
            if encoded is None:
                return
            parts.append(f"{_dumps_text(key)}:{encoded}")
        body = ('{"entries":{' + ",".join(parts) + "}}").encode("utf-8")
        if self.write_entry(name, body):
            self.written_runs.add(name)
            self._dirty = False

    def _from_packs(self, name: str) -> dict[str, Any] | None:
        """An entry from the newest packs of this linter and config, loaded lazily."""
        if self._pack_files is None:
            try:
                found = [(p.stat().st_mtime, p) for p in self.entries.glob(f"pack-{self._salt[:16]}-*.json")]
            except OSError:
                found = []
            self._pack_files = [p for _, p in sorted(found, reverse=True)[:_MAX_PACKS]]
        while name not in self._packed and self._pack_files:
            pack = self.read_entry(self._pack_files.pop(0).name)
            entries = pack.get("entries") if pack is not None else None
            if isinstance(entries, dict):
                for key, value in entries.items():
                    if isinstance(value, dict):
                        self._packed.setdefault(key, value)
        return self._packed.get(name)

    # Run entries
    def run_name(self, entry_names: list[str]) -> str:
        h = sha256(self._salt.encode())
        for name in entry_names:
            h.update(b"\0" + name.encode())
        return f"run-{h.hexdigest()[:32]}.json"

    def get_run(self, name: str) -> RunResult | None:
        from .results import RunResult

        entry = self.read_entry(name)
        if entry is None:
            return None
        try:
            if not self._deps_ok(entry):
                return None
            return RunResult(
                diagnostics=[_dec(d) for d in entry["diagnostics"]],
                files=int(entry["files"]),
                actions=int(entry["actions"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put_run(self, name: str, run: RunResult, deps: set[str]) -> bool:
        if not self.writable or run.internal_errors or _has_credential_finding(run.diagnostics):
            return False
        entry = self._entry(
            tuple(sorted(deps)),
            lambda: {"files": run.files, "actions": run.actions, "diagnostics": [_enc(d) for d in run.diagnostics]},
        )
        body = dumps(entry) if entry is not None else None
        if body is None or not self.write_entry(name, body):
            return False
        self.written_runs.add(name)
        return True

    # Storage
    def _deps_ok(self, entry: dict[str, Any]) -> bool:
        return all(self.file_hash(dep) == dep_hash for dep, dep_hash in entry["dep_hashes"])

    def _entry(self, deps: tuple[str, ...], build: Any) -> dict[str, Any] | None:
        dep_hashes = [[dep, self.file_hash(dep)] for dep in deps]
        if any(h is None for _, h in dep_hashes):
            return None
        try:
            return {"dep_hashes": dep_hashes, **build()}
        except (Uncacheable, ValueError, TypeError):
            return None

    def read_entry(self, name: str) -> dict[str, Any] | None:
        try:
            with open(self.entries / name, "rb") as fh:
                raw = fh.read()
        except OSError:
            return None
        body = verified_body(raw)
        if body is None:
            return None
        try:
            entry = json.loads(body)
        except ValueError:
            return None
        return entry if isinstance(entry, dict) else None

    def write_entry(self, name: str, body: bytes) -> bool:
        if not self.writable:
            return False
        try:
            self._ensure_directory()
            # Not tempfile.mkstemp: importing tempfile (shutil, bz2, lzma,
            # random) costs a one-file pre-commit run ~5 ms.
            tmp = str(self.entries / f".tmp-{os.getpid()}-{os.urandom(8).hex()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(frame(body))
                os.replace(tmp, self.entries / name)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            self.writable = False  # read-only checkout, full disk: just don't cache
            return False
        return True

    def _ensure_directory(self) -> None:
        if self.entries.is_dir():
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            # As ruff does: the cache never shows up in `git status`.
            ignore.write_text("# Automatically created by registry-lint.\n*\n", encoding="utf-8")
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by registry-lint.\n",
                encoding="utf-8",
            )

    def prune(self) -> None:
        """Drop entries this run superseded, old run entries and stale temp files."""
        if not self.written and not self.written_runs:
            return
        current = {name.split("-", 1)[0]: name for name in self.written}
        runs: list[tuple[float, str]] = []
        packs: list[tuple[float, str]] = []
        now = time.time()
        try:
            with os.scandir(self.entries) as it:
                for item in it:
                    name = item.name
                    ident = name.split("-", 1)[0]
                    with contextlib.suppress(OSError):
                        if name.startswith(".tmp-"):
                            if now - item.stat().st_mtime > _TMP_MAX_AGE:
                                os.unlink(item.path)
                        elif ident == "run":
                            runs.append((item.stat().st_mtime, item.path))
                        elif ident == "pack":
                            packs.append((item.stat().st_mtime, item.path))
                        elif ident in current and current[ident] != name:
                            os.unlink(item.path)
        except OSError:
            return
        stale = sorted(runs, reverse=True)[_MAX_RUN_ENTRIES:] + sorted(packs, reverse=True)[_MAX_PACKS:]
        for _, path in stale:
            with contextlib.suppress(OSError):
                os.unlink(path)
