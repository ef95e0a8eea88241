"""Exactly Tracecat's verdict on templates (issue 16, template part): minimal
cases, each checked against what Tracecat's code does at the recorded commit
(the rule docs name the file and function).

- RL610 only for a `type` that is present and not `action`;
- one mistake, one finding (a misspelt required key: the stand-ins of
  ``extract/templatekeys.py``);
- per-case severities of RL606/RL607/RL608;
- RL402 and the secrets of step actions (built-in ones from the catalogue);
- what Tracecat would load when the linter is pointed at a whole repository.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from registry_lint.model import Diagnostic, Severity

from .helpers import lint_files, rel

HEAD = """\
type: action
definition:
  name: lookup
  namespace: tools.acme
  title: Lookup
  description: Look up.
  display_group: Acme
  doc_url: https://acme.example/docs
"""

EXPECTS = """\
  expects:
    user_id:
      type: str
      description: The user.
"""


def lint(tmp_path: Path, files: dict[str, str], *codes: str) -> list[Diagnostic]:
    clean = {name: textwrap.dedent(text) for name, text in files.items()}
    return [d for d in lint_files(tmp_path, clean, select=list(codes or ("ALL",))) if d.code != "RL104"]


def found(diags: list[Diagnostic]) -> list[tuple[str, int, str]]:
    return sorted((d.code, d.location.line, d.severity.value) for d in diags)


# RL610 ----------------------------------------------------------------------------
BODY = EXPECTS + """\
  steps:
    - ref: get_user
      action: core.http_request
      args: {url: "https://acme.example/${{ inputs.user_id }}", method: GET}
  returns: ${{ steps.get_user.result }}
"""


def test_missing_type_defaults_to_action(tmp_path: Path) -> None:
    # TemplateAction.type: Literal["action"] = Field("action", frozen=True)
    assert lint(tmp_path, {"t.yml": HEAD.replace("type: action\n", "") + BODY}) == []


def test_type_spelt_as_title_is_one_warning(tmp_path: Path) -> None:
    diags = lint(tmp_path, {"t.yml": HEAD.replace("type: action", "title: action") + BODY})
    assert found(diags) == [("RL608", 1, "W")]
    assert "did you mean `type: action`?" in diags[0].message


def test_type_other_than_action_is_an_error(tmp_path: Path) -> None:
    diags = lint(tmp_path, {"t.yml": HEAD.replace("type: action", "type: workflow") + BODY})
    assert found(diags) == [("RL610", 1, "E")]


# One mistake, one finding ------------------------------------------------------------
NAME_FOR_REF = HEAD + EXPECTS + """\
  steps:
    - name: get_user
      action: core.http_request
      args: {url: "https://acme.example/${{ inputs.user_id }}", method: GET}
    - name: get_groups
      action: core.http_request
      args: {url: "https://acme.example/${{ steps.get_user.result.data.group }}", method: GET}
    - name: reshape
      action: core.transform.reshape
      args:
        value: {user: "${{ steps.get_user.result }}", groups: "${{ steps.get_groups.result }}"}
  returns: ${{ steps.reshape.result }}
