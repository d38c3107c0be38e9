// verifyWebhook and webhookFromRequest from the installed package, as ESM and as CommonJS:
// the Node-computed vectors, Dates, unknown types, argument errors, no secret in any error, and
// events from the simulator server end to end through a Node http receiver (raw body).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import util from "node:util";
import { pathToFileURL } from "node:url";
import { DEMO_ID, DEMO_SECRET, copyInto, ensureScratch } from "../package/scratch.mjs";

const V = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));
const { dir } = await ensureScratch();
const esmEntry = await copyInto(dir, new URL("./fixtures/esm.mjs", import.meta.url), "webhook-tests/esm.mjs");
const cjsEntry = await copyInto(dir, new URL("./fixtures/cjs.cjs", import.meta.url), "webhook-tests/cjs.cjs");
const entries = [
  ["ESM import", await import(pathToFileURL(esmEntry).href)],
  ["CommonJS require", createRequire(cjsEntry)(cjsEntry)],
];

const bodyOf = (v) => Buffer.from(v.body_hex, "hex");
const SECRET = V.secrets_used[0];

function errorTexts(e) {
  const own = {};
  for (const k of Object.getOwnPropertyNames(e)) own[k] = e[k];
  return [String(e), e.message, e.stack, JSON.stringify(own), util.inspect(e, { showHidden: true, depth: Infinity })];
}

