// Reliability end to end in Node: the built package against the simulator's fault injection.
import { test } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { pkg, server, client, rejects, rememberToken, count, seen, SECRET } from "./helpers.mjs";

const { EncoreClient, EncoreApiError, EncoreConnectionError, EncoreTimeoutError, EncoreProtocolError } = pkg;
const GET = (id) => `/api/apps/my-app/rollouts/${id}`;
const TRIGGER = "/api/apps/my-app/envs/prod/rollouts";

test("concurrent first calls cause one token request", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const s2 = await server(t);
  const { c: fresh } = client(s2);
  // A rollout on s2 to read.
  const r2 = await client(s2).c.triggerRollout("my-app", "prod", { branch: "main" });
  const before = count(s2, "POST", "/api/oauth/token");
  const all = await Promise.all(Array.from({ length: 10 }, () => fresh.getRollout("my-app", r2.id)));
  assert.equal(all.length, 10);
  assert.equal(count(s2, "POST", "/api/oauth/token") - before, 1);
  assert.ok(r.id.startsWith("roll_"));
  await rememberToken(c);
});

test("a token near expiry is renewed before use", async (t) => {
  // 2 s tokens: renewal margin min(300 s, 1 s) = 1 s.
  const s = await server(t, { tokenLifetimeSeconds: 2 });
  const { c } = client(s);
  const first = await rememberToken(c);
  assert.ok(first.expires_in <= 2);
  await new Promise((r) => setTimeout(r, 1100));
  const second = await rememberToken(c);
  assert.notEqual(second.access_token, first.access_token);
  assert.equal(count(s, "POST", "/api/oauth/token"), 2);
});

test("revocation: a 401 discards the token, renews once, and the call succeeds", async (t) => {
  const s = await server(t);
  const { c, events } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  await rememberToken(c);
  s.simulator.revokeClient("o2c_demo_client");
  const got = await c.getRollout("my-app", r.id);
  assert.equal(got.id, r.id);
  assert.equal(count(s, "POST", "/api/oauth/token"), 2);
  const gets = events.filter((e) => e.path === GET(r.id));
  assert.deepEqual(gets.map((e) => e.status), [401, 200]);
  await rememberToken(c);
});

test("a second 401 reaches the caller; a static token is not retried", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  await c.getToken();
  s.simulator.addFault({ path: "/api/apps/", status: 401, count: 2, body: { code: "unauthenticated", message: "revoked", details: null } });
  const e = await rejects(c.getRollout("my-app", "roll_x"));
  assert.ok(e instanceof EncoreApiError);
  assert.equal(e.status, 401);
  const staticClient = new EncoreClient({ baseUrl: s.url, accessToken: "enc_not_a_real_token_1234" });
  const before = count(s, "GET", "/api/apps/");
  const e2 = await rejects(staticClient.getRollout("my-app", "roll_x"));
  assert.equal(e2.status, 401);
  assert.equal(count(s, "GET", "/api/apps/") - before, 1);
  seen.tokens.add("enc_not_a_real_token_1234");
});

test("an accessToken function is asked again after a 401", async (t) => {
  const s = await server(t);
  let calls = 0;
  // The caller's backend: a fresh token on every ask.
  const fresh = async () => {
    const res = await fetch(`${s.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=o2c_demo_client&client_secret=${SECRET}`,
    });
    const t = (await res.json()).access_token;
    seen.tokens.add(t);
    return t;
  };
  // The function hands out t1 twice (the second time it is already revoked), then t2.
  const t1 = await fresh();
  const queue = [t1, t1];
  const c = new EncoreClient({ baseUrl: s.url, accessToken: async () => { calls++; return queue.shift() ?? fresh(); } });
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  s.simulator.revokeClient("o2c_demo_client");
  const before = count(s, "GET", "/api/apps/");
  await c.getRollout("my-app", r.id);
  assert.equal(calls, 3, "asked again after the 401");
  assert.equal(count(s, "GET", "/api/apps/") - before, 2);
});

