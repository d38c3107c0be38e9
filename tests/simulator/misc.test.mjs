import assert from "node:assert/strict";
import { test } from "node:test";
import { createSimulator } from "../../simulator/index.js";
import { BASE, DEMO_ID, DEMO_SECRET, call, manualSim, token, tokenRequest } from "./helpers.mjs";

test("envelope mode wraps successes and Encore errors; the token endpoint keeps RFC 6749", async () => {
  const sim = manualSim({ envelope: true });
  const tok = await token(sim);
  const bad = await tokenRequest(sim, { client_id: DEMO_ID, client_secret: "x" });
  assert.deepEqual(Object.keys(bad.body).sort(), ["error", "error_description"]);
  let { res, body } = await call(sim, tok, "POST", "/api/apps/demo-app/envs/production/rollouts", { sha: "a" });
  assert.equal(res.status, 200);
  assert.equal(body.ok, true);
  assert.match(body.data.id, /^roll_/);
  ({ res, body } = await call(sim, tok, "GET", "/api/apps/demo-app/rollouts/roll_nope"));
  assert.equal(res.status, 404);
  assert.equal(body.ok, false);
  assert.equal(body.data, null);
  assert.equal(body.error.code, "not_found");
  assert.equal(typeof body.error.detail, "string");
  ({ res, body } = await call(sim, null, "GET", "/api/apps/demo-app/rollouts/roll_nope"));
  assert.deepEqual([res.status, body.ok, body.error.code], [401, false, "unauthenticated"]);
  sim.addFault({ status: 503 });
  ({ res, body } = await call(sim, tok, "GET", "/api/apps/demo-app/rollouts/roll_nope"));
  assert.deepEqual([res.status, body.ok, body.error.code], [503, false, "unavailable"]);
});

test("request log: redacted client_secret, statuses, times; count(); control calls and OPTIONS excluded", async () => {
  const sim = manualSim();
  await sim.fetch(`${BASE}/api/oauth/token?client_id=${DEMO_ID}&client_secret=${DEMO_SECRET}`, { method: "POST" });
  sim.clock.advance(10);
  await sim.fetch(`${BASE}/api/apps/demo-app/rollouts/x?a=1`);
  await sim.fetch(`${BASE}/__sim/config`);
  await sim.fetch(`${BASE}/api/apps/demo-app/rollouts/x`, { method: "OPTIONS" });
  const t0 = Date.parse("2026-03-18T09:41:07.123Z");
  assert.deepEqual(sim.requests, [
    { method: "POST", path: "/api/oauth/token", query: { client_id: DEMO_ID, client_secret: "[redacted]" }, status: 200, time: t0 },
    { method: "GET", path: "/api/apps/demo-app/rollouts/x", query: { a: "1" }, status: 401, time: t0 + 10 },
  ]);
  assert.ok(!JSON.stringify(sim.requests).includes(DEMO_SECRET));
  const viaHttp = await (await sim.fetch(`${BASE}/__sim/requests`)).json();
  assert.deepEqual(viaHttp, sim.requests);
  assert.equal(sim.count("POST", "/api/oauth"), 1);
  assert.equal(sim.count("get", "/api/apps/"), 1);
  assert.equal(sim.count(null, "/api"), 2);
  assert.equal(sim.count(), 2);
});

