// The browser entry in a plain static page: no bundler, an import map maps "encore-cloud" to
// /node_modules/encore-cloud/index.browser.js of the scratch project; the simulator runs on
// another origin (port), so every call is a CORS request.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { ensureScratch, writeInto } from "../package/scratch.mjs";
import { launchChromium, runPage, serveStatic } from "./helpers.mjs";

const { dir } = await ensureScratch();
// Through the installed package's exports map, from a module inside the scratch project.
const simEntry = await writeInto(dir, { "browser-tests/sim-entry.mjs": 'export { startSimulatorServer } from "encore-cloud/simulator";\n' });
const { startSimulatorServer } = await import(pathToFileURL(simEntry["browser-tests/sim-entry.mjs"]).href);

const script = await readFile(new URL("./page-script.js", import.meta.url), "utf8");
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>encore-cloud: static page</title>
<script type="importmap">
{ "imports": { "encore-cloud": "/node_modules/encore-cloud/index.browser.js" } }
</script>
<style>body { font: 15px/1.4 system-ui, sans-serif; margin: 24px; } pre { background: #f4f4f4; padding: 12px; white-space: pre-wrap; } #headline { font-weight: 600; }</style>
</head>
<body>
<h1>encore-cloud in a plain static page (import map, no bundler)</h1>
<pre id="result">running…</pre>
<script type="module">
${script}
runScenario("static page");
</script>
</body>
</html>
`;

let sim, site, browser;
before(async () => {
  await writeInto(dir, { "browser-static/index.html": html });
  [sim, site, browser] = await Promise.all([startSimulatorServer({ port: 0, clock: "manual" }), serveStatic(dir), launchChromium()]);
});
after(async () => {
  await Promise.all([browser?.close(), sim?.close(), site?.close()]);
});

test("static page: trigger + get a rollout cross-origin; Dates, error classes, browser secret guard", async () => {
  const { result: r, problems } = await runPage(browser, `${site.url}/browser-static/?sim=${encodeURIComponent(sim.url)}`, "static.png");
  assert.equal(r.fatal, undefined, r.fatal);
  assert.deepEqual(problems, []);
  assert.notEqual(r.pageOrigin, r.simulatorOrigin, "the simulator is on another origin");

  assert.match(r.triggered.id, /^roll_/);
  assert.equal(r.triggered.status, "queued");
  assert.equal(r.triggered.queuedAtIsDate, true);
  assert.equal(r.triggered.queuedAt, "2026-03-18T09:41:07.123Z");
  assert.equal(r.triggered.startedAt, null);
  assert.equal(r.fetched.sameId, true);
  assert.equal(r.fetched.queuedAtIsDate, true);
  assert.equal(r.fetched.sameQueuedAt, true);
  assert.equal(r.fetched.completedAt, null);
  assert.equal(r.fetched.done, false);
  assert.equal(r.fetched.summary, "build queued · 1m 12s");

  assert.deepEqual(r.apiError, {
    name: "EncoreApiError", className: "EncoreApiError", isEncoreApiError: true, isEncoreError: true, isError: true,
    status: 404, code: "not_found",
  });
  assert.equal(r.secretWithoutOptIn.name, "EncoreValidationError");
  assert.equal(r.secretWithoutOptIn.className, "EncoreValidationError");
  assert.equal(r.secretWithoutOptIn.isEncoreValidationError, true);
  assert.equal(r.secretWithoutOptIn.isEncoreError, true);
  assert.match(r.secretWithoutOptIn.message, /dangerouslyAllowBrowser/);
  assert.equal(r.accessTokenClient, true);
  // verifyWebhook / webhookFromRequest exist in the browser entry and refuse with the typed error.
  for (const refusal of [r.verifyWebhook, r.webhookFromRequest]) {
    assert.equal(refusal.name, "EncoreValidationError");
    assert.equal(refusal.className, "EncoreValidationError");
    assert.equal(refusal.isEncoreValidationError, true);
    assert.equal(refusal.isEncoreError, true);
    assert.match(refusal.message, /webhook verification runs on servers \(Node, Deno, Bun, Workers\)/);
    assert.match(refusal.message, /a browser must never hold a webhook secret/);
    assert.doesNotMatch(refusal.message, /whsec_in_a_page/);
  }
  assert.equal(r.webhookFromRequestIsPromise, true);

  // The page really loaded the package's browser entry and its wasm from the scratch project.
  assert.ok(site.log.includes("GET /node_modules/encore-cloud/index.browser.js"), site.log.join("\n"));
  // The browser module (no webhooks), never the full one.
  assert.ok(site.log.includes("GET /node_modules/encore-cloud/encore_cloud_browser_bg.wasm"), site.log.join("\n"));
  assert.ok(!site.log.some((l) => l.endsWith("/encore_cloud_bg.wasm") || l.endsWith("/encore_cloud.js")), site.log.join("\n"));
  // …and talked to the simulator (one token, trigger, get, the 404, the token client's get).
  assert.deepEqual(sim.simulator.requests.map((x) => `${x.method} ${x.path} ${x.status}`), [
    "POST /api/oauth/token 200",
    "POST /api/apps/demo-app/envs/production/rollouts 200",
    `GET /api/apps/demo-app/rollouts/${r.triggered.id} 200`,
    "GET /api/apps/demo-app/rollouts/roll_missing 404",
    `GET /api/apps/demo-app/rollouts/${r.triggered.id} 200`,
  ]);
});