test("429 with Retry-After is waited, then the call succeeds", async (t) => {
  const s = await server(t);
  const { c, events } = client(s);
  await c.getToken();
  s.simulator.addFault({ path: TRIGGER, status: 429, retryAfter: "1", body: { code: "resource_exhausted", message: "slow down", details: null } });
  const started = Date.now();
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  assert.ok(Date.now() - started >= 950, "waited about a second");
  assert.ok(r.id.startsWith("roll_"));
  const tries = events.filter((e) => e.path === TRIGGER);
  assert.deepEqual(tries.map((e) => e.status), [429, 200]);
  assert.equal(tries[0].retryInMs, 1000);
});

test("a Retry-After above 60 s is not waited: the error comes at once with retryAfter", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  await c.getToken();
  s.simulator.addFault({ path: "/api/apps/", status: 503, retryAfter: "120" });
  const started = Date.now();
  const e = await rejects(c.getRollout("my-app", "roll_x"));
  assert.ok(Date.now() - started < 1000);
  assert.equal(e.status, 503);
  assert.equal(e.retryAfter, 120);
});

test("503 then success", async (t) => {
  const s = await server(t);
  const { c, events } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  s.simulator.addFault({ path: GET(r.id), status: 503, retryAfter: "0" });
  const got = await c.getRollout("my-app", r.id);
  assert.equal(got.id, r.id);
  assert.deepEqual(events.filter((e) => e.path === GET(r.id)).map((e) => e.status), [503, 200]);
});

test("a trigger that meets a 500 is sent exactly once and says it may have been created", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  await c.getToken();
  s.simulator.addFault({ path: TRIGGER, status: 500, body: "<html>oops</html>" });
  const e = await rejects(c.triggerRollout("my-app", "prod", { branch: "main" }));
  assert.ok(e instanceof EncoreApiError);
  assert.equal(e.status, 500);
  assert.match(e.message, /may or may not have been created/);
  assert.match(e.message, /oops<\/html>\. The rollout/, "the note is a sentence of its own");
  assert.equal(e.outcomeUnknown, true);
  assert.equal(count(s, "POST", TRIGGER), 1);
});

test("a trigger whose connection drops after sending is sent exactly once", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  await c.getToken();
  s.simulator.addFault({ path: TRIGGER, drop: true });
  const e = await rejects(c.triggerRollout("my-app", "prod", { branch: "main" }));
  assert.ok(e instanceof EncoreConnectionError, e.name);
  assert.match(e.message, /may or may not have been created/);
  assert.equal(e.outcomeUnknown, true);
  assert.equal(count(s, "POST", TRIGGER), 1);
});

test("a GET whose connection drops is retried", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  s.simulator.addFault({ path: GET(r.id), drop: true });
  const got = await c.getRollout("my-app", r.id);
  assert.equal(got.id, r.id);
  assert.equal(count(s, "GET", GET(r.id)), 2);
});

