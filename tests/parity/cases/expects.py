"""``expects.<x>.type``: Tracecat's type grammar (RL609), defaults and enum (RL6xx)."""

from __future__ import annotations

from collections.abc import Iterator

from . import Case
from ._shapes import template

CODES = ("RL609", "RL601", "RL606", "RL608")

TYPES = [
    "str", "int", "float", "bool", "any", "Any", "None", "datetime", "duration",
    "list[str]", "list[list[int]]", "dict", "dict[str, Any]", "dict[str, list[int]]", "str | None", "int | str | None",
    'enum["a", "b"]', "enum['a']", 'enum["a", "b"] | None', "list[enum[\"x\", \"y\"]]", "$Ref",
    "Optional[str]", "List[str]", "Dict[str, Any]", "string", "integer", "boolean", "number", "object", "array",
    "null", "none", "list", "list[]", "dict[str]", "dict[str, int, int]", "enum[]", 'enum["a", "A"]', 'enum[""]',
    "enum[a, b]", "str |", "| str", "str || int", "tuple[int]", "set[str]", "Union[str, int]", "Literal['a']",
    "str  |  None", " str", "list[ str ]", "any | None", "datetime | None", "float|int",
    "enum[" + ", ".join(f'"v{i}"' for i in range(20)) + "]",
    "enum[" + ", ".join(f'"v{i}"' for i in range(21)) + "]",
    "STR", "Str", "$", "$1bad", "list[$Ref]",
]


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "_" for c in text).strip("_")
    return out[:40] or "blank"


def cases() -> Iterator[Case]:
    seen: set[str] = set()
    for number, type_text in enumerate(TYPES):
        slug = _slug(type_text)
        case_id = f"expects-type-{slug}" if slug not in seen else f"expects-type-{slug}-{number}"
        seen.add(slug)
        expects = {"value": {"type": "str", "description": "A value."}, "extra": {"type": type_text, "description": "Typed.", "default": None}}
        yield Case(case_id, {"templates/subject.yml": template(expects=expects)}, CODES, tags=("expects",))
    # Field shapes.
    shapes = {
        "no_type": {"description": "No type.", "default": None},
        "no_description": {"type": "str", "default": "x"},
        "empty_description": {"type": "str", "description": "", "default": "x"},
        "unknown_key": {"type": "str", "description": "x", "default": "x", "required": True},
        "optional_flag": {"type": "str", "description": "x", "optional": True},
        "enum_list": {"type": "str", "description": "x", "enum": ["a", "b"], "default": "a"},
        "enum_not_list": {"type": "str", "description": "x", "enum": "a", "default": "a"},
        "type_int": {"type": 5, "description": "x", "default": 1},
        "default_wrong_type": {"type": "int", "description": "x", "default": "many"},
        "not_mapping": "str",
        # Issue 16: ExpectedField's other fields (extra="forbid", typed values).
        "typ_for_type": {"typ": "str", "description": "x", "default": "x"},
        "description_int": {"type": "str", "description": 5, "default": "x"},
        "description_null": {"type": "str", "description": None, "default": "x"},
        "enum_ints": {"type": "str", "description": "x", "enum": [1, 2], "default": "1"},
        "enum_null": {"type": "str", "description": "x", "enum": None, "default": "a"},
        "enum_empty": {"type": "str", "description": "x", "enum": [], "default": "a"},
        "optional_maybe": {"type": "str", "description": "x", "optional": "maybe", "default": "a"},
        "optional_yes_text": {"type": "str", "description": "x", "optional": "yes", "default": "a"},
    }
    for suffix, field in shapes.items():
        expects = {"value": {"type": "str", "description": "A value."}, "extra": field}
        yield Case(f"expects-field-{suffix}", {"templates/subject.yml": template(expects=expects)}, CODES, tags=("expects",))
