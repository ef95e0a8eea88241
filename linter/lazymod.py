"""Modules loaded on first attribute access (``importlib.util.LazyLoader``).

The template rules need the template extractor, the expression scanner and
the type-expression checker only when a YAML file is linted; importing them
eagerly cost a one-file ``.py`` pre-commit run ~4 ms. A lazy module turns
into the real one on first use, so later accesses cost nothing extra.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy(name: str) -> ModuleType:
    module = sys.modules.get(name)
    if module is not None:
        return module
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:  # our own modules always resolve
        raise ImportError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
