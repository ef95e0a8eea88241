"""Every rule has a docs page generated from its docstring, SARIF links to
it, and the repository address is the same everywhere."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from registry_lint import __version__, docgen
from registry_lint.project import RELEASE_TAG, REPOSITORY_URL, rule_doc_url
from registry_lint.report.sarif_format import rule_descriptor
from registry_lint.rule import load_rules

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "docs" / "rules"


def test_every_rule_has_its_generated_page() -> None:
    for code, cls in load_rules().items():
        page = PAGES / f"{code}.md"
        assert page.is_file(), f"no {page.relative_to(ROOT)}: run python -m registry_lint.docgen"
        assert page.read_text(encoding="utf-8") == docgen.rule_page(cls), f"{code}: run python -m registry_lint.docgen"


def test_index_is_generated_and_no_stale_pages() -> None:
    assert (PAGES / "README.md").read_text(encoding="utf-8") == docgen.rules_index()
    expected = {f"{code}.md" for code in load_rules()} | {"README.md"}
    assert {p.name for p in PAGES.iterdir()} == expected


def test_docgen_check_passes_on_the_repository() -> None:
    assert docgen.out_of_date(ROOT / "README.md") == []
    assert docgen.main(["--check", str(ROOT / "README.md")]) == 0


def test_docgen_writes_missing_pages_and_deletes_stale_ones(tmp_path: Path) -> None:
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    pages = tmp_path / "docs" / "rules"
    pages.mkdir(parents=True)
    (pages / "RL999.md").write_text("# a code that does not exist\n")
    (pages / "RL101.md").write_text("hand-edited\n")
    (pages / "notes.txt").write_text("not a rule page: left alone\n")
    assert docgen.main(["--check", str(tmp_path / "README.md")]) == 1
    assert docgen.main([str(tmp_path / "README.md")]) == 0
    assert not (pages / "RL999.md").exists()
    assert (pages / "notes.txt").exists()
    assert (pages / "RL101.md").read_text() == docgen.rule_page(load_rules()["RL101"])
    assert docgen.out_of_date(tmp_path / "README.md") == []


def test_sarif_help_uri_is_the_rules_page_at_this_release() -> None:
    for code, cls in load_rules().items():
        uri = rule_descriptor(cls)["helpUri"]
        assert uri == f"{REPOSITORY_URL}/blob/v{__version__}/docs/rules/{code}.md" == rule_doc_url(code)
        assert "pypi.org" not in uri
        assert (ROOT / uri.split(f"/blob/{RELEASE_TAG}/", 1)[1]).is_file()


def test_repository_address_is_the_same_everywhere() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls["Repository"] == urls["Homepage"] == REPOSITORY_URL
    assert urls["Documentation"].startswith(REPOSITORY_URL)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    workflows = (ROOT / "docs" / "workflows.md").read_text(encoding="utf-8")
    releasing = (ROOT / "docs" / "releasing.md").read_text(encoding="utf-8")
    for text in (readme, workflows, releasing):
        assert f"git+{REPOSITORY_URL}@{RELEASE_TAG}" in text
        assert f"repo: {REPOSITORY_URL}" in text and f"rev: {RELEASE_TAG}" in text
        assert "<your-org>" not in text and "pypi.org/project/registry-lint" not in text
        # every repository address in the docs is this one
        for found in re.findall(r"https://github\.com/[\w.-]+/registry-lint", text):
            assert found == REPOSITORY_URL
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: registry-lint\n" in hooks  # the hook ids the docs use


def test_the_version_lives_in_one_place() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "registry_lint.__version__"}
    assert RELEASE_TAG == f"v{__version__}"


def _docs() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), ROOT / "benchmarks" / "README.md"]


def test_docs_stand_alone() -> None:
    # The design notes the project was built from are not part of it.
    for doc in _docs():
        text = doc.read_text(encoding="utf-8")
        for name in ("DESIGN.md", "RULES.md", "STYLE.md"):
            assert name not in text, f"{doc.relative_to(ROOT)} cites {name}, which is not in the project"


def test_relative_links_in_docs_resolve() -> None:
    for doc in _docs():
        for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)\s]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (doc.parent / target).exists(), f"{doc.relative_to(ROOT)} links to missing {target}"
