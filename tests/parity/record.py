"""Record Tracecat's verdict on every parity case (run by hand; see README.md).

    /path/to/venv312/bin/python tests/parity/record.py --tracecat /path/to/tracecat [--only ID ...]

Loads Tracecat's modules from the checkout given (nothing of it is copied
here) and runs, for each case, the code path of a custom registry sync
(``tracecat/registry/sync/entrypoint.py``): ``Repository.load_installed``
(import the package, register its UDFs, load its templates), then
``_serialize_loaded_repository(validate=True)`` (``validate_action_template``
against the repository and the base registry, then serialisation). The only
thing replaced is the base registry's loading: it is loaded once and reused
for every case (loading it takes seconds; it is the same registry each time).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERDICTS = HERE / "verdicts.json"


def _setup(tracecat: Path) -> None:
    for sub in ("packages/tracecat-ee", "packages/tracecat-registry", "."):
        sys.path.insert(0, str((tracecat / sub).resolve()))
    sys.path.insert(0, str(HERE.parent))  # parity.cases


def _git_head(root: Path) -> str:
    import subprocess

    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


async def _record(tracecat: Path, only: set[str]) -> dict:
    from parity.cases import all_cases
    from tracecat.auth.types import Role
    from tracecat.registry.constants import DEFAULT_REGISTRY_ORIGIN
    from tracecat.registry.repository import Repository, iter_valid_files
    from tracecat.registry.sync import entrypoint

    from loguru import logger

    logger.remove()  # Tracecat's log goes to stderr; keep only the errors, per case
    errors: list[str] = []
    logger.add(lambda m: errors.append(str(m.record["message"])), level="ERROR")

    role = Role(type="service", service_id="tracecat-service")
    base = Repository(origin=DEFAULT_REGISTRY_ORIGIN, role=role)
    await base.load_from_origin()

    class _Repository(Repository):
        """The base registry, loaded once (everything else is Tracecat's own class)."""

        async def load_from_origin(self, commit_sha: str | None = None) -> str | None:
            if self._origin == DEFAULT_REGISTRY_ORIGIN:
                self._store = base.store
                return None
            return await super().load_from_origin(commit_sha)

    entrypoint.Repository = _Repository

    verdicts: dict[str, dict] = {}
    root = Path(tempfile.mkdtemp(prefix="parity-"))
    sys.path.insert(0, str(root))
    for number, case in enumerate(all_cases()):
        if only and case.id not in only:
            continue
        package = f"parity_case_{number}"
        pkg_dir = root / package
        for rel, text in {"__init__.py": "", **case.files}.items():
            path = pkg_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        errors.clear()
        verdict = await _one(case, package, pkg_dir, role, errors, entrypoint, Repository, iter_valid_files)
        verdict["digest"] = case.digest()
        verdicts[case.id] = verdict
    return verdicts


async def _one(case, package, pkg_dir, role, errors, entrypoint, Repository, iter_valid_files) -> dict:
    origin = f"git+ssh://git@example.com/parity/{package}.git"
    repo = Repository(origin=origin, role=role, package_name_override=package)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            await repo.load_installed(package)
    except Exception as exc:  # the sync fails: that is the verdict
        return {"verdict": "reject", "stage": "load", "details": [f"{type(exc).__name__}: {_short(str(exc))}"]}
    if case.subject not in repo.store:
        reachable = {str(p) for p in iter_valid_files(pkg_dir, file_extensions=(".yml", ".yaml")) if "schemas" not in p.parts}
        subject_files = [str(pkg_dir / rel) for rel in case.files if rel.endswith((".yml", ".yaml"))]
        loaded_yaml = any(f in reachable for f in subject_files)
        if errors and loaded_yaml:
            return {"verdict": "reject", "stage": "parse", "details": [_short(e) for e in errors]}
        return {"verdict": "not_loaded", "stage": "load", "details": [_short(e) for e in errors]}
    result = await entrypoint._serialize_loaded_repository(
        repo=repo, role=role, origin=origin, repository_id=uuid.uuid4(), resolved_commit_sha=None, validate=True
    )
    problems = result.validation_errors.get(case.subject, [])
    if problems:
        details = [f"{p.type}: {' | '.join(_short(d) for d in p.details)}" for p in problems]
        return {"verdict": "reject", "stage": "validate", "details": sorted(set(details))}
    return {"verdict": "accept", "stage": "validate", "details": []}


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 300 else text[:297] + "..."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracecat", required=True, type=Path, help="a Tracecat checkout")
    parser.add_argument("--only", nargs="*", default=[], help="record only these case ids (merged into verdicts.json)")
    args = parser.parse_args()
    _setup(args.tracecat)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    verdicts = asyncio.run(_record(args.tracecat, set(args.only)))
    data = {"tracecat_commit": _git_head(args.tracecat), "verdicts": {}}
    if args.only and VERDICTS.exists():
        data = json.loads(VERDICTS.read_text("utf-8"))
    data["verdicts"].update(verdicts)
    data["verdicts"] = dict(sorted(data["verdicts"].items()))
    VERDICTS.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", "utf-8")
    counts: dict[str, int] = {}
    for v in verdicts.values():
        counts[v["verdict"]] = counts.get(v["verdict"], 0) + 1
    print(f"recorded {len(verdicts)} cases: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
