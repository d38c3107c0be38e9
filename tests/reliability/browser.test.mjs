// Reliability in a real browser (headless Chromium): per-attempt timeouts, aborts during a
// request and during a backoff wait, and the headers a page sends (no CORS-widening extras).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, serveStatic } from "../browser/helpers.mjs";
import { OUTPUT_DIR } from "../package/scratch.mjs";
import { startSimulatorServer } from "../../simulator/server.js";

const PKG = fileURLToPath(new URL("../../pkg", import.meta.url));
let page, browser, sim, site;

const PAGE = `<!doctype html><meta charset="utf-8"><title>reliability</title>
<script type="module">
  import * as encore from "/pkg/index.browser.js";
  window.encore = encore;
  window.ready = true;
</script>`;

before(async () => {
  sim = await startSimulatorServer({ port: 0, timeScale: 0.01 });
  // The page and the built package, from one static server (another origin than the simulator).
  const root = join(OUTPUT_DIR, "reliability-site");
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await writeFile(join(root, "index.html"), PAGE);
  await symlink(PKG, join(root, "pkg"));
  site = await serveStatic(root);
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${site.url}/`);
  await page.waitForFunction(() => window.ready === true);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await sim?.close();
});

/** Runs `fn(encore, baseUrl)` in the page; returns what it returns. */
const inPage = (fn) => page.evaluate(`(${fn})(window.encore, ${JSON.stringify(sim.url)})`);

const fault = (spec) => fetch(`${sim.url}/__sim/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(spec) });

function clientIn(extra) {
  return `new encore.EncoreClient({ baseUrl, clientId: "o2c_demo_client", clientSecret: "demo-secret-do-not-use", dangerouslyAllowBrowser: true, ${extra} })`;
}

test("a hung request times out with EncoreTimeoutError in the browser", async () => {
  await fault({ path: "/api/apps/", hang: true });
  const r = await inPage(`async (encore, baseUrl) => {
    const c = ${clientIn("timeoutMs: 300, maxRetries: 0")};
    // The token first, with a limit of its own: only the hung call is held to the client's 300 ms
    // (a busy machine may take longer than that to open the page's first connection).
    await c.getToken({ timeoutMs: 30000 });
    const t0 = performance.now();
    try { await c.getRollout("my-app", "roll_x"); return "resolved"; }
    catch (e) { return [e.name, e instanceof encore.EncoreTimeoutError, Math.round(performance.now() - t0)]; }
  }`);
  assert.equal(r[0], "EncoreTimeoutError");
  assert.equal(r[1], true);
  assert.ok(r[2] < 3000, `took ${r[2]} ms`);
  await fetch(`${sim.url}/__sim/faults`, { method: "DELETE" });
});

test("abort during a request and during a backoff wait reject at once in the browser", async () => {
  await fault({ path: "/api/apps/", hang: true });
  const during = await inPage(`async (encore, baseUrl) => {
    const c = ${clientIn("")};
    await c.getToken();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    try { await c.getRollout("my-app", "roll_x", { signal: ac.signal }); return "resolved"; }
    catch (e) { return [e.name, e instanceof encore.EncoreError]; }
  }`);
  assert.deepEqual(during, ["AbortError", true]);
  await fetch(`${sim.url}/__sim/faults`, { method: "DELETE" });
  await fault({ path: "/api/apps/", status: 503, retryAfter: "30" });
  const backoff = await inPage(`async (encore, baseUrl) => {
    const c = ${clientIn("")};
    await c.getToken();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = performance.now();
    try { await c.getRollout("my-app", "roll_x", { signal: ac.signal }); return "resolved"; }
    catch (e) { return [e.name, Math.round(performance.now() - t0)]; }
  }`);
  assert.equal(backoff[0], "AbortError");
  assert.ok(backoff[1] < 2000);
  await fetch(`${sim.url}/__sim/faults`, { method: "DELETE" });
});

