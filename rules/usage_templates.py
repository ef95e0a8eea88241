"""RL409: malformed ``SECRETS`` expressions in a template's strings.

Inside ``${{ }}`` it reads the expression's parse (``extract/yamlexpr``, the
same parse every template rule uses); outside, it scans the raw source text
of every YAML scalar for the brace mistakes that keep text from being an
expression at all. Imported by ``usage.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from registry_lint.lazymod import lazy
from registry_lint.model import Diagnostic
from registry_lint.rule import Invalid, Rule, Valid

from registry_lint.analysis.refs import secrets_parse_failure
from ._secretlib import bare
from ._usage_examples import yml

_yamlexpr = lazy("registry_lint.extract.yamlexpr")

if TYPE_CHECKING:
    from registry_lint.context import FileContext
    from registry_lint.exprparse import Parsed
    from registry_lint.extract.yamlnodes import YamlFile

_OPEN, _CLOSE = "${{", "}}"
_SINGLE_RE = re.compile(r"\$\{(?!\{)\s*(?i:secrets)\b")
_NO_DOLLAR_RE = re.compile(r"(?<![$\{])\{\{\s*(?i:secrets)\b")
_FLOW_KEY_RE = re.compile(r"(?i)secrets\s*\.")


def malformed(raw: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, message) for every brace mistake around a secrets reference in ``raw``.

    What is inside a closed ``${{ }}`` is the parse's business (``_expression``).
    """
    if "secrets" not in raw.lower():
        return
    covered: list[tuple[int, int]] = []
    pos = 0
    while (i := raw.find(_OPEN, pos)) != -1:
        j = raw.find(_CLOSE, i + 3)
        k = raw.find(_OPEN, i + 3)
        if j == -1 or (k != -1 and k < j):
            end = k if k != -1 else len(raw)
            if "SECRETS" in raw[i:end].upper():
                yield i, end, "Unbalanced braces: `${{` is not closed by `}}` (write `${{ SECRETS.<name>.<KEY> }}`)"
            covered.append((i, end))
            pos = i + 3
            continue
        covered.append((i, j + 2))
        pos = j + 2
    for regex, message in (
        (_SINGLE_RE, "Single braces: Tracecat only evaluates `${{ ... }}`, so `${ SECRETS... }` stays literal text"),
        (_NO_DOLLAR_RE, "Missing `$`: Tracecat only evaluates `${{ ... }}`, so `{{ SECRETS... }}` stays literal text"),
    ):
        for match in regex.finditer(raw):
            if not any(a <= match.start() < b for a, b in covered):
                yield match.start(), match.end(), message


_cached_malformed = lru_cache(maxsize=1024)(lambda raw: tuple(malformed(raw)))


def _malformed(raw: str) -> tuple[tuple[int, int, str], ...]:
    """``malformed`` (pure) once per distinct short string: templates repeat their headers.
    Long strings are not kept (a hostile file must not fill memory across files)."""
    return _cached_malformed(raw) if len(raw) <= 512 else tuple(malformed(raw))


def _expression(parsed: Parsed) -> Iterator[tuple[int, int, str]]:
    """(start, end, message) for each malformed secrets reference of one expression (offsets into it)."""
    if "ecrets" not in parsed.text.lower():
        return
    if parsed.tree is None:
        if parsed.error is not None and not parsed.error.too_deep:
            failure = secrets_parse_failure(parsed.text, parsed.error.offset)
            if failure is not None:
                yield failure
        return
    from registry_lint.exprtree import Context

    for node in parsed.nodes:
        if not (type(node) is Context and node.name == "SECRETS"):
            continue
        parts = [bare(p) for p in node.segments()]
        if len(parts) == 1:
            yield node.start, node.end, f"`SECRETS.{parts[0]}` has no key: write `SECRETS.{parts[0]}.<KEY>`"
        elif len(parts) > 2:
            message = f"`SECRETS.{'.'.join(parts)}` has extra path segments {parts[2:]}: write `SECRETS.{parts[0]}.{parts[1]}`"
            yield node.start, node.end, message