for (const [label, { api, simulator }] of entries) {
  const { EncoreClient, EncoreError, EncoreValidationError, EncoreWebhookError, verifyWebhook, webhookFromRequest } = api;

  describe(`webhooks via ${label}`, () => {
    test("every vector: the outcome Node's HMAC predicts, with a typed error and no secret or mac in it", () => {
      let n = 0;
      for (const v of V.vectors) {
        const options = { now: new Date(v.now_ms), ...(v.tolerance !== undefined && { toleranceSeconds: v.tolerance }) };
        const body = bodyOf(v);
        let outcome;
        try {
          verifyWebhook(body, v.header, v.secrets, options);
          outcome = "ok";
        } catch (e) {
          assert.ok(e instanceof EncoreWebhookError && e instanceof EncoreError, `${v.name}: ${e}`);
          assert.equal(e.name, "EncoreWebhookError");
          for (const text of errorTexts(e)) {
            for (const s of V.secrets_used) assert.ok(!text.includes(s), `${v.name} leaks a secret`);
            for (const m of (v.header ?? "").matchAll(/v1=([A-Za-z0-9_-]{20,})/g)) assert.ok(!text.includes(m[1]), `${v.name} shows a mac`);
          }
          outcome = e.code;
        }
        // Valid signatures over bodies that are not events verify, then fail as payloads.
        const isEvent = body.equals(Buffer.from(V.event_body_hex, "hex"));
        const want = v.expect === "ok" && !isEvent ? "invalid_payload" : v.expect;
        assert.equal(outcome, want, v.name);
        n++;
      }
      assert.equal(n, V.vectors.length);
    });

    test("a string body is taken as UTF-8 bytes; Dates for every timestamp; the rest as sent", () => {
      const v = V.vectors[0];
      const text = bodyOf(v).toString("utf8");
      const ev = verifyWebhook(text, v.header, SECRET, { now: new Date(v.now_ms) });
      assert.equal(ev.type, "rollout.completed");
      assert.equal(ev.sequence_id, 42);
      const r = ev.data.rollout;
      for (const t of [r.queued_at, r.completed_at, r.build.started_at, r.infra_provision.completed_at, r.deploy.queued_at, ev.data.env.created_at, ev.data.app.created_at]) {
        assert.ok(t instanceof Date, String(t));
      }
      assert.equal(r.completed_at.getTime(), Date.parse("2026-03-18T09:40:00.123Z"));
      assert.equal(r.build.commit_hash, "4b6e1d0");
      assert.equal(ev.data.env.api_base_url, "https://prod-demo-app.encr.app");
      // Uint8Array (not only Buffer) works too.
      const again = verifyWebhook(new Uint8Array(bodyOf(v)), v.header, [SECRET], { now: new Date(v.now_ms) });
      assert.equal(again.id, ev.id);
    });

    test("default tolerance checks against the current time", () => {
      const v = V.vectors[0];
      assert.throws(() => verifyWebhook(bodyOf(v), v.header, SECRET), (e) => e.code === "too_old");
    });

    test("an unknown event type is returned as sent; a bad shape is invalid_payload", async () => {
      const { signWebhook } = await import(pathToFileURL(`${dir}/node_modules/encore-cloud/simulator/index.js`).href);
      const t = Math.floor(Date.now() / 1000);
      const sign = async (obj) => {
        const body = JSON.stringify(obj);
        return [body, `t=${t},v1=${await signWebhook(SECRET, t, body)}`];
      };
      const [body, header] = await sign({ id: "evt_u", webhook_id: "wh_u", sequence_id: 7, type: "app.renamed", data: { created_at: "2026-01-01T00:00:00Z", n: [1] } });
      const ev = verifyWebhook(body, header, SECRET);
      assert.equal(ev.type, "app.renamed");
      assert.deepEqual(ev.data, { created_at: "2026-01-01T00:00:00Z", n: [1] });
      const [bad, badHeader] = await sign({ id: "evt_b", webhook_id: "wh_u", sequence_id: 8, type: "rollout.completed", data: { rollout: {} } });
      assert.throws(() => verifyWebhook(bad, badHeader, SECRET), (e) => e instanceof EncoreWebhookError && e.code === "invalid_payload");
      const notJson = `t=${t},v1=${await signWebhook(SECRET, t, "not json")}`;
      assert.throws(() => verifyWebhook("not json", notJson, SECRET), (e) => e.code === "invalid_payload");
    });

    test("bad arguments are EncoreValidationErrors, before any body is read", async () => {
      const v = V.vectors[0];
      const cases = [
        () => verifyWebhook(JSON.parse(bodyOf(v)), v.header, SECRET),
        () => verifyWebhook(bodyOf(v), v.header, ""),
        () => verifyWebhook(bodyOf(v), v.header, []),
        () => verifyWebhook(bodyOf(v), v.header, [SECRET, 3]),
        () => verifyWebhook(bodyOf(v), v.header, SECRET, { toleranceSeconds: -1 }),
        () => verifyWebhook(bodyOf(v), v.header, SECRET, { now: new Date(NaN) }),
        () => verifyWebhook(bodyOf(v), v.header, SECRET, { tolerance: 5 }),
        () => verifyWebhook(bodyOf(v), 12, SECRET),
      ];
      for (const c of cases) assert.throws(c, (e) => e instanceof EncoreValidationError, String(c));
      const req = new Request("http://x/", { method: "POST", body: bodyOf(v), headers: { "x-encore-signature": v.header } });
      await assert.rejects(webhookFromRequest(req, ""), EncoreValidationError);
      assert.equal(req.bodyUsed, false, "bad settings do not consume the body");
      await req.arrayBuffer();
      await assert.rejects(webhookFromRequest(req, SECRET), (e) => e instanceof EncoreValidationError && /already read/.test(e.message));
      await assert.rejects(webhookFromRequest({}, SECRET), EncoreValidationError);
    });

    test("webhookFromRequest reads the raw body once and verifies it", async () => {
      const v = V.vectors[0];
      const mk = (header) => new Request("http://x/hook", { method: "POST", body: bodyOf(v), headers: header ? { "X-Encore-Signature": header } : {} });
      const req = mk(v.header);
      const ev = await webhookFromRequest(req, [V.secrets_used[2], SECRET], { now: new Date(v.now_ms) });
      assert.equal(ev.data.rollout.id, "roll_a1");
      assert.equal(req.bodyUsed, true);
      await assert.rejects(webhookFromRequest(mk(null), SECRET), (e) => e.code === "missing_signature");
      await assert.rejects(webhookFromRequest(mk(v.header), "wrong-secret-xyz", { now: new Date(v.now_ms) }), (e) => e.code === "no_valid_signature");
    });

    test("webhookFromRequest refuses a body over 1 MiB with too_large, without holding it", async () => {
      const v = V.vectors[0];
      const LIMIT = 1 << 20;
      const signed = { "X-Encore-Signature": v.header };
      // Declared too large: refused before anything is read.
      const declared = new Request("http://x/hook", { method: "POST", body: new Uint8Array(LIMIT + 1), headers: signed });
      await assert.rejects(webhookFromRequest(declared, SECRET), (e) => e instanceof EncoreWebhookError && e.code === "too_large" && /1 MiB/.test(e.message));
      // Streamed with no length: the read stops once past the limit; the rest is never pulled.
      let pulled = 0;
      const endless = new ReadableStream({
        pull(c) { pulled++; c.enqueue(new Uint8Array(64 * 1024)); },
      });
      const streamed = new Request("http://x/hook", { method: "POST", body: endless, duplex: "half", headers: signed });
      await assert.rejects(webhookFromRequest(streamed, SECRET), (e) => e.code === "too_large");
      assert.ok(pulled <= LIMIT / (64 * 1024) + 3, `read stopped near the limit (${pulled} chunks of 64 KiB)`);
      // At the limit exactly, the body is read and judged by its signature.
      const full = new Request("http://x/hook", { method: "POST", body: new Uint8Array(LIMIT), headers: signed });
      await assert.rejects(webhookFromRequest(full, SECRET, { now: new Date(v.now_ms) }), (e) => e.code === "no_valid_signature");
    });

    test("end to end: the simulator server delivers signed events to a Node http receiver that verifies the raw body", async (t) => {
      const secret = "whsec_e2e_" + label.replace(/\W/g, "");
      const feed = [];
      const receiver = createServer((req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          try {
            const ev = verifyWebhook(Buffer.concat(chunks), req.headers["x-encore-signature"], secret);
            feed.push({ ev, seq: req.headers["x-encore-sequence-id"], id: req.headers["x-encore-event-id"] });
            res.writeHead(204).end();
          } catch (e) {
            feed.push({ error: e });
            res.writeHead(400).end();
          }
        });
      });
      await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
      const srv = await simulator.startSimulatorServer({ timeScale: 0.01 });
      t.after(async () => {
        await srv.close();
        await new Promise((r) => receiver.close(r));
      });
      const sub = await fetch(`${srv.url}/__sim/webhooks`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/hook`, secret }),
      });
      assert.equal(sub.status, 200);
      const client = new EncoreClient({ clientId: DEMO_ID, clientSecret: DEMO_SECRET, baseUrl: srv.url });
      const r = await client.triggerRollout("demo-app", "production", { branch: "main" });
      const done = await client.waitForRollout("demo-app", r.id, { intervalMs: 1000, timeoutMs: 30_000 });
      assert.equal(done.conclusion, "success");
      const deadline = Date.now() + 10_000;
      while (!feed.some((f) => f.ev?.type === "rollout.completed") && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
      assert.deepEqual(feed.filter((f) => f.error).map((f) => f.error.code), []);
      assert.deepEqual(feed.map((f) => f.ev.type), ["rollout.created", "rollout.completed"]);
      assert.deepEqual(feed.map((f) => f.ev.sequence_id), [1, 2]);
      assert.deepEqual(feed.map((f) => f.seq), ["1", "2"]);
      assert.deepEqual(feed.map((f) => f.id), feed.map((f) => f.ev.id));
      const last = feed.at(-1).ev;
      assert.equal(last.data.rollout.id, r.id);
      assert.ok(last.data.rollout.completed_at instanceof Date);
      assert.equal(last.data.rollout.completed_at.getTime(), done.completed_at.getTime());
    });
  });
}
