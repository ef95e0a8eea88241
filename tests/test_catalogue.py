"""The built-in actions catalogue, `tracecat-registry`, `extra-actions`, and loader reach."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from registry_lint.catalogue import actions as catalogue
from registry_lint.config import ConfigError
from registry_lint.config_table import parse_config
from registry_lint.loader import template_reach

from .helpers import lint_files, write_files

TRACECAT = Path("/work/ext/tracecat")
SHIPPED = Path(catalogue.__file__).resolve().parent.parent / "data" / catalogue.DATA_FILE

STEP_TEMPLATE = """\
type: action
definition:
  name: lookup
  namespace: tools.acme
  title: Lookup
  description: Look it up.
  display_group: Acme
  doc_url: https://example.com/docs
  expects: {}
  steps:
    - ref: call
      action: {action}
      args:
{args}
  returns: ${{ steps.call.result }}
"""


def step_template(action: str, args: str = "        url: https://example.com\n        method: GET\n") -> str:
    return STEP_TEMPLATE.replace("{action}", action).replace("{args}", args.rstrip("\n"))


def codes(diags: list) -> list[str]:
    return sorted(d.code for d in diags if d.code.startswith("RL61"))


@pytest.mark.slow
@pytest.mark.skipif(not (TRACECAT / "packages" / "tracecat-registry").is_dir(), reason="no Tracecat checkout")
def test_shipped_catalogue_is_what_the_generator_reads_from_the_checkout() -> None:
    regenerated = catalogue.dumps(catalogue.generate(TRACECAT))
    assert regenerated == SHIPPED.read_text("utf-8"), "run: python -m registry_lint.catalogue /path/to/tracecat"


def test_shipped_catalogue_is_json_with_the_commit() -> None:
    data = json.loads(SHIPPED.read_text("utf-8"))
    assert data["tracecat_commit"] == "4209a655bc1da1a36d75ea29edfea69daffbdd23"
    http = {p["name"]: p for p in data["actions"]["core.http_request"]["params"]}
    assert http["method"]["type"].startswith("Literal['GET'") and http["method"]["required"]
    assert http["timeout"]["required"] is False
    assert data["actions"]["tools.slack.post_message"]["kind"] == "template"


def test_catalogue_reads_one_action_at_a_time() -> None:
    found = catalogue.shipped()
    http = found.get("core.http_request")
    assert http is not None and http.kind == "udf" and [p.name for p in http.params or ()][:2] == ["url", "method"]
    assert found.get("core.http_requests") is None
    assert "tools.slack.post_message" in found.keys()
    # A hand-edited file (not one action per line) is read whole.
    edited = catalogue.Catalogue(json.dumps(json.loads(SHIPPED.read_text("utf-8"))))
    assert edited.get("core.http_request") == http
    assert len(edited.keys()) == len(found.keys())


def test_module_main_regenerates_every_catalogue_module() -> None:
    from registry_lint.catalogue.__main__ import catalogue_modules

    assert catalogue in catalogue_modules()


def _fake_checkout(root: Path, udf_name: str = "fetch") -> Path:
    package = root / "packages" / "tracecat-registry" / "tracecat_registry"
    write_files(package, {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/net.py": (
            "from tracecat_registry import registry\n\n\n"
            '@registry.register(namespace="core", description="Fetch.", default_title="Fetch", display_group="Net")\n'
            f"async def {udf_name}(target: str, tries: int = 1) -> dict:\n    return {{}}\n"
        ),
        "sdk/skipped.py": (
            "from tracecat_registry import registry\n\n\n"
            '@registry.register(namespace="core", description="x")\nasync def skipped() -> None:\n    return None\n'
        ),
    })
    return root


def test_tracecat_registry_reads_the_users_checkout(tmp_path: Path) -> None:
    checkout = _fake_checkout(tmp_path / "tracecat")
    data = catalogue.generate(checkout)
    assert sorted(data["actions"]) == ["core.fetch"]  # sdk/ is never loaded
    project = tmp_path / "project"
    files = {"t.yml": step_template("core.fetch", "        target: x\n        tries: many\n")}
    assert codes(lint_files(project, files)) == ["RL615"]  # not in the shipped catalogue
    diags = lint_files(project, files, config={"tracecat-registry": str(checkout)})
    assert codes(diags) == ["RL618"]


def test_tracecat_registry_follows_changes_to_the_checkout(tmp_path: Path) -> None:
    from registry_lint import engine
    from registry_lint import run as whole_run
    from registry_lint.cache import ResultCache
    from registry_lint.discover import discover

    checkout = _fake_checkout(tmp_path / "tracecat")
    project = tmp_path / "project"
    write_files(project, {"t.yml": step_template("core.fetch", "        target: x\n")})

    def run() -> list[str]:
        catalogue.checkout_digest.cache_clear()
        catalogue.from_checkout.cache_clear()
        engine._RULESETS.clear()
        cfg = parse_config({"tracecat-registry": str(checkout)}, root=project)
        result = whole_run.check(discover([str(project)], cfg), cfg, cache=ResultCache.for_config(cfg))
        return codes(result.diagnostics)

    assert run() == []
    assert list((project / ".registry-lint-cache" / "catalogue").glob("actions-*.json"))
    _fake_checkout(tmp_path / "tracecat", udf_name="fetch_all")  # core.fetch is gone
    (checkout / "packages/tracecat-registry/tracecat_registry/core/net.py").touch()
    assert run() == ["RL615"]


def test_tracecat_registry_must_hold_the_package(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no tracecat_registry package"):
        parse_config({"tracecat-registry": "nowhere"}, root=tmp_path)


def test_cli_flag_tracecat_registry(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from registry_lint.cli import main

    checkout = _fake_checkout(tmp_path / "tracecat")
    # The project's pyproject.toml bounds what the loader judges (RL619), so a
    # pyproject.toml somewhere above tmp_path cannot make the template unloadable.
    write_files(tmp_path / "p", {"pyproject.toml": "[project]\nname = 'p'\n", "t.yml": step_template("core.fetch", "        target: x\n")})
    runner = CliRunner()
    plain = runner.invoke(main, ["check", "--no-cache", "--select", "RL615", str(tmp_path / "p")])
    assert "RL615" in plain.output
    flagged = runner.invoke(main, ["check", "--no-cache", "--select", "RL615", "--tracecat-registry", str(checkout), str(tmp_path / "p")])
    assert "RL615" not in flagged.output and flagged.exit_code == 0, flagged.output


def test_other_files_are_read_only_in_the_linted_files_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a configuration file the root is the current directory: when it
    does not hold the linted files, its files (a CI clone's virtualenvs) are
    not the project's, and a name defined there must not hide RL615."""
    from click.testing import CliRunner

    from registry_lint.cli import main

    cwd = tmp_path / "clone"
    write_files(cwd / ".venv-lowest" / "lib" / "site-packages" / "somelib", {
        "api.py": "def register(x):\n    return x\n\n\ndef fetch(url):\n    return url\n",
    })
    write_files(cwd / "vendored", {"api.py": "registry = None  # register\n\n\ndef fetch(url):\n    return url\n"})
    write_files(tmp_path / "p", {"t.yml": step_template("core.fetch", "        target: x\n")})
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--select", "RL615", str(tmp_path / "p")])
    assert "RL615" in result.output, result.output
    # Inside the root, the project's other files count (a pre-commit run of one file) ...
    write_files(cwd, {"t.yml": step_template("core.fetch", "        target: x\n")})
    result = CliRunner().invoke(main, ["check", "--no-cache", "--select", "RL615", "t.yml"])
    assert "RL615" not in result.output and result.exit_code == 0, result.output
    # ... but never installed packages (site-packages/ is excluded by default, as in ruff).
    (cwd / "vendored" / "api.py").unlink()
    result = CliRunner().invoke(main, ["check", "--no-cache", "--select", "RL615", "t.yml"])
    assert "RL615" in result.output, result.output