test("/__sim/config, clock endpoints and reset", async () => {
  const sim = manualSim();
  let res = await sim.fetch(`${BASE}/__sim/config`);
  const cfg = await res.json();
  assert.deepEqual(cfg.clients, [{ clientId: DEMO_ID }]);
  assert.deepEqual(cfg.demoClient, { clientId: DEMO_ID, clientSecret: DEMO_SECRET });
  assert.deepEqual(cfg.apps, { "demo-app": { envs: ["production", "staging"] }, "my-app": { envs: ["prod", "staging"] } });
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  res = await sim.fetch(`${BASE}/__sim/clock/advance`, { method: "POST", body: '{"ms":1000}' });
  assert.equal((await res.json()).time, "2026-03-18T09:41:08.123Z");
  assert.equal((await sim.fetch(`${BASE}/__sim/clock/advance`, { method: "POST", body: '{"ms":-1}' })).status, 400);
  assert.equal((await sim.fetch(`${BASE}/__sim/nothing`)).status, 404);
  const tok = await token(sim);
  const r = (await call(sim, tok, "POST", "/api/apps/demo-app/envs/production/rollouts", { sha: "a" })).body;
  sim.addFault({ status: 500, path: "/never" });
  res = await sim.fetch(`${BASE}/__sim/reset`, { method: "POST" });
  assert.equal(res.status, 200);
  assert.equal(sim.requests.length, 0);
  assert.equal(sim.listFaults().length, 0);
  assert.equal(sim.getRollout(r.id), null);
  assert.equal((await call(sim, tok, "GET", "/api/apps/demo-app/rollouts/x")).res.status, 401);
  assert.equal(sim.clock.now(), Date.parse("2026-03-18T09:41:08.123Z"));
});

test("clock modes", () => {
  const real = createSimulator();
  const before = Date.now();
  assert.ok(real.clock.now() >= before && real.clock.now() <= Date.now());
  real.clock.advance(60_000);
  assert.ok(real.clock.now() >= before + 60_000);
  const manual = createSimulator({ clock: "manual", startTime: 5 });
  assert.equal(manual.clock.now(), 5);
  manual.clock.advance(7);
  assert.equal(manual.clock.now(), 12);
  assert.throws(() => createSimulator({ clock: "sundial" }), TypeError);
});

test("members: invite, list, change role, last owner protection", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  let { res, body } = await call(sim, tok, "GET", "/api/apps/demo-app/members");
  assert.equal(res.status, 200);
  assert.deepEqual(body.map((m) => [m.email, m.role]), [["owner@example.com", "owner"]]);
  ({ res, body } = await call(sim, tok, "POST", "/api/apps/demo-app/member", { email: "dev@example.com", role: "writer" }));
  assert.equal(res.status, 200);
  assert.equal(body.role, "writer");
  assert.equal(body.invited, "2026-03-18T09:41:07.123Z");
  assert.equal((await call(sim, tok, "POST", "/api/apps/demo-app/member", { email: "dev@example.com", role: "reader" })).res.status, 409);
  assert.equal((await call(sim, tok, "POST", "/api/apps/demo-app/member", { email: "x", role: "reader" })).res.status, 400);
  ({ res, body } = await call(sim, tok, "PUT", "/api/apps/demo-app/members", { email: "owner@example.com", role: "none" }));
  assert.deepEqual([res.status, body.details], [409, "last_owner"]);
  assert.equal((await call(sim, tok, "PUT", "/api/apps/demo-app/members", { email: "who@example.com", role: "reader" })).res.status, 404);
  ({ res, body } = await call(sim, tok, "PUT", "/api/apps/demo-app/members", { email: "dev@example.com", role: "none" }));
  assert.equal(res.status, 200);
  assert.equal((await call(sim, tok, "GET", "/api/apps/demo-app/members")).body.length, 1);
  assert.equal((await call(sim, tok, "GET", "/api/apps/nope/members")).res.status, 404);
});

test("timestamps are written as Go's RFC3339Nano: no trailing zeros, no fraction on whole seconds", async () => {
  const { formatTimestamp } = await import("../../simulator/ids.js");
  assert.equal(formatTimestamp(Date.parse("2026-03-18T09:41:07.123Z")), "2026-03-18T09:41:07.123Z");
  assert.equal(formatTimestamp(Date.parse("2026-03-18T09:41:07.120Z")), "2026-03-18T09:41:07.12Z");
  assert.equal(formatTimestamp(Date.parse("2026-03-18T09:41:07.000Z")), "2026-03-18T09:41:07Z");
  assert.equal(formatTimestamp(null), null);
});
