// The simulator's webhooks: subscriptions through the control API, signed deliveries for every
// rollout transition, per-webhook sequence ids, no retry, secret rotation with two v1s.
// Signatures are checked with Node's crypto here (independent of the package).
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { test } from "node:test";
import { BASE, manualSim, token, trigger } from "../simulator/helpers.mjs";

const SECRET = "whsec_sim_test_1234";

/** A simulator whose deliveries land in `received` (in-process, no network). */
function simWithInbox(options = {}) {
  const received = [];
  let fail = 0;
  const sim = manualSim({
    ...options,
    webhookFetch: async (url, init) => {
      received.push({ url, headers: new Headers(init.headers), body: init.body });
      if (fail > 0) {
        fail--;
        return new Response("nope", { status: 500 });
      }
      return new Response(null, { status: 204 });
    },
  });
  return { sim, received, failNext: (n) => { fail = n; } };
}

async function control(sim, method, path, body) {
  const res = await sim.fetch(`${BASE}/__sim${path}`, {
    method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

/** v1 macs of a delivery that match `secret` (Node's HMAC). */
function matching(delivery, secret) {
  const parts = delivery.headers.get("x-encore-signature").split(",");
  const t = parts.find((p) => p.startsWith("t=")).slice(2);
  const want = createHmac("sha256", secret).update(`${t}.`).update(delivery.body).digest();
  return parts.filter((p) => p.startsWith("v1=")).filter((p) => {
    const got = Buffer.from(p.slice(3), "base64url");
    return got.length === want.length && timingSafeEqual(got, want);
  }).length;
}

test("a subscription gets every transition of an approval rollout, signed, in order, with headers", async () => {
  const { sim, received } = simWithInbox();
  const sub = await control(sim, "POST", "/webhooks", { url: "http://receiver.test/hook", secret: SECRET });
  assert.equal(sub.status, 200);
  assert.match(sub.body.id, /^wh_/);
  assert.ok(!JSON.stringify(sub.body).includes(SECRET), "the secret is never echoed");
  const listed = await control(sim, "GET", "/webhooks");
  assert.ok(!JSON.stringify(listed.body).includes(SECRET));

  const tok = await token(sim);
  const t0 = sim.clock.now();
  const r = await trigger(sim, tok, { branch: "needs-approval" });
  sim.clock.advance(60_000); // build done, infra awaiting approval
  sim.approve(r.id);
  sim.clock.advance(60_000); // infra and deploy done
  await sim.webhooks.idle();

  const events = received.map((d) => JSON.parse(d.body));
  assert.deepEqual(events.map((e) => e.type), [
    "rollout.created", "rollout.awaiting_infra_approval", "rollout.infra_approval_resolved", "rollout.completed",
  ]);
  assert.deepEqual(events.map((e) => e.sequence_id), [1, 2, 3, 4]);
  for (const [i, d] of received.entries()) {
    assert.equal(d.url, "http://receiver.test/hook");
    assert.equal(matching(d, SECRET), 1, `delivery ${i} is signed with the secret`);
    assert.equal(d.headers.get("x-encore-event-id"), events[i].id);
    assert.equal(d.headers.get("x-encore-sequence-id"), String(events[i].sequence_id));
    assert.equal(events[i].webhook_id, sub.body.id);
    const t = Number(d.headers.get("x-encore-signature").match(/t=(\d+)/)[1]);
    assert.ok(t * 1000 >= t0 - 1000 && t * 1000 <= sim.clock.now(), "t is the simulator's clock when sent");
  }
  const [created, awaiting, resolved, completed] = events;
  assert.equal(created.data.rollout.infra_provision, null, "phases are null before they start");
  assert.equal(created.data.rollout.deploy, null);
  assert.equal(created.data.rollout.conclusion, "");
  assert.match(created.data.rollout.build.commit_hash, /^[0-9a-f]{40}$/);
  assert.equal(awaiting.data.rollout.infra_provision.status, "awaiting_approval");
  assert.equal(resolved.data.resolution, "approved");
  assert.equal(completed.data.rollout.status, "completed");
  assert.equal(completed.data.rollout.conclusion, "success");
  assert.equal(completed.data.rollout.deploy.status, "completed");
  assert.equal(completed.data.env.name, "production");
  assert.equal(completed.data.env.type, "production");
  assert.equal(completed.data.app.slug, "demo-app");
  assert.ok(!("infra" in completed.data.rollout), "the webhook shape names it infra_provision");
});

test("event filters, a rejected approval, and sequence ids per webhook", async () => {
  const { sim, received } = simWithInbox();
  const a = await control(sim, "POST", "/webhooks", { url: "http://a.test/", secret: SECRET, events: ["rollout.completed"] });
  const b = await control(sim, "POST", "/webhooks", { url: "http://b.test/", secret: "other-secret-5678" });
  const tok = await token(sim);
  const r = await trigger(sim, tok, { branch: "needs-approval", sha: undefined });
  sim.clock.advance(60_000);
  sim.reject(r.id);
  await trigger(sim, tok, { sha: "abc123" });
  sim.clock.advance(60_000);
  await sim.webhooks.idle();
  const toA = received.filter((d) => d.url === "http://a.test/").map((d) => JSON.parse(d.body));
  const toB = received.filter((d) => d.url === "http://b.test/").map((d) => JSON.parse(d.body));
  assert.deepEqual(toA.map((e) => e.type), ["rollout.completed", "rollout.completed"]);
  assert.deepEqual(toA.map((e) => e.sequence_id), [1, 2]);
  assert.ok(toA.every((e) => e.webhook_id === a.body.id));
  assert.deepEqual(toB.map((e) => e.sequence_id), toB.map((_, i) => i + 1));
  const resolved = toB.find((e) => e.type === "rollout.infra_approval_resolved");
  assert.equal(resolved.data.resolution, "rejected");
  assert.equal(toB.find((e) => e.type === "rollout.completed" && e.data.rollout.id === r.id).data.rollout.conclusion, "failure");
  assert.ok(toB.some((e) => e.data.rollout.build.commit_hash === "abc123"));
  assert.equal((await control(sim, "POST", "/webhooks", { url: "ftp://x/", secret: "s" })).status, 400);
  assert.equal((await control(sim, "POST", "/webhooks", { url: "http://x/", secret: "" })).status, 400);
  assert.equal((await control(sim, "POST", "/webhooks", { url: "http://x/", secret: "s", events: ["rollout.nope"] })).status, 400);
});

test("a failed delivery is not retried; the next event still gets the next sequence id", async () => {
  const { sim, received, failNext } = simWithInbox();
  await control(sim, "POST", "/webhooks", { url: "http://receiver.test/", secret: SECRET });
  const tok = await token(sim);
  failNext(1);
  await trigger(sim, tok, { branch: "main" });
  await sim.webhooks.idle();
  sim.clock.advance(60_000);
  sim.clock.advance(60_000);
  await sim.webhooks.idle();
  assert.deepEqual(received.map((d) => JSON.parse(d.body).sequence_id), [1, 2]);
  const log = (await control(sim, "GET", "/webhooks/deliveries")).body;
  assert.deepEqual(log.map((d) => d.status), [500, 204]);
  assert.deepEqual(log.map((d) => d.type), ["rollout.created", "rollout.completed"]);
});

test("rotating a secret signs with both during the overlap window, then with the new one only", async () => {
  const { sim, received } = simWithInbox();
  const sub = await control(sim, "POST", "/webhooks", { url: "http://receiver.test/", secret: SECRET });
  const rot = await control(sim, "POST", `/webhooks/${sub.body.id}/rotate`, { secret: "whsec_new_9999", overlapSeconds: 600 });
  assert.equal(rot.status, 200);
  assert.equal(rot.body.rotating, true);
  assert.ok(!JSON.stringify(rot.body).includes("whsec_new_9999"));
  const tok = await token(sim);
  await trigger(sim, tok, { branch: "main" });
  await sim.webhooks.idle();
  const during = received.at(-1);
  assert.equal(during.headers.get("x-encore-signature").split(",").filter((p) => p.startsWith("v1=")).length, 2);
  assert.equal(matching(during, SECRET), 1);
  assert.equal(matching(during, "whsec_new_9999"), 1);
  sim.clock.advance(601_000);
  await sim.webhooks.idle();
  const after = received.at(-1);
  assert.equal(JSON.parse(after.body).type, "rollout.completed");
  assert.equal(matching(after, SECRET), 0, "the old secret stopped after the overlap");
  assert.equal(matching(after, "whsec_new_9999"), 1);
  assert.equal((await control(sim, "POST", "/webhooks/wh_nope/rotate", { secret: "x" })).status, 404);
  assert.equal((await control(sim, "DELETE", `/webhooks/${sub.body.id}`)).status, 200);
  assert.deepEqual((await control(sim, "GET", "/webhooks")).body, []);
});

test("a subscription made after an event does not get it; reset forgets subscriptions", async () => {
  const { sim, received } = simWithInbox();
  const tok = await token(sim);
  await trigger(sim, tok, { branch: "cancel-me" });
  await control(sim, "POST", "/webhooks", { url: "http://receiver.test/", secret: SECRET });
  sim.clock.advance(60_000);
  await sim.webhooks.idle();
  const types = received.map((d) => JSON.parse(d.body));
  assert.deepEqual(types.map((e) => e.type), ["rollout.completed"]);
  assert.equal(types[0].data.rollout.conclusion, "canceled");
  sim.reset();
  assert.deepEqual(sim.webhooks.list(), []);
});
