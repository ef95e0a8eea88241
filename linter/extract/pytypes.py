"""A UDF's parameters as :class:`~registry_lint.model.Param`: names, required, types.

Tracecat builds a UDF's argument model from its signature
(``generate_model_from_function`` in ``tracecat/registry/repository.py``):
every parameter becomes a field, required unless it has a default. The
annotation becomes a normalised type expression that ``argtypes`` can check
values against: ``typing`` spellings become builtins (``Optional[X]`` ->
``X | None``, ``List[X]`` -> ``list[X]``), ``Annotated[X, ...]`` becomes
``X``, module-level aliases (``Method = Annotated[Literal[...], Doc(...)]``)
are inlined (this module's own; an imported alias stays a name), and any
other name is kept as written (an opaque type the checker never judges).
"""

from __future__ import annotations

import libcst as cst

from ..model import UNKNOWN, Param
from .pyeval import ModuleScope, simple_string_value
from .pyimports import dotted

_MAX_DEPTH = 12
_GENERICS = {
    "List": "list", "list": "list", "Sequence": "list", "MutableSequence": "list",
    "Set": "set", "set": "set", "FrozenSet": "frozenset", "frozenset": "frozenset",
    "Tuple": "tuple", "tuple": "tuple",
    "Dict": "dict", "dict": "dict", "Mapping": "dict", "MutableMapping": "dict",
}
_PLAIN = {
    "str": "str", "int": "int", "float": "float", "bool": "bool", "bytes": "bytes",
    "None": "None", "NoneType": "None", "Any": "Any", "object": "Any",
    "datetime": "datetime", "date": "date", "timedelta": "timedelta", "time": "time",
    "list": "list[Any]", "dict": "dict[Any, Any]", "List": "list[Any]", "Dict": "dict[Any, Any]",
    "tuple": "tuple[Any, ...]", "set": "set[Any]",
}


def parameters(func: cst.FunctionDef, scope: ModuleScope, before: int) -> tuple[Param, ...]:
    """Every parameter of ``func`` as Tracecat's argument model has it.

    ``*args`` and ``**kwargs`` become ordinary required fields named ``args``
    and ``kwargs`` (``inspect.signature`` lists them and the model builder
    gives them no default). Only literal defaults are kept (the catalogue's
    documentation): nothing here is located, which would cost a codegen pass.
    """
    params = func.params
    star = [params.star_arg] if isinstance(params.star_arg, cst.Param) else []
    kwargs = [params.star_kwarg] if params.star_kwarg is not None else []
    out = []
    for param in (*params.posonly_params, *params.params, *star, *params.kwonly_params, *kwargs):
        annotation = param.annotation.annotation if param.annotation is not None else None
        type_text = None if annotation is None else type_expression(annotation, scope, before)
        default = UNKNOWN if param.default is None else _literal_default(param.default)
        out.append(Param(param.name.value, type_text, param.default is None, default))
    return tuple(out)


def _literal_default(node: cst.BaseExpression) -> object:
    """A default that is a plain literal, else UNKNOWN (names are not followed)."""
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, (cst.Integer, cst.Float)):
        return node.evaluated_value
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, (cst.Integer, cst.Float)):
        return -node.expression.evaluated_value
    if isinstance(node, cst.SimpleString):
        text = simple_string_value(node)
        return text if isinstance(text, str) else UNKNOWN
    if isinstance(node, (cst.List, cst.Tuple)) and not node.elements:
        return ()
    if isinstance(node, cst.Dict) and not node.elements:
        return {}
    return UNKNOWN


def type_expression(node: cst.BaseExpression, scope: ModuleScope, before: int | None = None, depth: int = 0) -> str:
    """The normalised type expression of an annotation."""
    if depth > _MAX_DEPTH:
        return "Any"
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        return _union([type_expression(side, scope, before, depth + 1) for side in (node.left, node.right)])
    if isinstance(node, (cst.Name, cst.Attribute)):
        return _named(node, scope, before, depth)
    if isinstance(node, cst.Subscript):
        return _subscript(node, scope, before, depth)
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return _forward_reference(node, scope, depth)
    return "Any"  # an ellipsis, a call, ...: not judged


