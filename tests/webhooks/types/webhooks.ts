// Type-level checks of the webhook API as an ESM consumer sees it (compiled with tsc --strict).
import {
  EncoreError, EncoreWebhookError, verifyWebhook, webhookFromRequest,
  type KnownWebhookEvent, type UnknownWebhookEvent, type WebhookEvent, type WebhookRollout,
} from "encore-cloud";

declare const body: string;
declare const bytes: Uint8Array;
declare const request: Request;

const ev: WebhookEvent = verifyWebhook(body, "t=1,v1=x", "secret");
verifyWebhook(bytes, null, ["a", "b"], { toleranceSeconds: 60, now: new Date() });
verifyWebhook(bytes, undefined, "s");
export const fromRequest: Promise<WebhookEvent> = webhookFromRequest(request, "s", { toleranceSeconds: 10 });

// Narrowing on `type` gives typed data.
if (ev.type === "rollout.completed") {
  const r: WebhookRollout = ev.data.rollout;
  const done: Date | null = r.completed_at;
  const commit: string = r.build.commit_hash;
  const created: Date = ev.data.app.created_at;
  const envType: "production" | "development" | "preview" = ev.data.env.type;
  // @ts-expect-error the webhook rollout has no `infra` (it is `infra_provision`)
  r.infra;
  // @ts-expect-error phases may be null before they start
  r.deploy.status;
  // @ts-expect-error only infra_approval_resolved carries a resolution
  ev.data.resolution;
  void [done, commit, created, envType];
}
switch (ev.type) {
  case "rollout.infra_approval_resolved": {
    const how: "approved" | "rejected" = ev.data.resolution;
    const infra = ev.data.rollout.infra_provision;
    if (infra) {
      const s: "pending" | "awaiting_approval" | "queued" | "running" | "completed" = infra.status;
      // @ts-expect-error the API's "proposed" is "awaiting_approval" in webhooks
      const p: typeof infra.status = "proposed";
      void [s, p];
    }
    void how;
    break;
  }
  case "rollout.created":
  case "rollout.awaiting_infra_approval":
    // @ts-expect-error a Date, not a string
    const s: string = ev.data.rollout.build.queued_at;
    void s;
    break;
  default: {
    // Unknown types are still events with an id, a sequence and a type.
    const t: string = ev.type;
    const n: number = ev.sequence_id;
    const raw: unknown = ev.data;
    void [t, n, raw];
  }
}
// Comparing with a type this version does not know compiles (the vendor adds types).
if (ev.type === "deploy.something_new") {
  const u: UnknownWebhookEvent = ev;
  void u;
}
const known: KnownWebhookEvent["type"][] = ["rollout.created", "rollout.awaiting_infra_approval", "rollout.infra_approval_resolved", "rollout.completed"];
void known;

try {
  verifyWebhook(body, null, "s");
} catch (e) {
  if (e instanceof EncoreWebhookError) {
    const base: EncoreError = e;
    const code: "missing_signature" | "invalid_signature_header" | "no_valid_signature" | "too_old" | "too_new" | "invalid_payload" | "too_large" = e.code;
    // @ts-expect-error not a code
    const wrong: typeof e.code = "expired";
    void [base, code, wrong];
  }
}
// @ts-expect-error parsed JSON cannot be verified
verifyWebhook({ id: "x" }, "t=1", "s");
// @ts-expect-error unknown option
verifyWebhook(body, "h", "s", { tolerance: 5 });
