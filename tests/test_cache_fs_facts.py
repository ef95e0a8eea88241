"""Every file-system fact a result depends on is part of its cache key.

Rules and extractors read other files than the one they lint: sibling
modules a constant is imported from (their content, and which of the
candidate paths exist), and RL404 asks whether an imported module of the
tree exists at all. For each such fact, the tree is changed step by step
(files created, edited, deleted, renamed, replaced by a package, symlinked)
and after every step a cached run must print exactly what an uncached one
does.

Audit of rules/, linter/extract/ and linter/credentials/ (what a file's
result can depend on besides its bytes, path and config): the evaluator's
sibling modules (``pyeval.resolve_sibling``/``load_scope``: which candidate
exists, its content, transitively) and RL404's "imports a module of the
tree" (``usage._imports_local_code``), both through ``extract/siblings.py``.
Everything else uses paths only as strings (``os.path.basename`` for lock
files and messages) or reads the linter's own installation (detect-secrets'
version, the OAuth catalog), which the cache's code fingerprint covers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from registry_lint import run
from registry_lint.cache import ResultCache
from registry_lint.config_table import parse_config
from registry_lint.discover import discover
from registry_lint.extract import pyeval

from .helpers import write_files

HEAD = "from tracecat_registry import RegistrySecret, registry, secrets\n"
META = 'default_title="Search", display_group="Acme", doc_url="https://acme.test/docs", description="Search."'


def action(imports: str, namespace: str = '"tools.acme"', body: str = "    return 'ok'") -> str:
    return (
        HEAD
        + imports
        + '\nacme = RegistrySecret(name="acme", keys=["ACME_API_KEY"])\n\n\n'
        + f"@registry.register(namespace={namespace}, secrets=[acme], {META})\n"
        + "async def search() -> str:\n"
        + body
        + "\n"
    )


TEMPLATE = (
    "type: action\ndefinition:\n  name: t\n  namespace: tools.Acme\n  title: T\n  display_group: G\n"
    "  description: D\n  expects: {}\n  steps:\n    - ref: s\n      action: core.http_request\n"
    "      args: {url: https://a.test, method: GET}\n  returns: x\n"
)

Step = tuple[str, Callable[[Path], None]]


def write(path: str, text: str) -> Callable[[Path], None]:
    def step(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")

    return step


def delete(path: str) -> Callable[[Path], None]:
    def step(root: Path) -> None:
        target = root / path
        if target.is_dir() and not target.is_symlink():
            for child in sorted(target.rglob("*"), reverse=True):
                child.rmdir() if child.is_dir() else child.unlink()
            target.rmdir()
        else:
            target.unlink()

    return step


def rename(src: str, dst: str) -> Callable[[Path], None]:
    return lambda root: os.replace(root / src, root / dst)


def symlink(path: str, target: str) -> Callable[[Path], None]:
    def step(root: Path) -> None:
        if (root / path).is_symlink():
            (root / path).unlink()
        os.symlink(target, root / path)

    return step


# name -> (initial files, steps). Linted with RL404 on; every case has
# steps that change the findings, so both answers of each fact are seen.
CASES: dict[str, tuple[dict[str, str], list[Step]]] = {
    # RL404 is skipped for modules that import code of the tree.
    "rl404-imported-module-exists": (
        # The action calls the imported name: RL404 leaves it to the helpers when they are code of the tree.
        {"reg/actions.py": action("from reg.helpers import call\n", body="    return call()")},
        [
            ("create helpers.py", write("reg/helpers.py", "def call(): ...\n")),
            ("delete helpers.py", delete("reg/helpers.py")),
            ("create helpers/ package", write("reg/helpers/__init__.py", "")),
            ("rename the package away", rename("reg/helpers", "reg/helpers_old")),
            ("helpers.py at a nearer ancestor", write("reg/reg/helpers.py", "")),
            ("rename it away", rename("reg/reg/helpers.py", "reg/reg/helpers2.py")),
            ("dangling symlink", symlink("reg/helpers.py", "missing.py")),
            ("symlink target appears", write("reg/missing.py", "")),
            ("helpers.py is a directory", lambda root: ((root / "reg/helpers.py").unlink(), (root / "reg/helpers.py").mkdir())),
        ],
    ),
    # A constant from a sibling module: its existence, place and content.
    "relative-constant": (
        {"reg/__init__.py": "", "reg/actions.py": action("from .consts import NAMESPACE\n", "NAMESPACE")},
        [
            ("create consts.py (reserved namespace)", write("reg/consts.py", 'NAMESPACE = "core.acme"\n')),
            ("edit it (same size)", write("reg/consts.py", 'NAMESPACE = "tool.acme"\n')),
            ("edit it back", write("reg/consts.py", 'NAMESPACE = "core.acme"\n')),
            ("rename it away", rename("reg/consts.py", "reg/constants.py")),
            ("consts/ package instead", write("reg/consts/__init__.py", 'NAMESPACE = "core.x"\n')),
            ("the package's constant changes", write("reg/consts/__init__.py", 'NAMESPACE = "tools.x"\n')),
            ("package __init__ deleted", delete("reg/consts/__init__.py")),
            ("consts.py symlinked to constants.py", symlink("reg/consts.py", "constants.py")),
            ("the symlink's target changes", write("reg/constants.py", 'NAMESPACE = "tools.y"\n')),
        ],
    ),
    "absolute-constant-nearest-ancestor-wins": (
        {"reg/actions.py": action("from reg.consts import NAMESPACE\n", "NAMESPACE")},
        [
            ("create reg/consts.py", write("reg/consts.py", 'NAMESPACE = "tools.acme"\n')),
            ("a nearer reg/reg/consts.py (reserved)", write("reg/reg/consts.py", 'NAMESPACE = "core.acme"\n')),
            ("delete the nearer one", delete("reg/reg/consts.py")),
            ("the farther one changes", write("reg/consts.py", 'NAMESPACE = "core.acme"\n')),
        ],
    ),
    "transitive-constant": (
        {
            "reg/__init__.py": "",
            "reg/actions.py": action("from .consts import NAMESPACE\n", "NAMESPACE"),
            "reg/consts.py": 'from .base import PREFIX\n\nNAMESPACE = PREFIX + ".acme"\n',
        },
        [
            ("create base.py", write("reg/base.py", 'PREFIX = "tools"\n')),
            ("edit base.py", write("reg/base.py", 'PREFIX = "core"\n')),
            ("rename base.py away", rename("reg/base.py", "reg/base2.py")),
            ("base/ package", write("reg/base/__init__.py", 'PREFIX = "core"\n')),
        ],
    ),
    # Evaluated by a rule (RL406), after extraction.
    "constant-read-by-a-rule": (
        {
            "reg/__init__.py": "",
            # In a helper: in the registered function itself Tracecat refuses any env read (RL157).
            "reg/actions.py": action(
                "import os\n\nfrom .consts import ENV_NAME\n\n\ndef _env() -> str:\n    return os.environ[ENV_NAME]\n",
                body="    return _env()",
            ),
        },
        [
            ("create consts.py (a credential name)", write("reg/consts.py", 'ENV_NAME = "ACME_TOKEN"\n')),
            ("edit it (not a credential)", write("reg/consts.py", 'ENV_NAME = "ACME_HOST_"\n')),
            ("edit it back", write("reg/consts.py", 'ENV_NAME = "ACME_TOKEN"\n')),
            ("delete it", delete("reg/consts.py")),
        ],
    ),
    # RL619 (linter/loader.py): which __init__.py and pyproject.toml exist decides
    # the package and the project, so whether the actions are live at all.
    "loader-package-of-a-module": (
        {"tests/data/acts.py": action("", '"tools.Acme"')},
        [
            ("tests/ becomes a package (not a registry package)", write("tests/__init__.py", "")),
            ("data/ is a package too", write("tests/data/__init__.py", "")),
            ("tests/ is not a package any more", delete("tests/__init__.py")),
            ("tests/ is one again", write("tests/__init__.py", "")),
        ],
    ),
    "loader-project-boundary-of-a-template": (
        {"templates/my-dir/t.yml": TEMPLATE},
        [
            ("a project below the root", write("templates/pyproject.toml", "")),
            ("the project is the template's directory", write("templates/my-dir/pyproject.toml", "")),
            ("it goes away", delete("templates/my-dir/pyproject.toml")),
        ],
    ),
}


def lint(root: Path, *, cache: bool) -> list[str]:
    from registry_lint import loader

    pyeval._SCOPE_CACHE.clear()  # each run as a new process would see it
    loader.clear_memo()
    cfg = parse_config({"extend-select": ["RL404"]}, root=root)
    result = run.check(discover(["."], cfg), cfg, cache=ResultCache.for_config(cfg) if cache else None)
    assert not result.internal_errors
    return [f"{d.location.path}:{d.location.line}:{d.location.col}: {d.code} {d.message}" for d in result.diagnostics]


@pytest.mark.parametrize("case", sorted(CASES))
def test_cached_equals_uncached_after_every_change(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, steps = CASES[case]
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    seen = []
    for label, change in [("initial", lambda root: None), *steps]:
        change(tmp_path)
        uncached = lint(tmp_path, cache=False)
        assert lint(tmp_path, cache=True) == uncached, f"{case}: after {label!r}"
        assert lint(tmp_path, cache=True) == uncached, f"{case}: after {label!r} (answered by the cache)"
        seen.append(uncached)
    assert len({tuple(s) for s in seen}) > 1, f"{case}: no step changed the findings"


@pytest.mark.slow
def test_issue_reproduction_through_the_cli(tmp_path: Path) -> None:
    # `check` after creating helpers.py reported RL404 that `--no-cache` did not.
    write_files(tmp_path, {"reg/actions.py": action("from reg.helpers import call\n", body="    return call()")})

    def check(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "registry_lint", "check", "--extend-select", "RL404", *args, "reg/actions.py"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        return done.stdout

    assert "RL404" in check()
    (tmp_path / "reg/helpers.py").write_text("def call(): ...\n")
    assert check() == check("--no-cache")
    assert "RL404" not in check()
    (tmp_path / "reg/helpers.py").unlink()
    assert "RL404" in check()


TEMPLATE = (
    "type: action\ndefinition:\n  name: wrapped\n  namespace: tools.acme\n  title: Wrapped\n"
    "  description: Calls lookup.\n  display_group: Acme\n  doc_url: https://acme.test/docs\n  author: Acme\n"
    "  expects:\n    ip:\n      type: str\n      description: The IP.\n"
    "  steps:\n    - ref: call\n      action: tools.acme.lookup\n      args:\n        ip: ${{ inputs.ip }}\n"
    "  returns: ${{ steps.call.result }}\n"
)
UDF = (
    "from tracecat_registry import registry\n\n\n"
    '@registry.register(namespace="tools.acme", description="Look up.", default_title="Lookup", display_group="Acme")\n'
    "def lookup(ip: str) -> dict:\n    return {}\n"
)


def test_a_partial_run_sees_changes_to_files_outside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # RL615 on a partial run (pre-commit) reads the names the project's other
    # files define; the run entry must not answer after one of them changed.
    write_files(tmp_path, {"reg/wrapped.yml": TEMPLATE, "reg/acme.py": UDF})
    monkeypatch.chdir(tmp_path)
    cfg = parse_config({}, root=tmp_path)

    def codes(*, cache: bool) -> list[str]:
        result = run.check(["reg/wrapped.yml"], cfg, cache=ResultCache.for_config(cfg) if cache else None)
        assert not result.internal_errors
        return [d.code for d in result.diagnostics]

    assert "RL615" not in codes(cache=True)
    assert "RL615" not in codes(cache=True)
    (tmp_path / "reg/acme.py").write_text(UDF.replace("def lookup(", "def search("))
    assert "RL615" in codes(cache=False)
    assert "RL615" in codes(cache=True)
