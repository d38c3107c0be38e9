import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, TS, call, getRollout, manualSim, token, trigger } from "./helpers.mjs";

const T0 = "2026-03-18T09:41:07.123Z";
// Go's RFC3339Nano: trailing zeros of the fraction dropped (and the fraction on a whole second).
const at = (ms) => new Date(Date.parse(T0) + ms).toISOString().replace(/(\.\d*?)0+Z$/, "$1Z").replace(/\.Z$/, "Z");

/**
 * The instant an RFC 3339 timestamp names, in ms. Never compare the strings: Go drops the
 * fraction's trailing zeros, so "…:07Z" sorts after "…:07.5Z" although it is earlier.
 */
function instant(s) {
  const ms = Date.parse(s);
  assert.ok(Number.isFinite(ms), `not a timestamp: ${s}`);
  return ms;
}

/** Asserts that the non-null timestamps of `o` (queued ≤ started ≤ completed) are in order. */
function checkOrder(o, what) {
  const ts = ["queued_at", "started_at", "completed_at"].filter((k) => o[k] !== null);
  for (let i = 1; i < ts.length; i++) {
    assert.ok(instant(o[ts[i - 1]]) <= instant(o[ts[i]]), `${what}: ${ts[i - 1]} ${o[ts[i - 1]]} after ${ts[i]} ${o[ts[i]]}`);
  }
}

/** Rules that hold for every Rollout at every instant. */
function checkInvariants(r) {
  checkOrder(r, "rollout");
  assert.match(r.id, /^roll_[A-Za-z0-9]+$/);
  assert.equal(r.conclusion === "pending", r.status !== "completed", `rollout ${r.status}/${r.conclusion}`);
  assert.equal(r.completed_at === null, r.status !== "completed");
  assert.equal(r.started_at !== null, r.status === "running" || (r.status === "completed" && r.started_at !== null));
  for (const name of ["build", "infra", "deploy"]) {
    const p = r[name];
    assert.match(p.id, new RegExp(`^${name}_[A-Za-z0-9]+$`));
    for (const k of ["queued_at", "started_at", "completed_at"]) if (p[k] !== null) assert.match(p[k], TS);
    if (p.status === "completed") {
      assert.notEqual(p.conclusion, "unknown", `${name} completed without conclusion`);
      assert.notEqual(p.completed_at, null);
    } else {
      assert.equal(p.completed_at, null);
      assert.equal(p.conclusion, "unknown", `${name}: "unknown" until completed`);
    }
    if (p.status === "running") assert.notEqual(p.started_at, null);
    if (p.started_at !== null) assert.notEqual(p.queued_at, null);
    checkOrder(p, name);
    if (p.completed_at !== null && r.completed_at !== null) assert.ok(instant(p.completed_at) <= instant(r.completed_at));
  }
}

/** Compact status summary: "rollout status/conclusion | build s/c | infra s/c | deploy s/c". */
function summary(r) {
  checkInvariants(r);
  return [r, r.build, r.infra, r.deploy].map((p) => `${p.status}/${p.conclusion}`).join(" | ");
}

async function setup(options) {
  const sim = manualSim(options);
  return { sim, tok: await token(sim) };
}

test("trigger answers the new Rollout; ids have the documented prefixes", async () => {
  const { sim, tok } = await setup();
  const r = await trigger(sim, tok, { sha: "abc123", skip_tests: true, force_rebuild: false });
  assert.equal(summary(r), "queued/pending | queued/unknown | pending/unknown | queued/unknown");
  assert.deepEqual(Object.keys(r).sort(), ["build", "completed_at", "conclusion", "deploy", "id", "infra", "queued_at", "started_at", "status"]);
  assert.equal(r.queued_at, T0);
  assert.equal(r.build.queued_at, T0);
  assert.equal(r.started_at, null);
  const other = await trigger(sim, tok, { branch: "main" }, "my-app", "prod");
  assert.notEqual(other.id, r.id);
});

