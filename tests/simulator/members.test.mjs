// Members as the vendor's Go API serves them (API.md "Members"): every field present, Go's zero
// time for unset times, 409 last_owner, 404 for a non-member, 403 for a client without the
// "members" scope. All on the manual clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, DEMO_ID, DEMO_SECRET, TS, call, manualSim, token } from "./helpers.mjs";
import { DEFAULT_APPS, GO_ZERO_TIME, MEMBER_ROLES, SCOPES, createSimulator } from "../../simulator/index.js";

const MEMBERS = "/api/apps/demo-app/members";
const INVITE = "/api/apps/demo-app/member";
const FIELDS = ["accepted", "email", "expires", "full_name", "invited", "picture_url", "role", "username"];

test("the exports name the roles, the scopes and Go's zero time", () => {
  assert.deepEqual([...MEMBER_ROLES].sort(), ["none", "owner", "reader", "writer"]);
  assert.deepEqual([...SCOPES].sort(), ["members", "rollouts"]);
  assert.equal(GO_ZERO_TIME, "0001-01-01T00:00:00Z");
});

test("the app's creator is listed with every field, zero times where Go has none", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  const { res, body } = await call(sim, tok, "GET", MEMBERS);
  assert.equal(res.status, 200);
  assert.equal(body.length, 1);
  const [owner] = body;
  assert.deepEqual(Object.keys(owner).sort(), FIELDS);
  assert.equal(owner.role, "owner");
  assert.equal(owner.invited, GO_ZERO_TIME, "never invited");
  assert.equal(owner.expires, GO_ZERO_TIME, "an accepted membership does not expire");
  assert.match(owner.accepted, TS);
  assert.equal(Date.parse(owner.accepted), sim.clock.now());
  for (const k of ["username", "full_name", "picture_url"]) assert.equal(typeof owner[k], "string");
});

test("an invitation: invited now, accepted the zero time, expires in a week; listed after", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  const now = sim.clock.now();
  const { res, body } = await call(sim, tok, "POST", INVITE, { email: "dev@example.com", role: "writer" });
  assert.equal(res.status, 200);
  assert.deepEqual(Object.keys(body).sort(), FIELDS);
  assert.equal(body.email, "dev@example.com");
  assert.equal(body.role, "writer");
  assert.equal(Date.parse(body.invited), now);
  assert.equal(body.accepted, GO_ZERO_TIME, "not accepted yet: Go's zero time, not null");
  assert.equal(Date.parse(body.expires), now + 7 * 24 * 3600 * 1000);
  assert.deepEqual([body.username, body.full_name, body.picture_url], ["", "", ""]);
  sim.clock.advance(1000);
  const list = (await call(sim, tok, "GET", MEMBERS)).body;
  assert.deepEqual(list.map((m) => [m.email, m.role]), [["owner@example.com", "owner"], ["dev@example.com", "writer"]]);
  assert.deepEqual(list[1], body, "the list shows the invitation unchanged");
});

test("invite refuses a bad body, role none and an existing member (any case)", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  for (const bad of [{ email: "x", role: "reader" }, { email: "a b@c.d", role: "reader" }, { email: "a@b@c", role: "reader" },
    { email: "a@b.c", role: "admin" }, { email: "a@b.c" }, [], "null"]) {
    const { res, body } = await call(sim, tok, "POST", INVITE, bad);
    assert.equal(res.status, 400, JSON.stringify(bad));
    assert.equal(body.code, "invalid_argument");
  }
  assert.equal((await call(sim, tok, "POST", INVITE, { email: "a@b.c", role: "none" })).res.status, 400);
  const dup = await call(sim, tok, "POST", INVITE, { email: "OWNER@example.com", role: "reader" });
  assert.deepEqual([dup.res.status, dup.body.code], [409, "already_exists"]);
  assert.equal((await call(sim, tok, "GET", MEMBERS)).body.length, 1, "nothing was added");
});

