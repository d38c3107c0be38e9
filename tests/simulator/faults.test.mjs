import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, DEMO_ID, DEMO_SECRET, call, manualSim, token, tokenRequest } from "./helpers.mjs";

const GET_PATH = "/api/apps/demo-app/rollouts/roll_nope"; // a normal answer is 404

test("a status fault answers the next `count` matching requests, then normal service resumes", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  sim.addFault({ count: 2, status: 503, retryAfter: "2" });
  for (let i = 0; i < 2; i++) {
    const { res, body } = await call(sim, tok, "GET", GET_PATH);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "2");
    assert.equal(body.code, "unavailable");
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
  }
  assert.equal((await call(sim, tok, "GET", GET_PATH)).res.status, 404);
  assert.deepEqual(sim.requests.map((r) => [r.status, r.fault ?? false]), [[200, false], [503, true], [503, true], [404, false]]);
});

test("faults match by path prefix and method", async () => {
  const sim = manualSim();
  sim.addFault({ path: "/api/oauth/token", method: "post", status: 500, body: { error: "server_error" } });
  const tok = await token(sim).catch((e) => e);
  assert.match(String(tok), /500/);
  const good = await token(sim);
  sim.addFault({ path: "/api/apps/", method: "POST", status: 502, body: "<html>bad gateway</html>", headers: { "x-proxy": "yes" } });
  assert.equal((await call(sim, good, "GET", GET_PATH)).res.status, 404); // GET does not match
  const res = await sim.fetch(`${BASE}/api/apps/demo-app/envs/production/rollouts`, {
    method: "POST", headers: { authorization: `Bearer ${good}` }, body: '{"sha":"a"}',
  });
  assert.equal(res.status, 502);
  assert.equal(res.headers.get("x-proxy"), "yes");
  assert.equal(await res.text(), "<html>bad gateway</html>");
  assert.equal(sim.listFaults().length, 0);
});

test("a delay fault waits (real time) then answers normally; a delay with status answers the status", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  sim.addFault({ delayMs: 60 });
  let t = performance.now();
  assert.equal((await call(sim, tok, "GET", GET_PATH)).res.status, 404);
  assert.ok(performance.now() - t >= 55);
  sim.addFault({ delayMs: 30, status: 504 });
  t = performance.now();
  assert.equal((await call(sim, tok, "GET", GET_PATH)).res.status, 504);
  assert.ok(performance.now() - t >= 25);
});

test("drop: sim.fetch rejects with TypeError('fetch failed')", async () => {
  const sim = manualSim();
  sim.addFault({ drop: true });
  await assert.rejects(sim.fetch(`${BASE}/api/oauth/token`, { method: "POST" }), (e) => e instanceof TypeError && e.message === "fetch failed");
  assert.equal(sim.requests[0].fault, true);
  assert.equal(sim.requests[0].outcome, "drop");
});

test("hang never answers until aborted; abort rejects with the signal's AbortError", async () => {
  const sim = manualSim();
  sim.addFault({ hang: true });
  const ac = new AbortController();
  let settled = false;
  const p = sim.fetch(`${BASE}${GET_PATH}`, { signal: ac.signal }).finally(() => (settled = true));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(settled, false);
  ac.abort();
  await assert.rejects(p, (e) => e instanceof DOMException && e.name === "AbortError");
  // abort during a delay; and an already-aborted signal
  sim.addFault({ delayMs: 10_000 });
  const ac2 = new AbortController();
  const p2 = sim.fetch(`${BASE}${GET_PATH}`, { signal: ac2.signal });
  setTimeout(() => ac2.abort(), 10);
  await assert.rejects(p2, { name: "AbortError" });
  await assert.rejects(sim.fetch(`${BASE}${GET_PATH}`, { signal: AbortSignal.abort() }), { name: "AbortError" });
  sim.addFault({ hang: true });
  const ac3 = new AbortController();
  const timer = setTimeout(() => ac3.abort(new DOMException("timed out", "TimeoutError")), 20);
  await assert.rejects(sim.fetch(new Request(`${BASE}${GET_PATH}`, { signal: ac3.signal })), { name: "TimeoutError" });
  clearTimeout(timer);
  assert.deepEqual(sim.requests.map((r) => r.outcome), ["aborted", "aborted", "aborted"]);
});