"""


def test_steps_written_with_name_are_one_finding(tmp_path: Path) -> None:
    # Before: 3 RL602 + 3 RL608 + 4 RL603 for this one mistake.
    diags = lint(tmp_path, {"t.yml": NAME_FOR_REF})
    assert found(diags) == [("RL602", 14, "E")]
    assert diags[0].message.startswith("3 steps have `name:` but no `ref:` (did you mean `ref`?)")
    assert [r.line for r in diags[0].related] == [17, 20]


def test_a_real_unknown_ref_is_still_reported_next_to_the_stand_in(tmp_path: Path) -> None:
    text = NAME_FOR_REF.replace("steps.reshape.result", "steps.reshap.result")
    diags = lint(tmp_path, {"t.yml": text}, "RL6")
    assert found(diags) == [("RL602", 14, "E"), ("RL603", 24, "E")]
    assert "did you mean `reshape`?" in [d for d in diags if d.code == "RL603"][0].message


def test_misspelt_required_keys_are_reported_where_they_are(tmp_path: Path) -> None:
    cases = {
        # inputs: for expects (TemplateActionDefinition.expects is required)
        "a.yml": (HEAD + BODY.replace("  expects:", "  inputs:"), [("RL601", 9, "E")], "did you mean `expects`?"),
        # uses:/with: for action:/args: (ActionStep)
        "b.yml": (HEAD + BODY.replace("      action:", "      uses:").replace("      args:", "      with:"),
                  [("RL602", 15, "E"), ("RL602", 16, "E")], "did you mean `action`?"),
        # typ: for type (ExpectedField.type is required; extra="forbid")
        "c.yml": (HEAD + BODY.replace("      type: str", "      typ: str"), [("RL606", 11, "E")], "did you mean `type`?"),
    }
    for name, (text, expected, message) in cases.items():
        diags = lint(tmp_path / name, {name: text}, "RL6")
        assert found(diags) == expected, (name, [(d.code, d.message) for d in diags])
        assert message in diags[0].message


def test_no_expects_is_one_finding_not_one_per_input_reference(tmp_path: Path) -> None:
    for expects in ("", "  expects:\n    - user_id\n", "  expects:\n"):
        text = HEAD + expects + BODY.split(EXPECTS, 1)[1]
        diags = lint(tmp_path / str(len(expects)), {"t.yml": text}, "RL6")
        assert [d.code for d in diags] == ["RL601"], [(d.code, d.message) for d in diags]


def test_a_step_without_action_is_not_an_unknown_action(tmp_path: Path) -> None:
    for action in ("", "      action:\n", "      action: 5\n"):
        text = HEAD + BODY.replace("      action: core.http_request\n", action)
        diags = lint(tmp_path / str(len(action)), {"t.yml": text}, "RL6")
        assert [d.code for d in diags] == ["RL602"], [(d.code, d.message) for d in diags]


# Severities ------------------------------------------------------------------------
def test_unknown_keys_are_errors_only_where_tracecat_forbids_them(tmp_path: Path) -> None:
    text = (HEAD + BODY).replace("  title: Lookup\n", "  title: Lookup\n  icon: x\n")
    text = text.replace("      description: The user.\n", "      description: The user.\n      required: true\n")
    text = text.replace("      action: core.http_request\n", "      action: core.http_request\n      if: x\n")
    diags = lint(tmp_path, {"t.yml": "kind: x\n" + text}, "RL608")
    # top level, definition and steps: extra="ignore"; expects fields: extra="forbid"
    assert found(diags) == [("RL608", 1, "W"), ("RL608", 7, "W"), ("RL608", 15, "E"), ("RL608", 19, "W")]


def test_input_without_description_is_a_warning_without_type_an_error(tmp_path: Path) -> None:
    text = (HEAD + BODY).replace("      description: The user.\n", "")
    assert found(lint(tmp_path / "a", {"t.yml": text}, "RL6")) == [("RL606", 10, "W")]
    text = (HEAD + BODY).replace("      type: str\n", "")
    assert found(lint(tmp_path / "b", {"t.yml": text}, "RL6")) == [("RL606", 10, "E")]


def test_duplicate_key_is_a_warning(tmp_path: Path) -> None:
    assert found(lint(tmp_path, {"c.yaml": "a: 1\na: 2\n"}, "RL607")) == [("RL607", 2, "W")]


def test_enum_that_is_not_a_list_of_strings(tmp_path: Path) -> None:
    # ExpectedField.enum: list[str] | None (the template is skipped)
    for enum, line in (("enum: a", 13), ("enum: [a, 1]", 13), ("optional: maybe", 13)):
        text = (HEAD + BODY).replace("      description: The user.\n", f"      description: The user.\n      {enum}\n")
        assert found(lint(tmp_path / str(len(enum) + line), {"t.yml": text}, "RL6")) == [("RL609", line, "E")], enum
    text = (HEAD + BODY).replace("      description: The user.\n", "      description: The user.\n      enum: [a]\n      optional: yes\n")
    assert lint(tmp_path / "ok", {"t.yml": text}, "RL6") == []


# RL402: the secrets of step actions -------------------------------------------------------
def _template(name: str, action: str, secrets: str = "", arg: str = "${{ SECRETS.acme.ACME_API_KEY }}") -> str:
    head = HEAD.replace("name: lookup", f"name: {name}")
    return head + secrets + "  expects: {}\n  steps:\n    - ref: call\n" + f"      action: {action}\n      args: {{headers: {{X-Key: '{arg}'}}}}\n" + "  returns: ${{ steps.call.result }}\n"


ACME = "  secrets:\n    - name: acme\n      keys: [ACME_API_KEY]\n"


def test_secrets_of_a_template_step_are_fetched_recursively(tmp_path: Path) -> None:
    # outer -> inner (declares acme): collect_action_secrets_from_manifest walks the steps.
    files = {
        "inner.yml": _template("inner", "core.http_request", ACME),
        "outer.yml": _template("outer", "tools.acme.inner"),
        "wrong.yml": _template("wrong", "tools.acme.inner", arg="${{ SECRETS.acm.ACME_API_KEY }}"),
    }
    diags = [d for d in lint(tmp_path, files, "RL402") if d.code == "RL402"]
    assert [(rel(d, tmp_path), d.severity) for d in diags] == [("wrong.yml", Severity.ERROR)]


def test_step_action_with_unknown_declarations_silences_rl402(tmp_path: Path) -> None:
    files = {"t.yml": _template("t", "tools.other.thing")}
    config = {"extra-actions": {"tools.other.thing": "*"}}
    diags = lint_files(tmp_path, files, config=config, select=["RL402"])
    assert [d for d in diags if d.code == "RL402"] == []


# Whole repositories: what Tracecat would load --------------------------------------------
UDF = """\
from tracecat_registry import registry


