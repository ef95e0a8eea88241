"""registry-lint's grammars against Tracecat's own verdicts, and the shipped function table.

``tests/grammar/*.json`` were recorded by ``tests/grammar/record.py`` from
Tracecat's grammar files at the commit they name (Lark and pydantic run on
Tracecat's source text; nothing of it is stored here). Every recorded case
must get the same verdict from the linter.
"""

from __future__ import annotations

import json
import os
import subprocess
from functools import cache
from pathlib import Path

import pytest

from registry_lint.catalogue import functions
from registry_lint.exprparse import MAX_DEPTH, parse
from registry_lint.expressions import template_expressions
from registry_lint.tracecat import TRACECAT_COMMIT
from registry_lint.typeexpr import check_type_expression

GRAMMAR = Path(__file__).parent / "grammar"
CHECKOUT = Path(os.environ.get("TRACECAT_CHECKOUT", "/work/ext/tracecat"))


@cache
def recorded(name: str) -> dict[str, object]:
    return json.loads((GRAMMAR / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["expressions", "types", "templates"])
def test_recordings_are_of_the_tracecat_commit_the_linter_knows(name: str) -> None:
    assert recorded(name)["tracecat_commit"] == TRACECAT_COMMIT
    assert len(recorded(name)["cases"]) > 250


def test_expression_parser_agrees_with_tracecats_grammar() -> None:
    cases = recorded("expressions")["cases"]
    disagree = []
    for case in cases:
        result = parse(case["expr"])
        assert result.error is None or not result.error.too_deep, case["expr"]
        verdict = "ok" if result.error is None else "reject"
        if verdict != case["verdict"]:
            disagree.append((case["expr"], case["verdict"], result.error))
    assert not disagree, f"{len(disagree)} of {len(cases)} differ: {disagree[:10]}"
    verdicts = {c["verdict"] for c in cases}
    assert verdicts == {"ok", "reject"}


def test_type_checker_agrees_with_tracecat() -> None:
    cases = recorded("types")["cases"]
    disagree = [
        (c["type"], c["verdict"])
        for c in cases
        if (check_type_expression(c["type"]) is None) != (c["verdict"] == "ok")
    ]
    assert not disagree, f"{len(disagree)} of {len(cases)} differ: {disagree[:10]}"
    # Every stage that rejects a type is represented: grammar, transformer, model.
    assert {c["verdict"] for c in cases} == {"ok", "parse", "transform", "model"}


def test_template_scanner_agrees_with_tracecats_pattern() -> None:
    for case in recorded("templates")["cases"]:
        assert [e.body for e in template_expressions(case["text"])] == case["exprs"], case["text"]


def test_nesting_beyond_the_limit_is_no_verdict() -> None:
    deep = "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)
    result = parse(deep)
    assert result.error is not None and result.error.too_deep
    assert parse("(" * (MAX_DEPTH - 1) + "1" + ")" * (MAX_DEPTH - 1)).error is None


def test_located_tree() -> None:
    text = "FN.lowercase(inputs.a) if not steps.b.result else int(5) -> str"
    tree = parse(text).tree
    assert tree is not None
    assert (tree.start, tree.end) == (0, len(text))
    from registry_lint.exprtree import Call, Cast, Context, walk

    spans = {type(n).__name__ + ":" + text[n.start : n.end] for n in walk(tree) if isinstance(n, Call | Cast | Context)}
    assert spans == {"Call:FN.lowercase(inputs.a)", "Context:inputs.a", "Context:steps.b.result", "Cast:int(5)"}
    call = next(n for n in walk(tree) if isinstance(n, Call))
    assert text[call.name_start : call.name_start + len(call.name)] == "lowercase"


# The shipped function table -----------------------------------------------------------
def test_function_table_shape() -> None:
    table = functions.load()
    assert functions.commit() == TRACECAT_COMMIT
    assert len(table) > 100
    assert table["replace"].min_args == table["replace"].max_args == 3
    assert table["concat"].max_args is None  # *args
    assert table["length"].params == ("obj",)  # the builtin len
    assert table["now"].min_args == 0 and table["now"].max_args == 2


def _checkout_commit() -> str | None:
    if not (CHECKOUT / functions._MAPPING_FILE).is_file():
        return None
    try:
        out = subprocess.run(["git", "-C", str(CHECKOUT), "rev-parse", "HEAD"], capture_output=True, text=True,
                             check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def test_function_table_regenerates_from_the_checkout() -> None:
    commit = _checkout_commit()
    if commit is None:
        pytest.skip(f"no Tracecat checkout at {CHECKOUT} (set TRACECAT_CHECKOUT)")
    if commit != functions.commit():
        pytest.skip(f"the checkout is at {commit[:8]}, the table at {functions.commit()[:8]}")
    shipped = json.loads(
        (Path(functions.__file__).parent.parent / "data" / functions.DATA_FILE).read_text(encoding="utf-8")
    )
    assert functions.generate(CHECKOUT) == shipped
