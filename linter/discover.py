"""Which files to lint: walk paths, honour .gitignore and configured excludes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from typing import TYPE_CHECKING

from .paths import display
from .patterns import PathMatcher
from .settings import Settings, as_settings

if TYPE_CHECKING:
    from .config import Config

# Never text worth scanning; skipped before reading.
BINARY_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .bmp .ico .webp .pdf .zip .gz .tgz .bz2 .xz .7z .tar .whl .egg "
    ".so .dylib .dll .exe .bin .pyc .pyo .class .jar .woff .woff2 .ttf .otf .eot .mp3 .mp4 "
    ".mov .avi .wav .ogg .sqlite .db .parquet .pkl .npy .npz".split()
)


def discover(paths: Sequence[str], config: Config | Settings) -> list[str]:
    """The files to lint under ``paths``, sorted, as shown in diagnostics.

    ``config``: one Config for every file, or the Settings that find each
    file's own (``settings.py``); a file is skipped when a configuration
    at or above it excludes it, whether it was found in a directory or
    named explicitly (pre-commit passes file names).
    """
    settings = as_settings(config)
    found: dict[str, None] = {}
    cwd = os.getcwd()
    roots: dict[str, tuple[str, ...]] = {}

    def bases_of(path: str) -> tuple[str, ...]:
        root = settings.for_path(path).root
        if root not in roots:
            roots[root] = _bases(cwd, root)
        return roots[root]

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if raw not in (".", "") and settings.is_excluded(raw, directory=True):
                continue
            for file in _walk(path, settings, _bases(str(path)), bases_of, cwd):
                found.setdefault(display(file, cwd), None)
        elif path.exists() or path.is_symlink():
            # Explicit files (pre-commit passes them) still honour excludes.
            if not settings.is_excluded(raw) and not _escapes(path, bases_of(raw)):
                found.setdefault(display(str(path), cwd), None)
        else:
            found.setdefault(display(str(path), cwd), None)  # reported as unreadable
    return sorted(found)


def _walk(directory: Path, settings: Settings, walked: tuple[str, ...], bases_of, cwd: str) -> Iterable[str]:
    # Plain strings, not Path objects: thousands of files per run.
    files = _git_files(directory)
    if files is None:
        files = _os_walk(directory, settings)
    for file in files:
        if os.path.splitext(file)[1].lower() in BINARY_SUFFIXES:
            continue
        if settings.is_excluded(file):
            continue
        if os.path.islink(file) and (not os.path.exists(file) or _escapes(Path(file), walked + bases_of(file))):
            continue
        yield file


def _bases(*dirs: str) -> tuple[str, ...]:
    out: list[str] = []
    for d in dirs:
        for form in (os.path.abspath(d), os.path.realpath(d)):
            out.append(form.rstrip(os.sep) + os.sep)
    return tuple(out)


def _escapes(path: Path, bases: tuple[str, ...]) -> bool:
    """A path inside the project that a symlink takes outside it.

    A checkout can ship `leak.yml -> ~/.aws/credentials`: linting it would
    show that file's lines (--show-source) and --fix would write to it. Such
    files are skipped; a path the user gave outside the project is theirs.
    """
    absolute = os.path.abspath(path)
    if not absolute.startswith(bases):
        return False
    try:
        target = os.path.realpath(absolute)
    except (OSError, ValueError):
        return False
    return target != absolute and not (target + os.sep).startswith(bases)


def _git_files(directory: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, or None outside a git work tree."""
    import subprocess  # only for directories: explicit files (pre-commit) never need it

    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            cwd=directory,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    names = [n for n in out.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    # --cached lists deleted-but-staged files too; keep what exists.
    base = str(directory)
    return [path for path in (os.path.join(base, n) for n in names) if os.path.isfile(path)]


def _read_gitignore(directory: Path) -> list[str]:
    patterns: list[str] = []
    for candidate in (directory, *directory.resolve().parents):
        ignore = candidate / ".gitignore"
        if ignore.is_file():
            try:
                lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            patterns.extend(l.strip() for l in lines if l.strip() and not l.startswith(("#", "!")))
            break
    return patterns


def _os_walk(directory: Path, settings: Settings) -> list[str]:
    ignored = PathMatcher(_read_gitignore(directory))
    out: list[str] = []
    top = str(directory)
    prefix = top if top.endswith(os.sep) else top + os.sep
    for root, dirs, files in _walk_tree(top):
        # Every root below `top` is `top` + separator + more (built by joining).
        rel_root = "." if root == top else root[len(prefix) :].replace(os.sep, "/")
        keep = []
        for d in sorted(dirs):
            rel = f"{rel_root}/{d}/" if rel_root != "." else f"{d}/"
            if ignored(rel + "x") or settings.is_excluded(os.path.join(root, d), directory=True):
                continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            rel = f"{rel_root}/{name}" if rel_root != "." else name
            if ignored(rel):
                continue
            out.append(os.path.join(root, name))
    return out


def _walk_tree(top: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top, followlinks=False)`` without recursion.

    ``os.walk`` recurses before Python 3.12: a directory tree ~1000 levels
    deep (a hostile checkout) overflows the recursion limit. Same top-down
    order; the caller may prune ``dirs`` in place; unreadable directories are
    skipped, as ``os.walk`` does.
    """
    stack = [top]
    while stack:
        root = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        links: set[str] = set()
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        files.append(entry.name)
                        continue
                    dirs.append(entry.name)
                    try:
                        if entry.is_symlink():
                            links.add(entry.name)  # listed, never entered
                    except OSError:
                        links.add(entry.name)
        except OSError:
            continue
        yield root, dirs, files
        stack.extend(os.path.join(root, d) for d in reversed(dirs) if d not in links)
