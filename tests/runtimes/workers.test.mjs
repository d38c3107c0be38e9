// Cloudflare Workers: a Worker bundled like wrangler does (esbuild, conditions workerd/worker/
// browser, .wasm imported as a compiled module) runs in workerd through miniflare; the
// simulator server delivers signed webhooks to it, and it calls getRollout back.
import assert from "node:assert/strict";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { DEMO_ID, DEMO_SECRET, copyInto, ensureScratch } from "../package/scratch.mjs";

const { dir } = await ensureScratch();
const { startSimulatorServer } = await import(pathToFileURL(join(dir, "node_modules/encore-cloud/simulator/node.js")).href);

async function bundleWorker() {
  const src = await copyInto(dir, new URL("./fixtures/worker.mjs", import.meta.url), "worker-test/src/worker.mjs");
  const out = join(dir, "worker-test/dist");
  // wrangler's defaults: conditions workerd, worker, browser; ESM; .wasm files kept as
  // modules of their own (CompiledWasm), not inlined.
  const result = await build({
    metafile: true,
    entryPoints: [src], bundle: true, format: "esm", platform: "neutral", target: "es2022",
    conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"],
    external: ["*.wasm"], outfile: join(out, "worker.mjs"), logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => p.replaceAll("\\", "/"));
  assert.ok(inputs.some((p) => p.endsWith("encore-cloud/index.workerd.js")), `the workerd entry is bundled: ${inputs}`);
  assert.ok(!inputs.some((p) => p.endsWith("encore-cloud/index.browser.js")), "not the browser entry");
  await copyFile(join(dir, "node_modules/encore-cloud/encore_cloud_bg.wasm"), join(out, "encore_cloud_bg.wasm"));
  return join(out, "worker.mjs");
}

test("the workerd entry loads in a Worker, verifies simulator webhooks and calls getRollout", async (t) => {
  const script = await bundleWorker();
  const sim = await startSimulatorServer({ timeScale: 0.01 });
  const secret = "whsec_worker_test_5150";
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01",
    bindings: { WEBHOOK_SECRET: secret, CLIENT_ID: DEMO_ID, CLIENT_SECRET: DEMO_SECRET, API_URL: sim.url },
    host: "127.0.0.1",
    port: 0,
  });
  t.after(async () => {
    await mf.dispose();
    await sim.close();
  });
  const workerUrl = await mf.ready;
  const hookUrl = new URL("/hook", workerUrl).href;
  const sub = await fetch(`${sim.url}/__sim/webhooks`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: hookUrl, secret }),
  });
  assert.equal(sub.status, 200);
  const trig = await fetch(`${sim.url}/__sim/webhooks`).then((r) => r.json());
  assert.equal(trig.length, 1);

  // A rollout through the Node client; the simulator delivers its events to the Worker.
  const { EncoreClient } = await import(pathToFileURL(join(dir, "node_modules/encore-cloud/index.node.js")).href);
  const client = new EncoreClient({ clientId: DEMO_ID, clientSecret: DEMO_SECRET, baseUrl: sim.url });
  const r = await client.triggerRollout("demo-app", "production", { branch: "main" });
  await client.waitForRollout("demo-app", r.id, { intervalMs: 1000, timeoutMs: 30_000 });

  let feed = [];
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((res) => setTimeout(res, 100))) {
    feed = await (await mf.dispatchFetch("http://worker/feed")).json();
    if (feed.length >= 2) break;
  }
  assert.deepEqual(feed.filter((f) => f.error), []);
  assert.deepEqual(feed.map((f) => f.type), ["rollout.created", "rollout.completed"]);
  assert.deepEqual(feed.map((f) => f.sequence), [1, 2]);
  for (const f of feed) {
    assert.equal(f.rolloutId, r.id);
    assert.equal(f.queuedAtIsDate, true);
    assert.equal(f.apiQueuedAt, r.queued_at.toISOString(), "getRollout from inside the Worker answered");
  }
  assert.equal(feed.at(-1).apiStatus, "completed");

  // A forged delivery is refused inside the Worker with the typed error.
  const forged = await mf.dispatchFetch("http://worker/hook", {
    method: "POST", body: '{"id":"evt_x"}', headers: { "x-encore-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"A".repeat(43)}` },
  });
  assert.equal(forged.status, 400);
  const last = (await (await mf.dispatchFetch("http://worker/feed")).json()).at(-1);
  assert.equal(last.webhookError, true);
  assert.equal(last.code, "no_valid_signature");
  assert.ok(!last.message.includes(secret));
});
