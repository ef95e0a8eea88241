"""`--output-format gitlab`: GitLab Code Quality reports (issue 19), through the console script.

Validated against tests/data/gitlab-codequality.schema.json, written from
GitLab's documentation of the format (see tests/data/README.md).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .test_output_tools import console, token

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "registry", tmp_path / "registry")
    return tmp_path


def _report(cwd: Path, *args: str, **env: str) -> list[dict[str, object]]:
    proc = console(["check", *args, "--no-cache", "--output-format", "gitlab"], cwd, **env)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def test_report_validates_against_gitlabs_format(registry: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    report = _report(registry, ".")
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert len(report) > 10
    first = report[0]
    assert first["check_name"] == first["description"].split(":", 1)[0]
    assert {i["severity"] for i in report} >= {"major", "minor"}
    assert len({i["fingerprint"] for i in report}) == len(report)  # one per finding
    assert all(str(i["location"]["path"]).startswith("registry/") for i in report)
    # The schema can fail: an absolute path or an unknown severity is rejected.
    bad = [dict(first, severity="error")]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(bad)


def test_fingerprints_are_stable_and_paths_follow_ci_project_dir(registry: Path) -> None:
    before = {i["fingerprint"] for i in _report(registry, ".")}
    udf = registry / "registry" / "udfs" / "acme.py"
    udf.write_text("# a new first line\n\n" + udf.read_text())
    after = _report(registry, ".")
    assert {i["fingerprint"] for i in after} == before  # inserting lines above keeps every fingerprint
    sub = registry / "registry"
    inside = _report(sub, ".", CI_PROJECT_DIR=str(registry))
    assert all(str(i["location"]["path"]).startswith("registry/") for i in inside)


def test_credentials_are_critical_and_never_in_the_report(tmp_path: Path) -> None:
    secret = token(11)
    (tmp_path / "a.py").write_text(f'API_TOKEN = "{secret}"\n')
    report = _report(tmp_path, ".")
    assert [i["severity"] for i in report] == ["critical"]
    text = json.dumps(report)
    assert secret not in text and secret[4:16] not in text
