import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, DEMO_ID, DEMO_SECRET, call, manualSim, token, tokenRequest } from "./helpers.mjs";

test("form-encoded client credentials give a bearer token", async () => {
  const sim = manualSim();
  const { res, body } = await tokenRequest(sim, { grant_type: "client_credentials", client_id: DEMO_ID, client_secret: DEMO_SECRET });
  assert.equal(res.status, 200);
  assert.match(body.access_token, /^enc_[A-Za-z0-9]{20,}$/);
  assert.deepEqual({ ...body, access_token: "x" }, { access_token: "x", expires_in: 3600, actor: DEMO_ID, token_type: "Bearer" });
  assert.equal(res.headers.get("cache-control"), "no-store");
});

test("query-parameter credentials (the reference's style) work too, with or without grant_type", async () => {
  const sim = manualSim();
  const q = `?client_id=${DEMO_ID}&client_secret=${DEMO_SECRET}`;
  for (const query of [q, `${q}&grant_type=client_credentials`]) {
    const res = await sim.fetch(`${BASE}/api/oauth/token${query}`, { method: "POST" });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).actor, DEMO_ID);
  }
});

test("HTTP Basic client authentication is accepted", async () => {
  const sim = manualSim();
  const { res, body } = await tokenRequest(sim, { grant_type: "client_credentials" },
    { headers: { authorization: `Basic ${btoa(`${DEMO_ID}:${DEMO_SECRET}`)}` } });
  assert.equal(res.status, 200, JSON.stringify(body));
});

test("tokens are distinct and the lifetime option is honoured", async () => {
  const sim = manualSim({ tokenLifetimeSeconds: 60 });
  const a = await tokenRequest(sim, { client_id: DEMO_ID, client_secret: DEMO_SECRET });
  const b = await tokenRequest(sim, { client_id: DEMO_ID, client_secret: DEMO_SECRET });
  assert.equal(a.body.expires_in, 60);
  assert.notEqual(a.body.access_token, b.body.access_token);
});

test("RFC 6749 errors: unsupported_grant_type, invalid_request, invalid_client", async () => {
  const sim = manualSim();
  const cases = [
    [{ grant_type: "password", client_id: DEMO_ID, client_secret: DEMO_SECRET }, 400, "unsupported_grant_type"],
    [{ grant_type: "client_credentials", client_secret: DEMO_SECRET }, 400, "invalid_request"],
    [{ grant_type: "client_credentials", client_id: DEMO_ID }, 400, "invalid_request"],
    [{}, 400, "invalid_request"],
    [{ client_id: DEMO_ID, client_secret: "wrong" }, 401, "invalid_client"],
    [{ client_id: "o2c_nobody", client_secret: DEMO_SECRET }, 401, "invalid_client"],
  ];
  for (const [params, status, error] of cases) {
    const { res, body } = await tokenRequest(sim, params);
    assert.equal(res.status, status, JSON.stringify(params));
    assert.equal(body.error, error);
    assert.equal(typeof body.error_description, "string");
    // The Basic challenge answers only clients that used HTTP Basic (these used the form body).
    assert.equal(res.headers.has("www-authenticate"), false);
  }
  const basic = await sim.fetch(`${BASE}/api/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${DEMO_ID}:wrong`)}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  assert.equal(basic.status, 401);
  assert.equal(basic.headers.get("www-authenticate"), 'Basic realm="encore-cloud"');
  // query grant_type is checked too; credentials twice is a caller error
  let r = await sim.fetch(`${BASE}/api/oauth/token?grant_type=implicit&client_id=${DEMO_ID}&client_secret=${DEMO_SECRET}`, { method: "POST" });
  assert.equal((await r.json()).error, "unsupported_grant_type");
  const { res, body } = await tokenRequest(sim, { client_id: DEMO_ID, client_secret: DEMO_SECRET },
    { query: `?client_id=${DEMO_ID}&client_secret=${DEMO_SECRET}` });
  assert.equal(res.status, 400);
  assert.equal(body.error, "invalid_request");
  // GET is not the token endpoint
  r = await sim.fetch(`${BASE}/api/oauth/token`);
  assert.equal(r.status, 404);
});

test("custom clients replace the demo client", async () => {
  const sim = manualSim({ clients: [{ clientId: "o2c_a", clientSecret: "s" }] });
  assert.equal((await tokenRequest(sim, { client_id: "o2c_a", client_secret: "s" })).res.status, 200);
  assert.equal((await tokenRequest(sim, { client_id: DEMO_ID, client_secret: DEMO_SECRET })).res.status, 401);
});

test("API calls need a valid bearer token", async () => {
  const sim = manualSim();
  for (const auth of [undefined, "Bearer", "Bearer enc_forged", "Basic abc"]) {
    const res = await sim.fetch(`${BASE}/api/apps/demo-app/rollouts/roll_x`, { headers: auth ? { authorization: auth } : {} });
    assert.equal(res.status, 401);
    const body = await res.json();
    assert.equal(body.code, "unauthenticated");
    assert.equal(typeof body.message, "string");
    assert.equal(body.details, null);
  }
});

test("tokens expire by the simulator clock", async () => {
  const sim = manualSim({ tokenLifetimeSeconds: 100 });
  const tok = await token(sim);
  const path = "/api/apps/demo-app/rollouts/roll_unknown";
  assert.equal((await call(sim, tok, "GET", path)).res.status, 404);
  sim.clock.advance(99_999);
  assert.equal((await call(sim, tok, "GET", path)).res.status, 404);
  sim.clock.advance(1);
  const { res, body } = await call(sim, tok, "GET", path);
  assert.equal(res.status, 401);
  assert.equal(body.code, "unauthenticated");
  assert.match(body.message, /expired/);
});

test("revoking a client invalidates its tokens; new tokens still work unless disabled", async () => {
  const sim = manualSim();
  const path = "/api/apps/demo-app/rollouts/roll_unknown";
  const a = await token(sim);
  const b = await token(sim);
  assert.equal(sim.revokeClient(DEMO_ID), 2);
  assert.equal((await call(sim, a, "GET", path)).res.status, 401);
  assert.equal((await call(sim, b, "GET", path)).res.status, 401);
  const c = await token(sim);
  assert.equal((await call(sim, c, "GET", path)).res.status, 404);
  // over HTTP, with disable
  const r = await sim.fetch(`${BASE}/__sim/clients/${DEMO_ID}/revoke`, { method: "POST", body: '{"disable":true}' });
  assert.deepEqual(await r.json(), { revoked: 1 });
  assert.equal((await call(sim, c, "GET", path)).res.status, 401);
  assert.equal((await tokenRequest(sim, { client_id: DEMO_ID, client_secret: DEMO_SECRET })).res.status, 401);
  const unknown = await sim.fetch(`${BASE}/__sim/clients/o2c_nobody/revoke`, { method: "POST" });
  assert.equal(unknown.status, 404);
  assert.throws(() => sim.revokeClient("o2c_nobody"), { code: "not_found", status: 404 });
  sim.reset();
  assert.equal((await tokenRequest(sim, { client_id: DEMO_ID, client_secret: DEMO_SECRET })).res.status, 200);
});
