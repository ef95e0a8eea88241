"""The release process of docs/releasing.md: what a release ships, and tags everywhere agree.

The build test builds the sdist and the wheel exactly as a release does
(`python -m build`, which builds the wheel from the sdist, so a file missing
from the sdist breaks the wheel too), from a copy of the files git tracks
(nothing untracked can leak in), and runs `twine check --strict` on both.
The build backend is installed into an isolated environment from the
package index, as on a release machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from registry_lint import __version__
from registry_lint.project import RELEASE_TAG, REPOSITORY_URL

pytestmark = pytest.mark.slow  # robustness: seconds per test (run with --run-slow)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout (the build copies the files git tracks)")
    src = tmp_path_factory.mktemp("src")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (t.decode() for t in tracked)):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(src)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return out


def _files(dist: Path) -> tuple[Path, Path]:
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    return sdist, wheel


def test_twine_check_passes(dist: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, _files(dist))], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2


def test_wheel_contents(dist: Path) -> None:
    _, wheel = _files(dist)
    assert wheel.name == f"registry_lint-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {Path(n).name for n in names if n.startswith("registry_lint/data/")}
    assert data == {p.name for p in (ROOT / "linter" / "data").glob("*.json")} and data
    rules = {Path(n).name for n in names if n.startswith("registry_lint/rules/")}
    assert rules == {p.name for p in (ROOT / "rules").glob("*.py")}
    assert "registry_lint/py.typed" in names and "registry_lint/cli.py" in names
    meta = zipfile.ZipFile(wheel).read(f"registry_lint-{__version__}.dist-info/METADATA").decode()
    assert f"Version: {__version__}\n" in meta
    assert f"Project-URL: Repository, {REPOSITORY_URL}" in meta
    assert "License-Expression: Apache-2.0" in meta
    assert f"registry_lint-{__version__}.dist-info/licenses/LICENSE" in names
    entry = zipfile.ZipFile(wheel).read(f"registry_lint-{__version__}.dist-info/entry_points.txt").decode()
    assert "registry-lint = registry_lint.entry:main" in entry


def test_sdist_contents(dist: Path) -> None:
    sdist, _ = _files(dist)
    prefix = f"registry_lint-{__version__}/"
    names = {n[len(prefix):] for n in tarfile.open(sdist).getnames() if n.startswith(prefix)}
    assert {"README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml", "linter/py.typed"} <= names
    assert {f"linter/data/{p.name}" for p in (ROOT / "linter" / "data").glob("*.json")} <= names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


# Tags ------------------------------------------------------------------------------
_TAGGED = re.compile(r"(?:rev:\s*|registry-lint@|registry-lint/registry-lint@|releases/tag/)(v\d+\.\d+\.\d+\S*?)(?=[\s\"'`)\]]|$)", re.M)


def _tagged_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "action.yml", *sorted((ROOT / "docs").rglob("*.md"))]


def test_every_documented_tag_is_this_release() -> None:
    """Install commands, pre-commit `rev:` and `uses:` lines name `v<__version__>` (docs/releasing.md)."""
    seen = 0
    for path in _tagged_files():
        for tag in _TAGGED.findall(path.read_text(encoding="utf-8")):
            assert tag == RELEASE_TAG, f"{path.relative_to(ROOT)} names {tag}, this release is {RELEASE_TAG}"
            seen += 1
    assert seen >= 10  # the pattern still finds the commands it guards
    assert RELEASE_TAG == f"v{__version__}"


def test_tag_pattern_catches_a_stale_tag() -> None:
    assert _TAGGED.findall("    rev: v0.0.9\n  uses: registry-lint/registry-lint@v0.0.9\n") == ["v0.0.9", "v0.0.9"]


def test_changelog_has_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\] - (\d{{4}}-\d{{2}}-\d{{2}}|Unreleased)$", text, re.M)
    assert f"[{__version__}]: {REPOSITORY_URL}/releases/tag/{RELEASE_TAG}" in text


def test_init_writes_this_release_tag(tmp_path: Path) -> None:
    from registry_lint.init_cmd import init

    init(str(tmp_path))
    text = (tmp_path / ".pre-commit-config.yaml").read_text()
    assert f"rev: {RELEASE_TAG}" in text and f"repo: {REPOSITORY_URL}" in text