test("change role: 200 with no body; the list follows; 'none' revokes", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  await call(sim, tok, "POST", INVITE, { email: "dev@example.com", role: "reader" });
  let r = await sim.fetch(`${BASE}${MEMBERS}`, {
    method: "PUT", headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" },
    body: JSON.stringify({ email: "Dev@Example.com", role: "owner" }),
  });
  assert.equal(r.status, 200);
  assert.equal(await r.text(), "", "the PUT answers no payload");
  let list = (await call(sim, tok, "GET", MEMBERS)).body;
  assert.deepEqual(list.map((m) => m.role), ["owner", "owner"]);
  // With two owners, the first may step down; then the second is the last one.
  assert.equal((await call(sim, tok, "PUT", MEMBERS, { email: "owner@example.com", role: "none" })).res.status, 200);
  list = (await call(sim, tok, "GET", MEMBERS)).body;
  assert.deepEqual(list.map((m) => [m.email, m.role]), [["dev@example.com", "owner"]]);
  r = await sim.fetch(`${BASE}${MEMBERS}`, { method: "PUT", headers: { authorization: `Bearer ${tok}` }, body: "{" });
  assert.equal(r.status, 400);
});

test("the last owner cannot be demoted or removed: 409 in Encore's error shape, details last_owner", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  for (const role of ["none", "writer", "reader"]) {
    const { res, body } = await call(sim, tok, "PUT", MEMBERS, { email: "owner@example.com", role });
    assert.equal(res.status, 409, role);
    assert.deepEqual(Object.keys(body).sort(), ["code", "details", "message"]);
    assert.equal(body.code, "aborted");
    assert.equal(body.details, "last_owner");
    assert.match(body.message, /at least one owner/);
  }
  // "owner" → "owner" is no demotion.
  assert.equal((await call(sim, tok, "PUT", MEMBERS, { email: "owner@example.com", role: "owner" })).res.status, 200);
  assert.equal((await call(sim, tok, "GET", MEMBERS)).body[0].role, "owner", "nothing changed");
});

test("in envelope mode: 409 carries detail last_owner, the PUT answers {ok:true,data:null}", async () => {
  const sim = manualSim({ envelope: true });
  const tok = await token(sim);
  let { res, body } = await call(sim, tok, "PUT", MEMBERS, { email: "owner@example.com", role: "none" });
  assert.equal(res.status, 409);
  assert.deepEqual(body, { ok: false, error: { code: "aborted", detail: "last_owner" }, data: null });
  ({ res, body } = await call(sim, tok, "GET", MEMBERS));
  assert.equal(body.ok, true);
  assert.equal(body.data[0].invited, GO_ZERO_TIME);
  ({ res, body } = await call(sim, tok, "PUT", MEMBERS, { email: "owner@example.com", role: "owner" }));
  assert.deepEqual([res.status, body], [200, { ok: true, data: null }]);
});

test("404: a member that is not one, and an unknown app", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  let { res, body } = await call(sim, tok, "PUT", MEMBERS, { email: "who@example.com", role: "reader" });
  assert.deepEqual([res.status, body.code, body.details], [404, "not_found", null]);
  assert.match(body.message, /member not found: who@example\.com/);
  for (const [method, path] of [["GET", "/api/apps/nope/members"], ["POST", "/api/apps/nope/member"], ["PUT", "/api/apps/nope/members"]]) {
    ({ res, body } = await call(sim, tok, method, path, method === "GET" ? undefined : { email: "a@b.c", role: "reader" }));
    assert.deepEqual([res.status, body.code], [404, "not_found"], `${method} ${path}`);
  }
});

test("apps are separate, and reset brings the first members back", async () => {
  const sim = manualSim();
  const tok = await token(sim);
  await call(sim, tok, "POST", INVITE, { email: "dev@example.com", role: "reader" });
  assert.equal((await call(sim, tok, "GET", "/api/apps/my-app/members")).body.length, 1);
  assert.equal((await call(sim, tok, "GET", MEMBERS)).body.length, 2);
  sim.reset();
  const tok2 = await token(sim);
  assert.equal((await call(sim, tok2, "GET", MEMBERS)).body.length, 1);
});

