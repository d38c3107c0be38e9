// A finished call leaves nothing behind that keeps Node running: each scenario runs in a child
// process (the built package against a simulator server) whose calls carry 10-minute limits,
// and the child must exit on its own within 20 s once its work is done, with no timer still
// active and no listener left on the caller's signal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startSimulatorServer } from "../../simulator/server.js";

const CHILD = fileURLToPath(new URL("./fixtures/exit-child.mjs", import.meta.url));
const ENTRY = pathToFileURL(fileURLToPath(new URL("../../pkg/index.node.js", import.meta.url))).href;
const BOUND_MS = 20_000; // the calls' limits are 600 000 ms: no timing luck either way
let sim;

// Rollouts take ~2.3 s here (11.5 s × 0.2): several polls at the 1 s minimum interval.
before(async () => { sim = await startSimulatorServer({ port: 0, timeScale: 0.2 }); });
after(() => sim?.close());

/** Runs one scenario; resolves { code, signal, ms, result } (result: the child's JSON line). */
function child(scenario) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [CHILD, ENTRY, sim.url, scenario], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => { out += d; });
    p.stderr.on("data", (d) => { err += d; });
    const kill = setTimeout(() => p.kill("SIGKILL"), BOUND_MS);
    p.on("error", reject);
    p.on("close", (code, signal) => {
      clearTimeout(kill);
      const line = out.trim().split("\n").pop();
      let result = null;
      try { result = JSON.parse(line); } catch { /* reported below */ }
      resolve({ code, signal, ms: Math.round(performance.now() - t0), result, output: `${out}${err}` });
    });
  });
}

async function exitsPromptly(t, scenario) {
  await fetch(`${sim.url}/__sim/faults`, { method: "DELETE" });
  const r = await child(scenario);
  t.diagnostic(`child lived ${r.ms} ms`);
  assert.ok(r.result, `the child printed its result: ${r.output}`);
  assert.equal(r.signal, null, `the child was still running after ${BOUND_MS} ms (result ${JSON.stringify(r.result)})`);
  assert.equal(r.code, 0, r.output);
  assert.equal(r.result.timers, 0, "no timer is active once the work is done");
  return r.result;
}

test("waitForRollout with a 10-minute deadline: the process exits once the rollout completed", async (t) => {
  const r = await exitsPromptly(t, "wait-deadline");
  assert.deepEqual([r.status, r.conclusion], ["completed", "success"]);
});

test("waitForRollout with a deadline and a signal that never fires: exits, no listener left", async (t) => {
  const r = await exitsPromptly(t, "wait-signal");
  assert.deepEqual([r.status, r.conclusion], ["completed", "failure"]);
  assert.equal(r.listeners, 0);
});

test("single calls with a 10-minute per-call timeoutMs and a signal: exits, no listener left", async (t) => {
  const r = await exitsPromptly(t, "call-timeout");
  assert.equal(r.status, "queued");
  assert.equal(r.listeners, 0);
});

test("a deadline that ends the wait during a hung attempt stops that attempt (and its timer)", async (t) => {
  const r = await exitsPromptly(t, "deadline-during-attempt");
  assert.deepEqual([r.error, r.code], ["EncoreTimeoutError", "deadline_exceeded"]);
  assert.equal(r.listeners, 0);
});

test("a deadline that ends the wait during a Retry-After backoff clears the backoff timer", async (t) => {
  const r = await exitsPromptly(t, "deadline-during-backoff");
  assert.deepEqual([r.error, r.code], ["EncoreTimeoutError", "deadline_exceeded"]);
  assert.equal(r.listeners, 0);
});
