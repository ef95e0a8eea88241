"""Helpers of the RL15x rules: parameter documentation and JSON-serializable types.

Everything works on LibCST nodes the extractor kept; libcst is imported
inside the functions so importing the rule modules stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

    from ..extract.python import PythonFile


def contains_await(func: cst.FunctionDef) -> bool:
    import libcst as cst

    from ..extract.pywalk import find_types

    # Nested functions have their own rules. pywalk, not CSTNode.visit:
    # visiting rebuilds every node and costs as much as a parse.
    return next(find_types(func, frozenset({cst.Await}), _nested_scope_types()), None) is not None


def _nested_scope_types() -> frozenset[type]:
    """The node types ``nested_scope`` matches (libcst is loaded by then)."""
    import libcst as cst

    return frozenset({cst.FunctionDef, cst.Lambda})


def param_doc_state(param: cst.Param, parsed: PythonFile, before: int) -> str:
    """'ok', 'empty' or 'missing'."""
    import libcst as cst

    states = []
    if param.default is not None and isinstance(param.default, cst.Call):
        states.append(call_doc_state(param.default, parsed))
    if param.annotation is not None:
        states.append(annotation_doc_state(param.annotation.annotation, parsed, before, depth=0))
    if "ok" in states:
        return "ok"
    return "empty" if "empty" in states else "missing"


def annotation_doc_state(node: cst.BaseExpression, parsed: PythonFile, before: int, depth: int) -> str:
    import libcst as cst

    from ..extract.pyeval import Evaluator

    if depth > 10:
        return "ok"
    # `X | None` and `Optional[X]`: look at the documented part.
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left = annotation_doc_state(node.left, parsed, before, depth + 1)
        right = annotation_doc_state(node.right, parsed, before, depth + 1)
        return "ok" if "ok" in (left, right) else ("empty" if "empty" in (left, right) else "missing")
    if isinstance(node, cst.Subscript):
        base = last_name(node.value)
        elements = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
        if base == "Annotated" and elements:
            states = [s for s in (metadata_doc_state(e, parsed) for e in elements[1:]) if s]
            if "ok" in states:
                return "ok"
            if states:
                return "empty" if "empty" in states else "missing"
            return annotation_doc_state(elements[0], parsed, before, depth + 1)
        if base == "Optional" and elements:
            return annotation_doc_state(elements[0], parsed, before, depth + 1)
        return "missing"
    if isinstance(node, cst.Name):
        bound = Evaluator(parsed.scope, before=before).lookup(node)
        if bound is None:
            return "missing"
        return annotation_doc_state(bound.node, parsed, before, depth + 1)
    return "missing"


def metadata_doc_state(node: cst.BaseExpression, parsed: PythonFile) -> str | None:
    import libcst as cst

    if not isinstance(node, cst.Call):
        return None
    name = last_name(node.func)
    if name == "Doc":
        if not node.args:
            return "missing"
        return text_state(node.args[0].value, parsed)
    if name == "Field":
        return call_doc_state(node, parsed)
    return None


def call_doc_state(call: cst.Call, parsed: PythonFile) -> str:
    if last_name(call.func) != "Field":
        return "missing"
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "description":
            return text_state(arg.value, parsed)
    return "missing"


def text_state(node: cst.BaseExpression, parsed: PythonFile) -> str:
    from ..extract.pyeval import Evaluator

    value = Evaluator(parsed.scope).value(node)
    if not value.known:
        return "ok"
    return "ok" if isinstance(value.value, str) and value.value.strip() else "empty"


def last_name(node: cst.BaseExpression) -> str | None:
    from ..extract.pyimports import dotted

    text = dotted(node)
    return text.rsplit(".", 1)[-1] if text else None


NON_JSON = {
    "bytes": "bytes",
    "bytearray": "bytearray",
    "memoryview": "memoryview",
    "set": "set",
    "frozenset": "frozenset",
    "Set": "set",
    "FrozenSet": "frozenset",
    "AbstractSet": "set",
    "MutableSet": "set",
    "datetime": "datetime",
    "date": "date",
    "time": "time",
    "timedelta": "timedelta",
    "Decimal": "Decimal",
    "Generator": "generator",
    "AsyncGenerator": "async generator",
    "Iterator": "iterator",
    "AsyncIterator": "async iterator",
    "Iterable": "iterable",
    "AsyncIterable": "async iterable",
    "complex": "complex",
}
JSON_BASES = {"TypedDict", "BaseModel", "RootModel", "NamedTuple", "Enum", "StrEnum", "IntEnum"}


def is_bytes(node: cst.BaseExpression) -> bool:
    import libcst as cst

    if isinstance(node, cst.SimpleString):
        return "b" in node.prefix.lower()
    if isinstance(node, cst.ConcatenatedString):
        return is_bytes(node.left)
    return False


def returns(func: cst.FunctionDef, parsed: PythonFile | None = None) -> list[cst.Return]:
    """``return <value>`` statements of ``func`` itself (not of nested functions)."""
    import libcst as cst

    from ..extract.pywalk import find_types

    if parsed is not None:
        # Collected by the extractor's one walk (``func`` is a node of ``parsed``).
        return [node for node in parsed.own_returns.get(id(func), ()) if node.value is not None]
    return [
        node
        for node in find_types(func, frozenset({cst.Return}), _nested_scope_types())
        if node.value is not None
    ]


def module_classes(parsed: PythonFile) -> dict[str, bool]:
    """Top-level classes -> whether they serialise to JSON (TypedDict/pydantic)."""
    import libcst as cst

    out: dict[str, bool] = {}
    for stmt in parsed.module.body:
        if isinstance(stmt, cst.ClassDef):
            bases = {last_name(b.value) for b in stmt.bases}
            out[stmt.name.value] = bool(bases & JSON_BASES) or bool(bases & set(out) and any(out.get(b or "") for b in bases))
    return out


def non_json_parts(node: cst.BaseExpression, classes: dict[str, bool], depth: int) -> Iterator[tuple[cst.CSTNode, str]]:
    import libcst as cst

    if depth > 10:
        return
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        yield from non_json_parts(node.left, classes, depth + 1)
        yield from non_json_parts(node.right, classes, depth + 1)
        return
    base_node = node.value if isinstance(node, cst.Subscript) else node
    name = last_name(base_node)
    if name in NON_JSON:
        yield base_node, f"`{NON_JSON[name]}`"
        return
    if name in classes and not classes[name] and not isinstance(node, cst.Subscript):
        yield node, f"`{name}` (not a TypedDict or pydantic model)"
        return
    if isinstance(node, cst.Subscript):
        if name == "Annotated":
            first = node.slice[0].slice if node.slice else None
            if isinstance(first, cst.Index):
                yield from non_json_parts(first.value, classes, depth + 1)
            return
        if name in ("Literal",):
            return
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                yield from non_json_parts(element.slice.value, classes, depth + 1)
