// Which entry and which wasm module each export condition of the installed package resolves to:
// the `browser` condition alone gets the browser module (no webhook verification, so a page
// never holds a webhook secret); Node, Workers, `import` and `default` get the full module.
// Resolution is esbuild's (as bundlers do it) against the scratch project's node_modules.
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import * as esbuild from "esbuild";
import { ensureScratch } from "./scratch.mjs";

const { dir } = await ensureScratch();
const pkgDir = join(dir, "node_modules", "encore-cloud");
const entry = join(dir, "package-tests", "entries-entry.mjs");
await mkdir(join(dir, "package-tests"), { recursive: true });
await writeFile(entry, 'export { EncoreClient, verifyWebhook } from "encore-cloud";\n');

/** Bundles the entry with these esbuild options; returns the package files it pulled in and its text. */
async function bundle(options) {
  const r = await esbuild.build({
    entryPoints: [entry], bundle: true, write: false, metafile: true, format: "esm", logLevel: "silent",
    loader: { ".wasm": "file" }, outdir: join(dir, "package-tests", "out"), ...options,
  });
  const inputs = Object.keys(r.metafile.inputs).filter((p) => p.includes("encore-cloud/")).map((p) => p.replace(/.*encore-cloud\//, ""));
  const text = r.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => f.text).join("\n");
  return { inputs, text };
}

test("the browser condition: index.browser.js and only the browser module", async () => {
  const { inputs, text } = await bundle({ platform: "browser" });
  assert.ok(inputs.includes("index.browser.js"), inputs.join(", "));
  assert.ok(inputs.includes("encore_cloud_browser.js"), inputs.join(", "));
  assert.ok(!inputs.includes("encore_cloud.js"), inputs.join(", "));
  assert.match(text, /encore_cloud_browser_bg\.wasm/);
  assert.doesNotMatch(text, /encore_cloud_bg\.wasm/);
});

for (const [label, options, expected] of [
  ["node (import)", { platform: "node" }, "index.node.js"],
  ["workerd", { platform: "neutral", conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"] }, "index.workerd.js"],
  ["import (no node/browser/workerd: Deno-style bundlers, others)", { platform: "neutral", conditions: [] }, "index.js"],
]) {
  test(`${label}: ${expected} and the full module`, async () => {
    const { inputs, text } = await bundle(options);
    assert.ok(inputs.includes(expected), inputs.join(", "));
    // The Node entry is one file with the full module's glue inlined (fewer modules to load at
    // start-up); the others import the glue.
    if (expected === "index.node.js") assert.match(text, /encore_cloud_bg\.wasm/);
    else assert.ok(inputs.includes("encore_cloud.js"), inputs.join(", "));
    assert.ok(!inputs.some((p) => p.startsWith("encore_cloud_browser")), inputs.join(", "));
    assert.doesNotMatch(text, /encore_cloud_browser_bg\.wasm/);
  });
}

test("the exports map: default and import keep the full module's entry; browser is the only browser one", async () => {
  const pj = JSON.parse(await readFile(join(pkgDir, "package.json"), "utf8"));
  const root = pj.exports["."];
  assert.equal(root.default, "./index.js");
  assert.equal(root.import.default, "./index.js");
  assert.equal(root.browser.default, "./index.browser.js");
  const browserUsers = JSON.stringify(pj.exports).match(/index\.browser\.js/g);
  assert.equal(browserUsers.length, 1);
  assert.equal(pj.module, "./index.js");
});

test("the browser module exports no webhook functions; the full module does", async () => {
  const exportsOf = async (file) => WebAssembly.Module.exports(new WebAssembly.Module(await readFile(join(pkgDir, file)))).map((e) => e.name);
  const full = await exportsOf("encore_cloud_bg.wasm");
  const browser = await exportsOf("encore_cloud_browser_bg.wasm");
  assert.ok(full.includes("verifyWebhook") && full.includes("webhookFromRequest"), full.join(", "));
  assert.ok(!browser.some((n) => /webhook/i.test(n)), browser.join(", "));
  // Everything else the library exports is in both.
  const missing = full.filter((n) => !/webhook/i.test(n) && !browser.includes(n));
  assert.deepEqual(missing, []);
});
