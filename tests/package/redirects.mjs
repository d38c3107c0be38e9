// Base URL and redirects (issues 7 and 9), run inside the client suite once per entry point: a
// 3xx is an EncoreApiError with its status, never followed nor retried, and its message names
// the Location and the baseUrl to set; a 429 says how long to wait; a baseUrl ending in /api is
// refused before anything is sent; the outcome-unknown advice of a trigger can be followed.

import assert from "node:assert/strict";
import { test } from "node:test";

/** Registers the tests; `h` holds the suite's helpers. */
export function defineRedirectTests({ api, server, client, fault, recorder }) {
  const { EncoreApiError, EncoreClient, EncoreValidationError } = api;
  const catching = (p) => p.then(() => assert.fail("expected a rejection"), (e) => e);

  test("redirects: a 307 to a trigger is never followed nor retried; the message says where to point baseUrl", async (t) => {
    const srv = await server(t);
    const other = await server(t);
    const rec = recorder();
    const c = client(srv, { fetch: rec, maxRetries: 2 });
    const path = "/api/apps/demo-app/envs/production/rollouts";
    await fault(srv, { status: 307, path, headers: { location: `${other.url}${path}` } });
    const e = await catching(c.triggerRollout("demo-app", "production", { branch: "main" }));
    assert.ok(e instanceof EncoreApiError, String(e));
    assert.equal(e.status, 307);
    assert.notEqual(e.outcomeUnknown, true);
    assert.ok(e.message.includes(`redirects to ${other.url}${path}`), e.message);
    assert.ok(e.message.includes(`set baseUrl to ${other.url}`), e.message);
    assert.equal(rec.calls.filter((x) => x.url.includes("/rollouts")).length, 1, "sent once, not retried");
    assert.equal(other.simulator.requests.length, 0, "the other host never heard of it");

    await fault(srv, { status: 308, path: "/api/apps/demo-app/members", headers: { location: "https://elsewhere.example/x" } });
    const g = await catching(c.listMembers("demo-app"));
    assert.equal(g.status, 308, "an idempotent call is not retried after a redirect either");
  });

  test("a 429 says how long to wait; a baseUrl ending in /api is refused with the reason", async (t) => {
    const srv = await server(t);
    const c = client(srv);
    await fault(srv, { status: 429, retryAfter: 90 });
    const e = await catching(c.listMembers("demo-app"));
    assert.equal(e.status, 429);
    assert.equal(e.retryAfter, 90);
    assert.match(e.message, /wait 90 s before trying again/);
    for (const baseUrl of [`${srv.url}/api`, `${srv.url}/api/`, "https://api.encore.dev/api"]) {
      assert.throws(() => new EncoreClient({ baseUrl, accessToken: "t0ken" }), (err) =>
        err instanceof EncoreValidationError && /\/api\/api\//.test(err.message));
    }
    assert.equal(JSON.parse(JSON.stringify(new EncoreClient({ accessToken: "t0ken" }))).baseUrl, "https://api.encore.dev");
    assert.doesNotThrow(() => new EncoreClient({ baseUrl: "https://api.encore.cloud", accessToken: "t0ken" }));
  });

  test("an ambiguous trigger says what to do: the dashboard for the real API, and that a retry may roll out twice", async (t) => {
    const srv = await server(t);
    const c = client(srv);
    await fault(srv, { status: 500, path: "/api/apps/demo-app/envs/production/rollouts" });
    const e = await catching(c.triggerRollout("demo-app", "production", { branch: "main" }));
    assert.equal(e.outcomeUnknown, true);
    assert.match(e.message, /may or may not have been created/);
    assert.match(e.message, /second rollout of the same commit/);
    assert.doesNotMatch(e.message, /getRollout/);
    // Against the real API the message links the environment's deploys page (no request needed:
    // a refused connection before sending is not ambiguous, so use a fetch that fails after).
    const real = new EncoreClient({
      accessToken: "t0ken", maxRetries: 0,
      fetch: async () => { const err = new TypeError("fetch failed"); err.cause = { code: "ECONNRESET" }; throw err; },
    });
    const r = await catching(real.triggerRollout("demo-app", "production", { branch: "main" }));
    assert.equal(r.outcomeUnknown, true);
    assert.ok(r.message.includes("https://app.encore.dev/demo-app/deploys/production"), r.message);
  });

  test("waitForRollout: deadlineMs names the overall deadline; timeoutMs stays as its deprecated alias", async (t) => {
    // timeScale 0.05: the rollout completes in about 600 ms, within the first polls.
    const srv = await server(t, { timeScale: 0.05 });
    const c = client(srv);
    const both = await catching(c.waitForRollout("demo-app", "roll_x", { deadlineMs: 1000, timeoutMs: 1000 }));
    assert.ok(both instanceof EncoreValidationError);
    assert.match(both.message, /deadlineMs/);
    const alias = await catching(c.waitForRollout("demo-app", "roll_x", { timeoutMs: -1 }));
    assert.ok(alias instanceof EncoreValidationError, "the alias is read (and checked) as the deadline");
    assert.match(alias.message, /deadlineMs/);
    const r = await c.triggerRollout("demo-app", "production", { branch: "main" });
    const done = await c.waitForRollout("demo-app", r.id, { intervalMs: 1000, timeoutMs: 120_000 });
    assert.equal(done.status, "completed");
  });
}
