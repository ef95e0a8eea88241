"""RL6xx internals the rule examples cannot cover: the type-expression validator,
the reference scanner, merge keys and positions inside real-looking templates."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from registry_lint.extract import yaml as yx
from registry_lint.extract import yamlnodes as yn
from registry_lint.extract.template import items, member, template
from registry_lint.source import SourceFile
from registry_lint.typeexpr import check_type_expression

from .helpers import lint_files

# Accepted by Tracecat's lark grammar and TypeTransformer (checked against them).
VALID_TYPES = [
    "str", "int", "float", "bool", "datetime", "duration", "any", "Any", "None",
    "str | None", "None | str", "int|str|None", " str ", "list[str]", "list [ str ]",
    "list[list[str | int | float | bool | None]]", "list[dict[str, Any]] | None",
    "dict", "dict | None", "dict[str, Any]", "dict[str,list[int]]", "dict[str | int, Any]",
    'enum["a"]', "enum['a', 'b']", 'enum["a", \'b\'] | None', 'enum["with space", "x,y", "a|b"]',
    'enum["https://graph.microsoft.com", "https://graph.microsoft.us"]',
    "enum[" + ", ".join(f'"v{i}"' for i in range(20)) + "]",
    "str\n| None", "str\t|\r\nNone",
]

# (type, a substring of the error)
INVALID_TYPES = [
    ("", "empty"),
    ("   ", "empty"),
    ("string", "did you mean 'str'?"),
    ("integer", "did you mean 'int'?"),
    ("boolean", "did you mean 'bool'?"),
    ("null", "did you mean 'None'?"),
    ("none", "did you mean 'None'?"),
    ("NONE", "did you mean 'None'?"),
    ("Str", "did you mean 'str'?"),
    ("object", "dict[str, Any]"),
    ("array", "list"),
    ("List[str]", "did you mean 'list'?"),
    ("Optional[str]", "T | None"),
    ("Literal['a']", "enum"),
    ("list", "needs an item type"),
    ("list[]", "needs an item type"),
    ("list[str", "expected ']'"),
    ("list[str, int]", "expected ']'"),
    ("dict[str]", "expected ','"),
    ("dict[str, int, int]", "exactly a key and a value"),
    ("dict[]", "expected a type"),
    ("enum[]", "quoted strings"),
    ("enum[a, b]", "quoted strings"),
    ('enum["a",]', "quoted strings"),
    ('enum["a" "b"]', "expected ']'"),
    ('enum[""]', "cannot be empty"),
    ('enum["a", "A"]', "duplicate enum value"),
    ("enum[" + ", ".join(f'"v{i}"' for i in range(21)) + "]", "too many enum values"),
    ('enum["a', "unterminated"),
    ("str |", "expected a type"),
    ("| str", "expected a type"),
    ("str None", "unexpected 'None'"),
    ("strNone", "unknown type"),
    ("list[str]None", "unexpected"),
    ("$", "reference name"),
    ("$1", "unexpected character"),
    # Tracecat's grammar accepts these, but no model can be built from them (registration fails).
    ("$Ref", "cannot build the input model"),
    ("$ ref_2", "cannot build the input model"),
    ("list[$Item]", "cannot build the input model"),
    # Only lark's WS separates tokens.
    ("str\v", "unexpected character"),
    ("\u00a0str", "unexpected character"),
    ('"str"', "expected a type"),
    ("str?", "unexpected character"),
    ("int = 5", "unexpected character"),
]


@pytest.mark.parametrize("text", VALID_TYPES)
def test_valid_type_expressions(text: str) -> None:
    assert check_type_expression(text) is None


@pytest.mark.parametrize(("text", "needle"), INVALID_TYPES)
def test_invalid_type_expressions(text: str, needle: str) -> None:
    error = check_type_expression(text)
    assert error is not None, text
    assert needle in error.message, error.message
    assert 0 <= error.offset <= len(text)


def test_type_error_offset_points_at_the_problem() -> None:
    error = check_type_expression("list[dict[str, strin]]")
    assert error is not None and error.offset == len("list[dict[str, ")


def refs(text: str) -> list[tuple[str, str, str, str | None]]:
    """(source text, context, name Tracecat validates, field read at run time) of each reference in ``text``."""
    source = "type: action\ndefinition:\n  name: x\n  namespace: tools.a\n  returns: |-\n    " + text + "\n"
    parsed = yx.extract(SourceFile("t.yml", source, "yaml"), yx.compose(SourceFile("t.yml", source, "yaml")))
    lines = source.splitlines()
    out = []
    for ref in template(parsed).refs:
        loc = ref.location
        out.append((lines[loc.line - 1][loc.col - 1 : loc.end_col - 1], ref.context, ref.name, ref.used))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${{ inputs.a }}", [("inputs.a", "inputs", "a", "a")]),
        ("x ${{ inputs .a||steps .b.result }} y", [("inputs .a", "inputs", "a", "a"), ("steps .b", "steps", "b", "b")]),
        ("${{ inputs['a'] + inputs[\"b\"] }}",
         [("inputs['a']", "inputs", "['a']", "a"), ('inputs["b"]', "inputs", '["b"]', "b")]),
        ("${{ inputs.'odd-name' }}", [("inputs.'odd-name'", "inputs", "'odd-name'", "odd-name")]),
        ("${{ inputs.x[0] }} ${{ inputs..y }}", [("inputs.x[0]", "inputs", "x[0]", "x"), ("inputs..y", "inputs", "y", None)]),
        # Tracecat's validator takes everything before the first "." as the name
        ("${{ inputs[var.k] }} ${{ steps.* }}", [("inputs[var", "inputs", "[var", None), ("steps.*", "steps", "*", None)]),
        # not references: other contexts, string literals, text outside ${{ }}
        ("${{ var.inputs.a + FN.steps(1) + VARS.inputs.x }}", []),
        ("${{ 'inputs.a' + \"steps.b\" }} inputs.c steps.d", []),
        ("${{ for var.x in inputs.items }}", [("inputs.items", "inputs", "items", "items")]),
        ("${{ 'it''s' }} ${{ inputs.a }}", [("inputs.a", "inputs", "a", "a")]),
        # an expression Tracecat cannot parse has no references (RL611 reports it)
        ("${{ my_inputs.a + inputs.b }} ${{ steps. b }}", []),
    ],
)
def test_references_come_from_the_parse(text: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    assert refs(text) == expected


def parse(text: str) -> yn.YamlFile:
    src = SourceFile("t.yml", textwrap.dedent(text).lstrip("\n"), "yaml")
    return yx.extract(src, yx.compose(src))


def test_merge_keys_resolve_like_pyyaml() -> None:
    parsed = parse(
        """
        base: &base {a: 1, b: 2}
        other: &other {b: 3, c: 4}
        m:
          <<: [*base, *other]
          a: 9
        """
    )
    m = member(parsed.root, "m")
    got = {k.value: v.value for k, v in items(m)}
    assert got == {"a": "9", "b": "2", "c": "4"}
    assert member(m, "missing") is None


def test_template_facts_are_computed_once_and_cover_args_and_returns_only() -> None:
    parsed = parse(
        """
        type: action
        definition:
          name: x
          namespace: tools.a
          description: ${{ inputs.not_scanned }}
          expects: {a: {type: str, description: A}}
          steps:
            - ref: s1
              action: ${{ inputs.not_scanned_either }}
              args: {"${{ inputs.a }}": "${{ steps.s1.result }}"}
          returns: ${{ steps.s1.result }}
        """
    )
    facts = template(parsed)
    assert template(parsed) is facts
    assert [(r.context, r.name, r.step) for r in facts.refs] == [
        ("inputs", "a", 0), ("steps", "s1", 0), ("steps", "s1", None)
    ]
    assert [s.ref for s in facts.steps or ()] == ["s1"]


TEMPLATE = """\
type: action
definition:
  name: lookup
  namespace: tools.acme
  title: Lookup
  description: Look something up.
  display_group: Acme
  expects:
    query:
      type: str
      description: What to look up.
    limit:
      type: int | None
      description: Max results.
      default: null
  steps:
    - ref: search
      action: core.http_request
      args:
        url: https://acme.example/search
        method: GET
        params: {q: "${{ inputs.query }}", n: "${{ inputs.limt }}"}
    - ref: shape
      action: core.script.run_python
      args:
        inputs:
          data: ${{ steps.search.result.data }}
        script: |
          def main(data):
              # ${{ steps.shaped.result }} is evaluated by Tracecat, even in a script
              return data
  returns: ${{ steps.shape.result }}