test("pages send only authorization and content-type, and refuse a secret without opt-in", async () => {
  const seenHeaders = [];
  const onRequest = (req) => { if (req.url().startsWith(sim.url + "/api/")) seenHeaders.push(req.headers()); };
  page.on("request", onRequest);
  const r = await inPage(`async (encore, baseUrl) => {
    let refused = null;
    try { new encore.EncoreClient({ baseUrl, clientId: "o2c_demo_client", clientSecret: "demo-secret-do-not-use" }); }
    catch (e) { refused = e.name; }
    const c = ${clientIn("")};
    const roll = await c.triggerRollout("my-app", "prod", { branch: "main" });
    return [refused, roll.queued_at instanceof Date];
  }`);
  page.off("request", onRequest);
  assert.deepEqual(r, ["EncoreValidationError", true]);
  const relative = await inPage(`async (encore) => String(new encore.EncoreClient({ baseUrl: "/encore", accessToken: "t0ken" }))`);
  assert.match(relative, /^EncoreClient\(http:\/\/127\.0\.0\.1:\d+\/encore, access token\)$/, "a relative baseUrl resolves against the page");
  assert.ok(seenHeaders.length >= 2);
  for (const h of seenHeaders) {
    const custom = Object.keys(h).filter((k) => k.startsWith("x-") || (k === "user-agent" && h[k].includes("encore-cloud")));
    assert.deepEqual(custom, [], "no custom headers from a page");
  }
});

test("a finished call leaves no pending timer in the page (deadline, per-attempt limit, backoff)", async () => {
  // The page's setTimeout/clearTimeout are wrapped to track the timers still pending.
  await inPage(`async () => {
    if (window.pendingTimers) return;
    const pending = window.pendingTimers = new Set();
    const set = window.setTimeout.bind(window), clear = window.clearTimeout.bind(window);
    window.setTimeout = (fn, ms, ...args) => {
      const id = set((...a) => { pending.delete(id); fn(...a); }, ms, ...args);
      pending.add(id);
      return id;
    };
    window.clearTimeout = (id) => { pending.delete(id); clear(id); };
  }`);
  const wait = await inPage(`async (encore, baseUrl) => {
    const c = ${clientIn("timeoutMs: 600000")};
    const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
    const done = await c.waitForRollout("my-app", r.id, { intervalMs: 1000, timeoutMs: 600000, signal: new AbortController().signal });
    return [done.status, window.pendingTimers.size];
  }`);
  assert.deepEqual(wait, ["completed", 0]);
  const during = async (spec) => {
    await fetch(`${sim.url}/__sim/faults`, { method: "DELETE" });
    const id = (await inPage(`async (encore, baseUrl) => (await ${clientIn("")}.triggerRollout("my-app", "prod", { branch: "main" })).id`));
    await fault({ path: `/api/apps/my-app/rollouts/${id}`, ...spec });
    return inPage(`async (encore, baseUrl) => {
      const c = ${clientIn("timeoutMs: 600000")};
      await c.getToken();
      try { await c.waitForRollout("my-app", ${JSON.stringify(id)}, { timeoutMs: 800 }); return "resolved"; }
      catch (e) { return [e.code, window.pendingTimers.size]; }
    }`);
  };
  assert.deepEqual(await during({ hang: true }), ["deadline_exceeded", 0], "the deadline stops a hung attempt and its timer");
  assert.deepEqual(await during({ status: 503, retryAfter: "50" }), ["deadline_exceeded", 0], "the deadline clears a backoff timer");
  await fetch(`${sim.url}/__sim/faults`, { method: "DELETE" });
});

test("a freed client rejects calls with EncoreValidationError in the browser", async () => {
  const r = await inPage(`async (encore, baseUrl) => {
    const c = ${clientIn("")};
    c.free();
    const e = await c.getToken().then(() => null, (err) => err);
    return [e instanceof encore.EncoreValidationError, e.message, String(c).endsWith("(freed)")];
  }`);
  assert.equal(r[0], true, r[1]);
  assert.match(r[1], /this EncoreClient was freed/);
  assert.equal(r[2], true);
});
