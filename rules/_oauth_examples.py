"""Example builders of the RL3xx rules' examples (``oauth*.py``)."""

from __future__ import annotations

OAUTH_HEAD = "from tracecat_registry import RegistryOAuthSecret, registry, secrets\n\n"


def py(decl: str, body: str = '    return "ok"', secrets: str = "[oauth]") -> str:
    return (
        OAUTH_HEAD
        + decl
        + "\n\n\n"
        + f'@registry.register(namespace="tools.acme", description="Post", secrets={secrets})\n'
        + "async def post() -> str:\n"
        + body
        + "\n"
    )


def yml(secrets: str, header: str = "") -> str:
    return (
        "type: action\n"
        "definition:\n"
        "  name: post\n"
        "  namespace: tools.acme\n"
        "  secrets:\n" + secrets + "  steps:\n"
        "    - ref: call\n"
        "      action: core.http_request\n"
        "      args:\n"
        "        headers:\n"
        f"          Authorization: Bearer {header}\n"
    )


SLACK_YAML = "    - type: oauth\n      provider_id: slack\n      grant_type: authorization_code\n"
