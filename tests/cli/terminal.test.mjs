// In a terminal (a pseudo-terminal from `script`): the live view, redrawn in place, coloured
// unless NO_COLOR / --no-color; with CI set, plain lines even in a terminal.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { BIN, DEMO_SECRET, cleanEnv, simulator, tempDir } from "./helpers.mjs";

const run = promisify(execFile);
const strip = (s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

/** Runs the bin under a pseudo-terminal; returns what the terminal received and the exit code. */
async function inTerminal(t, args, env) {
  const d = await tempDir(t);
  const log = join(d, "typescript");
  const quoted = [BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  let code = 0;
  try {
    await run("script", ["-qefc", quoted, log], { env: { ...env, TERM: "xterm-256color" } });
  } catch (e) {
    code = e.code;
  }
  const screen = (await readFile(log, "utf8")).replace(/^Script started.*\n/, "").replace(/\nScript done.*\n?$/, "");
  assert.ok(!screen.includes(DEMO_SECRET));
  return { code, screen };
}

const deploy = ["deploy", "--app", "my-app", "--env", "prod", "--branch", "main", "--interval", "1s"];

test("a terminal gets the live view: one line per phase, redrawn in place, in colour", async (t) => {
  const sim = await simulator(t, { timeScale: 0.3 });
  const { code, screen } = await inTerminal(t, deploy, cleanEnv(sim));
  assert.equal(code, 0, screen);
  assert.ok(screen.includes("\r\x1b[4A\x1b[J"), "the view is redrawn in place");
  assert.ok(screen.includes("\x1b[32m✓\x1b[0m build"), "a green check for a finished phase");
  assert.match(screen, /\x1b\[36m[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\x1b\[0m build {2}running/, "a spinner while a phase runs");
  const plain = strip(screen).replace(/\r/g, "");
  // The last frame: every phase finished, with how long it took, then the outcome and result.
  assert.match(plain, /roll_\w+ · success · \d+s\n {2}✓ build {2}success +\d+s\n {2}✓ infra {2}success +\d+s\n {2}✓ deploy success +\d+s\n✓ roll_\w+ succeeded in \d+s\nroll_\w+\n$/);
});

test("NO_COLOR and --no-color keep the live view without colours; CI gets plain lines", async (t) => {
  const sim = await simulator(t);
  for (const [args, env] of [[deploy, cleanEnv(sim, { NO_COLOR: "1" })], [[...deploy, "--no-color"], cleanEnv(sim)]]) {
    const { code, screen } = await inTerminal(t, args, env);
    assert.equal(code, 0, screen);
    assert.ok(screen.includes("\x1b[4A"), "still redrawn in place");
    assert.doesNotMatch(screen, /\x1b\[\d*m/, "no colour codes");
  }
  const { code, screen } = await inTerminal(t, deploy, cleanEnv(sim, { CI: "true" }));
  assert.equal(code, 0, screen);
  assert.doesNotMatch(screen, /\x1b/);
  assert.match(screen, /roll_\w+ {2}success · \d+s\r\n/);
});
