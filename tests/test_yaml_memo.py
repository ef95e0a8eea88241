"""Shortcuts of the YAML rules equal what they replace: ``scalar`` without the
constructor for str/null, and the memoised expression scans (short strings only)."""

from __future__ import annotations

import types

import pytest
import yaml

from registry_lint.exprparse import parse
from registry_lint.extract import yaml as yx
from registry_lint.extract import yamlnodes as yn
from registry_lint.extract import yamlexpr
from registry_lint.source import SourceFile
from registry_lint.rules import template_fields, usage_templates
from registry_lint.typeexpr import check_type_expression


def constructed(node: yaml.Node) -> object:
    """What ``scalar`` did before its shortcut: always through the safe constructor."""
    build = yaml.constructor.SafeConstructor.yaml_constructors.get(node.tag)
    if build is None:
        return node.value
    try:
        return build(yaml.constructor.SafeConstructor(), node)
    except Exception:
        return node.value


SCALARS = """\
- plain
- 'quoted'
- "esc\\u00e9"
- ~
- null
- Null
- ''
- 12
- 0x1f
- 1.5
- .inf
- true
- no
- 2024-01-02
- !!str 12
- !!null ''
- !!int nope
- !!timestamp bad
- !custom thing
- |
  block
"""


def test_scalar_equals_the_constructor() -> None:
    root = yaml.compose(SCALARS, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.SequenceNode)
    for node in root.value:
        got, want = yn.scalar(node), constructed(node)
        assert got == want and type(got) is type(want), node.value


def test_scalar_of_a_collection_is_not_shortcut() -> None:
    # A mapping tagged !!str is not a scalar: the constructor path decides, as before.
    node = yaml.compose("!!str {a: 1}\n", Loader=yaml.SafeLoader)
    assert yn.scalar(node) == constructed(node)
    node = yaml.compose("!!null [a]\n", Loader=yaml.SafeLoader)
    assert yn.scalar(node) == constructed(node)


RAWS = [
    "'${{ inputs.a }} and ${{ steps.b.result }}'",
    '"${{ inputs[\\"x\\"] }}"',
    "${{ SECRETS.acme.KEY }} ${{ SECRETS.a }} ${{ FN.x('SECRETS.b.C') }}",
    "{{ secrets.x.Y }}",
    "${{ secrets.x.Y }}",
    "${ SECRETS.a.B }",
    "${{ SECRETS.a.B",
    "plain",
]


@pytest.mark.parametrize("raw", RAWS + [raw + " " * 600 + raw for raw in RAWS])
def test_memoised_scans_equal_the_scans(raw: str) -> None:
    assert usage_templates._malformed(raw) == tuple(usage_templates.malformed(raw))
    # Asked twice: the memo answers the same.
    assert usage_templates._malformed(raw) == tuple(usage_templates.malformed(raw))


@pytest.mark.parametrize("body", ["inputs.a", "SECRETS.a", "x +", "FN.f(" * 70 + ")" * 70])
def test_shared_parse_memo_equals_the_parse(body: str) -> None:
    assert yamlexpr._shared_parse(body) == parse(body)
    assert yamlexpr._shared_parse(body) == parse(body)


def test_each_expression_is_parsed_once_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(yamlexpr, "_shared_parse", lambda text: calls.append(text) or parse(text))
    text = "type: action\ndefinition:\n  name: x\n  namespace: t.a\n  secrets: [{name: a, keys: [B]}]\n" \
        "  steps: [{ref: s, action: a.b, args: {x: '${{ SECRETS.a.B }} ${{ SECRETS.a.B }}'}}]\n" \
        "  returns: ${{ SECRETS.a.B }}\n"
    source = SourceFile("t.yml", text, "yaml")
    parsed = yx.extract(source, yx.compose(source))
    from registry_lint.extract.template import template

    template(parsed)
    ctx = types.SimpleNamespace(source=source)
    assert list(usage_templates.InvalidSecretsExpression().check_yaml(parsed, ctx)) == []
    assert calls == ["SECRETS.a.B"]


def test_long_strings_are_not_memoised() -> None:
    raw = "${{ inputs.a }}" + " " * 1000
    for wrapper, cache in ((usage_templates._malformed, usage_templates._cached_malformed),):
        before = cache.cache_info().currsize
        wrapper(raw + str(id(wrapper)))
        assert cache.cache_info().currsize == before
    before = yamlexpr._shared_parse.cache_info().currsize
    source = SourceFile("t.yml", "a: '${{ inputs.a + " + "1 + " * 200 + "1 }}'\n", "yaml")
    parsed = yx.extract(source, yx.compose(source))
    assert parsed.root is not None
    yamlexpr.expressions(parsed, parsed.root.value[0][1])
    assert yamlexpr._shared_parse.cache_info().currsize == before


@pytest.mark.parametrize("text", ["str", "list[str] | None", "string | null", 'enum["a", "A"]', "", "x" * 300])
def test_type_check_memo_equals_the_check(text: str) -> None:
    assert template_fields._type_error(text) == check_type_expression(text)
