"""Exa web search: a clean integration (no findings)."""

from typing import Annotated, Any

import httpx
from typing_extensions import Doc

from tracecat_registry import RegistryOAuthSecret, RegistrySecret, registry, secrets

exa_secret = RegistrySecret(name="exa", keys=["EXA_API_KEY"])
"""Exa API key: secret `exa`, key `EXA_API_KEY`."""

slack_oauth = RegistryOAuthSecret(provider_id="slack", grant_type="authorization_code")

EXA_DOCS = "https://docs.exa.ai/reference"
NAMESPACE = "tools.exa"


@registry.register(
    default_title="Search",
    description="Search the web with Exa and return the matching pages.",
    display_group="Exa",
    doc_url=f"{EXA_DOCS}/search",
    namespace=NAMESPACE,
    secrets=[exa_secret],
)
async def web_search(
    query: Annotated[str, Doc("What to search for.")],
    num_results: Annotated[int, Doc("How many results to return.")] = 10,
) -> dict[str, Any]:
    async with httpx.AsyncClient(headers={"x-api-key": secrets.get("EXA_API_KEY")}) as client:
        response = await client.post("https://api.exa.ai/search", json={"query": query, "numResults": num_results})
        response.raise_for_status()
        return response.json()


@registry.register(
    default_title="Share results in Slack",
    description="Search with Exa and post the top result to a Slack channel as the signed-in user.",
    display_group="Exa",
    doc_url="https://docs.exa.ai/reference/search",
    namespace=NAMESPACE,
    secrets=[exa_secret, slack_oauth],
)
async def share_top_result(
    query: Annotated[str, Doc("What to search for.")],
    channel: Annotated[str, Doc("Slack channel ID.")],
) -> dict[str, Any]:
    results = await web_search(query, num_results=1)
    token = secrets.get(slack_oauth.token_name)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        response = await client.post(
            "https://slack.com/api/chat.postMessage",
            json={"channel": channel, "text": results["results"][0]["url"]},
        )
        return response.json()
