"""Property-based fuzzing (hypothesis) of the parsers, extractors and scanners.

For generated registry-like Python and YAML, mutated copies of it, random
bytes, ``${{ }}`` expressions and credential-like text: no exception escapes
``engine.lint_file`` or the extractors (a rule crash shows up as an internal
error and fails the test), every location is inside the file, and results
are deterministic. Where a linear rewrite replaced a regex, the regex is the
oracle.

Bounded for the normal test run (well under a minute in total); for a long
run: ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py`` (docs/robustness.md).
"""

from __future__ import annotations

import os
import re

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from registry_lint import budget, engine, expressions
from registry_lint.results import FileResult
from registry_lint.config import Config
from registry_lint.rule import load_rules

pytestmark = pytest.mark.slow  # robustness: seconds per test (run with --run-slow)

SCALE = {"long": 40, "quick": 0.1}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 1)
CONFIG = Config()
KNOWN = frozenset(load_rules())


def fuzz(n: int) -> settings:
    return settings(
        max_examples=max(5, int(n * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# Mutations: what a half-typed file in an editor looks like. ----------------------------
def mutated(base: st.SearchStrategy[str], noise: str) -> st.SearchStrategy[str]:
    edit = st.tuples(st.floats(0, 1), st.sampled_from(["delete", "insert", "duplicate"]), st.text(noise, max_size=6))

    @st.composite
    def apply(draw: st.DrawFn) -> str:
        text = draw(base)
        for where, op, payload in draw(st.lists(edit, max_size=4)):
            i = int(where * len(text))
            if op == "delete":
                text = text[:i] + text[i + len(payload) + 1 :]
            elif op == "insert":
                text = text[:i] + payload + text[i:]
            else:
                text = text[:i] + text[i : i + 40] + text[i:]
        return text

    return apply()


WEIRD = "ab_Z0 '\"\\{}[]()$.:,#\n\t-|*&!?%@=\u00e9\u202e\U0001f600\x00\r"
value_text = st.text(WEIRD, max_size=24) | st.sampled_from(
    ["${{ SECRETS.acme.API_KEY }}", "${{ SECRETS.x_oauth.X_USER_TOKEN || SECRETS.x_oauth.X_SERVICE_TOKEN }}",
     "SECRETS.a.B", "${{ inputs.url }}", "${{ steps.a.result }}", "tools.acme", "core", "ssh_key", "API_KEY",
     "authorization_code", "client_credentials", "microsoft_teams", "https://example.com", "", "${{", "}}"]
)


# Python ---------------------------------------------------------------------------------
@st.composite
def registry_module(draw: st.DrawFn) -> str:
    s = lambda: repr(draw(value_text))
    ident = lambda: draw(st.sampled_from(["f", "g", "act", "helper", "x", "async_", "_h"]))
    ann = lambda: draw(st.sampled_from(["str", "int", "bytes", "set[int]", "dict[str, Any]", "Annotated[str, Doc('d')]", "Url", "None"]))
    parts = [
        lambda: "from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets",
        lambda: "import tracecat_registry as tr\nfrom tracecat_registry import registry as r",
        lambda: f"NS = {s()}\nKEYS = [{s()}, {s()}]\nUrl = Annotated[str, Doc({s()})]",
        lambda: f"S = RegistrySecret(name={s()}, keys=KEYS, optional_keys=[{s()}], optional={draw(st.booleans())}, secret_type={s()})",
        lambda: f"O = RegistryOAuthSecret(provider_id={s()}, grant_type={s()})",
        lambda: (
            f"@registry.register(default_title={s()}, description={s()}, display_group={s()}, namespace=NS,"
            f" doc_url={s()}, secrets=[S, O, *X, {{'name': {s()}, 'keys': [{s()}]}}])\n"
            f"async def {ident()}(a: {ann()} = {s()}, api_key: str = {s()}) -> {ann()}:\n"
            f"    v = secrets.get({s()})\n    w = secrets.get_or_default({s()}, os.getenv({s()}, {s()}))\n"
            f"    print(v, w)\n    return {ident()}(v)\n"
        ),
        lambda: f"def {ident()}(x):\n    return secrets.get(O.token_name) or os.environ[{s()}]\n",
        lambda: "@r.register\ndef bare(): pass\n",
        lambda: f"@tr.registry.register(namespace=NS + {s()}, description=f'{{x}}', secrets=S)\ndef sync_fn():\n    await x\n",
        lambda: "type T = list[int]\ndef gen[T](x: T) -> T: ...\n",
        lambda: f"class C:\n    @registry.register(description={s()}, namespace={s()})\n    async def m(self): ...\n",
        lambda: f"X = {s()}  # noqa: {draw(st.sampled_from(['RL101', 'RL999', 'E501', 'RL5', '']))}\nY = {s()}  # pragma: allowlist secret\n",
    ]
    chosen = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=7))
    return "\n".join(part() for part in chosen) + "\n"


def _lint(name: str, data: bytes) -> FileResult:
    result = engine.lint_file(name, CONFIG, data)
    assert result.internal_errors == [], result.internal_errors
    lines = max(1, data.count(b"\n") + data.count(b"\r") + 1)
    for d in result.diagnostics:
        assert d.code in KNOWN, d.code
        assert d.location.path == name
        assert 1 <= d.location.line <= lines + 1 and d.location.col >= 1, d
        assert d.location.end_line >= d.location.line, d
    return result


def _deterministic(name: str, data: bytes) -> None:
    first = _lint(name, data)
    second = _lint(name, data)
    assert first.diagnostics == second.diagnostics
    # repr, not ==: a YAML `.nan` name is a float NaN, never equal to itself.
    assert repr(first.actions) == repr(second.actions)


@fuzz(120)
@given(registry_module())
def test_python_registry_modules(text: str) -> None:
    _deterministic("m.py", text.encode("utf-8", "surrogatepass"))


@fuzz(150)
@given(mutated(registry_module(), "()[]{}:'\"\\\n\t #@=.,*"))
def test_python_mutated(text: str) -> None:
    _deterministic("m.py", text.encode("utf-8", "surrogatepass"))


@fuzz(60)
@given(registry_module())
def test_python_extractor_directly(text: str) -> None:
    """The extractor itself, without the engine's guards around it."""
    import libcst as cst

    from registry_lint.extract import python as pyx
    from registry_lint.source import SourceFile

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return
    parsed = pyx.extract(SourceFile("m.py", text, "python"), module)
    again = pyx.extract(SourceFile("m.py", text, "python"), cst.parse_module(text))
    assert parsed.specs == again.specs


# YAML -----------------------------------------------------------------------------------
KEYS = ["type", "definition", "name", "namespace", "title", "description", "display_group", "doc_url", "author",
        "secrets", "expects", "steps", "returns", "ref", "action", "args", "keys", "optional_keys", "provider_id",
        "grant_type", "secret_type", "default", "optional", "depends_on", "<<"]
scalar = st.none() | st.booleans() | st.integers(-5, 10**20) | st.floats(allow_nan=True) | value_text
tree = st.recursive(
    scalar,
    lambda ch: st.lists(ch, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text("abcXYZ_-", max_size=5), ch, max_size=5),
    max_leaves=25,
)


@st.composite
def template(draw: st.DrawFn) -> str:
    shared = draw(tree)  # the same object twice: safe_dump writes an anchor and an alias
    definition = draw(st.dictionaries(st.sampled_from(KEYS), tree, max_size=8))
    if draw(st.booleans()):
        definition.setdefault("name", draw(value_text))
        definition.setdefault("namespace", "tools.fuzz")
    definition["steps"] = draw(st.lists(st.fixed_dictionaries({"ref": value_text, "action": value_text, "args": tree}), max_size=3))
    definition["expects"] = {"x": shared, "y": shared} if draw(st.booleans()) else draw(tree)
    doc = {"type": draw(st.sampled_from(["action", "other", None])), "definition": definition}
    if draw(st.booleans()):
        doc = draw(st.sampled_from([[doc], "definition", doc]))
    return yaml.safe_dump(doc, default_flow_style=draw(st.sampled_from([None, True, False])), allow_unicode=draw(st.booleans()))


@fuzz(150)
@given(template())
def test_yaml_templates(text: str) -> None:
    _deterministic("t.yml", text.encode("utf-8", "surrogatepass"))


@fuzz(150)
@given(mutated(template(), ":-[]{}&*!|>#'\"\n\t ?%@`"))
@example(text="definition:\n  definition: null\n  expects: null\n  name: .nan\n  steps: []\n  type: null\ntype: action\n")
def test_yaml_mutated(text: str) -> None:
    _deterministic("t.yml", text.encode("utf-8", "surrogatepass"))


@fuzz(80)
@given(template())
def test_yaml_extractor_directly(text: str) -> None:
    from registry_lint.extract import yaml as yx
    from registry_lint.source import SourceFile

    source = SourceFile("t.yml", text, "yaml")
    try:
        root = yx.compose(source)
    except yx.YamlError:
        return
    assert yx.extract(source, root).specs == yx.extract(source, yx.compose(source)).specs


@fuzz(60)
@given(st.binary(max_size=3000), st.sampled_from(["a.py", "t.yml", "n.md", ".env"]))
def test_random_bytes_any_kind(data: bytes, name: str) -> None:
    _deterministic(name, (b"from tracecat_registry import registry\n" if name.endswith(".py") else b"") + data)


# Expressions ----------------------------------------------------------------------------
expr_text = st.lists(
    st.sampled_from(["${{", "}}", "${", "{{", "SECRETS", "secrets", ".", " . ", "a", "B_1", "-x", " ", "'", '"', "\\",
                     "||", "inputs", "steps", "\n", "{", "}", "$", "FN.x(", ")", "é"]),
    max_size=40,
).map("".join)


@fuzz(400)
@given(expr_text)
def test_expressions_match_the_regex_oracle(text: str) -> None:
    oracle = [(m.start(), m.end(), m.start("body"), m.group("body")) for m in expressions.EXPR_RE.finditer(text)]
    assert [(e.start, e.end, e.body_start, e.body) for e in expressions.find_expressions(text)] == oracle
    assert expressions.mask_strings(text) == expressions._STRING_RE.sub(lambda m: " " * len(m.group()), text)


# Tracecat's TEMPLATE_STRING (tracecat/expressions/patterns.py), the oracle of template_expressions.
_TRACECAT_TEMPLATE = re.compile(r"(?P<template>\$\{\{\s*(?P<expr>.+?)\s*\}\})", re.DOTALL)


@fuzz(300)
@given(expr_text)
def test_template_expressions_match_tracecats_pattern_and_parse_safely(text: str) -> None:
    from registry_lint.exprparse import parse
    from registry_lint.exprtree import walk

    oracle = [(m.start(), m.end(), m.start("expr"), m.group("expr")) for m in _TRACECAT_TEMPLATE.finditer(text)]
    found = list(expressions.template_expressions(text))
    assert [(e.start, e.end, e.body_start, e.body) for e in found] == oracle
    for expr in found:
        result = parse(expr.body)
        assert result == parse(expr.body)
        if result.tree is None:
            assert result.error is not None and 0 <= result.error.offset <= len(expr.body)
            continue
        for node in walk(result.tree):
            assert 0 <= node.start <= node.end <= len(expr.body)


# Credentials ----------------------------------------------------------------------------
credential_text = st.lists(
    st.sampled_from(["gh" + "p_", "AK" + "IA", "sk-", "sk-" + "proj-", "xo" + "xb-", "AI" + "za", "-----BEGIN PRIVATE KEY-----",
                     "-----END PRIVATE KEY-----", "https://u:", "@host/", "Bearer ", "password=", "api_key: ", "token = '",
                     "# pragma: allowlist secret", "# noqa: RL501", "${{ SECRETS.a.B }}", "<API_KEY>", "\n", "'", '"', "=",
                     ":", " ", "os.getenv(", "secrets.get_or_default(", ")", "- name: TOKEN\n  value: "])
    | st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789+/_-", min_size=8, max_size=60),
    max_size=30,
).map("".join)


@fuzz(200)
@given(credential_text, st.sampled_from(["c.py", "c.yml", "c.md", ".env", "c.json"]))
def test_credential_scanner(text: str, name: str) -> None:
    credentials = pytest.importorskip("registry_lint.credentials")
    from registry_lint.source import kind_for

    findings = credentials.scan_text(name, text, kind_for(name))
    assert findings == credentials.scan_text(name, text, kind_for(name))
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text)
        masked = credentials.mask(f.secret)
        middle = f.secret[4:-4]
        assert not any(middle[i : i + 8] in masked for i in range(max(0, len(middle) - 7)))
    _deterministic(name, text.encode())


