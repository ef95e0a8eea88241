"""Example builders of the RL2xx rules' examples (``secrets*.py``)."""

from __future__ import annotations

_HEAD = "from tracecat_registry import RegistrySecret, registry\n\n"
_YAML_HEAD = """\
type: action
definition:
  name: search
  namespace: tools.acme
  secrets:
"""


def py(decl: str, *, action: bool = True, secrets: str = "[acme]") -> str:
    body = _HEAD + decl + "\n"
    if action:
        body += (
            f'\n\n@registry.register(namespace="tools.acme", description="Search", secrets={secrets})\n'
            "async def search() -> str:\n"
            '    return "ok"\n'
        )
    return body


def yml(entries: str) -> str:
    return _YAML_HEAD + entries
