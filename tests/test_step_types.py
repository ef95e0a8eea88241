"""Parameter types: the Python extractor's normalised annotations and the argument check."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry_lint.analysis import argtypes
from registry_lint.extract import python as pyx
from registry_lint.source import SourceFile

from .helpers import write_files

def params(tmp_path: Path, source: str, **siblings: str) -> dict[str, tuple[str | None, bool]]:
    write_files(tmp_path, {"udf.py": source, **{f"{k}.py": v for k, v in siblings.items()}})
    text = (tmp_path / "udf.py").read_text()
    parsed = pyx.extract(SourceFile(str(tmp_path / "udf.py"), text, "python"), pyx.parse_python(SourceFile("udf.py", text, "python")))
    [spec] = parsed.specs
    return {p.name: (p.type, p.required) for p in spec.params or ()}


def test_annotations_are_normalised(tmp_path: Path) -> None:
    source = (
        "from typing import Annotated, Dict, List, Literal, Optional, Union\n"
        "import datetime as dt\nfrom tracecat_registry import registry\nfrom .types import Level\n"
        "Mode = Annotated[Literal['a', 'b'], 'doc']\n\n"
        "@registry.register(namespace='tools.x', description='d')\n"
        "async def act(a, b: Mode, c: Optional[List[int]] = None, d: Union[int, str] = 1,\n"
        "              e: dt.timedelta = None, f: Dict[str, 'int'] = None, g: Level = 'low', h: SomeModel = None, *rest, **kw: int) -> None:\n"
        "    return None\n"
    )
    got = params(tmp_path, source, types="from typing import Literal\nLevel = Literal['low', 'high']\n")
    assert got == {
        "a": (None, True),
        "b": ("Literal['a', 'b']", True),
        "c": ("list[int] | None", False),
        "d": ("int | str", False),
        "e": ("timedelta", False),
        "f": ("dict[str, int]", False),
        "g": (".types.Level", False),  # imported aliases are not followed (a parse of the other module)
        "h": ("SomeModel", False),
        "rest": (None, True),
        "kw": ("int", True),
    }


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("str | None", ("union", (("prim", "str"), ("prim", "None")))),
        ('enum["a", "b"]', ("literal", ("a", "b"))),
        ("Literal['a', 1, True]", ("literal", ("a", 1, True))),
        ("duration", ("prim", "timedelta")),
        ("dict", ("dict", ("any",))),
        ("list[dict[str, Any]]", ("seq", ("dict", ("any",)))),
        ("$Ref", ("opaque", "$Ref")),
        ("tuple[int, ...]", ("seq", ("prim", "int"))),
        ("list[", None),
        ("str |", None),
    ],
)
def test_type_expressions_parse(text: str, parsed: object) -> None:
    assert argtypes.parse(text) == parsed


def _v(raw: object) -> object:
    """YAML data as the extractor keeps it (lists as tuples)."""
    if isinstance(raw, list):
        return tuple(_v(x) for x in raw)
    if isinstance(raw, dict):
        return {k: _v(x) for k, x in raw.items()}
    return raw


@pytest.mark.parametrize(
    ("type_text", "raw", "expressions", "rejected"),
    [
        ("int", "7", False, False),
        ("int", "7.5", False, True),
        ("int", "${{ inputs.n }}", True, False),
        ("int", "${{ inputs.n }}", False, True),  # a template action's parameter
        ("int", "${{ inputs.n }} ", True, True),  # not standalone
        ("list[int]", ["${{ inputs.n }}"], True, False),
        ("list[int] | None", ["${{ inputs.n }}"], True, True),  # TemplateValidator does not enter unions
        ("dict[str, int]", {"a": "${{ inputs.n }}"}, True, False),
        ("bool", "yes", False, False),
        ("bool", " true ", False, True),
        ("Literal['GET']", "get", True, True),
        ("SomeModel", 5, True, False),  # opaque: never judged
        ("str", None, True, True),
        ("str | None", None, True, False),
    ],
)
def test_check(type_text: str, raw: object, expressions: bool, rejected: bool) -> None:
    verdict = argtypes.check(_v(raw), argtypes.parse(type_text), expressions=expressions)
    assert isinstance(verdict, tuple) is rejected, verdict


def test_rl618_never_quotes_a_string_argument(tmp_path: Path) -> None:
    from .helpers import lint_files
    from .test_catalogue import step_template

    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    diags = lint_files(tmp_path, {"t.yml": step_template("core.http_request", f"        url: https://x.example\n        method: {token}\n")})
    [found] = [d for d in diags if d.code == "RL618"]
    assert token not in found.message and "a string is not one of 'GET'" in found.message
