// Reads the caller's own key at the scope it is registered with; never logs it.
import { defineEventHandler } from "h3";
import { readAppSecret } from "@agent-native/core/secrets";
import { getRequestUserEmail } from "@agent-native/core/server";

export default defineEventHandler(async () => {
  const email = getRequestUserEmail();
  if (!email) throw new Error("Not signed in");
  const stored = await readAppSecret({ key: "OPENAI_API_KEY", scope: "user", scopeId: email });
  const apiKey = stored?.value;
  if (!apiKey) throw new Error("OPENAI_API_KEY is not set: add it in Settings");
  const res = await fetch("https://api.openai.com/v1/responses", {
    method: "POST",
    headers: { Authorization: `Bearer ${apiKey}` },
  });
  return { ok: res.ok };
});