class InvalidSecretsExpression(Rule):
    """## What it does
    Reports a malformed secrets expression anywhere in a template's strings.

    Caught: `${{ SECRETS.name }}` without a key, extra path segments
    (`SECRETS.a.B.C`), a segment an expression cannot spell (`my-secret`),
    lowercase `secrets.`, single braces `${ SECRETS.x.Y }`, a missing `$`
    (`{{ SECRETS.x.Y }}`) and an unclosed `${{`. Valid expressions may
    combine references (`${{ SECRETS.a_oauth.A_USER_TOKEN ||
    SECRETS.a_oauth.A_SERVICE_TOKEN }}`); every reference is checked.

    Expressions are read from their parse with Tracecat's grammar (the one
    RL611 uses): the key and segment checks look at real `SECRETS`
    references, never at quoted text. When Tracecat cannot parse an
    expression and the parse fails inside something written like a secrets
    reference (`secrets.x.Y`, `SECRETS.my-secret.KEY`, `SECRETS['x'].Y`),
    this rule reports it; RL611 reports every other expression Tracecat
    cannot parse.

    ## Why is this bad?
    Tracecat's validator rejects the expression, or, for the brace and `$`
    mistakes, never evaluates it and sends the literal text (so the API call
    authenticates with the string `{{ SECRETS.x.Y }}`).

    Severity: error. The expression does not parse
    (`tracecat/expressions/parser/grammar.py`: `secrets: "SECRETS"
    ATTRIBUTE_PATH`) or is never evaluated, so the credential never arrives.

    ## Example
    ```yaml
    Authorization: Bearer {{ SECRETS.acme.ACME_API_KEY }}
    ```

    ## Use instead
    ```yaml
    Authorization: Bearer ${{ SECRETS.acme.ACME_API_KEY }}
    ```
    """

    code = "RL409"
    name = "invalid-secrets-expression"
    sources = ("yaml",)
    VALID = (
        Valid(yml("{X-Key: '${{ SECRETS.acme.ACME_API_KEY }}', Y: '${{ FN.lower(\"secrets.x\") }}'}"), filename="t.yml"),
        Valid("title: '{{ SECRETS.a.B }} in a non-template file'\n", filename="notes.yml"),
    )
    INVALID = (
        Invalid(yml("{X-Key: '${{ SECRETS.acme }}'}"), filename="t.yml", line=12, col=31, message="has no key"),
        Invalid(yml("'Bearer {{ SECRETS.acme.ACME_API_KEY }}'"), filename="t.yml", line=12, col=26, message="Missing `$`"),
        Invalid(yml("'${ SECRETS.acme.ACME_API_KEY }'"), filename="t.yml", line=12, col=19),
        Invalid(yml("{X-Key: {{ SECRETS.acme.ACME_API_KEY }}}"), filename="t.yml", line=12, col=26, message="nested mapping"),
        Invalid(
            yml("\n          Authorization: >-\n            Bearer ${{ secrets.acme.ACME_API_KEY }}\n          X: ${{ SECRETS.acme.ACME_API_KEY }"),
            filename="t.yml",
            line=14,
            col=24,
            also=((15, 14),),
        ),
    )

    def check_yaml(self, parsed: object, ctx: FileContext) -> Iterator[Diagnostic]:
        from registry_lint.extract.yamlnodes import YamlFile, raw_span

        assert isinstance(parsed, YamlFile)
        if not parsed.is_template:
            return
        yield from self._flow_mapping_mistakes(parsed)
        if "secrets" not in ctx.source.text.lower():
            return  # `malformed` needs it in a scalar's raw text (a slice of the source)
        for node in parsed.scalar_nodes:
            if not isinstance(node.value, str) or "secrets" not in node.value.lower():
                continue
            start, raw = raw_span(ctx.source, node)
            for begin, end, message in _malformed(raw):
                yield self.diagnostic(ctx.source.span(start + begin, start + end), message)
            for found in _yamlexpr.expressions(parsed, node):
                for begin, end, message in _expression(found.parsed):
                    location = _yamlexpr.locate(parsed, node, found.body_start + begin, found.body_start + end)
                    yield self.diagnostic(location, message)

    def _flow_mapping_mistakes(self, parsed: YamlFile) -> Iterator[Diagnostic]:
        """Unquoted `{{ SECRETS.x.Y }}` is not a string: YAML reads a mapping inside a mapping."""
        import yaml

        for node in parsed.nodes:
            if not (isinstance(node, yaml.MappingNode) and node.flow_style and len(node.value) == 1):
                continue
            inner = node.value[0][0]
            if not (isinstance(inner, yaml.MappingNode) and len(inner.value) == 1):
                continue
            key = inner.value[0][0]
            if isinstance(key, yaml.ScalarNode) and _FLOW_KEY_RE.match(str(key.value)):
                yield self.diagnostic(
                    parsed.loc(node),
                    "Missing `$`: YAML reads an unquoted `{{ SECRETS... }}` as a nested mapping, not a string; "
                    "write `${{ SECRETS.<name>.<KEY> }}`",
                )
