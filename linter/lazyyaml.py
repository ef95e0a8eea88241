"""``yaml`` imported on first use (PyYAML's import is ~9 ms; a ``.py``-only run never needs it).

A module that only needs PyYAML inside functions writes::

    from ..lazyyaml import lazy_yaml
    yaml = lazy_yaml(globals())

The first attribute access imports PyYAML and rebinds ``yaml`` in every such
module to the real module, so later accesses cost nothing extra.
"""

from __future__ import annotations

from typing import Any


class _LazyYaml:
    __slots__ = ("_users",)

    def __init__(self) -> None:
        self._users: list[dict[str, Any]] = []

    def bind(self, module_globals: dict[str, Any]) -> Any:
        self._users.append(module_globals)
        return self

    def __getattr__(self, name: str) -> Any:
        import yaml as real

        for module_globals in self._users:
            if module_globals.get("yaml") is self:
                module_globals["yaml"] = real
        return getattr(real, name)


_LAZY = _LazyYaml()


def lazy_yaml(module_globals: dict[str, Any]) -> Any:
    return _LAZY.bind(module_globals)