test("configured members are completed as Go sends them; bad ones fail createSimulator", async () => {
  const sim = createSimulator({
    clock: "manual",
    apps: { ...DEFAULT_APPS, team: { envs: ["prod"], members: [
      { email: "a@example.com", role: "owner", accepted: Date.parse("2026-01-02T03:04:05Z"), username: "a" },
      { email: "b@example.com", role: "reader", invited: new Date("2026-03-01T00:00:00.5Z"), accepted: null },
    ] } },
  });
  const tok = await token(sim);
  const { body } = await call(sim, tok, "GET", "/api/apps/team/members");
  assert.deepEqual(body, [
    { email: "a@example.com", role: "owner", invited: GO_ZERO_TIME, accepted: "2026-01-02T03:04:05Z", expires: GO_ZERO_TIME,
      username: "a", full_name: "", picture_url: "" },
    { email: "b@example.com", role: "reader", invited: "2026-03-01T00:00:00.5Z", accepted: GO_ZERO_TIME, expires: GO_ZERO_TIME,
      username: "", full_name: "", picture_url: "" },
  ]);
  for (const members of [[{ email: "nope", role: "owner" }], [{ email: "a@b.c", role: "none" }], [{ email: "a@b.c", role: "owner", username: 1 }], {}]) {
    assert.throws(() => createSimulator({ apps: { x: { envs: [], members } } }), TypeError, JSON.stringify(members));
  }
});

test("403 permission_denied for a client without the members scope (option and control call)", async () => {
  const sim = createSimulator({
    clock: "manual",
    clients: [{ clientId: DEMO_ID, clientSecret: DEMO_SECRET }, { clientId: "o2c_deployer", clientSecret: "s1", scopes: ["rollouts"] }],
  });
  const deployer = await token(sim, "o2c_deployer", "s1");
  for (const [method, path, body] of [["GET", MEMBERS], ["POST", INVITE, { email: "a@b.c", role: "reader" }],
    ["PUT", MEMBERS, { email: "owner@example.com", role: "owner" }]]) {
    const r = await call(sim, deployer, method, path, body);
    assert.equal(r.res.status, 403, `${method} ${path}`);
    assert.deepEqual(Object.keys(r.body).sort(), ["code", "details", "message"]);
    assert.equal(r.body.code, "permission_denied");
    assert.match(r.body.message, /o2c_deployer.*members/);
  }
  // It may still deploy; the demo client may do both.
  assert.equal((await call(sim, deployer, "POST", "/api/apps/demo-app/envs/production/rollouts", { branch: "main" })).res.status, 200);
  assert.equal((await call(sim, await token(sim), "GET", MEMBERS)).res.status, 200);

  // The control call: a client with no scopes at all, secret generated and returned once.
  const res = await sim.fetch(`${BASE}/__sim/clients`, { method: "POST", body: JSON.stringify({ scopes: [] }) });
  assert.equal(res.status, 200);
  const made = await res.json();
  assert.match(made.clientId, /^o2c_/);
  assert.deepEqual(made.scopes, []);
  assert.equal(typeof made.clientSecret, "string");
  const none = await token(sim, made.clientId, made.clientSecret);
  assert.equal((await call(sim, none, "GET", MEMBERS)).res.status, 403);
  assert.equal((await call(sim, none, "GET", "/api/apps/demo-app/rollouts/roll_x")).res.status, 403);
  const cfg = await (await sim.fetch(`${BASE}/__sim/config`)).json();
  assert.deepEqual(cfg.clientScopes[made.clientId], []);
  assert.deepEqual(cfg.clientScopes.o2c_deployer, ["rollouts"]);
  assert.equal(JSON.stringify(cfg).includes(made.clientSecret), false, "config shows no secret");

  // A given secret is not echoed; a taken id is 409; bad specs are 400.
  const given = sim.addClient({ clientId: "o2c_ro", clientSecret: "pw", scopes: ["rollouts"] });
  assert.deepEqual(given, { clientId: "o2c_ro", scopes: ["rollouts"] });
  const taken = await sim.fetch(`${BASE}/__sim/clients`, { method: "POST", body: JSON.stringify({ clientId: "o2c_ro", clientSecret: "x" }) });
  assert.equal(taken.status, 409);
  for (const bad of [{ scopes: ["admin"] }, { scopes: "members" }, { clientId: "" }, { role: "owner" }]) {
    const r = await sim.fetch(`${BASE}/__sim/clients`, { method: "POST", body: JSON.stringify(bad) });
    assert.equal(r.status, 400, JSON.stringify(bad));
  }
  // Added clients last until reset.
  sim.reset();
  const after = await sim.fetch(`${BASE}/api/oauth/token`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: "o2c_ro", client_secret: "pw" }),
  });
  assert.equal(after.status, 401);
  await token(sim, "o2c_deployer", "s1"); // configured clients stay
});
