// The client behaviour suite, run once per entry point (ESM import and CommonJS require) against
// the installed package. It never imports "encore-cloud" itself: the caller passes what its entry
// module (a real file inside the scratch project) imported or required.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import util from "node:util";
import { DEMO_ID, DEMO_SECRET } from "./scratch.mjs";
import { defineMembersTests } from "./members.mjs";
import { defineRedirectTests } from "./redirects.mjs";

/** The manual clock's default start (pkg/simulator/clock.js). */
const T0 = Date.parse("2026-03-18T09:41:07.123Z");
const ERROR_CLASSES = [
  "EncoreAbortError", "EncoreApiError", "EncoreConnectionError", "EncoreError",
  "EncoreProtocolError", "EncoreTimeoutError", "EncoreValidationError", "EncoreWebhookError",
];

/** Everything an error shows of itself. */
function errorTexts(e) {
  const own = {};
  for (const k of Object.getOwnPropertyNames(e)) own[k] = e[k];
  return [
    String(e), e.message, e.stack, JSON.stringify(own), JSON.stringify(e),
    util.inspect(e, { showHidden: true, depth: Infinity }),
    JSON.stringify({ name: e.name, status: e.status, code: e.code, details: e.details, retryAfter: e.retryAfter }),
  ].map((s) => String(s));
}

function assertNoLeak(what, texts, secrets) {
  for (const text of texts) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `${what} leaks a secret (${secret.slice(0, 6)}…): ${text.slice(0, 300)}`);
    }
  }
}

/** A fetch wrapper recording each request (url, method, headers, body as text). */
function recorder(inner = globalThis.fetch) {
  const calls = [];
  const f = async (url, init = {}) => {
    let body = init.body ?? null;
    if (body instanceof Uint8Array || body instanceof ArrayBuffer) body = new TextDecoder().decode(body);
    else if (body !== null) body = String(body);
    calls.push({ url: String(url), method: init.method ?? "GET", headers: new Headers(init.headers), body });
    return inner(url, init);
  };
  f.calls = calls;
  return f;
}

/**
 * Register the suite.
 * @param {{ label: string, api: Record<string, any>, exportNames: string[], resolved: string,
 *   expectedEntry: string, simulator: { startSimulatorServer: Function, createSimulator: Function } }} p
 */