def test_present_searches_a_few_keys_and_looks_many_up_alike() -> None:
    shipped = catalogue.shipped()
    few = {"tools.exa.search", "core.http_request", "tools.acme.search", "core.http"}
    assert shipped.present(few) == {"tools.exa.search", "core.http_request"}
    many = few | {f"tools.acme.a{i}" for i in range(20)}
    assert shipped.present(many) == {"tools.exa.search", "core.http_request"}


def test_extra_actions(tmp_path: Path) -> None:
    config = {"extra-actions": {"tools.other.lookup": {"ip": "str", "limit": {"type": "int", "required": False}}, "tools.other.any": "*"}}
    files = {
        "a.yml": step_template("tools.other.lookup", "        ip: 1.2.3.4\n        limit: lots\n        extra: 1\n"),
        "b.yml": step_template("tools.other.any", "        whatever: 1\n").replace("name: lookup", "name: other"),
        "c.yml": step_template("tools.other.lookup", "        limit: 2\n").replace("name: lookup", "name: third"),
    }
    diags = [d for d in lint_files(tmp_path, files, config=config) if d.code.startswith("RL61")]
    assert sorted((Path(d.location.path).name, d.code) for d in diags) == [("a.yml", "RL616"), ("a.yml", "RL618"), ("c.yml", "RL617")]