test("trigger validation: each caller error is a 400 invalid_argument saying what is wrong", async () => {
  const { sim, tok } = await setup();
  const path = "/api/apps/demo-app/envs/production/rollouts";
  const cases = [
    ["{not json", /JSON/],
    [[], /object/],
    ["null", /object/],
    [{}, /one of/],
    [{ skip_tests: true }, /one of/],
    [{ sha: "a", branch: "b" }, /both/],
    [{ sha: "" }, /sha.*non-empty/],
    [{ branch: 5 }, /branch.*string/],
    [{ sha: "a", skip_tests: "yes" }, /skip_tests.*boolean/],
    [{ branch: "main", force_rebuild: 1 }, /force_rebuild.*boolean/],
  ];
  for (const [body, msg] of cases) {
    const { res, body: out } = await call(sim, tok, "POST", path, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(out.code, "invalid_argument");
    assert.match(out.message, msg);
    assert.equal(out.details, null);
  }
  const empty = await call(sim, tok, "POST", path, "");
  assert.equal(empty.res.status, 400);
});

test("unknown app or env is 404 not_found; unauthenticated wins over both", async () => {
  const { sim, tok } = await setup();
  let { res, body } = await call(sim, tok, "POST", "/api/apps/nope/envs/production/rollouts", { sha: "a" });
  assert.equal(res.status, 404);
  assert.equal(body.code, "not_found");
  assert.match(body.message, /app/);
  ({ res, body } = await call(sim, tok, "POST", "/api/apps/demo-app/envs/prod/rollouts", { sha: "a" }));
  assert.equal(res.status, 404);
  assert.match(body.message, /environment/);
  ({ res } = await call(sim, null, "POST", "/api/apps/nope/envs/production/rollouts", { sha: "a" }));
  assert.equal(res.status, 401);
});

test("GET: unknown id, another app's rollout, unknown app, unknown paths and wrong methods are 404", async () => {
  const { sim, tok } = await setup();
  const r = await trigger(sim, tok, { branch: "main" });
  assert.equal((await getRollout(sim, tok, r.id)).id, r.id);
  for (const path of [`/api/apps/demo-app/rollouts/roll_nope`, `/api/apps/my-app/rollouts/${r.id}`,
    `/api/apps/nope/rollouts/${r.id}`, "/api/nothing", "/elsewhere", `/api/apps/demo-app/rollouts/${r.id}/`]) {
    const { res, body } = await call(sim, tok, "GET", path);
    assert.equal(res.status, 404, path);
    assert.equal(body.code, "not_found");
  }
  const { res, body } = await call(sim, tok, "DELETE", `/api/apps/demo-app/rollouts/${r.id}`);
  assert.equal(res.status, 404);
  assert.match(body.message, /method DELETE/);
});

test("path segments are percent-decoded before lookup; a bad escape is invalid_argument", async () => {
  const { sim, tok } = await setup({ apps: { "team/app ü": { envs: ["pre prod"] } } });
  const app = encodeURIComponent("team/app ü");
  const r = await trigger(sim, tok, { sha: "a" }, app, encodeURIComponent("pre prod"));
  assert.equal((await getRollout(sim, tok, encodeURIComponent(r.id), app)).id, r.id);
  const { res, body } = await call(sim, tok, "GET", "/api/apps/%E0%A4%A/rollouts/x");
  assert.equal(res.status, 400);
  assert.equal(body.code, "invalid_argument");
});

test("scenario success: full progression with exact timestamps", async () => {
  const { sim, tok } = await setup();
  const { id } = await trigger(sim, tok, { branch: "main" });
  const steps = [
    [999, "queued/pending | queued/unknown | pending/unknown | queued/unknown"],
    [1, "running/pending | running/unknown | pending/unknown | queued/unknown"],
    [4000, "running/pending | completed/success | queued/unknown | queued/unknown"],
    [500, "running/pending | completed/success | running/unknown | queued/unknown"],
    [3000, "running/pending | completed/success | completed/success | queued/unknown"],
    [500, "running/pending | completed/success | completed/success | running/unknown"],
    [2999, "running/pending | completed/success | completed/success | running/unknown"],
    [1, "completed/success | completed/success | completed/success | completed/success"],
    [60_000, "completed/success | completed/success | completed/success | completed/success"],
  ];
  for (const [ms, want] of steps) {
    sim.clock.advance(ms);
    assert.equal(summary(await getRollout(sim, tok, id)), want, `after +${ms}`);
  }
  const r = await getRollout(sim, tok, id);
  assert.deepEqual([r.queued_at, r.started_at, r.completed_at], [T0, at(1000), at(12000)]);
  assert.deepEqual([r.build.queued_at, r.build.started_at, r.build.completed_at], [T0, at(1000), at(5000)]);
  assert.deepEqual([r.infra.queued_at, r.infra.started_at, r.infra.completed_at], [at(5000), at(5500), at(8500)]);
  assert.deepEqual([r.deploy.queued_at, r.deploy.started_at, r.deploy.completed_at], [at(8500), at(9000), at(12000)]);
});

test("timeScale and phaseDurations scale the timeline", async () => {
  const { sim, tok } = await setup({ timeScale: 0.01, phaseDurations: { build: 10_000 } });
  const { id } = await trigger(sim, tok, { sha: "a" });
  sim.clock.advance(109); // queue 10 + build 100 - 1
  assert.equal((await getRollout(sim, tok, id)).build.status, "running");
  sim.clock.advance(1 + 5 + 30 + 5 + 30);
  assert.equal(summary(await getRollout(sim, tok, id)), "completed/success | completed/success | completed/success | completed/success");
});

test("scenario build_failure (branch fail-build): never-run phases keep their status and conclusion unknown", async () => {
  const { sim, tok } = await setup();
  const { id } = await trigger(sim, tok, { branch: "fail-build" });
  sim.clock.advance(4999);
  assert.equal(summary(await getRollout(sim, tok, id)), "running/pending | running/unknown | pending/unknown | queued/unknown");
  sim.clock.advance(1);
  const r = await getRollout(sim, tok, id);
  assert.equal(summary(r), "completed/failure | completed/failure | pending/unknown | queued/unknown");
  assert.equal(r.completed_at, at(5000));
  assert.deepEqual([r.infra.queued_at, r.infra.started_at, r.deploy.queued_at], [null, null, null]);
  sim.clock.advance(100_000);
  assert.equal(summary(await getRollout(sim, tok, id)), "completed/failure | completed/failure | pending/unknown | queued/unknown");
});

test("scenario infra_approval (branch needs-approval): proposed until approved, then success", async () => {
  const { sim, tok } = await setup();
  const { id } = await trigger(sim, tok, { branch: "needs-approval" });
  assert.throws(() => sim.approve(id), { status: 409, code: "aborted" });
  sim.clock.advance(5000);
  assert.equal(summary(await getRollout(sim, tok, id)), "running/pending | completed/success | proposed/unknown | queued/unknown");
  sim.clock.advance(3_000_000);
  assert.equal(summary(await getRollout(sim, tok, id)), "running/pending | completed/success | proposed/unknown | queued/unknown");
  const approved = sim.approve(id);
  assert.equal(summary(approved), "running/pending | completed/success | queued/unknown | queued/unknown");
  assert.equal(approved.infra.queued_at, at(3_005_000));
  assert.throws(() => sim.approve(id), { status: 409 });
  assert.throws(() => sim.reject(id), { status: 409 });
  sim.clock.advance(500 + 3000 + 500 + 3000);
  assert.equal(summary(await getRollout(sim, tok, id)), "completed/success | completed/success | completed/success | completed/success");
});

test("scenario infra_approval rejected: infra rejected, rollout failure, deploy never runs", async () => {
  const { sim, tok } = await setup();
  const { id } = await trigger(sim, tok, { branch: "needs-approval" });
  sim.clock.advance(6000);
  const rejected = sim.reject(id);
  assert.equal(summary(rejected), "completed/failure | completed/success | completed/rejected | queued/unknown");
  assert.equal(rejected.infra.completed_at, at(6000));
  assert.equal(rejected.completed_at, at(6000));
  sim.clock.advance(60_000);
  assert.equal(summary(await getRollout(sim, tok, id)), "completed/failure | completed/success | completed/rejected | queued/unknown");
  assert.throws(() => sim.cancel(id), { status: 409 });
});

test("scenario canceled (branch cancel-me): canceled halfway through the build", async () => {
  const { sim, tok } = await setup();
  const { id } = await trigger(sim, tok, { branch: "cancel-me" });
  sim.clock.advance(2999);
  assert.equal(summary(await getRollout(sim, tok, id)), "running/pending | running/unknown | pending/unknown | queued/unknown");
  sim.clock.advance(1);
  const r = await getRollout(sim, tok, id);
  assert.equal(summary(r), "completed/canceled | completed/canceled | pending/unknown | queued/unknown");
  assert.equal(r.build.completed_at, at(3000));
});

test("cancel(id) at any stage; 404 unknown, 409 once completed", async () => {
  const { sim, tok } = await setup();
  const cases = [
    [0, "completed/canceled | completed/canceled | pending/unknown | queued/unknown"],
    [2000, "completed/canceled | completed/canceled | pending/unknown | queued/unknown"],
    [6000, "completed/canceled | completed/success | completed/canceled | queued/unknown"],
    [10_000, "completed/canceled | completed/success | completed/success | completed/canceled"],
  ];
  for (const [ms, want] of cases) {
    const { id } = await trigger(sim, tok, { branch: "main" });
    sim.clock.advance(ms);
    const r = sim.cancel(id);
    assert.equal(summary(r), want, `cancel at +${ms}`);
    assert.equal(r.started_at === null, ms < 1000);
    sim.clock.advance(20_000);
    assert.equal(summary(await getRollout(sim, tok, id)), want);
    assert.throws(() => sim.cancel(id), { status: 409, code: "aborted" });
  }
  // cancel while proposed
  const { id } = await trigger(sim, tok, { branch: "needs-approval" });
  sim.clock.advance(5000);
  assert.equal(summary(sim.cancel(id)), "completed/canceled | completed/success | completed/canceled | queued/unknown");
  assert.throws(() => sim.cancel("roll_nope"), { status: 404, code: "not_found" });
  assert.throws(() => sim.approve("roll_nope"), { status: 404 });
  const done = await trigger(sim, tok, { sha: "a" });
  sim.clock.advance(12_000);
  assert.throws(() => sim.cancel(done.id), { status: 409 });
});

test("control endpoints approve / reject / cancel over HTTP", async () => {
  const { sim, tok } = await setup();
  const post = (p) => sim.fetch(`${BASE}/__sim/rollouts/${p}`, { method: "POST" });
  const a = await trigger(sim, tok, { branch: "needs-approval" });
  const b = await trigger(sim, tok, { branch: "needs-approval" });
  const c = await trigger(sim, tok, { branch: "main" });
  let res = await post(`${a.id}/approve`);
  assert.equal(res.status, 409);
  assert.equal((await res.json()).code, "aborted");
  sim.clock.advance(5000);
  res = await post(`${a.id}/approve`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).infra.status, "queued");
  res = await post(`${b.id}/reject`);
  assert.equal((await res.json()).infra.conclusion, "rejected");
  res = await post(`${c.id}/cancel`);
  assert.equal((await res.json()).conclusion, "canceled");
  assert.equal((await post("roll_nope/approve")).status, 404);
  assert.equal((await post("roll_nope/reject")).status, 404);
  assert.equal((await post("roll_nope/cancel")).status, 404);
  res = await sim.fetch(`${BASE}/__sim/rollouts/${a.id}`);
  assert.equal((await res.json()).id, a.id);
});

