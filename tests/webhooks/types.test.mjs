// The webhook API's TypeScript declarations as a consumer sees them: tests/webhooks/types/ is
// copied into the scratch project (where encore-cloud is installed) and compiled with tsc
// --strict; a negative control removes each @ts-expect-error and expects exactly those lines
// to fail.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BIN, copyInto, ensureScratch } from "../package/scratch.mjs";

const TYPES_DIR = fileURLToPath(new URL("./types/", import.meta.url));
const { dir } = await ensureScratch();

async function copy(name) {
  await rm(join(dir, name), { recursive: true, force: true });
  return copyInto(dir, TYPES_DIR, name);
}

function tsc(cwd) {
  return new Promise((resolve, reject) => {
    execFile(join(BIN, "tsc"), ["-p", ".", "--pretty", "false"], { cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") return reject(err);
      resolve({ code: err ? err.code : 0, output: `${stdout}${stderr}` });
    });
  });
}

test("the webhook consumer files type-check under --strict (narrowing gives typed data)", async () => {
  const cfg = JSON.parse(await readFile(join(TYPES_DIR, "tsconfig.json"), "utf8")).compilerOptions;
  assert.equal(cfg.strict, true);
  assert.equal(cfg.skipLibCheck, false);
  const { code, output } = await tsc(await copy("webhook-types-check"));
  assert.equal(output.trim(), "", output);
  assert.equal(code, 0);
});

test("negative control: without its @ts-expect-error, each marked line fails", async () => {
  const cwd = await copy("webhook-types-negative");
  const expected = new Set();
  for (const file of ["webhooks.ts", "webhooks.cts"]) {
    const lines = (await readFile(join(cwd, file), "utf8")).split("\n");
    const stripped = lines.map((line, i) => {
      if (!/^\s*\/\/ @ts-expect-error\b/.test(line)) return line;
      expected.add(`${file}:${i + 2}`);
      return "// (directive removed)";
    });
    await writeFile(join(cwd, file), stripped.join("\n"));
  }
  assert.ok(expected.size >= 9, `${expected.size} directives`);
  const { code, output } = await tsc(cwd);
  assert.notEqual(code, 0);
  const got = new Set([...output.matchAll(/^(webhooks\.c?ts)\((\d+),\d+\): error TS\d+/gm)].map((m) => `${m[1]}:${m[2]}`));
  assert.deepEqual([...got].sort(), [...expected].sort(), output);
});

test("the README's Worker example type-checks against the installed package", async () => {
  const readme = await readFile(join(dir, "node_modules", "encore-cloud", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Webhooks"));
  const example = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes("export default"));
  assert.ok(example && example.includes("webhookFromRequest"), "the Worker example is in the packaged README");
  const cwd = await copy("webhook-types-readme");
  await writeFile(join(cwd, "worker.mts"), example);
  await writeFile(join(cwd, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, target: "es2022", lib: ["es2022", "dom"], module: "nodenext", moduleResolution: "nodenext", noEmit: true, types: [] },
    files: ["worker.mts"],
  }));
  const { code, output } = await tsc(cwd);
  assert.equal(code, 0, output);
});
