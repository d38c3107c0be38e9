// Reliability edge cases found in review: shared token waits, deadlines, decompression bombs,
// encoded secrets, listener leaks, ambiguous trigger outcomes, renewal during an outage,
// timer limits, and custom fetches that ignore the abort signal.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import zlib from "node:zlib";
import { getEventListeners } from "node:events";
import { pkg, server, client, rejects, count, SECRET } from "./helpers.mjs";

const { EncoreClient, EncoreApiError, EncoreProtocolError, EncoreTimeoutError, EncoreValidationError } = pkg;
const TRIGGER = "/api/apps/my-app/envs/prod/rollouts";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("one caller's abort does not fail the others waiting for the same token", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  s.simulator.addFault({ path: "/api/oauth/token", delayMs: 300 });
  const ac = new AbortController();
  const first = c.getToken({ signal: ac.signal });
  const second = c.getToken();
  setTimeout(() => ac.abort(), 50);
  const e = await rejects(first);
  assert.equal(e.name, "AbortError");
  const tok = await second;
  assert.equal(typeof tok.access_token, "string");
});

test("waitForRollout's deadline also cuts a poll in flight", async (t) => {
  const s = await server(t);
  const { c } = client(s, { timeoutMs: 2000, maxRetries: 1 });
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  s.simulator.addFault({ path: `/api/apps/my-app/rollouts/${r.id}`, hang: true, count: 10 });
  const started = Date.now();
  const e = await rejects(c.waitForRollout("my-app", r.id, { timeoutMs: 600 }));
  assert.ok(e instanceof EncoreTimeoutError, e.name);
  assert.equal(e.code, "deadline_exceeded");
  assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
});

test("a gzip bomb is refused while streaming, not decompressed whole", async (t) => {
  // 400 MB of zeros, gzip-compressed to well under 1 MB, sent with its compressed length.
  const gz = zlib.createGzip({ level: 9 });
  const parts = [];
  gz.on("data", (d) => parts.push(d));
  const zero = Buffer.alloc(1 << 20);
  for (let i = 0; i < 400; i++) gz.write(zero);
  await new Promise((r) => gz.end(r));
  const bomb = Buffer.concat(parts);
  const srv = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": bomb.length });
    res.end(bomb);
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  t.after(() => srv.close());
  const c = new EncoreClient({ baseUrl: `http://127.0.0.1:${srv.address().port}`, accessToken: "enc_bomb_token", maxRetries: 0 });
  global.gc?.();
  const before = process.memoryUsage().rss;
  const e = await rejects(c.getRollout("my-app", "roll_x"));
  const grown = (process.memoryUsage().rss - before) / 1e6;
  assert.ok(e instanceof EncoreProtocolError, e.name);
  assert.match(e.message, /too large/);
  assert.ok(grown < 250, `memory grew by ${grown.toFixed(0)} MB`);
});

test("a secret echoed percent-encoded, or cut by the snippet, is not shown", async (t) => {
  const secret = "s3cr3t/Key+with=base64";
  const s = await server(t, { clients: [{ clientId: "o2c_enc", clientSecret: secret }] });
  const c = new EncoreClient({ baseUrl: s.url, clientId: "o2c_enc", clientSecret: secret, tokenAuthStyle: "query", maxRetries: 0 });
  const encoded = encodeURIComponent(secret);
  s.simulator.addFault({ path: "/api/oauth/token", status: 400, body: `<html>bad request: /api/oauth/token?client_id=o2c_enc&client_secret=${encoded}</html>` });
  const e = await rejects(c.getToken());
  assert.ok(!e.message.includes(encoded) && !e.message.includes(secret), e.message);
  s.simulator.addFault({ path: "/api/oauth/token", status: 400, body: `${"x".repeat(190)}client_secret=${secret}` });
  const e2 = await rejects(c.getToken());
  assert.ok(!e2.message.includes("s3cr"), e2.message);
});

test("abort listeners are removed when calls finish", async (t) => {
  const s = await server(t);
  const { c: issuer } = client(s);
  const token = (await issuer.getToken()).access_token;
  const c = new EncoreClient({ baseUrl: s.url, accessToken: async () => token });
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const ac = new AbortController();
  for (let i = 0; i < 20; i++) await c.getRollout("my-app", r.id, { signal: ac.signal });
  assert.equal(getEventListeners(ac.signal, "abort").length, 0);
});

