// The browser entry through a bundler: a Vite app in the scratch project (index.html + main.js
// importing "encore-cloud"), built with vite build, dist/ served statically, opened in Chromium.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { BIN, ensureScratch, writeInto } from "../package/scratch.mjs";
import { launchChromium, runPage, serveStatic } from "./helpers.mjs";

const run = promisify(execFile);
const { dir } = await ensureScratch();
// Through the installed package's exports map, from a module inside the scratch project.
const simEntry = await writeInto(dir, { "browser-tests/sim-entry.mjs": 'export { startSimulatorServer } from "encore-cloud/simulator";\n' });
const { startSimulatorServer } = await import(pathToFileURL(simEntry["browser-tests/sim-entry.mjs"]).href);
const app = join(dir, "vite-app");

const indexHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>encore-cloud: Vite app</title>
<style>body { font: 15px/1.4 system-ui, sans-serif; margin: 24px; } pre { background: #eef3ff; padding: 12px; white-space: pre-wrap; } #headline { font-weight: 600; }</style>
</head>
<body>
<h1>encore-cloud in a Vite build</h1>
<pre id="result">running…</pre>
<script type="module" src="./main.js"></script>
</body>
</html>
`;
const mainJs = `${await readFile(new URL("./page-script.js", import.meta.url), "utf8")}
runScenario("vite build");
`;

let sim, site, browser, build;
before(async () => {
  await rm(app, { recursive: true, force: true });
  await writeInto(dir, { "vite-app/index.html": indexHtml, "vite-app/main.js": mainJs });
  const started = Date.now();
  const { stdout, stderr } = await run(join(BIN, "vite"), ["build", "--logLevel", "warn"], {
    cwd: app, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: "1" },
  });
  build = { ms: Date.now() - started, output: `${stdout}${stderr}` };
  [sim, site, browser] = await Promise.all([startSimulatorServer({ port: 0, clock: "manual" }), serveStatic(join(app, "dist")), launchChromium()]);
});
after(async () => {
  await Promise.all([browser?.close(), sim?.close(), site?.close()]);
});

test("vite build bundles the browser entry and emits the wasm", async () => {
  const assets = await readdir(join(app, "dist", "assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), assets.join(", "));
  // Only the browser module (no webhooks) is emitted, not the full one.
  assert.deepEqual(assets.filter((f) => f.endsWith(".wasm")).map((f) => f.replace(/-[\w-]+\.wasm$/, "")), ["encore_cloud_browser_bg"]);
  assert.ok(assets.some((f) => f.endsWith(".js")), assets.join(", "));
  const html = await readFile(join(app, "dist", "index.html"), "utf8");
  assert.match(html, /<script type="module"[^>]* src="\/assets\/[^"]+\.js"/);
  assert.doesNotMatch(build.output, /error/i, build.output);
});

test("the built app calls the simulator (another origin) and shows the result", async () => {
  const { result: r, problems } = await runPage(browser, `${site.url}/?sim=${encodeURIComponent(sim.url)}`, "vite.png");
  assert.equal(r.fatal, undefined, r.fatal);
  assert.deepEqual(problems, []);
  assert.notEqual(r.pageOrigin, r.simulatorOrigin);
  assert.match(r.triggered.id, /^roll_/);
  assert.equal(r.triggered.queuedAtIsDate, true);
  assert.equal(r.triggered.queuedAt, "2026-03-18T09:41:07.123Z");
  assert.equal(r.fetched.sameId, true);
  assert.equal(r.fetched.queuedAtIsDate, true);
  assert.equal(r.fetched.summary, "build queued · 1m 12s");
  // Minifiers may rename classes; `name` and instanceof must survive bundling.
  assert.equal(r.apiError.name, "EncoreApiError");
  assert.equal(r.apiError.isEncoreApiError, true);
  assert.equal(r.apiError.isEncoreError, true);
  assert.equal(r.apiError.status, 404);
  assert.equal(r.apiError.code, "not_found");
  assert.equal(r.secretWithoutOptIn.name, "EncoreValidationError");
  assert.equal(r.secretWithoutOptIn.isEncoreValidationError, true);
  assert.equal(r.accessTokenClient, true);
  assert.equal(r.verifyWebhook.isEncoreValidationError, true);
  assert.match(r.verifyWebhook.message, /a browser must never hold a webhook secret/);
  assert.equal(r.webhookFromRequest.isEncoreValidationError, true);
  assert.ok(site.log.some((l) => /^GET \/assets\/.+\.wasm$/.test(l)), site.log.join("\n"));
  assert.equal(sim.simulator.count("POST", "/api/apps/demo-app/envs/production/rollouts"), 1);
  assert.equal(sim.simulator.count("GET", `/api/apps/demo-app/rollouts/${r.triggered.id}`), 2);
});
