// The secrets this app needs: each gets a settings card (and an onboarding
// step when `required`), and is read back with `readAppSecret`.
import { defineNitroPlugin } from "@agent-native/core/server";
import { registerRequiredSecret } from "@agent-native/core/secrets";

export default defineNitroPlugin(() => {
  registerRequiredSecret({
    key: "OPENAI_API_KEY",
    label: "OpenAI API key",
    description: "Used to summarize your notes.",
    docsUrl: "https://platform.openai.com/api-keys",
    scope: "user",
    kind: "api-key",
    required: true,
    validator: async (value) => {
      const res = await fetch("https://api.openai.com/v1/models", {
        headers: { Authorization: `Bearer ${value}` },
      });
      console.log("[openai-validator] status", res.status);
      return res.ok ? { ok: true } : { ok: false, error: `OpenAI rejected the key (HTTP ${res.status})` };
    },
  });

  registerRequiredSecret({
    key: "SLACK_BOT_TOKEN",
    label: "Slack bot token",
    description: "Posts summaries to the workspace's channel.",
    docsUrl: "https://api.slack.com/apps",
    scope: "workspace",
    kind: "api-key",
  });

  registerRequiredSecret({
    key: "GOOGLE_CONNECTED",
    label: "Google account",
    scope: "user",
    kind: "oauth",
    oauthProvider: "google",
    oauthConnectUrl: "/_agent-native/google/auth-url",
  });
});