async function closedPort() {
  const net = await import("node:net");
  const srv = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => srv.once("listening", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

test("a refused connection is retried for a trigger, and reported when it persists", async () => {
  const base = `http://127.0.0.1:${await closedPort()}`;
  const events = [];
  const c2 = new EncoreClient({ baseUrl: base, accessToken: "enc_tok_for_refused", maxRetries: 1, logger: (e) => events.push(e) });
  const e = await rejects(c2.triggerRollout("my-app", "prod", { sha: "abc" }));
  assert.ok(e instanceof EncoreConnectionError);
  assert.equal(events.length, 2, "refused before sending: safe to retry");
  assert.equal(events[0].failure, "connection_refused");
  assert.doesNotMatch(e.message, /may or may not/);
  assert.equal(e.outcomeUnknown, undefined);
  seen.tokens.add("enc_tok_for_refused");
});

test("a hung server gives EncoreTimeoutError after timeoutMs", async (t) => {
  const s = await server(t);
  const { c } = client(s, { timeoutMs: 300, maxRetries: 0 });
  // The token first, with a limit of its own: only the hung call is held to the client's 300 ms.
  await c.getToken({ timeoutMs: 30_000 });
  s.simulator.addFault({ path: "/api/apps/", hang: true });
  const started = Date.now();
  const e = await rejects(c.getRollout("my-app", "roll_x"));
  assert.ok(e instanceof EncoreTimeoutError, e.name);
  assert.ok(Date.now() - started < 3000);
});

test("a per-call timeoutMs overrides the client's", async (t) => {
  const s = await server(t);
  const { c } = client(s, { maxRetries: 0 });
  await c.getToken();
  s.simulator.addFault({ path: "/api/apps/", hang: true });
  const e = await rejects(c.getRollout("my-app", "roll_x", { timeoutMs: 200 }));
  assert.ok(e instanceof EncoreTimeoutError);
});

test("abort during a request rejects at once with AbortError", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  await c.getToken();
  s.simulator.addFault({ path: "/api/apps/", hang: true });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const started = Date.now();
  const e = await rejects(c.getRollout("my-app", "roll_x", { signal: ac.signal }));
  assert.equal(e.name, "AbortError");
  assert.ok(e instanceof pkg.EncoreError);
  assert.ok(Date.now() - started < 1000);
});

test("abort during a backoff wait rejects at once", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  await c.getToken();
  s.simulator.addFault({ path: "/api/apps/", status: 503, retryAfter: "30" });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 150);
  const started = Date.now();
  const e = await rejects(c.getRollout("my-app", "roll_x", { signal: ac.signal }));
  assert.equal(e.name, "AbortError");
  assert.ok(Date.now() - started < 2000);
});

test("abort during waitForRollout's poll wait", async (t) => {
  const s = await server(t, { timeScale: 1 });
  const { c } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  const e = await rejects(c.waitForRollout("my-app", r.id, { signal: ac.signal, intervalMs: 5000 }));
  assert.equal(e.name, "AbortError");
});

test("an onUpdate that throws ends waitForRollout at once with that very error", async (t) => {
  const s = await server(t, { timeScale: 1 });
  const { c } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const boom = new Error("boom");
  let calls = 0;
  const started = Date.now();
  const e = await rejects(c.waitForRollout("my-app", r.id, { intervalMs: 1000, onUpdate: () => { calls++; throw boom; } }));
  assert.equal(e, boom);
  assert.equal(calls, 1);
  assert.ok(Date.now() - started < 1000);
  const e2 = await rejects(c.waitForRollout("my-app", r.id, { onUpdate: async () => { throw boom; } }));
  assert.equal(e2, boom);
});

test("an async onUpdate is awaited before the next poll", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const seenStatuses = [];
  let running = false;
  const done = await c.waitForRollout("my-app", r.id, {
    intervalMs: 1000,
    onUpdate: async (x) => {
      assert.equal(running, false, "never two onUpdate at once");
      running = true;
      await new Promise((res) => setTimeout(res, 30));
      seenStatuses.push(x.status);
      running = false;
    },
  });
  assert.equal(done.status, "completed");
  assert.equal(seenStatuses.at(-1), "completed");
});

test("Node sends User-Agent encore-cloud/<version> plus the suffix, and no other extra header", async (t) => {
  const s = await server(t);
  const sent = [];
  const { c } = client(s, {
    userAgent: "deploy-bot/1.2",
    fetch: (url, init) => { sent.push(init.headers); return fetch(url, init); },
  });
  await c.triggerRollout("my-app", "prod", { branch: "main" });
  assert.equal(sent.length, 2, "token + trigger");
  for (const h of sent) {
    assert.match(h["user-agent"], /^encore-cloud\/\d+\.\d+\.\d+ deploy-bot\/1\.2$/);
    for (const k of Object.keys(h)) assert.ok(["authorization", "content-type", "user-agent"].includes(k), k);
  }
  assert.equal(sent[0]["content-type"], "application/x-www-form-urlencoded");
  assert.equal(sent[1]["content-type"], "application/json");
  assert.match(sent[1].authorization, /^Bearer /);
  assert.equal(sent[0].authorization, undefined);
});