test("scenario selection: byBranch option, app scenario, conventions, sha", async () => {
  const { sim, tok } = await setup({
    scenarios: { byBranch: { "release/1": "build_failure", "fail-build": "success" } },
    apps: { plain: { envs: ["e"] }, flaky: { envs: ["e"], scenario: "canceled" } },
  });
  const state = async (body, app) => {
    const { id } = await trigger(sim, tok, body, app, "e");
    sim.clock.advance(100_000);
    const r = await getRollout(sim, tok, id, app);
    return r.conclusion === "pending" ? r.infra.status : r.conclusion;
  };
  assert.equal(await state({ branch: "release/1" }, "plain"), "failure");
  assert.equal(await state({ branch: "fail-build" }, "plain"), "success");
  assert.equal(await state({ branch: "needs-approval" }, "plain"), "proposed");
  assert.equal(await state({ branch: "cancel-me" }, "plain"), "canceled");
  assert.equal(await state({ sha: "abc" }, "plain"), "success");
  assert.equal(await state({ sha: "abc" }, "flaky"), "canceled");
  assert.equal(await state({ branch: "release/1" }, "flaky"), "failure");
  assert.throws(() => manualSim({ scenarios: { byBranch: { x: "explode" } } }), /unknown scenario/);
});

test("timestamps are ordered as instants: a phase that starts on a whole second and ends within it", async () => {
  // Started "…:08Z", completed "…:08.5Z": as strings the second sorts first ('.' < 'Z').
  const { sim, tok } = await setup({ startTime: Date.parse("2026-03-18T09:41:07Z"), phaseDurations: { build: 500 } });
  const { id } = await trigger(sim, tok, { branch: "main" });
  sim.clock.advance(1500);
  const r = await getRollout(sim, tok, id);
  assert.deepEqual([r.build.started_at, r.build.completed_at], ["2026-03-18T09:41:08Z", "2026-03-18T09:41:08.5Z"]);
  assert.ok(r.build.started_at > r.build.completed_at, "the strings sort the wrong way round");
  checkInvariants(r); // and the invariants, which compare instants, still hold
  assert.throws(() => checkOrder({ ...r.build, started_at: "2026-03-18T09:41:09Z" }, "build"), /started_at .* after completed_at/);
});

test("real clock with a small timeScale finishes quickly", async () => {
  const sim = (await import("../../simulator/index.js")).createSimulator({ timeScale: 0.002 });
  const tok = await token(sim);
  const { id } = await trigger(sim, tok, { branch: "main" });
  // The whole timeline is 23 ms; the deadline is a wide margin for a loaded machine.
  const deadline = Date.now() + 20_000;
  let r;
  do {
    await new Promise((res) => setTimeout(res, 5));
    r = await getRollout(sim, tok, id);
  } while (r.status !== "completed" && Date.now() < deadline);
  assert.equal(summary(r), "completed/success | completed/success | completed/success | completed/success");
});
