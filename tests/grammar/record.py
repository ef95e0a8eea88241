"""Record Tracecat's own verdicts on expressions, ``expects`` types and template strings.

Run by hand, never by the test suite:

    python tests/grammar/record.py /path/to/tracecat

The Python running it needs ``lark`` (Tracecat pins 1.1.9) and ``pydantic``
(2.12). Nothing of Tracecat is imported as a package and no
Tracecat file is copied: the grammar strings, the type transformer and the
template regex are read from the checkout's source text at run time, fed to
Lark/pydantic here, and only the cases and verdicts are written
(``expressions.json``, ``types.json``, ``templates.json`` next to this file).
``tests/test_expr_grammar.py`` compares registry-lint's parsers with them.

Verdicts:
- expression: ``"ok"`` or ``"reject"`` (Lark raised ``UnexpectedInput``), as
  ``tracecat/expressions/parser/core.py`` parses (LALR, ``start="root"``);
- type: ``"ok"`` or the stage that rejected it, as ``create_expectation_model``
  and the sync's ``model_json_schema()`` run it: ``"parse"`` (the type
  grammar), ``"transform"`` (``TypeTransformer``: enum values),
  ``"model"`` (pydantic ``create_model`` or its JSON schema);
- template string: the list of expressions ``TEMPLATE_STRING`` finds.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import types as pytypes
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cases


def _module(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _string_assignment(path: Path, name: str) -> str:
    for node in _module(path).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    raise SystemExit(f"{path}: no string assignment to {name}")


def _definitions(path: Path, names: set[str]) -> str:
    """The source of the top-level classes, functions and assignments named ``names``."""
    text = path.read_text(encoding="utf-8")
    found = []
    for node in _module(path).body:
        name = getattr(node, "name", None)
        if isinstance(node, ast.Assign):
            name = next((t.id for t in node.targets if isinstance(t, ast.Name)), None)
        if name in names:
            found.append(ast.get_source_segment(text, node))
    return "\n\n".join(s for s in found if s)


class _Logger:
    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def _commit(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def expression_verdicts(root: Path, exprs: list[str]) -> list[dict[str, str]]:
    from lark import Lark
    from lark.exceptions import UnexpectedInput

    grammar = _string_assignment(root / "tracecat/expressions/parser/grammar.py", "grammar")
    parser = Lark(grammar, start="root", parser="lalr")  # exactly tracecat/expressions/parser/core.py
    out = []
    for expr in exprs:
        try:
            parser.parse(expr)
            verdict = "ok"
        except UnexpectedInput:
            verdict = "reject"
        except RecursionError:
            verdict = "crash"
        out.append({"expr": expr, "verdict": verdict})
    return out


def type_verdicts(root: Path, texts: list[str]) -> list[dict[str, str]]:
    from lark import Lark, Transformer, v_args
    from lark.exceptions import UnexpectedInput
    from pydantic import ConfigDict, Field, create_model

    expectations = root / "tracecat/expressions/expectations.py"
    fields = root / "tracecat/registry/fields.py"
    namespace: dict[str, Any] = {
        "Any": Any, "Literal": Literal, "Union": Union, "datetime": datetime, "timedelta": timedelta,
        "Transformer": Transformer, "v_args": v_args, "logger": _Logger(), "types": pytypes,
        "get_args": get_args, "get_origin": get_origin,
    }
    exec(compile(_definitions(expectations, {"type_grammar", "TYPE_MAPPING", "TypeTransformer"}), str(expectations),
                 "exec"), namespace)
    exec(compile(_definitions(fields, {"type_is_union", "type_drop_null"}), str(fields), "exec"), namespace)
    type_parser = Lark(namespace["type_grammar"], start="type")  # as expectations.py builds it
    out = []
    for text in texts:
        try:
            tree = type_parser.parse(text)
        except UnexpectedInput:
            out.append({"type": text, "verdict": "parse"})
            continue
        try:
            field_type = namespace["TypeTransformer"]("x").transform(tree)
        except Exception:  # VisitError wrapping the transformer's ValueError
            out.append({"type": text, "verdict": "transform"})
            continue
        try:  # create_expectation_model, then the sync's get_interface()
            namespace["type_drop_null"](field_type)
            model = create_model("M", __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=True),
                                 x=(field_type, Field(default=...)))
            model.model_json_schema()
            verdict = "ok"
        except Exception:
            verdict = "model"
        out.append({"type": text, "verdict": verdict})
    return out


def template_pattern(root: Path) -> re.Pattern[str]:
    for node in ast.walk(_module(root / "tracecat/expressions/patterns.py")):
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TEMPLATE_STRING"
                                                  for t in node.targets) and isinstance(node.value, ast.Call)):
            pattern = ast.literal_eval(node.value.args[0])
            flags = re.DOTALL if "DOTALL" in ast.unparse(node.value) else 0
            return re.compile(pattern, flags)
    raise SystemExit("TEMPLATE_STRING not found")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tracecat", type=Path, help="a Tracecat checkout")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    root: Path = args.tracecat
    commit = _commit(root)
    pattern = template_pattern(root)
    exprs = expression_verdicts(root, cases.expressions())
    type_cases = type_verdicts(root, cases.types())
    templates = [{"text": t, "exprs": [m.group("expr") for m in pattern.finditer(t) if m.group("expr")]}
                 for t in cases.templates()]
    for name, rows in (("expressions", exprs), ("types", type_cases), ("templates", templates)):
        head = json.dumps({"tracecat_commit": commit, "recorded_by": "tests/grammar/record.py"})[:-1]
        lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)  # one case a line: readable diffs
        (args.out / f"{name}.json").write_text(f'{head}, "cases": [\n{lines}\n]}}\n', encoding="utf-8")
    tally = {v: sum(1 for r in exprs if r["verdict"] == v) for v in ("ok", "reject", "crash")}
    type_tally = {v: sum(1 for r in type_cases if r["verdict"] == v) for v in ("ok", "parse", "transform", "model")}
    print(f"{commit[:8]}: {len(exprs)} expressions {tally}, "
          f"{len(type_cases)} types {type_tally}, {len(templates)} template strings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