test("bodyBytes answers 200 with N bytes of 'a'", async () => {
  const sim = manualSim();
  sim.addFault({ bodyBytes: 100_000 });
  const res = await sim.fetch(`${BASE}${GET_PATH}`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.equal(text.length, 100_000);
  assert.match(text, /^a+$/);
});

test("fault validation and the /__sim/faults endpoints", async () => {
  const sim = manualSim();
  assert.throws(() => sim.addFault({ count: 0 }), TypeError);
  assert.throws(() => sim.addFault({ bogus: 1 }), TypeError);
  let res = await sim.fetch(`${BASE}/__sim/faults`, { method: "POST", body: '{"status":"x"}' });
  assert.equal(res.status, 400);
  res = await sim.fetch(`${BASE}/__sim/faults`, { method: "POST", body: '{"count":3,"status":429,"retryAfter":5}' });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).retryAfter, "5");
  res = await sim.fetch(`${BASE}/__sim/faults`, { method: "DELETE" });
  assert.deepEqual(await res.json(), { cleared: 1 });
  assert.equal((await sim.fetch(`${BASE}${GET_PATH}`)).status, 401);
});

test("rate limit: beyond `limit` API calls per window → 429 resource_exhausted with Retry-After", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  sim.setRateLimit({ limit: 2, windowMs: 1000, retryAfter: 1 });
  assert.equal((await call(sim, tok, "GET", GET_PATH)).res.status, 404);
  assert.equal((await call(sim, tok, "GET", GET_PATH)).res.status, 404);
  const { res, body } = await call(sim, tok, "GET", GET_PATH);
  assert.equal(res.status, 429);
  assert.equal(body.code, "resource_exhausted");
  assert.equal(res.headers.get("retry-after"), "1");
  assert.equal(res.headers.get("retry-after-ms"), "1000");
  assert.equal(sim.requests.at(-1).rateLimited, true);
  // the token endpoint is not limited by default
  assert.equal((await tokenRequest(sim, { client_id: DEMO_ID, client_secret: DEMO_SECRET })).res.status, 200);
  sim.clock.advance(1000);
  assert.equal((await call(sim, tok, "GET", GET_PATH)).res.status, 404);
  // over HTTP; DELETE removes it
  let r = await sim.fetch(`${BASE}/__sim/rate-limit`, { method: "POST", body: '{"limit":0,"windowMs":5000}' });
  assert.equal(r.status, 200);
  const limited = await call(sim, tok, "GET", GET_PATH);
  assert.equal(limited.res.status, 429);
  assert.equal(limited.res.headers.get("retry-after"), "5");
  r = await sim.fetch(`${BASE}/__sim/rate-limit`, { method: "DELETE" });
  assert.equal(r.status, 200);
  assert.equal((await call(sim, tok, "GET", GET_PATH)).res.status, 404);
  // a path prefix can include the token endpoint
  sim.setRateLimit({ limit: 0, path: "/api/oauth/" });
  assert.equal((await tokenRequest(sim, { client_id: DEMO_ID, client_secret: DEMO_SECRET })).res.status, 429);
});

test("fault specs that could not be answered are refused when added", () => {
  const sim = manualSim();
  assert.throws(() => sim.addFault({ status: 500, headers: { "bad name": "x" } }), /invalid header/);
  assert.throws(() => sim.addFault({ retryAfter: 3 }), /need fault.status/);
  assert.throws(() => sim.addFault({ body: "x" }), /need fault.status/);
  assert.doesNotThrow(() => sim.addFault({ status: 503, retryAfter: 3, headers: { "x-a": "b" } }));
});
