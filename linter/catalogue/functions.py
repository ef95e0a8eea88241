"""Tracecat's ``FN.<name>`` function table: the shipped data and its generator.

``data/tracecat_functions.json`` lists every name of ``FUNCTION_MAPPING``
(``tracecat/expressions/functions.py``) with the positional parameters of
the Python function behind it, read with :mod:`ast` from a Tracecat checkout
(never imported or executed). Tracecat's template validator
(``BaseExprValidator.function`` in ``tracecat/expressions/validator/base.py``)
checks a call against exactly that: at least the positional parameters
without a default, at most all positional parameters unless the function
takes ``*args``. Keyword arguments do not exist in expressions.

Regenerate with ``python -m registry_lint.catalogue /path/to/tracecat``;
:func:`load` reads the shipped file once, on the first ``FN.`` a run meets.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

DATA_FILE = "tracecat_functions.json"
_MAPPING_FILE = "tracecat/expressions/functions.py"
_MAPPING_NAME = "_FUNCTION_MAPPING"
# Functions the table takes from outside the checkout, as inspect.signature
# reports them on Tracecat's pinned versions: CPython's len and orjson 3.11's
# loads are both ``(obj, /)``.
_EXTERNAL = {"len": ["obj"], "orjson.loads": ["obj"]}
# Decorators that keep the signature inspect.signature reports (it follows __wrapped__).
_TRANSPARENT_DECORATORS = {"lru_cache", "cache", "wraps", "functools.lru_cache", "functools.cache"}


class Function(NamedTuple):
    name: str
    #: Positional parameter names, in order.
    params: tuple[str, ...]
    #: Fewest arguments (positional parameters without a default).
    min_args: int
    #: Most arguments: ``len(params)``, None with ``*args``.
    max_args: int | None


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    try:
        raw = Path(__file__).parent.parent.joinpath("data", DATA_FILE).read_text("utf-8")
    except OSError:
        from importlib import resources  # e.g. a zip import

        raw = resources.files("registry_lint").joinpath("data", DATA_FILE).read_text("utf-8")
    return json.loads(raw)


@lru_cache(maxsize=1)
def load() -> dict[str, Function]:
    """``FN`` name -> its signature, as shipped."""
    out = {}
    for name, entry in _data()["functions"].items():
        params = tuple(entry["params"])
        out[name] = Function(name, params, entry["min"], None if entry["variadic"] else entry["max"])
    return out


def commit() -> str:
    return str(_data()["tracecat_commit"])


# Generator -------------------------------------------------------------------------
def generate(tracecat_root: Path) -> dict[str, Any]:
    """The table of the checkout at ``tracecat_root``, JSON-serialisable."""
    import ast

    source = tracecat_root / _MAPPING_FILE
    module = ast.parse(source.read_text(encoding="utf-8"))
    mapping = next(
        (node.value for node in module.body
         if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == _MAPPING_NAME for t in node.targets)),
        None,
    )
    if not isinstance(mapping, ast.Dict):
        raise ValueError(f"{source}: no {_MAPPING_NAME} dict literal")
    functions: dict[str, dict[str, Any]] = {}
    for key, value in zip(mapping.keys, mapping.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            raise ValueError(f"{source}:{value.lineno}: {_MAPPING_NAME} key is not a string")
        functions[key.value] = _signature(tracecat_root, source, module, value)
    return {
        "tracecat_commit": _commit(tracecat_root),
        "source": f"{_MAPPING_FILE} {_MAPPING_NAME}",
        "functions": dict(sorted(functions.items())),
    }


def _signature(root: Path, path: Path, module: Any, value: Any, depth: int = 0) -> dict[str, Any]:
    import ast

    if isinstance(value, ast.Lambda):
        return _arguments(value.args)
    name = ast.unparse(value)
    found = _find_definition(root, path, module, name, depth)
    if found is not None:
        return found
    if name in _EXTERNAL:
        params = _EXTERNAL[name]
        return {"params": params, "min": len(params), "max": len(params), "variadic": False}
    raise ValueError(f"{path}: cannot find the definition of {name!r} (add it to _EXTERNAL if it is outside Tracecat)")


def _find_definition(root: Path, path: Path, module: Any, name: str, depth: int) -> dict[str, Any] | None:
    """The signature of ``name`` as defined in ``module`` or imported into it from the checkout."""
    import ast

    if depth > 5 or "." in name:
        return None
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) not in _TRANSPARENT_DECORATORS:
                    raise ValueError(f"{path}:{node.lineno}: {name} has decorator {ast.unparse(decorator)!r}")
            return _arguments(node.args)
    for node in module.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        for alias in node.names:
            if (alias.asname or alias.name) != name:
                continue
            target = _module_path(root, path, node)
            if target is None:
                return None
            sub = ast.parse(target.read_text(encoding="utf-8"))
            return _find_definition(root, target, sub, alias.name, depth + 1)
    return None


def _module_path(root: Path, path: Path, node: Any) -> Path | None:
    """The checkout file an ``from X import y`` reads (None outside the checkout)."""
    if node.level:
        base = path.parent
        for _ in range(node.level - 1):
            base = base.parent
        parts = (node.module or "").split(".") if node.module else []
        stem = base.joinpath(*parts)
    else:
        stem = root.joinpath(*(node.module or "").split("."))
    for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _arguments(args: Any) -> dict[str, Any]:
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    return {
        "params": positional,
        "min": len(positional) - len(args.defaults),
        "max": len(positional),
        "variadic": args.vararg is not None,
    }


def _commit(root: Path) -> str:
    import subprocess

    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip()
