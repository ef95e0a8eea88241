"""Example builders of the RL7xx rules' examples (``agent_native_*.py``)."""

from __future__ import annotations

REG_IMPORT = 'import { registerRequiredSecret } from "@agent-native/core/secrets";\n\n'
READ_IMPORT = 'import { readAppSecret } from "@agent-native/core/secrets";\n\n'


def reg_call(fields: str, head: str = REG_IMPORT) -> str:
    """A registration: the call is on line 3, its fields from line 4."""
    return head + "registerRequiredSecret({\n" + fields + "});\n"


OPENAI = (
    '  key: "OPENAI_API_KEY",\n  label: "OpenAI API key",\n'
    '  docsUrl: "https://platform.openai.com/api-keys",\n  scope: "user",\n  kind: "api-key",\n'
)


PLUGIN = {"server/register-secrets.ts": reg_call(OPENAI), "package.json": "{}\n"}


def route(key: str = '"OPENAI_API_KEY"', scope: str = '"user"', body: str = "  return stored?.value;\n") -> str:
    """A read: `readAppSecret` on line 4, the key at 4:45."""
    return (
        READ_IMPORT
        + "export async function apiKey(email: string) {\n"
        + f"  const stored = await readAppSecret({{ key: {key}, scope: {scope}, scopeId: email }});\n"
        + body
        + "}\n"
    )