test("util.inspect and console.log show the safe description", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  assert.equal(util.inspect(c), String(c));
  assert.match(util.inspect(c), /^EncoreClient\(http:\/\/127\.0\.0\.1:\d+, client o2c_demo_client\)$/);
});

test("waitForRollout's deadline gives EncoreTimeoutError", async (t) => {
  const s = await server(t, { timeScale: 1 });
  const { c } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const e = await rejects(c.waitForRollout("my-app", r.id, { timeoutMs: 1200, intervalMs: 1000 }));
  assert.ok(e instanceof EncoreTimeoutError);
  assert.match(e.message, /did not complete/);
});

test("an oversized body is an error, not an out-of-memory", async (t) => {
  const s = await server(t);
  const { c } = client(s, { maxRetries: 0 });
  await c.getToken();
  s.simulator.addFault({ path: "/api/apps/", bodyBytes: 11 * 1024 * 1024 });
  const e = await rejects(c.getRollout("my-app", "roll_x"));
  assert.ok(e instanceof EncoreProtocolError, e.name);
  assert.match(e.message, /too large/);
});

test("garbage bodies, then a successful call on the same client", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const garbage = ["", "{", "[]", "null", '{"id":5}', "\u0000\uffff", '{"ok":true}', JSON.stringify({ ...r, queued_at: "yesterday" }), "x".repeat(100000)];
  for (const body of garbage) {
    s.simulator.addFault({ path: GET(r.id), status: 200, body });
    const e = await rejects(c.getRollout("my-app", r.id));
    assert.ok(e instanceof EncoreProtocolError, `${JSON.stringify(body.slice(0, 20))}: ${e.name}`);
  }
  for (const [status, body] of [[400, "{"], [502, "\u0000"], [418, '{"code":7}'], [404, '{"error":{"code":[]}}']]) {
    s.simulator.addFault({ path: GET(r.id), status, body, count: 3 });
    const e = await rejects(c.getRollout("my-app", r.id));
    assert.ok(e instanceof EncoreApiError);
    assert.equal(e.status, status);
    s.simulator.clearFaults();
  }
  const ok = await c.getRollout("my-app", r.id);
  assert.equal(ok.id, r.id);
});

test("a logger that throws does not break calls", async (t) => {
  const s = await server(t);
  let called = 0;
  const c = new EncoreClient({ baseUrl: s.url, clientId: "o2c_demo_client", clientSecret: SECRET, logger: () => { called++; throw new Error("boom"); } });
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  assert.ok(r.id.startsWith("roll_"));
  assert.equal(called, 2, "token request and trigger were both logged");
});

test("query-style token requests keep the secret out of logs and errors", async (t) => {
  const s = await server(t);
  const { c, events } = client(s, { tokenAuthStyle: "query", maxRetries: 1 });
  s.simulator.addFault({ path: "/api/oauth/token", drop: true, count: 5 });
  const e = await rejects(c.getToken());
  assert.ok(e instanceof EncoreConnectionError);
  assert.ok(events.length >= 2);
  assert.ok(events.every((ev) => ev.path.includes("client_secret=[redacted]")));
});

test("no secret or token in any error, log event or printed client of this suite", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  await rememberToken(c);
  const needles = [SECRET, ...seen.tokens];
  assert.ok(seen.errors.length >= 15, `collected ${seen.errors.length} errors`);
  for (const e of seen.errors) {
    const text = [e.message, e.stack, JSON.stringify(e), util.inspect(e, { depth: 5 }), String(e.cause ?? "")].join("\n");
    for (const n of needles) assert.ok(!text.includes(n), `error ${e.name} leaks a secret`);
  }
  const logs = JSON.stringify(seen.logs);
  for (const n of needles) assert.ok(!logs.includes(n), "a log event leaks a secret");
  for (const printed of [String(c), JSON.stringify(c), util.inspect(c, { depth: 5 })]) {
    for (const n of needles) assert.ok(!printed.includes(n));
  }
});
