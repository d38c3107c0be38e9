// The package's TypeScript declarations, checked as a consumer sees them: tests/types/ is
// copied into the scratch project (where encore-cloud is installed) and compiled with tsc -p.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BIN, copyInto, ensureScratch } from "./scratch.mjs";

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

test("the README's Node / TypeScript example type-checks against the installed package", async () => {
  const readme = await readFile(join(dir, "node_modules", "encore-cloud", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Node / TypeScript"));
  const example = section.match(/```ts\n([\s\S]*?)```/)?.[1];
  assert.ok(example && example.includes("triggerRollout"), "the example is in the packaged README");
  const cwd = await consumerCopy("types-readme");
  // The project has no @types/node; the example uses process.env and process.exitCode only.
  const shim = "declare const process: { env: Record<string, string | undefined>; exitCode?: number };\n";
  await writeFile(join(cwd, "process-shim.d.ts"), shim);
  await writeFile(join(cwd, "readme-example.mts"), example);
  await writeFile(join(cwd, "tsconfig.readme.json"), JSON.stringify({ extends: "./tsconfig.json", files: ["process-shim.d.ts", "readme-example.mts"] }));
  const { code, output } = await tsc(cwd, "tsconfig.readme.json");
  assert.equal(code, 0, output);
});
