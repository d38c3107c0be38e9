// The composite action: action.yml declares the contract's inputs and outputs, and its step
// (action/run.sh) runs `encore-cloud deploy` so that the outputs land in $GITHUB_OUTPUT.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { BIN, DEMO_SECRET, cleanEnv, simulator, tempDir, text } from "./helpers.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const exec = promisify(execFile);

/** The keys one level under `section:` in action.yml. */
function keys(yml, section) {
  const block = yml.split(`\n${section}:\n`)[1].split(/\n\S/)[0];
  return [...block.matchAll(/^ {2}([\w-]+):$/gm)].map((m) => m[1]);
}

test("action.yml declares the inputs and outputs of the contract", async () => {
  const yml = await readFile(join(ROOT, "action.yml"), "utf8");
  assert.deepEqual(keys(yml, "inputs"), ["client-id", "client-secret", "app", "env", "sha", "branch", "wait", "timeout", "version"]);
  assert.deepEqual(keys(yml, "outputs"), ["rollout-id", "url", "status", "conclusion", "outcome"]);
  assert.match(yml, /using: composite/);
  assert.match(yml, /default: \$\{\{ github\.sha \}\}/);
  for (const o of keys(yml, "outputs")) assert.ok(yml.includes(`value: \${{ steps.deploy.outputs.${o} }}`), o);
  // The secret goes through the environment, not the command line.
  assert.match(yml, /ENCORE_CLIENT_SECRET: \$\{\{ inputs\.client-secret \}\}/);
  assert.doesNotMatch(yml, /run:.*inputs\./);
});

async function step(t, sim, inputs) {
  const d = await tempDir(t);
  const npxLog = join(d, "npx-args");
  // npx, as the runner would have it, but running the bin installed from the packed tarball.
  await writeFile(join(d, "npx"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${npxLog}'\nshift 2\nexec '${BIN}' "$@"\n`);
  await chmod(join(d, "npx"), 0o755);
  const out = join(d, "output");
  const env = cleanEnv(sim, {
    PATH: `${d}:${process.env.PATH}`, GITHUB_ACTIONS: "true", GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: join(d, "summary"),
    CI: "true", GITHUB_SHA: "ffffffffffffffffffffffffffffffffffffffff", ...inputs,
  });
  let code = 0;
  let stderr = "";
  try {
    ({ stderr } = await exec("bash", [join(ROOT, "action/run.sh")], { env }));
  } catch (e) {
    ({ code, stderr } = e);
  }
  assert.ok(!stderr.includes(DEMO_SECRET));
  const outputs = Object.fromEntries((await text(out)).trim().split("\n").map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { code, stderr, outputs, npx: (await text(npxLog)).trim().split("\n") };
}

test("the action's step deploys and sets the outputs", async (t) => {
  const sim = await simulator(t);
  const cargo = await readFile(join(ROOT, "Cargo.toml"), "utf8");
  const version = /^version = "([^"]+)"/m.exec(cargo)[1];
  const base = { INPUT_APP: "my-app", INPUT_ENV: "prod", INPUT_SHA: "abc123", INPUT_WAIT: "true", INPUT_TIMEOUT: "2m" };
  const ok = await step(t, sim, base);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(ok.npx, ["--yes", `encore-cloud@${version}`, "deploy", "--env", "prod", "--app", "my-app", "--sha", "abc123", "--timeout", "2m"]);
  assert.match(ok.outputs["rollout-id"], /^roll_\w+$/);
  assert.deepEqual([ok.outputs.status, ok.outputs.conclusion, ok.outputs.outcome], ["completed", "success", "success"]);

  const branch = await step(t, sim, { ...base, INPUT_BRANCH: "fail-build", INPUT_WAIT: "false", INPUT_TIMEOUT: "", INPUT_VERSION: "9.9.9" });
  assert.equal(branch.code, 0, branch.stderr);
  assert.deepEqual(branch.npx, ["--yes", "encore-cloud@9.9.9", "deploy", "--env", "prod", "--app", "my-app", "--branch", "fail-build", "--no-wait"]);
  assert.equal(branch.outputs.outcome, "running");

  const failed = await step(t, sim, { ...base, INPUT_BRANCH: "fail-build" });
  assert.equal(failed.code, 1);
  assert.equal(failed.outputs.outcome, "failure");
  const bad = await step(t, sim, { ...base, INPUT_WAIT: "maybe" });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /the wait input must be true or false/);
});
