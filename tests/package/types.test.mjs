// The package's TypeScript declarations, checked as a consumer sees them: tests/types/ is
// copied into the scratch project (where encore-cloud is installed) and compiled with tsc -p.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startSimulatorServer } from "../../simulator/server.js";
import { BIN, copyInto, ensureScratch } from "./scratch.mjs";

const run = promisify(execFile);

const TYPES_DIR = fileURLToPath(new URL("../types/", import.meta.url));
const TSC = join(BIN, "tsc");
const { dir } = await ensureScratch();

/** Copy tests/types/ to a fresh dir of the scratch project; returns its path. */
async function consumerCopy(name) {
  const dest = join(dir, name);
  await rm(dest, { recursive: true, force: true });
  return copyInto(dir, TYPES_DIR, name);
}

/** Run tsc -p in a dir; resolves { code, output } (never rejects on type errors). */
function tsc(cwd, project = ".") {
  return new Promise((resolve, reject) => {
    execFile(TSC, ["-p", project, "--pretty", "false"], { cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") return reject(err);
      resolve({ code: err ? err.code : 0, output: `${stdout}${stderr}` });
    });
  });
}

const DIRECTIVE = /^\s*\/\/ @ts-expect-error\b/;

test("the consumer project (ESM consumer.ts + CommonJS consumer.cts) type-checks", async () => {
  const files = (await readdir(TYPES_DIR)).sort();
  for (const f of ["consumer.cts", "consumer.ts", "package.json", "tsconfig.json"]) assert.ok(files.includes(f), f);
  const tsconfig = JSON.parse(await readFile(join(TYPES_DIR, "tsconfig.json"), "utf8")).compilerOptions;
  assert.equal(tsconfig.strict, true);
  assert.equal(tsconfig.skipLibCheck, false);
  assert.equal(tsconfig.noEmit, true);
  assert.deepEqual(tsconfig.lib, ["es2022", "dom"]);
  assert.equal(tsconfig.module, "nodenext");
  assert.equal(tsconfig.moduleResolution, "nodenext");

  const cwd = await consumerCopy("types-check");
  const { code, output } = await tsc(cwd);
  assert.equal(output.trim(), "", output);
  assert.equal(code, 0, output);
});

test("negative control: without its @ts-expect-error, each marked line fails to compile", async () => {
  const cwd = await consumerCopy("types-negative");
  const expected = new Set();
  for (const file of ["consumer.ts", "consumer.cts"]) {
    const lines = (await readFile(join(cwd, file), "utf8")).split("\n");
    let n = 0;
    const stripped = lines.map((line, i) => {
      if (!DIRECTIVE.test(line)) return line;
      n++;
      expected.add(`${file}:${i + 2}`); // the line after the directive (1-based)
      return "// (directive removed by the negative control)"; // keeps line numbers
    });
    assert.ok(n >= (file === "consumer.ts" ? 15 : 3), `${file}: ${n} directives`);
    await writeFile(join(cwd, file), stripped.join("\n"));
  }
  const { code, output } = await tsc(cwd);
  assert.notEqual(code, 0, "tsc must fail once the directives are gone");
  const got = new Set([...output.matchAll(/^(consumer\.c?ts)\((\d+),\d+\): error TS\d+/gm)].map((m) => `${m[1]}:${m[2]}`));
  assert.deepEqual([...got].sort(), [...expected].sort(), output);
  // The check is the one the brief asks for: a wrong status literal is TS2367.
  assert.match(output, /consumer\.ts\(\d+,\d+\): error TS2367: .*'RolloutStatus' and '"bogus"'/);
});

test("encore-cloud/simulator has type declarations", async () => {
  const cwd = await consumerCopy("types-simulator");
  await writeFile(join(cwd, "sim.ts"),
    'import { startSimulatorServer } from "encore-cloud/simulator";\nexport const started = startSimulatorServer({ port: 0 });\n');
  await writeFile(join(cwd, "tsconfig.sim.json"), JSON.stringify({ extends: "./tsconfig.json", files: ["sim.ts"] }));
  const { code, output } = await tsc(cwd, "tsconfig.sim.json");
  assert.equal(code, 0, output);
});

