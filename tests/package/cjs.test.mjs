// The package as CommonJS: `require("encore-cloud")` in a .cjs file inside the scratch project.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { copyInto, ensureScratch } from "./scratch.mjs";
import { defineClientSuite } from "./suite.mjs";

const { dir } = await ensureScratch();
const entry = await copyInto(dir, new URL("./fixtures/cjs-entry.cjs", import.meta.url), "package-tests/cjs-entry.cjs");
const mod = createRequire(entry)(entry);
const simulator = await mod.loadSimulator();

test("require() gives a usable client synchronously (no top-level await in the CJS entry)", () => {
  assert.match(mod.syncProbe, /^EncoreClient\(/);
});

test("CommonJS require of encore-cloud/simulator resolves to the CommonJS bundle", () => {
  assert.match(mod.simulatorEntry, /simulator[\\/]node\.cjs$/);
  assert.equal(typeof simulator.startSimulatorServer, "function");
});

defineClientSuite({ label: "CommonJS require", expectedEntry: "index.cjs", ...mod, simulator });
