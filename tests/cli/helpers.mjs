// Shared helpers for the CLI tests (not a test file): the `encore-cloud` bin installed from the
// packed tarball (tests/package/scratch.mjs), a simulator per test file, and a runner that
// checks, for every run, that the client secret appears in no output.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulatorServer } from "../../simulator/node.js";
import { DEMO_ID, DEMO_SECRET, ensureScratch } from "../package/scratch.mjs";

export { DEMO_ID, DEMO_SECRET };
export const ANSI = /\x1b\[/;
/** RFC 3339 as JSON.stringify writes a Date. */
export const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const { dir } = await ensureScratch();
/** The installed bin (a symlink npm made in the scratch project). */
export const BIN = join(dir, "node_modules", ".bin", "encore-cloud");
export const SCRATCH = dir;

/** A simulator on a free local port; fast phases (a rollout completes in well under a second). */
export async function simulator(t, options = {}) {
  const srv = await startSimulatorServer({ port: 0, timeScale: 0.01, ...options });
  t.after(() => srv.close());
  return srv;
}

/** The environment of a run: nothing inherited but PATH and HOME (no CI, no GITHUB_*). */
export function cleanEnv(sim, extra = {}) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  if (sim) Object.assign(env, { ENCORE_CLIENT_ID: DEMO_ID, ENCORE_CLIENT_SECRET: DEMO_SECRET, ENCORE_API_URL: sim.url });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * Starts the bin; `done` resolves to { code, signal, stdout, stderr } after checking that the
 * secret is in neither stream.
 */
export function start(args, { env, cwd = SCRATCH } = {}) {
  const child = spawn(BIN, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      assert.ok(!stdout.includes(DEMO_SECRET) && !stderr.includes(DEMO_SECRET), "the client secret was printed");
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, stderrSoFar: () => stderr };
}

/** Runs the bin to its end. */
export function cli(args, options) {
  return start(args, options).done;
}

/** Parses stdout as exactly one JSON object and nothing else. */
export function json(run) {
  assert.equal(run.stdout.trimEnd().split("\n").length, 1, `stdout has more than one line: ${run.stdout}`);
  const v = JSON.parse(run.stdout);
  assert.equal(typeof v, "object");
  assert.equal(v.exit_code, run.code, "exit_code matches the exit code");
  return v;
}

/** A scratch directory, removed after the test; `files` is `{ name: text }`. */
export async function tempDir(t) {
  const d = await mkdtemp(join(tmpdir(), "encore-cloud-cli-"));
  t.after(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** A file's text ("" when absent). */
export const text = (p) => readFile(p, "utf8").catch(() => "");

/** Resolves once `predicate(stderr so far)` holds (polling; generous deadline). */
export async function until(run, predicate, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!predicate(run.stderrSoFar())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; stderr: ${run.stderrSoFar()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