@pytest.mark.parametrize(
    "value",
    [["tools.x"], {"tools.x": 5}, {"tools.x": {"a": 5}}, {"tools.x": {"a": {"type": "str", "default": 1}}}],
)
def test_extra_actions_errors(value: object, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="extra-actions"):
        parse_config({"extra-actions": value}, root=tmp_path)


def _catalogue_reads(tmp_path: Path) -> tuple[str, str]:
    code = (
        "import sys\nfrom registry_lint import run\nfrom registry_lint.config_table import parse_config\n"
        "from registry_lint.discover import discover\nfrom pathlib import Path\n"
        f"cfg = parse_config({{}}, root=Path({str(tmp_path)!r}))\n"
        f"run.check(discover([{str(tmp_path)!r}], cfg), cfg)\n"
        "from registry_lint.catalogue import actions\n"
        "print(actions.shipped.cache_info().currsize, 'registry_lint.analysis.steps' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    read, steps = out.split()
    return read, steps


def test_catalogue_is_read_only_when_an_action_needs_it(tmp_path: Path) -> None:
    # No action: neither the catalogue nor the step analysis.
    write_files(tmp_path / "none", {"notes.md": "nothing here\n", "c.txt": "x\n"})
    assert _catalogue_reads(tmp_path / "none") == ("0", "False")
    # Custom actions without steps: RL109 looks their keys up in the base
    # registry (a key both define breaks every workflow); no step machinery.
    write_files(tmp_path / "custom", {
        "a.py": "from tracecat_registry import registry\n\n\n@registry.register(namespace='tools.a', description='A.')\nasync def a() -> None:\n    return None\n",
        "b.yml": "type: action\ndefinition:\n  name: b\n  namespace: tools.a\n",
    })
    assert _catalogue_reads(tmp_path / "custom") == ("1", "False")
    # The base registry's own files: never compared with themselves.
    write_files(tmp_path / "base" / "tracecat_registry" / "integrations", {
        "a.py": "from tracecat_registry import registry\n\n\n@registry.register(namespace='tools.a', description='A.')\nasync def a() -> None:\n    return None\n",
    })
    assert _catalogue_reads(tmp_path / "base") == ("0", "False")


# Loader reach --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("pkg/templates/t.yml", None),
        ("pkg/templates/acme-tools/t.yml", "acme-tools"),
        ("pkg/templates/_draft.yml", "file name"),
        ("pkg/schemas/t.yml", "schemas"),
        ("pkg/templates/tests/t.yml", "tests"),
        ("pkg/.hidden/t.yml", ".hidden"),
    ],
)
def test_template_reach_below_the_package(path: str, reason: str | None, tmp_path: Path) -> None:
    write_files(tmp_path, {"my-repo/pkg/__init__.py": "", f"my-repo/{path}": "x"})
    found, probed = template_reach(str(tmp_path / "my-repo" / path), str(tmp_path))
    assert (found is None) if reason is None else (reason in (found or ""))
    if not path.endswith("_draft.yml"):  # a file name alone decides
        assert str(tmp_path / "my-repo" / "pkg" / "__init__.py") in probed


def test_template_reach_without_a_package_judges_below_the_root(tmp_path: Path) -> None:
    assert "my-repo" in (template_reach(str(tmp_path / "my-repo/templates/t.yml"), str(tmp_path))[0] or "")
    assert template_reach(str(tmp_path / "templates/t.yml"), str(tmp_path))[0] is None


