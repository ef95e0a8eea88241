// Acme: the read mistakes registry-lint exists to catch.
import { readAppSecret } from "@agent-native/core/secrets";

export async function acmeClient(email: string, orgId: string) {
  const stored = await readAppSecret({ key: "ACME_TOKEN", scope: "user", scopeId: email });
  const slack = await readAppSecret({ key: "SLACK_BOT_TOKEN", scope: "user", scopeId: orgId });
  const token = stored?.value ?? process.env.ACME_TOKEN;
  console.info(`acme token ${token}`);
  const webhook = { url: "https://hooks.acme.example/notify", headers: { Authorization: "Bearer ${keys.ACME_WEBHOOK}" } };
  return { token, slack: slack?.value, webhook };
}
