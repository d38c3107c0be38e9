// The `encore-cloud-simulator` bin, started from the scratch project like a user would.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { DEMO_ID, DEMO_SECRET, copyInto, ensureScratch } from "./scratch.mjs";

const { dir } = await ensureScratch();

test("npx --no-install encore-cloud-simulator --port 0 starts and answers", async (t) => {
  // Own process group, so stopping it stops npx and the node process it started (ours only).
  const child = spawn("npx", ["--no-install", "encore-cloud-simulator", "--port", "0", "--time-scale", "0.01"], {
    cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit");
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await exited;
    }
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 20 s; stdout: ${out}; stderr: ${err}`)), 20_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited early (${code}); stdout: ${out}; stderr: ${err}`)));
  });
  assert.match(out, new RegExp(`client_id:\\s+${DEMO_ID}`));
  assert.match(out, /my-app \(prod, staging\)/);
  assert.match(out, /demo-app \(production, staging\)/);

  const config = await fetch(`${url}/__sim/config`).then((r) => r.json());
  assert.equal(config.demoClient.clientId, DEMO_ID);
  assert.deepEqual(config.apps["my-app"].envs, ["prod", "staging"]);

  // The installed client talks to it.
  const entry = await copyInto(dir, new URL("./fixtures/esm-entry.mjs", import.meta.url), "package-tests/bin-entry.mjs");
  const { EncoreClient } = (await import(pathToFileURL(entry).href)).api;
  const c = new EncoreClient({ clientId: DEMO_ID, clientSecret: DEMO_SECRET, baseUrl: url });
  const r = await c.triggerRollout("my-app", "prod", { branch: "main" });
  const done = await c.waitForRollout("my-app", r.id, { intervalMs: 1000, timeoutMs: 10_000 });
  assert.equal(done.conclusion, "success");

  process.kill(-child.pid, "SIGTERM");
  const [code, signal] = await exited;
  assert.ok(code === 0 || signal === "SIGTERM", `exit ${code} ${signal}; stderr: ${err}`);
});
