"""Output formats. One module per format, each with ``render(result, **opts) -> str``."""

from __future__ import annotations

import importlib
from collections.abc import Callable

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github", "gitlab", "junit")


def renderer(name: str) -> Callable[..., str]:
    module = importlib.import_module(f"registry_lint.report.{name}_format")
    return module.render