export function defineClientSuite({ label, api, exportNames, resolved, expectedEntry, simulator }) {
  const {
    EncoreAbortError, EncoreApiError, EncoreClient, EncoreConnectionError, EncoreError,
    EncoreProtocolError, EncoreTimeoutError, EncoreValidationError, isRolloutDone, summarizeRollout,
  } = api;
  const { startSimulatorServer } = simulator;

  async function server(t, options = {}) {
    const srv = await startSimulatorServer({ port: 0, ...options });
    t.after(() => srv.close());
    return srv;
  }
  async function control(srv, method, path, body) {
    const res = await fetch(`${srv.url}/__sim/${path}`, {
      method, headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const out = await res.json();
    assert.equal(res.status, 200, `control ${method} ${path}: ${JSON.stringify(out)}`);
    return out;
  }
  const fault = (srv, spec) => control(srv, "POST", "faults", spec);
  const advance = (srv, ms) => control(srv, "POST", "clock/advance", { ms });
  const client = (srv, options = {}) =>
    new EncoreClient({ clientId: DEMO_ID, clientSecret: DEMO_SECRET, baseUrl: srv.url, maxRetries: 0, ...options });

  describe(`encore-cloud via ${label}`, () => {
    test("resolves through the exports map to the right entry and exports the whole API", () => {
      assert.ok(resolved.replaceAll("\\", "/").endsWith(`/node_modules/encore-cloud/${expectedEntry}`), resolved);
      assert.deepEqual(exportNames, [...ERROR_CLASSES, "EncoreClient", "isRolloutDone", "summarizeRollout", "verifyWebhook", "webhookFromRequest"].sort());
      for (const name of ERROR_CLASSES) {
        assert.equal(typeof api[name], "function", name);
        assert.ok(name === "EncoreError" || api[name].prototype instanceof EncoreError, `${name} extends EncoreError`);
        assert.ok(api[name].prototype instanceof Error, `${name} extends Error`);
      }
    });

    test("getToken, body style (default): form body, nothing in the query, token cached", async (t) => {
      const srv = await server(t, { clock: "manual" });
      const rec = recorder();
      const c = client(srv, { fetch: rec });
      const tok = await c.getToken();
      assert.deepEqual(Object.keys(tok).sort(), ["access_token", "actor", "expires_in", "token_type"]);
      assert.equal(typeof tok.access_token, "string");
      assert.ok(tok.access_token.length > 10);
      assert.ok(tok.expires_in <= 3600 && tok.expires_in > 3590, `expires_in: ${tok.expires_in}`);
      assert.equal(tok.actor, DEMO_ID);
      assert.equal(tok.token_type, "Bearer");

      assert.equal(rec.calls.length, 1);
      const [call] = rec.calls;
      assert.equal(call.method, "POST");
      assert.equal(new URL(call.url).pathname, "/api/oauth/token");
      assert.equal(new URL(call.url).search, "");
      assert.match(call.headers.get("content-type"), /^application\/x-www-form-urlencoded/);
      const form = new URLSearchParams(call.body);
      assert.equal(form.get("grant_type"), "client_credentials");
      assert.equal(form.get("client_id"), DEMO_ID);
      assert.equal(form.get("client_secret"), DEMO_SECRET);
      assert.deepEqual(srv.simulator.requests.map((r) => [r.method, r.path, r.query, r.status]),
        [["POST", "/api/oauth/token", {}, 200]]);

      const again = await c.getToken();
      assert.equal(again.access_token, tok.access_token, "cached token reused");
      assert.ok(again.expires_in <= 3600 && again.expires_in > 3500, `expires_in: seconds left, ${again.expires_in}`);
      assert.equal(srv.simulator.count("POST", "/api/oauth/token"), 1);
    });

    test("getToken, query style: credentials in the query (as the reference documents)", async (t) => {
      const srv = await server(t);
      const rec = recorder();
      const c = client(srv, { tokenAuthStyle: "query", fetch: rec });
      const tok = await c.getToken();
      assert.equal(tok.actor, DEMO_ID);
      const url = new URL(rec.calls[0].url);
      assert.equal(url.searchParams.get("client_id"), DEMO_ID);
      assert.equal(url.searchParams.get("client_secret"), DEMO_SECRET);
      assert.deepEqual(srv.simulator.requests[0].query, { client_id: DEMO_ID, client_secret: "[redacted]" });
      // The token works for API calls.
      const r = await c.triggerRollout("demo-app", "staging", { branch: "main" });
      assert.match(r.id, /^roll_/);
    });

    test("triggerRollout by sha and by branch: exact JSON bodies, flags only when set", async (t) => {
      const srv = await server(t, { clock: "manual" });
      const rec = recorder();
      const c = client(srv, { fetch: rec });
      const bySha = await c.triggerRollout("my-app", "prod", { sha: "0123456789abcdef", skip_tests: true, force_rebuild: true });
      const byBranch = await c.triggerRollout("demo-app", "staging", { branch: "main" });
      const noFlags = await c.triggerRollout("demo-app", "production", { sha: "feedface", skip_tests: false });
      const posts = rec.calls.filter((x) => x.url.includes("/rollouts"));
      assert.deepEqual(posts.map((x) => [x.method, new URL(x.url).pathname]), [
        ["POST", "/api/apps/my-app/envs/prod/rollouts"],
        ["POST", "/api/apps/demo-app/envs/staging/rollouts"],
        ["POST", "/api/apps/demo-app/envs/production/rollouts"],
      ]);
      for (const p of posts) {
        assert.match(p.headers.get("content-type"), /^application\/json/);
        assert.match(p.headers.get("authorization"), /^Bearer \S+$/);
      }
      assert.deepEqual(JSON.parse(posts[0].body), { sha: "0123456789abcdef", skip_tests: true, force_rebuild: true });
      assert.deepEqual(JSON.parse(posts[1].body), { branch: "main" });
      const third = JSON.parse(posts[2].body);
      assert.equal(third.sha, "feedface");
      assert.ok(!("branch" in third) && !("force_rebuild" in third), posts[2].body);
      assert.ok(third.skip_tests === undefined || third.skip_tests === false, posts[2].body);

      for (const r of [bySha, byBranch, noFlags]) {
        assert.match(r.id, /^roll_/);
        assert.equal(r.status, "queued");
        assert.equal(r.conclusion, "pending");
        assert.ok(r.queued_at instanceof Date);
        assert.equal(r.queued_at.getTime(), T0);
        assert.equal(r.started_at, null);
        assert.equal(r.completed_at, null);
        assert.deepEqual(Object.keys(r).sort(),
          ["build", "completed_at", "conclusion", "deploy", "id", "infra", "queued_at", "started_at", "status"]);
        assert.equal(r.build.status, "queued");
        assert.equal(r.build.conclusion, "unknown");
        assert.ok(r.build.queued_at instanceof Date);
        assert.equal(r.infra.status, "pending");
        assert.equal(r.infra.queued_at, null);
        assert.equal(r.deploy.status, "queued");
        assert.equal(r.deploy.completed_at, null);
      }
      assert.equal(new Set([bySha.id, byBranch.id, noFlags.id]).size, 3);
    });

    test("getRollout follows the (manual) clock; Dates are real Dates, null stays null", async (t) => {
      const srv = await server(t, { clock: "manual" });
      const c = client(srv);
      const r = await c.triggerRollout("demo-app", "production", { sha: "abc123" });

      await advance(srv, 2000);
      const running = await c.getRollout("demo-app", r.id);
      assert.equal(running.id, r.id);
      assert.equal(running.status, "running");
      assert.equal(running.build.status, "running");
      assert.ok(running.started_at instanceof Date);
      assert.equal(running.started_at.getTime(), T0 + 1000);
      assert.equal(running.completed_at, null);
      assert.equal(running.build.completed_at, null);
      assert.equal(running.infra.started_at, null);
      assert.equal(isRolloutDone(running), false);
      const s1 = summarizeRollout(running, new Date(T0 + 72_000));
      assert.deepEqual({ ...s1 }, {
        phase: "build", phaseStatus: "running", status: "running", conclusion: "pending",
        done: false, elapsedMs: 72_000, text: "build running · 1m 12s",
      });

      await advance(srv, 20_000);
      const done = await c.getRollout("demo-app", r.id);
      assert.equal(done.status, "completed");
      assert.equal(done.conclusion, "success");
      for (const [k, ms] of [["queued_at", 0], ["started_at", 1000], ["completed_at", 12_000]]) {
        assert.ok(done[k] instanceof Date, k);
        assert.equal(done[k].getTime(), T0 + ms, k);
      }
      for (const phase of ["build", "infra", "deploy"]) {
        assert.equal(done[phase].status, "completed", phase);
        assert.equal(done[phase].conclusion, "success", phase);
        assert.ok(done[phase].completed_at instanceof Date, phase);
      }
      assert.equal(done.deploy.completed_at.getTime(), T0 + 12_000);
      assert.equal(isRolloutDone(done), true);
      const s2 = summarizeRollout(done, new Date(T0 + 999_999));
      assert.equal(s2.done, true);
      assert.equal(s2.phase, "deploy");
      assert.equal(s2.status, "completed");
      assert.equal(s2.conclusion, "success");
      assert.equal(s2.elapsedMs, 12_000, "elapsed stops at completion");
      assert.match(s2.text, /success/);
      assert.match(s2.text, /12s/);

      // A failed build: the phases that never ran keep conclusion "unknown", timestamps null.
      const failed = await c.triggerRollout("demo-app", "production", { branch: "fail-build" });
      await advance(srv, 10_000);
      const f = await c.getRollout("demo-app", failed.id);
      assert.equal(f.status, "completed");
      assert.equal(f.conclusion, "failure");
      assert.equal(f.build.conclusion, "failure");
      assert.equal(f.infra.conclusion, "unknown");
      assert.equal(f.infra.status, "pending");
      assert.equal(f.infra.queued_at, null);
      assert.equal(f.deploy.started_at, null);
      assert.equal(isRolloutDone(f), true);
      assert.equal(summarizeRollout(f).conclusion, "failure");

      // Path segments are percent-encoded: an odd id is a 404 of the right path, not another route.
      await assert.rejects(c.getRollout("demo-app", "roll a/b?c#d"), (e) => e instanceof EncoreApiError && e.status === 404);
      assert.equal(srv.simulator.requests.at(-1).path, "/api/apps/demo-app/rollouts/roll%20a%2Fb%3Fc%23d");
    });

    test("waitForRollout: success, build failure, approval, deadline and abort (fast timeScale)", async (t) => {
      // timeScale 0.05: a successful rollout takes 600 ms; polls are at least 1000 ms apart.
      const srv = await server(t, { timeScale: 0.05 });
      const c = client(srv);
      const [ok, failing, approval, never, aborted] = await Promise.all([
        c.triggerRollout("my-app", "prod", { branch: "main" }),
        c.triggerRollout("my-app", "prod", { branch: "fail-build" }),
        c.triggerRollout("my-app", "staging", { branch: "needs-approval" }),
        c.triggerRollout("demo-app", "staging", { branch: "needs-approval" }),
        c.triggerRollout("demo-app", "production", { branch: "needs-approval" }),
      ]);
      const updates = [];
      const approvalUpdates = [];
      const controller = new AbortController();
      const started = Date.now();
      const results = await Promise.allSettled([
        c.waitForRollout("my-app", ok.id, { intervalMs: 1, onUpdate: (r) => updates.push(r) }),
        c.waitForRollout("my-app", failing.id, { intervalMs: 1000 }),
        c.waitForRollout("my-app", approval.id, {
          intervalMs: 1000,
          onUpdate: (r) => {
            approvalUpdates.push(r);
            if (r.infra.status === "proposed") control(srv, "POST", `rollouts/${approval.id}/approve`).catch(() => {});
          },
        }),
        c.waitForRollout("demo-app", never.id, { intervalMs: 1000, timeoutMs: 1500 }),
        c.waitForRollout("demo-app", aborted.id, { intervalMs: 1000, signal: controller.signal }),
        new Promise((r) => setTimeout(r, 300)).then(() => controller.abort()),
      ]);
      const elapsed = Date.now() - started;

      const [rOk, rFail, rApproval, rNever, rAborted] = results;
      assert.equal(rOk.status, "fulfilled", String(rOk.reason));
      assert.equal(rOk.value.status, "completed");
      assert.equal(rOk.value.conclusion, "success");
      assert.ok(rOk.value.completed_at instanceof Date);
      assert.ok(updates.length >= 1 && updates.length <= 3, `updates: ${updates.length}`);
      assert.equal(updates.at(-1).status, "completed");
      assert.notEqual(updates[0].status, "completed");
      // intervalMs below 1000 is clamped: a 600 ms rollout takes a handful of polls, not hundreds.
      const polls = srv.simulator.requests.filter((r) => r.method === "GET" && r.path.endsWith(ok.id)).length;
      assert.ok(polls >= 2 && polls <= 4, `polls: ${polls}`);

      assert.equal(rFail.status, "fulfilled", String(rFail.reason));
      assert.equal(rFail.value.conclusion, "failure");
      assert.equal(rFail.value.build.conclusion, "failure");

      assert.equal(rApproval.status, "fulfilled", String(rApproval.reason));
      assert.equal(rApproval.value.conclusion, "success");
      assert.ok(approvalUpdates.some((r) => r.infra.status === "proposed"), "saw the proposed infra change");
      assert.equal(rApproval.value.infra.conclusion, "success");

      assert.equal(rNever.status, "rejected");
      assert.ok(rNever.reason instanceof EncoreTimeoutError, String(rNever.reason));
      assert.ok(rNever.reason instanceof EncoreError);

      assert.equal(rAborted.status, "rejected");
      assert.ok(rAborted.reason instanceof EncoreAbortError, String(rAborted.reason));
      assert.equal(rAborted.reason.name, "AbortError");

      assert.ok(elapsed < 8000, `waits took ${elapsed} ms`);
    });

    test("unknown extra fields and unknown enum values pass through unchanged", async (t) => {
      const srv = await server(t, { clock: "manual" });
      const inner = srv.simulator.fetch;
      const patch = (v) => {
        if (v && typeof v === "object" && "access_token" in v) return { ...v, scope: "deploy", extra: [1, 2] };
        if (!v || typeof v !== "object" || !String(v.id ?? "").startsWith("roll_")) return v;
        return {
          ...v,
          status: "paused",
          conclusion: "superseded",
          extra_field: { nested: [1, "two", null], flag: true },
          created_at: "2026-03-18T09:41:07.123456789Z",
          build: { ...v.build, conclusion: "awaiting_approval", commit_hash: "abc" },
          infra: { ...v.infra, status: "waiting_for_godot" },
          deploy: { ...v.deploy, status: "pending", conclusion: "skipped" },
          infra_provision: null,
        };
      };
      const fetchWithExtras = async (url, init) => {
        const res = await inner(url, init);
        const text = await res.text();
        const body = text ? JSON.stringify(patch(JSON.parse(text))) : text;
        return new Response(body, { status: res.status, headers: res.headers });
      };
      const c = client(srv, { fetch: fetchWithExtras });
      const tok = await c.getToken();
      assert.equal(tok.token_type, "Bearer");
      const created = await c.triggerRollout("demo-app", "production", { sha: "abc" });
      const got = await c.getRollout("demo-app", created.id);
      assert.equal(got.id, created.id);
      for (const r of [created, got]) {
        assert.equal(r.status, "paused");
        assert.equal(r.conclusion, "superseded");
        assert.deepEqual(r.extra_field, { nested: [1, "two", null], flag: true });
        assert.equal(r.created_at, "2026-03-18T09:41:07.123456789Z", "an unknown field is not reinterpreted");
        assert.equal(r.infra_provision, null);
        assert.equal(r.build.conclusion, "awaiting_approval");
        assert.equal(r.build.commit_hash, "abc");
        assert.equal(r.infra.status, "waiting_for_godot");
        assert.equal(r.deploy.status, "pending");
        assert.equal(r.deploy.conclusion, "skipped");
        assert.ok(r.queued_at instanceof Date, "known timestamps still become Dates");
        assert.equal(r.queued_at.getTime(), T0);
        assert.equal(isRolloutDone(r), false);
        const s = summarizeRollout(r, new Date(T0 + 5000));
        assert.equal(s.status, "paused");
        assert.equal(s.conclusion, "superseded");
        assert.equal(typeof s.text, "string");
      }
    });

    test("the {ok, data} envelope: successes unwrapped, errors decoded", async (t) => {
      const srv = await server(t, { envelope: true, clock: "manual" });
      const c = client(srv);
      const r = await c.triggerRollout("my-app", "staging", { branch: "main", force_rebuild: true });
      assert.match(r.id, /^roll_/);
      assert.ok(r.queued_at instanceof Date);
      assert.equal(r.started_at, null);
      const g = await c.getRollout("my-app", r.id);
      assert.equal(g.id, r.id);
      assert.equal(g.queued_at.getTime(), T0);
      const e = await c.getRollout("my-app", "roll_missing").then(() => null, (x) => x);
      assert.ok(e instanceof EncoreApiError, String(e));
      assert.equal(e.status, 404);
      assert.equal(e.code, "not_found");
      assert.match(e.message, /roll_missing/);
      // The raw answer really was enveloped.
      const raw = await fetch(`${srv.url}/api/apps/my-app/rollouts/${r.id}`, {
        headers: { authorization: `Bearer ${(await c.getToken()).access_token}` },
      }).then((x) => x.json());
      assert.equal(raw.ok, true);
      assert.equal(raw.data.id, r.id);
    });

    test("error classes: instanceof, name, status, code, message, details; nothing leaks", async (t) => {
      const srv = await server(t, { clock: "manual" });
      const logged = [];
      const c = client(srv, { logger: (ev) => logged.push(ev) });
      const token = (await c.getToken()).access_token;
      const r = await c.triggerRollout("demo-app", "production", { sha: "abc" });
      const errors = [];
      const catching = async (p) => {
        try {
          await p;
        } catch (e) {
          errors.push(e);
          return e;
        }
        assert.fail("expected a rejection");
      };
      const check = (e, Cls, name) => {
        assert.ok(e instanceof Cls, `${e?.constructor?.name}: ${e}`);
        assert.ok(e instanceof EncoreError);
        assert.ok(e instanceof Error);
        assert.equal(e.name, name);
        assert.equal(typeof e.message, "string");
        assert.ok(e.message.length > 0);
        assert.equal(typeof e.stack, "string");
        assert.ok(String(e).startsWith(`${name}: `), String(e));
      };

      const notFound = await catching(c.getRollout("demo-app", "roll_nope"));
      check(notFound, EncoreApiError, "EncoreApiError");
      assert.equal(notFound.status, 404);
      assert.equal(notFound.code, "not_found");
      assert.match(notFound.message, /roll_nope/);
      assert.equal(notFound.details, null);
      assert.equal(notFound.retryAfter, undefined);

      await fault(srv, { status: 400, body: { code: "failed_precondition", message: "branch is locked", details: { branch: "main", locks: [1] } } });
      const precondition = await catching(c.getRollout("demo-app", r.id));
      check(precondition, EncoreApiError, "EncoreApiError");
      assert.equal(precondition.status, 400);
      assert.equal(precondition.code, "failed_precondition");
      assert.match(precondition.message, /branch is locked/);
      assert.deepEqual(precondition.details, { branch: "main", locks: [1] });

      await fault(srv, { status: 429, retryAfter: 7 });
      const limited = await catching(c.getRollout("demo-app", r.id));
      check(limited, EncoreApiError, "EncoreApiError");
      assert.equal(limited.status, 429);
      assert.equal(limited.code, "resource_exhausted");
      assert.equal(limited.retryAfter, 7);

      await fault(srv, { status: 502, body: "<html><body>Bad gateway</body></html>" });
      const proxy = await catching(c.getRollout("demo-app", r.id));
      check(proxy, EncoreApiError, "EncoreApiError");
      assert.equal(proxy.status, 502);
      assert.equal(typeof proxy.code, "string");
      assert.match(proxy.message, /Bad gateway/);

      const wrongSecret = "wrong-secret-0123456789";
      const oauth = await catching(client(srv, { clientSecret: wrongSecret }).getToken());
      check(oauth, EncoreApiError, "EncoreApiError");
      assert.equal(oauth.status, 401);
      assert.equal(oauth.code, "invalid_client");

      await fault(srv, { status: 200, body: "<html>not json</html>" });
      const protocol = await catching(c.getRollout("demo-app", r.id));
      check(protocol, EncoreProtocolError, "EncoreProtocolError");
      assert.equal(protocol.status, 200);

      await fault(srv, { hang: true });
      const timeout = await catching(c.getRollout("demo-app", r.id, { timeoutMs: 150 }));
      check(timeout, EncoreTimeoutError, "EncoreTimeoutError");

      await fault(srv, { drop: true });
      const dropped = await catching(c.getRollout("demo-app", r.id));
      check(dropped, EncoreConnectionError, "EncoreConnectionError");

      const controller = new AbortController();
      controller.abort();
      const abort = await catching(c.getRollout("demo-app", r.id, { signal: controller.signal }));
      check(abort, EncoreAbortError, "AbortError");

      const invalid = await catching(c.triggerRollout("demo-app", "production", { sha: "a", branch: "b" }));
      check(invalid, EncoreValidationError, "EncoreValidationError");

      // Query-style credentials put the secret in the URL: it must not reach any error or log.
      const closed = await startSimulatorServer({ port: 0 });
      const closedUrl = closed.url;
      await closed.close();
      const qLogged = [];
      const q = new EncoreClient({
        clientId: DEMO_ID, clientSecret: DEMO_SECRET, baseUrl: closedUrl, maxRetries: 0,
        tokenAuthStyle: "query", logger: (ev) => qLogged.push(ev),
      });
      const refused = await catching(q.getToken());
      check(refused, EncoreConnectionError, "EncoreConnectionError");
      await fault(srv, { hang: true, path: "/api/oauth/token" });
      const qTimeout = await catching(client(srv, { tokenAuthStyle: "query", timeoutMs: 150, logger: (ev) => qLogged.push(ev) }).getToken());
      check(qTimeout, EncoreTimeoutError, "EncoreTimeoutError");
      assert.ok(qLogged.length >= 2);
      assert.ok(logged.length >= 5);
      for (const ev of [...logged, ...qLogged]) {
        assert.ok(["GET", "POST"].includes(ev.method));
        assert.equal(typeof ev.path, "string");
        assertNoLeak("a logger event", [JSON.stringify(ev)], [DEMO_SECRET, token]);
      }

      assert.equal(errors.length, 12);
      for (const e of errors) assertNoLeak(`${e.name} (${e.message})`, errorTexts(e), [DEMO_SECRET, wrongSecret, token]);
    });

    test("validation errors come before any request", async (t) => {
      const srv = await server(t, { clock: "manual" });
      const base = { clientId: DEMO_ID, clientSecret: DEMO_SECRET, baseUrl: srv.url };
      const ctor = [
        {}, { clientId: DEMO_ID }, { ...base, accessToken: "tok" }, { ...base, baseUrl: "ftp://example.com" },
        { ...base, baseUrl: "not a url" }, { ...base, maxRetries: 11 }, { ...base, tokenAuthStyle: "header" },
        { ...base, timeoutMs: 0 }, { ...base, tokenAuthstyle: "query" }, { ...base, fetch: 42 },
      ];
      const errors = [];
      for (const options of ctor) {
        assert.throws(() => new EncoreClient(options), (e) => {
          errors.push(e);
          return e instanceof EncoreValidationError && e instanceof EncoreError && e instanceof Error &&
            e.name === "EncoreValidationError";
        }, JSON.stringify(options));
      }
      const c = new EncoreClient(base);
      const calls = [
        () => c.triggerRollout("demo-app", "production", {}),
        () => c.triggerRollout("demo-app", "production", { sha: "a", branch: "b" }),
        () => c.triggerRollout("demo-app", "production", { sha: "" }),
        () => c.triggerRollout("demo-app", "production", { sha: "a", skip_tests: "yes" }),
        () => c.triggerRollout("demo-app", "production", null),
        () => c.triggerRollout("", "production", { sha: "a" }),
        () => c.triggerRollout("demo-app", ".", { sha: "a" }),
        () => c.triggerRollout("..", "production", { branch: "main" }),
        () => c.getRollout("demo-app", ".."),
        () => c.getRollout("demo-app", ""),
        () => c.waitForRollout("demo-app", "."),
        () => new EncoreClient({ accessToken: "tok", baseUrl: srv.url }).getToken(),
      ];
      for (const call of calls) {
        await assert.rejects(async () => call(), (e) => {
          errors.push(e);
          return e instanceof EncoreValidationError && e.name === "EncoreValidationError" && e.message.length > 0;
        }, String(call));
      }
      assert.deepEqual(await control(srv, "GET", "requests"), [], "no request reached the server");
      for (const e of errors) assertNoLeak(e.message, errorTexts(e), [DEMO_SECRET]);
    });

    test("the client never shows its secret or token", async (t) => {
      const srv = await server(t);
      const c = client(srv);
      const token = (await c.getToken()).access_token;
      await c.triggerRollout("demo-app", "production", { sha: "abc" });
      const tc = new EncoreClient({ accessToken: token, baseUrl: srv.url });
      await tc.triggerRollout("demo-app", "production", { sha: "abc" });
      const fc = new EncoreClient({ accessToken: async () => token, baseUrl: srv.url });
      await fc.triggerRollout("demo-app", "production", { sha: "abc" });
      for (const x of [c, tc, fc]) {
        const views = [
          String(x), `${x}`, x.toString(), JSON.stringify(x), JSON.stringify({ x }), util.inspect(x),
          util.inspect(x, { showHidden: true, depth: Infinity, getters: true }), util.format("%o %O %j", x, x, x),
          JSON.stringify(Object.getOwnPropertyNames(x).map((k) => [k, String(x[k])])),
        ];
        assertNoLeak("the client", views, [DEMO_SECRET, token]);
      }
      assert.ok(String(c).includes(srv.url), String(c));
      assert.deepEqual(JSON.parse(JSON.stringify(c)), { baseUrl: srv.url, clientId: DEMO_ID });
      assert.deepEqual(JSON.parse(JSON.stringify(tc)), { baseUrl: srv.url });
    });

    test("10 concurrent calls on one client share one token request", async (t) => {
      const srv = await server(t);
      const c = client(srv);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
        i % 2 ? c.triggerRollout("demo-app", "production", { sha: `sha${i}` }) : c.triggerRollout("my-app", "prod", { branch: `b${i}` })));
      assert.equal(new Set(results.map((r) => r.id)).size, 10);
      assert.equal(srv.simulator.count("POST", "/api/oauth/token"), 1);
      assert.equal(srv.simulator.count("POST", "/api/apps/"), 10);
      // Ten concurrent reads, still the same token.
      const again = await Promise.all(results.map((r, i) => c.getRollout(i % 2 ? "demo-app" : "my-app", r.id)));
      assert.deepEqual(again.map((r) => r.id), results.map((r) => r.id));
      assert.equal(srv.simulator.count("POST", "/api/oauth/token"), 1);

      // A revoked token is renewed once, at once, for all concurrent callers.
      await control(srv, "POST", `clients/${DEMO_ID}/revoke`, {});
      await Promise.all(results.map((r, i) => c.getRollout(i % 2 ? "demo-app" : "my-app", r.id)));
      assert.equal(srv.simulator.count("POST", "/api/oauth/token"), 2);
    });

    defineMembersTests({ api, server, client, fault, recorder });
    defineRedirectTests({ api, server, client, fault, recorder });
  });
}