test("trigger outcomes: 524 and an unreadable 2xx are unknown; an abort before sending is not", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  await c.getToken();
  s.simulator.addFault({ path: TRIGGER, status: 524, body: "origin timeout" });
  const e = await rejects(c.triggerRollout("my-app", "prod", { branch: "main" }));
  assert.equal(e.outcomeUnknown, true);
  assert.equal(count(s, "POST", TRIGGER), 1);
  s.simulator.addFault({ path: TRIGGER, status: 201, body: "{\"id\":" });
  const e2 = await rejects(c.triggerRollout("my-app", "prod", { branch: "main" }));
  assert.ok(e2 instanceof EncoreProtocolError);
  assert.equal(e2.outcomeUnknown, true);
  assert.match(e2.message, /probably created/);
  const ac = new AbortController();
  ac.abort();
  const e3 = await rejects(c.triggerRollout("my-app", "prod", { branch: "main" }, { signal: ac.signal }));
  assert.equal(e3.name, "AbortError");
  assert.equal(e3.outcomeUnknown, undefined);
  assert.doesNotMatch(e3.message, /may or may not/);
  assert.equal(count(s, "POST", TRIGGER), 2, "nothing sent after the abort");
});

test("a failed renewal keeps using the token that is still valid", async (t) => {
  // 4 s tokens: renewal from 2 s on; at 2.3 s the old one has 1.7 s left.
  const s = await server(t, { tokenLifetimeSeconds: 4 });
  const { c } = client(s, { maxRetries: 0 });
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  await sleep(2300);
  s.simulator.addFault({ path: "/api/oauth/token", status: 503, count: 5 });
  const got = await c.getRollout("my-app", r.id);
  assert.equal(got.id, r.id);
  assert.equal(count(s, "POST", "/api/oauth/token"), 2, "renewal was tried");
});

test("intervals beyond what timers honour are refused", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  const e = await rejects(c.waitForRollout("my-app", "roll_x", { intervalMs: 3e9 }));
  assert.ok(e instanceof EncoreValidationError);
  assert.equal(count(s, "GET", "/api/apps/"), 0);
});

test("an abort during an async onUpdate is honoured at once", async (t) => {
  const s = await server(t);
  const { c } = client(s);
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const started = Date.now();
  const e = await rejects(c.waitForRollout("my-app", r.id, { signal: ac.signal, onUpdate: () => sleep(2000) }));
  assert.equal(e.name, "AbortError");
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
});

test("timeoutMs covers the body: headers then a stalled body is a timeout", async (t) => {
  const srv = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"id":"roll_');
    // …and nothing more, ever.
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  t.after(() => { srv.closeAllConnections(); srv.close(); });
  const c = new EncoreClient({ baseUrl: `http://127.0.0.1:${srv.address().port}`, accessToken: "enc_stall_token", timeoutMs: 300, maxRetries: 0 });
  const started = Date.now();
  const e = await rejects(c.getRollout("my-app", "roll_x"));
  assert.ok(e instanceof EncoreTimeoutError, e.name);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test("timeoutMs and signal hold against a custom fetch that ignores init.signal", async () => {
  const slow = () => new Promise((res) => setTimeout(() => res(new Response("{}", { status: 500 })), 3000));
  const c = new EncoreClient({ baseUrl: "http://127.0.0.1:1", accessToken: "enc_tok_custom_fetch", fetch: slow, timeoutMs: 200, maxRetries: 0 });
  let started = Date.now();
  const e = await rejects(c.getRollout("my-app", "roll_x"));
  assert.ok(e instanceof EncoreTimeoutError, e.name);
  assert.ok(Date.now() - started < 1500);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  started = Date.now();
  const e2 = await rejects(c.getRollout("my-app", "roll_x", { signal: ac.signal, timeoutMs: 10000 }));
  assert.equal(e2.name, "AbortError");
  assert.ok(Date.now() - started < 1500);
  assert.ok(!e.message.includes(SECRET));
});

test("an accessToken function that throws or returns a non-string fails the call before sending", async (t) => {
  const s = await server(t);
  const throwing = new EncoreClient({ baseUrl: s.url, accessToken: () => { throw new Error("vault unreachable"); } });
  const e = await rejects(throwing.getRollout("my-app", "roll_x"));
  assert.ok(e instanceof pkg.EncoreError);
  assert.equal(e.code, "token_function_failed");
  assert.equal(e.message, "the accessToken function failed: vault unreachable");
  const numeric = new EncoreClient({ baseUrl: s.url, accessToken: async () => 42 });
  const e2 = await rejects(numeric.getRollout("my-app", "roll_x"));
  assert.equal(e2.message, "the accessToken function failed: it returned number, not a string (or a Promise of one)");
  assert.equal(count(s, "GET", "/api/apps/"), 0);
});
