// The same API through require (CommonJS declarations).
import encore = require("encore-cloud");

const ev = encore.verifyWebhook("{}", "t=1,v1=x", ["s1", "s2"]);
if (ev.type === "rollout.completed") {
  const d: Date | null = ev.data.rollout.completed_at;
  void d;
}
// @ts-expect-error the secret is a string or a list of strings
encore.verifyWebhook("{}", "t=1,v1=x", 42);
export const p: Promise<encore.WebhookEvent> = encore.webhookFromRequest(new Request("http://x/"), "s");