"""


def test_positions_in_a_realistic_template(tmp_path: Path) -> None:
    diags = lint_files(tmp_path, {"lookup.yml": TEMPLATE}, select=["RL6"])
    got = sorted((d.code, d.location.line, d.location.col, d.location.end_col) for d in diags)
    assert got == [
        ("RL603", 30, 21, 33),  # steps.shaped: unknown (did you mean shape?)
        ("RL604", 22, 52, 63),  # inputs.limt
        ("RL605", 12, 5, 10),  # limit never used
    ]
    messages = {d.code: d.message for d in diags}
    assert "did you mean `shape`?" in messages["RL603"]
    assert "did you mean `limit`?" in messages["RL604"]


def test_duplicate_keys_in_any_yaml_file_and_noqa(tmp_path: Path) -> None:
    files = {
        "ci.yaml": "on: push\njobs: {}\non: pull_request\n",
        "quiet.yaml": "a: 1\na: 2  # noqa: RL607\n",
        "distinct.yaml": "1: a\n'1': b\ntrue: c\n'true': d\n",
    }
    diags = [d for d in lint_files(tmp_path, files, select=["RL607"]) if d.code == "RL607"]
    assert [(Path(d.location.path).name, d.location.line) for d in diags] == [("ci.yaml", 3)]
    assert "first at line 1" in diags[0].message


def test_non_templates_are_left_alone(tmp_path: Path) -> None:
    files = {
        "wf.yml": "definition:\n  title: A workflow\n  actions: []\n",
        "other.yml": "type: action\ndefinition: not-a-mapping\n",
    }
    assert not lint_files(tmp_path, files, select=["RL6"])


def test_every_rl6_rule_survives_malformed_templates(tmp_path: Path) -> None:
    bodies = [
        "expects: 5\n  steps: 5\n  returns: {}\n",
        "expects: {a: [1], b: {type: {x: 1}}}\n  steps: [1, [2], null, {ref: {x: 1}, action: [], args: 1}]\n",
        "expects: {<<: 5}\n  steps: [{<<: [1, 2], ref: a}]\n  returns: ${{ steps }}\n",
    ]
    for i, body in enumerate(bodies):
        text = f"type: action\ndefinition:\n  name: x\n  namespace: tools.a\n  {body}"
        lint_files(tmp_path / str(i), {"t.yml": text}, select=["RL6"])  # asserts no internal errors


# Positions inside a scalar: the value is parsed, the finding points into the source.
SPELLINGS = [
    '"a\\"b\\\\c\\x41\\u00e9\\U0001F600 ${{ FN.nope(1) }}"',  # escapes before the expression
    "'it''s ${{ FN.nope(''x'') }}'",  # '' is one quote
    "|\n          line one\n          ${{ FN.nope(1) }}",  # literal block
    ">-\n          folded\n          text ${{\n          FN.nope(1) }}",  # folded: the line break is a space
    "plain\n          continued ${{ FN.nope(1) }}",  # multi-line plain scalar
    '"escaped \\\n          break ${{ FN.nope(1) }}"',  # an escaped line break produces nothing
    "'${{ FN.nope(1) }}'\r",  # CRLF file below
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_findings_point_into_the_source_of_any_scalar_style(spelling: str, tmp_path: Path) -> None:
    text = (
        "type: action\ndefinition:\n  name: a\n  namespace: tools.acme\n  title: A\n  description: A.\n"
        "  display_group: Acme\n  expects: {}\n  steps:\n    - ref: s\n      action: core.transform.reshape\n"
        f"      args:\n        value: {spelling}\n  returns: ${{{{ steps.s.result }}}}\n"
    )
    if spelling.endswith("\r"):
        text = text.replace("\r", "").replace("\n", "\r\n")
    diags = [d for d in lint_files(tmp_path, {"t.yml": text}, select=["RL612"]) if d.code == "RL612"]
    assert len(diags) == 1, diags
    loc = diags[0].location
    line = text.replace("\r\n", "\n").splitlines()[loc.line - 1]
    assert line[loc.col - 1 : loc.end_col - 1] == "nope"


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("'${{ secrets.acme.KEY }}'", ["RL409"]),  # lowercase: RL409 only
        ("'${{ SECRETS.my-acme.KEY }}'", ["RL409"]),
        ("'${{ SECRETS.acme.KEY ${{ inputs.x }}'", ["RL409"]),  # unclosed before the next ${{
        ("'${{ inputs.x ${{ inputs.y }}'", ["RL611"]),
        ("'${{ SECRETS.acme.KEY + }}'", ["RL611"]),  # fails after the reference
        ("'${{ SECRETS.acme }}'", ["RL409"]),  # parses; no key
    ],
)
def test_one_finding_per_broken_expression(value: str, codes: list[str], tmp_path: Path) -> None:
    text = (
        "type: action\ndefinition:\n  name: a\n  namespace: tools.acme\n  title: A\n  description: A.\n"
        "  display_group: Acme\n  secrets: [{name: acme, keys: [KEY]}]\n  expects: {x: {type: str, description: X}}\n"
        "  steps:\n    - ref: s\n      action: core.transform.reshape\n"
        f"      args:\n        value: {value}\n  returns: ${{{{ steps.s.result }}}}\n"
    )
    diags = lint_files(tmp_path, {"t.yml": text}, select=["RL4", "RL6"])
    assert sorted(d.code for d in diags if d.code in ("RL409", "RL611")) == codes, [(d.code, d.message) for d in diags]
