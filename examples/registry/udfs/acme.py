"""Acme: an integration with the mistakes registry-lint exists to catch."""

import logging
import os

from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets

logger = logging.getLogger(__name__)

acme_secret = RegistrySecret(name="Acme-Key", keys="ACME_API_KEY")
ssh_secret = RegistrySecret(name="acme_ssh", keys=["PRIVATE_KEY", "PASSPHRASE"], secret_type="ssh_key")
teams_oauth = RegistryOAuthSecret(provider_id="microsoft_teams", grant_type="client_credentials")


@registry.register(
    title="Lookup user",
    description="Look up a user in Acme.",
    display_group="Acme",
    doc_url="docs.acme.example/users",
    secrets=[teams_oauth],
)
def lookup_user(user_id, api_key: str = "Zq8vN3xR7tY2wK9mB4cL6pD1") -> dict:
    token = secrets.get("MICROSOFT_TEAMS_USER_TOKEN")
    key = secrets.get_or_default("ACME_API_KEY") or os.getenv("ACME_API_KEY")
    logger.info(f"calling acme with {key}")
    return {"user": user_id, "token": token}


@registry.register(
    default_title="Run remote command",
    description="Run a command on an Acme host over SSH.",
    display_group="Acme",
    namespace="tools.Acme",
    secrets=[acme_secret, ssh_secret],
)
async def run_command(command: str) -> set[str]:
    key = secrets.get("SECRETS.acme_ssh.PRIVATE_KEY")
    return {command, key[:0]}