@pytest.mark.parametrize(
    ("pyproject", "template", "outside"),
    [
        ('[project]\nname = "custom_actions"\n', "testing/t.yml", True),  # next to the package Tracecat imports
        ('[project]\nname = "custom_actions"\n', "t.yml", True),
        ('[project]\nname = "custom_actions"\n', "custom_actions/templates/t.yml", False),
        ('[project]\nname = "custom-actions"\n', "custom_actions/templates/t.yml", False),  # the distribution's name
        ('[project]\nname = "dist"\n[tool.hatch.build.targets.wheel]\npackages = ["custom_actions"]\n', "testing/t.yml", True),
        ('[project]\nname = "acme"\n', "src/acme/templates/t.yml", False),  # src layout
        ('[project]\nname = "elsewhere"\n', "testing/t.yml", False),  # names no directory: says nothing
        ("[project\n", "testing/t.yml", False),  # not TOML
        ('[tool.hatch]\nbuild = "x"\n[project]\nname = "custom_actions"\n', "testing/t.yml", True),  # a level that is not a table
        ('tool = 5\nproject = "x"\n', "testing/t.yml", False),
    ],
)
def test_template_outside_the_installed_package(pyproject: str, template: str, outside: bool, tmp_path: Path) -> None:
    from registry_lint import loader

    loader.clear_memo()
    write_files(tmp_path / "repo", {"pyproject.toml": pyproject, template: "x", "custom_actions/x.txt": "", "src/acme/x.txt": ""})
    found, probed = template_reach(str(tmp_path / "repo" / template), str(tmp_path))
    assert (found is not None and "the package the repository's pyproject.toml installs" in found) is outside, found


def test_creating_the_installed_package_refreshes_cached_rl619(tmp_path: Path) -> None:
    from registry_lint import loader
    from registry_lint import run as whole_run
    from registry_lint.cache import ResultCache
    from registry_lint.discover import discover

    write_files(tmp_path, {"pyproject.toml": '[project]\nname = "custom_actions"\n', "testing/t.yml": step_template("core.http_request")})

    def run() -> list[str]:
        loader.clear_memo()
        cfg = parse_config({}, root=tmp_path)
        result = whole_run.check(discover([str(tmp_path)], cfg), cfg, cache=ResultCache.for_config(cfg))
        return [d.code for d in result.diagnostics if d.code == "RL619"]

    assert run() == []  # no custom_actions/ directory: the name says nothing
    (tmp_path / "custom_actions").mkdir()  # a directory with nothing linted in it: the file set is unchanged
    assert run() == ["RL619"]
    (tmp_path / "custom_actions").rmdir()
    assert run() == []


def test_adding_an_init_file_refreshes_cached_rl619(tmp_path: Path) -> None:
    from registry_lint import loader
    from registry_lint import run as whole_run
    from registry_lint.cache import ResultCache
    from registry_lint.discover import discover

    write_files(tmp_path, {"my-repo/pkg/templates/t.yml": step_template("core.http_request")})

    def run() -> list[str]:
        loader.clear_memo()
        cfg = parse_config({"exclude": ["*.py"]}, root=tmp_path)
        result = whole_run.check(discover([str(tmp_path)], cfg), cfg, cache=ResultCache.for_config(cfg))
        return [d.code for d in result.diagnostics if d.code == "RL619"]

    assert run() == ["RL619"]  # `my-repo` is judged: no package found
    write_files(tmp_path, {"my-repo/pkg/__init__.py": ""})  # excluded: the file set is unchanged
    assert run() == []


def test_partial_run_does_not_report_actions_of_unlinted_files(tmp_path: Path) -> None:
    from registry_lint import run as whole_run
    from registry_lint.discover import discover

    udf = (
        "from tracecat_registry import registry\n\n\n"
        '@registry.register(namespace="tools.acme", description="Look up.", default_title="Lookup", display_group="Acme")\n'
        "async def lookup(ip: str) -> dict:\n    return {}\n"
    )
    write_files(tmp_path, {"acme.py": udf, "t.yml": step_template("tools.acme.lookup", "        ip: x\n"),
                           "u.yml": step_template("tools.acme.lookupp", "        ip: x\n").replace("name: lookup", "name: other")})
    cfg = parse_config({}, root=tmp_path)
    only = whole_run.check(discover([str(tmp_path / "t.yml"), str(tmp_path / "u.yml")], cfg), cfg)
    assert [(Path(d.location.path).name, d.code) for d in only.diagnostics if d.code == "RL615"] == [("u.yml", "RL615")]