@registry.register(description="Add.", namespace="testing")
def add(num: int) -> int:
    return num


def test_nested() -> None:
    @registry.register(description="x", namespace="test")
    def f1(x) -> int:
        return 1
"""
FIXTURE = HEAD.replace("  title: Lookup\n", "") + "  display_name: X\n" + BODY.replace("|| ", "").replace("inputs.user_id", "inputs")


def test_a_repository_test_package_is_not_a_registry(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'x'\n",
        "tests/__init__.py": "",
        "tests/data/templates/invalid/missing_title.yml": FIXTURE,
        "tests/data/actions/udfs.py": UDF.split("\n\n\ndef test_nested")[0] + "\n",
        "tests/unit/test_x.py": UDF,
    }
    diags = lint(tmp_path, files)
    assert sorted((rel(d, tmp_path), d.code, d.severity.value) for d in diags) == [
        ("tests/data/actions/udfs.py", "RL619", "W"),
        ("tests/data/templates/invalid/missing_title.yml", "RL619", "W"),
        ("tests/unit/test_x.py", "RL619", "W"),
    ], [(rel(d, tmp_path), d.code, d.message) for d in diags]
    udfs = [d for d in diags if d.location.path.endswith("test_x.py")][0]
    assert "the 2 actions of this file" in udfs.message and "`tests` package" in udfs.message


def test_the_project_bounds_the_search_when_linted_from_elsewhere(tmp_path: Path, monkeypatch) -> None:
    from registry_lint import run
    from registry_lint.config_table import parse_config
    from registry_lint.discover import discover

    from .helpers import write_files

    repo = tmp_path / "repo"
    write_files(repo, {"pyproject.toml": "", "tests/__init__.py": "", "tests/data/t.yml": FIXTURE})
    (tmp_path / "elsewhere").mkdir()
    cfg = parse_config({}, root=tmp_path / "elsewhere")  # the config root is not above the file
    result = run.check(discover([str(repo)], cfg), cfg)
    assert [d.code for d in result.diagnostics] == ["RL619"], [(d.code, d.message) for d in result.diagnostics]


def test_nested_action_in_a_loaded_module_hides_only_its_own_findings(tmp_path: Path) -> None:
    text = UDF.replace('namespace="testing"', 'namespace="tools.acme", default_title="Add", display_group="G"')
    diags = lint(tmp_path, {"pkg/__init__.py": "", "pkg/acts.py": text})
    codes = sorted((d.code, d.location.line) for d in diags)
    # `add` is live (RL151 not async, RL153 undocumented); f1 inside test_nested is not loaded:
    # RL619 only (not RL151/RL152/RL153/RL106 about it).
    assert codes == [("RL151", 5), ("RL153", 5), ("RL619", 11)], codes


def test_misspelt_metadata_keys_are_one_finding_each(tmp_path: Path) -> None:
    text = (HEAD + BODY).replace("  title: Lookup", "  Title: Lookup").replace("  display_group: Acme", "  display-group: Acme")
    text = text.replace("  description: Look up.", "  desc: Look up.")
    diags = lint(tmp_path, {"t.yml": text})
    assert found(diags) == [("RL101", 6, "W"), ("RL102", 5, "E"), ("RL103", 7, "E")], [(d.code, d.message) for d in diags]
    assert all("did you mean" in d.message for d in diags)
