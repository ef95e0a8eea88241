// Acme: the registration mistakes registry-lint exists to catch (imported by a plugin).
import { registerRequiredSecret } from "@agent-native/core/secrets";

registerRequiredSecret({
  key: "acme-api-key",
  label: "Acme API key",
  scope: "team",
  kind: "api-key",
  docUrl: "https://acme.example/keys",
  validator: async (value) => {
    console.log("checking Acme key", value);
    return value.length > 20;
  },
});

registerRequiredSecret({
  key: "ACME_CONNECTED",
  label: "Acme account",
  scope: "user",
  kind: "oauth",
});

registerRequiredSecret({
  key: "SLACK_BOT_TOKEN",
  label: "Slack bot token (Acme)",
  docsUrl: "https://api.slack.com/apps",
  scope: "workspace",
});