/** The README's Node / TypeScript section, as packaged: its sh, json and ts blocks. */
async function readmeNodeSection() {
  const readme = await readFile(join(dir, "node_modules", "encore-cloud", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Node / TypeScript"), readme.indexOf("\n## ", readme.indexOf("## Node / TypeScript") + 1));
  const block = (lang) => section.match(new RegExp("```" + lang + "\\n([\\s\\S]*?)```"))?.[1];
  return { section, sh: block("sh"), tsconfig: block("json"), example: block("ts") };
}

let compiled = null; // the README project, compiled once: { cwd, js }

test("the README's Node / TypeScript project (npm init + type=module, tsconfig.json, deploy.ts) compiles with tsc", async () => {
  const { sh, tsconfig, example } = await readmeNodeSection();
  assert.ok(example && example.includes("triggerRollout"), "the example is in the packaged README");
  assert.ok(tsconfig, "the README shows a tsconfig.json");
  const cwd = join(dir, "readme-project");
  await rm(cwd, { recursive: true, force: true });
  await mkdir(cwd);
  // The README's own set-up line (it needs no network): npm init -y && npm pkg set type=module.
  const init = sh?.split("\n").find((l) => l.startsWith("npm init -y"));
  assert.ok(init, `the README's set-up commands: ${sh}`);
  await run("sh", ["-c", init.replace(/#.*$/, "")], { cwd });
  assert.equal(JSON.parse(await readFile(join(cwd, "package.json"), "utf8")).type, "module");
  // Exactly the README's tsconfig.json; @types/node comes from the workspace's devDependencies.
  await writeFile(join(cwd, "tsconfig.json"), tsconfig);
  assert.deepEqual(JSON.parse(tsconfig).files, ["deploy.ts"]);
  await writeFile(join(cwd, "deploy.ts"), example);
  const { code, output } = await tsc(cwd);
  assert.equal(output.trim(), "", output);
  assert.equal(code, 0, output);
  compiled = { cwd, js: await readFile(join(cwd, "deploy.js"), "utf8") };
});

test("the compiled README example runs as written against the simulator, one exit code per outcome", async (t) => {
  assert.ok(compiled, "compiled by the previous test");
  const sim = await startSimulatorServer({ port: 0, timeScale: 0.01 });
  t.after(() => sim.close());
  const creds = { ENCORE_CLIENT_ID: "o2c_demo_client", ENCORE_CLIENT_SECRET: "demo-secret-do-not-use", ENCORE_API_URL: sim.url };
  /** Runs a variant of deploy.js (substitutions asserted to apply) with these variables. */
  async function deploy(name, vars, substitutions = []) {
    let js = compiled.js;
    for (const [from, to] of substitutions) {
      assert.ok(js.includes(from), `${from} in deploy.js`);
      js = js.replaceAll(from, to);
    }
    const file = join(compiled.cwd, `${name}.js`);
    await writeFile(file, js);
    const env = { PATH: process.env.PATH, ...vars };
    return new Promise((resolve) => {
      execFile(process.execPath, [file], { cwd: compiled.cwd, env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? err.code : 0, stdout, stderr }));
    });
  }
  const [ok, missing, refused, failed, approval] = await Promise.all([
    deploy("as-written", creds),
    deploy("no-variables", { ENCORE_API_URL: sim.url }),
    deploy("wrong-secret", { ...creds, ENCORE_CLIENT_SECRET: "not-the-secret" }),
    deploy("build-fails", creds, [['branch: "main"', 'branch: "fail-build"']]),
    // Infra is proposed after ~50 ms here; polls at 0, 1 and 2 s, then the 3 s deadline.
    deploy("needs-approval", creds, [['branch: "main"', 'branch: "needs-approval"'], ["deadlineMs: 30 * 60_000", "deadlineMs: 3_000, intervalMs: 1_000"]]),
  ]);
  assert.equal(ok.code, 0, `${ok.stdout}${ok.stderr}`);
  assert.match(ok.stdout, /^success · /m);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /^EncoreValidationError: /);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, "a message, not a stack trace");
  assert.equal(refused.code, 3, refused.stderr);
  assert.match(refused.stderr, /^401 invalid_client: /);
  assert.equal(failed.code, 1, `${failed.stdout}${failed.stderr}`);
  assert.match(failed.stdout, /failure/);
  assert.equal(approval.code, 4, `${approval.stdout}${approval.stderr}`);
  assert.match(approval.stdout, /infra awaiting approval/);
  assert.match(approval.stdout, /^infra change awaits approval: https:\/\/app\.encore\.dev\/my-app\/deploys\/prod$/m);
  assert.match(approval.stderr, /^EncoreTimeoutError: rollout \S+ did not complete within 3000 ms/);
});

test("the README documents Deno's permissions and a Bun line next to the example", async () => {
  const { section } = await readmeNodeSection();
  const deno = section.match(/deno run ([^\n]*(?:\\\n[^\n]*)*) deploy\.ts/)?.[1].replace(/\\\n\s*/g, " ");
  assert.ok(deno, "a deno run line");
  const flags = deno.split(/\s+/).filter(Boolean).sort();
  assert.deepEqual(flags, [
    "--allow-env=ENCORE_CLIENT_ID,ENCORE_CLIENT_SECRET,ENCORE_API_URL",
    "--allow-net=api.encore.dev",
    "--allow-read=node_modules/encore-cloud",
  ]);
  // Every variable the example reads is allowed, and no other.
  const read = [...new Set([...section.match(/```ts\n[\s\S]*?```/)[0].matchAll(/process\.env\.([A-Z_]+)/g)].map((m) => m[1]))].sort();
  assert.deepEqual(read, flags[0].slice("--allow-env=".length).split(",").sort());
  assert.match(section, /`bun deploy\.ts`/);
});
