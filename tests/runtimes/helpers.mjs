// Runs tests/runtimes/fixtures/runtime-check.mjs under another runtime (Deno, Bun) from inside
// the scratch project, against a simulator server. Not a test file.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, DEMO_ID, DEMO_SECRET, copyInto, ensureScratch } from "../package/scratch.mjs";

const V = JSON.parse(readFileSync(new URL("../webhooks/vectors.json", import.meta.url), "utf8"));

/** Runs the check with `command args… <script>`; returns its parsed report. */
export async function runCheck(t, name, args) {
  const { dir } = await ensureScratch();
  const script = await copyInto(dir, new URL("./fixtures/runtime-check.mjs", import.meta.url), `runtime-tests/${name}.mjs`);
  const { startSimulatorServer } = await import(pathToFileURL(join(dir, "node_modules/encore-cloud/simulator/node.js")).href);
  const sim = await startSimulatorServer({ timeScale: 0.01 });
  t.after(() => sim.close());
  const event = JSON.parse(Buffer.from(V.event_body_hex, "hex").toString("utf8"));
  const env = {
    PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1",
    ENCORE_CLIENT_ID: DEMO_ID, ENCORE_CLIENT_SECRET: DEMO_SECRET, ENCORE_BASE_URL: sim.url,
    WEBHOOK_SECRET: "whsec_runtime_check_77", EVENT_JSON: JSON.stringify(event), VECTOR_JSON: JSON.stringify(V.vectors[0]),
  };
  const { stdout, stderr, code } = await new Promise((resolve) => {
    execFile(join(BIN, name), [...args, script], { cwd: dir, env, timeout: 90_000 }, (err, stdout, stderr) =>
      resolve({ stdout, stderr, code: err ? err.code ?? err.signal : 0 }));
  });
  const line = stdout.trim().split("\n").at(-1) ?? "";
  let report;
  try {
    report = JSON.parse(line);
  } catch {
    assert.fail(`${name} printed no report (exit ${code}): ${stdout}\n${stderr}`);
  }
  assert.equal(report.error, undefined, `${name}: ${report.error}\n${stderr}`);
  assert.equal(code, 0, stderr);
  return report;
}

/** The assertions both runtimes must pass. */
export function checkReport(report, runtime) {
  assert.ok(report.runtime.startsWith(runtime), report.runtime);
  assert.equal(report.conclusion, "success");
  assert.equal(report.completedAtIsDate, true);
  assert.ok(report.updates >= 1);
  assert.equal(report.eventType, "rollout.completed");
  assert.equal(report.eventDates, true);
  assert.equal(report.vector, 42);
  assert.equal(report.forged, "no_valid_signature");
}