def _named(node: cst.Name | cst.Attribute, scope: ModuleScope, before: int | None, depth: int) -> str:
    qual = scope.imports.qualify(node) or ""
    last = qual.rpartition(".")[2] if qual else (node.value if isinstance(node, cst.Name) else node.attr.value)
    module = qual.rpartition(".")[0]
    if module in ("typing", "typing_extensions", "builtins", "datetime", "collections.abc", "types") and last in _PLAIN:
        return _PLAIN[last]
    if isinstance(node, cst.Name):
        if node.value in _PLAIN and node.value not in scope.assignments and node.value not in scope.imports.names:
            return _PLAIN[node.value]
        alias = _local_alias(scope, node.value, before)
        if alias is not None:
            return type_expression(alias, scope, None, depth + 1)
    return _opaque(qual or dotted(node) or "Any")


def _local_alias(scope: ModuleScope, name: str, before: int | None) -> cst.BaseExpression | None:
    """The type a module-level alias of this module stands for.

    Only this module's own aliases are inlined: following an imported name
    means parsing the module it comes from (``pyeval.resolve_sibling``), which
    costs more than every other step of extracting parameters together; an
    imported alias stays an opaque name the checker never judges.
    """
    expr = scope.constant(name, before)
    return expr if expr is not None and _looks_like_type(expr) else None


def _looks_like_type(node: cst.BaseExpression) -> bool:
    """Aliases are subscripts, unions and names; a call (``TypeVar``, ``NewType``) is not inlined."""
    return isinstance(node, (cst.Subscript, cst.BinaryOperation, cst.Name, cst.Attribute))


def _subscript(node: cst.Subscript, scope: ModuleScope, before: int | None, depth: int) -> str:
    base = scope.imports.qualify(node.value) or dotted(node.value) or ""
    name = base.rpartition(".")[2]
    elements = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
    if not elements:
        return "Any"
    sub = [type_expression(e, scope, before, depth + 1) for e in elements]
    if name == "Annotated":
        return sub[0]
    if name == "Optional":
        return _union([sub[0], "None"])
    if name == "Union":
        return _union(sub)
    if name == "Literal":
        return _literal(elements, scope)
    if name in _GENERICS:
        generic = _GENERICS[name]
        if generic == "dict" and len(sub) == 2:
            return f"dict[{sub[0]}, {sub[1]}]"
        if generic == "tuple":
            return f"tuple[{', '.join(sub)}]"
        if generic != "dict" and len(sub) == 1:
            return f"{generic}[{sub[0]}]"
    return "Any"  # a generic class the checker does not know


def _literal(elements: list[cst.BaseExpression], scope: ModuleScope) -> str:
    values: list[str] = []
    for element in elements:
        if isinstance(element, cst.SimpleString):
            text = simple_string_value(element)
            if isinstance(text, bytes):
                return "Any"
            values.append(repr(text))
        elif isinstance(element, cst.Integer):
            values.append(repr(int(element.evaluated_value)))
        elif isinstance(element, cst.UnaryOperation) and isinstance(element.operator, cst.Minus) and isinstance(element.expression, cst.Integer):
            values.append(repr(-int(element.expression.evaluated_value)))
        elif isinstance(element, cst.Name) and element.value in ("True", "False", "None"):
            values.append(element.value)
        else:  # an enum member or a nested Literal: not judged
            return "Any"
    return f"Literal[{', '.join(values)}]"


def _forward_reference(node: cst.BaseExpression, scope: ModuleScope, depth: int) -> str:
    text = simple_string_value(node) if isinstance(node, cst.SimpleString) else node.evaluated_value
    if not isinstance(text, str):
        return "Any"
    try:
        inner = cst.parse_expression(text)
    except (cst.ParserSyntaxError, ValueError, RecursionError):
        return "Any"
    return type_expression(inner, scope, None, depth + 1)


def _union(members: list[str]) -> str:
    out: list[str] = []
    for member in members:
        for part in split_union(member):
            if part not in out:
                out.append(part)
    return " | ".join(out)


def split_union(text: str) -> list[str]:
    """Top-level ``|`` members of a normalised type expression."""
    parts, depth, start = [], 0, 0
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _opaque(text: str) -> str:
    """A (dotted) name the checker does not judge. Never codegen: this runs for
    every annotation of every UDF."""
    return text
