"""Example builders of the RL4xx rules' examples (``usage*.py``)."""

from __future__ import annotations

PY_HEAD = "from tracecat_registry import RegistrySecret, registry, secrets\n\nacme = RegistrySecret(name=\"acme\", keys=[\"ACME_API_KEY\"], optional_keys=[\"ACME_REGION\"])\n\n\n"


def py(body: str, *, secrets: str = "[acme]", head: str = PY_HEAD, params: str = "") -> str:
    return (
        head
        + f'@registry.register(namespace="tools.acme", description="Search", secrets={secrets})\n'
        + f"async def search({params}) -> str:\n"
        + body
        + "\n"
    )


def yml(arg: str, secrets: str = "    - name: acme\n      keys: [ACME_API_KEY]\n", expects: str = "") -> str:
    return (
        "type: action\n"
        "definition:\n"
        "  name: search\n"
        "  namespace: tools.acme\n"
        "  secrets:\n" + secrets + expects + "  steps:\n"
        "    - ref: call\n"
        "      action: core.http_request\n"
        "      args:\n"
        f"        headers: {arg}\n"
    )
