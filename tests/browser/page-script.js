// The script both browser pages run (a plain static page and a Vite app). It imports
// "encore-cloud" (an import map or Vite resolves it) and reports into #result, as text for the
// screenshot and as JSON (data-json) for the test. The simulator's URL comes from ?sim=.
import {
  EncoreApiError, EncoreClient, EncoreError, EncoreValidationError, isRolloutDone, summarizeRollout,
  verifyWebhook, webhookFromRequest,
} from "encore-cloud";

const clientId = "o2c_demo_client";
const clientSecret = "demo-secret-do-not-use";

export async function runScenario(title) {
  const baseUrl = new URLSearchParams(location.search).get("sim");
  const out = { page: title, pageOrigin: location.origin, simulatorOrigin: new URL(baseUrl).origin };
  try {
    const client = new EncoreClient({ clientId, clientSecret, baseUrl, dangerouslyAllowBrowser: true, maxRetries: 0 });
    const r = await client.triggerRollout("demo-app", "production", { sha: "0123abc", skip_tests: true });
    out.triggered = {
      id: r.id, status: r.status, conclusion: r.conclusion,
      queuedAtIsDate: r.queued_at instanceof Date, queuedAt: r.queued_at.toISOString(),
      startedAt: r.started_at, buildStatus: r.build.status,
    };
    const g = await client.getRollout("demo-app", r.id);
    out.fetched = {
      id: g.id, sameId: g.id === r.id, status: g.status,
      queuedAtIsDate: g.queued_at instanceof Date, sameQueuedAt: g.queued_at.getTime() === r.queued_at.getTime(),
      completedAt: g.completed_at, done: isRolloutDone(g), summary: summarizeRollout(g, new Date(g.queued_at.getTime() + 72_000)).text,
    };
    try {
      await client.getRollout("demo-app", "roll_missing");
      out.apiError = null;
    } catch (e) {
      out.apiError = {
        name: e.name, className: e.constructor.name, isEncoreApiError: e instanceof EncoreApiError,
        isEncoreError: e instanceof EncoreError, isError: e instanceof Error, status: e.status, code: e.code,
      };
    }
    try {
      new EncoreClient({ clientId, clientSecret, baseUrl });
      out.secretWithoutOptIn = "accepted";
    } catch (e) {
      out.secretWithoutOptIn = {
        name: e.name, className: e.constructor.name, isEncoreValidationError: e instanceof EncoreValidationError,
        isEncoreError: e instanceof EncoreError, message: e.message,
      };
    }
    // The browser module has no webhook verification: both functions exist and refuse, typed.
    const refusal = (e) => ({
      name: e.name, className: e.constructor.name, isEncoreValidationError: e instanceof EncoreValidationError,
      isEncoreError: e instanceof EncoreError, message: e.message,
    });
    try {
      verifyWebhook('{"id":"x"}', "t=1,v1=AAAA", "whsec_in_a_page");
      out.verifyWebhook = "accepted";
    } catch (e) {
      out.verifyWebhook = refusal(e);
    }
    const pending = webhookFromRequest(new Request(baseUrl, { method: "POST", body: "{}" }), "whsec_in_a_page");
    out.webhookFromRequestIsPromise = pending instanceof Promise;
    out.webhookFromRequest = await pending.then(() => "accepted", refusal);
    // An access token (no secret in the page) needs no opt-in.
    const { access_token: token } = await client.getToken();
    const byToken = new EncoreClient({ accessToken: async () => token, baseUrl });
    out.accessTokenClient = (await byToken.getRollout("demo-app", r.id)).id === r.id;
  } catch (e) {
    out.fatal = `${e?.name}: ${e?.message}\n${e?.stack}`;
  }
  const headline = document.createElement("p");
  headline.id = "headline";
  headline.textContent = out.fatal ? `FAILED: ${out.fatal.split("\n")[0]}`
    : `rollout ${out.triggered.id} ${out.fetched.status}; queued_at instanceof Date: ${out.fetched.queuedAtIsDate}; ` +
      `missing rollout → ${out.apiError?.name} ${out.apiError?.status}; secret without opt-in → ${out.secretWithoutOptIn?.name}`;
  const el = document.getElementById("result");
  el.before(headline);
  el.dataset.json = JSON.stringify(out);
  el.textContent = JSON.stringify(out, null, 2);
  document.body.dataset.done = "1";
  return out;
}