# Budget pre-checks ----------------------------------------------------------------------
@fuzz(300)
@given(st.text(WEIRD + "+-*/~^&|<>=!lambdanotifelse", max_size=400))
def test_pre_checks_never_raise(text: str) -> None:
    assert budget.check_python(text) == budget.check_python(text)
    assert budget.check_yaml(text) == budget.check_yaml(text)


def _brute_force_size(node: yaml.Node, cap: int, depth: int = 0) -> int:
    if depth > 50:
        return cap
    kids = [x for pair in node.value for x in pair] if isinstance(node, yaml.MappingNode) else (
        node.value if isinstance(node, yaml.SequenceNode) else [])
    return min(cap, 1 + sum(_brute_force_size(k, cap, depth + 1) for k in kids))


@fuzz(150)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=6), st.booleans())
def test_alias_expansion_size_matches_brute_force(widths: list[int], cyclic: bool) -> None:
    lines = ["l0: &l0 [x]"]
    for i, w in enumerate(widths, 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * w) + "]")
    if cyclic:
        lines.append("c: &c [*c]")
    root = yaml.compose("\n".join(lines), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    cap = 10_000
    size = budget.yaml_expanded_size(root, limit=cap)
    if cyclic:
        assert size == cap + 1
    else:
        assert size == _brute_force_size(root, cap + 1)


@pytest.mark.parametrize("depth", [1, 50, 199])
def test_shallow_nesting_is_never_refused(depth: int) -> None:
    text = "from tracecat_registry import registry\nx = " + "(" * depth + "1" + ")" * depth + "\n"
    assert budget.check_python(text) is None
    assert budget.check_yaml("a: " + "[" * depth + "]" * depth) is None


def test_regexes_in_expressions_stay_linear() -> None:
    """Inputs that made the old regexes quadratic finish instantly now."""
    import time

    from registry_lint.exprparse import parse

    started = time.monotonic()
    list(expressions.template_expressions("${{" * 100_000))
    list(expressions.template_expressions("${{ " * 50_000 + "}}"))
    for body in ("1 +" * 50_000 + " 1", "-" * 100_000 + "1", "'" * 100_000, "(" * 100_000, "1 if 2 else " * 20_000 + "3"):
        assert parse(body).text == body
    expressions.mask_strings("${{ " + "'\\" * 100_000 + " }}")
    expressions.mask_strings("'" + "a\\" * 100_000)
    assert time.monotonic() - started < 2.0
    assert re  # (imported for the oracle above)
