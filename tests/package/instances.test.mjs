// Two wasm instances in one realm share js/runtime.js (the full and the browser module import
// the same snippet, so the error classes have one identity): each instance's calls must still
// settle in that instance, even when both have calls in flight at once.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { ensureScratch } from "./scratch.mjs";

const { dir } = await ensureScratch();
const pkgDir = join(dir, "node_modules", "encore-cloud");

const TOKEN = JSON.stringify({ access_token: "t", expires_in: 3600, actor: "o2c_x", token_type: "Bearer" });
const rollout = (id) => JSON.stringify({
  id, status: "running", conclusion: "",
  build: { id: "b", status: "running", conclusion: "" },
  infra: { id: "i", status: "pending", conclusion: "" },
  deploy: { id: "d", status: "pending", conclusion: "" },
});
/** A fetch that answers after `ms`, so that calls of both instances overlap. */
const slowFetch = (ms) => async (url) => {
  await new Promise((r) => setTimeout(r, ms));
  const u = String(url);
  const body = u.endsWith("/oauth/token") ? TOKEN : rollout(u.split("/").pop());
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
};

test("the full and the browser module, loaded side by side, each settle their own calls", async () => {
  const full = await import(join(pkgDir, "encore_cloud.js"));
  const browser = await import(join(pkgDir, "encore_cloud_browser.js"));
  full.initSync({ module: await readFile(join(pkgDir, "encore_cloud_bg.wasm")) });
  browser.initSync({ module: await readFile(join(pkgDir, "encore_cloud_browser_bg.wasm")) });
  const opts = (ms) => ({ baseUrl: "http://127.0.0.1:9", clientId: "o2c_x", clientSecret: "s", fetch: slowFetch(ms) });
  const a = new full.EncoreClient(opts(5));
  const b = new browser.EncoreClient(opts(9));
  const calls = [];
  for (let i = 0; i < 20; i++) {
    calls.push(a.getRollout("app", `roll_a${i}`).then((r) => ["a", i, r.id]));
    calls.push(b.getRollout("app", `roll_b${i}`).then((r) => ["b", i, r.id]));
  }
  const done = await Promise.race([
    Promise.all(calls),
    new Promise((_, reject) => setTimeout(() => reject(new Error("calls did not settle")), 10_000).unref()),
  ]);
  for (const [who, i, id] of done) assert.equal(id, `roll_${who}${i}`);
  // Both modules keep working afterwards.
  assert.equal((await a.getRollout("app", "roll_x")).id, "roll_x");
  assert.equal((await b.getRollout("app", "roll_y")).id, "roll_y");
});
