"""The YAML extractor: template detection, fields, secrets, references."""

from __future__ import annotations

import textwrap

import pytest

from registry_lint.extract import yaml as yx
from registry_lint.extract import yamlnodes as yn
from registry_lint.source import SourceFile


def extract(text: str) -> yn.YamlFile:
    src = SourceFile("t.yml", textwrap.dedent(text).lstrip("\n"), "yaml")
    return yx.extract(src, yx.compose(src))


TEMPLATE = """
type: action
definition:
  title: Search
  namespace: tools.exa
  name: search
  secrets:
    - name: exa
      keys: [EXA_API_KEY]
      key: typo
    - type: oauth
      provider_id: slack
      grant_type: authorization_code
  expects: {}
  steps:
    - ref: a
      action: core.http_request
      args:
        headers:
          x-api-key: "${{ SECRETS.exa.EXA_API_KEY }}"
          y: ${{ SECRETS.slack_oauth.SLACK_USER_TOKEN || SECRETS.slack_oauth.SLACK_SERVICE_TOKEN }}
        script: |
          token = "${{ SECRETS.exa.EXA_API_KEY }}"
  returns: ${{ steps.a.result }}
"""


def test_template_fields_and_secrets() -> None:
    parsed = extract(TEMPLATE)
    assert parsed.is_template
    spec = parsed.spec
    assert spec is not None and spec.key == "tools.exa.search"
    assert [s.kind for s in spec.secrets] == ["custom", "oauth"]
    assert spec.secrets[0].key_names() == ("EXA_API_KEY",)
    assert [v.value for v in spec.secrets[0].unknown_fields] == ["key"]
    assert spec.secrets[1].secret_name == "slack_oauth"
    assert spec.secrets[1].token_name == "SLACK_USER_TOKEN"


def test_every_secret_reference_with_exact_position() -> None:
    refs = extract(TEMPLATE).spec.refs
    got = [(r.secret, r.key, r.location.line, r.location.col) for r in refs]
    assert got == [
        ("exa", "EXA_API_KEY", 19, 27),
        ("slack_oauth", "SLACK_USER_TOKEN", 20, 18),
        ("slack_oauth", "SLACK_SERVICE_TOKEN", 20, 58),
        ("exa", "EXA_API_KEY", 22, 24),
    ]


@pytest.mark.parametrize(
    ("text", "is_template"),
    [
        ("type: action\ndefinition:\n  title: x\n", True),
        ("definition:\n  name: x\n  namespace: tools.x\n", True),
        ("title: action\ndefinition:\n  name: x\n  namespace: tools.x\n", True),
        ("definition:\n  title: x\n", False),
        ("type: workflow\ndefinition: {}\n", False),
        ("- 1\n", False),
        ("", False),
    ],
)
def test_template_detection(text: str, is_template: bool) -> None:
    assert extract(text).is_template is is_template


def test_duplicate_keys_are_found() -> None:
    parsed = extract("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert sorted((first.start_mark.line + 1, dup.start_mark.line + 1) for first, dup in parsed.duplicates) == [(1, 5), (3, 4)]


def test_alias_bomb_is_not_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    parsed = extract("\n".join(lines) + "\n")
    assert sum(1 for _ in yn.walk(parsed.root)) < 200


def test_unsafe_tags_are_not_constructed() -> None:
    parsed = extract("type: action\ndefinition:\n  name: !!python/object/apply:os.system ['echo hi']\n  namespace: tools.x\n")
    assert parsed.spec is not None
    assert not isinstance(parsed.spec.name.value, int)
