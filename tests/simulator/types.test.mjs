// simulator/index.d.ts agrees with the simulator's code, both ways:
// 1. statically: tsc --strict compiles tests/simulator/types/check.ts in a scratch project where
//    the code (simulator/**/*.js, every file // @ts-check, typed by JSDoc and inference) and the
//    declarations sit apart: the code must type-check, and check.ts fails on any member that is
//    declared but missing, present but undeclared, or of a different type;
// 2. at run time: the names index.d.ts declares are exactly the exports and the members of the
//    objects the code really returns.
// Negative controls show that check 1 catches each kind of disagreement.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as nodeEntry from "../../simulator/node.js";
import * as browserEntry from "../../simulator/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SIM = join(ROOT, "simulator");
const FIXTURE = fileURLToPath(new URL("./types/", import.meta.url));
const SCRATCH = join(ROOT, "test-output", "simulator-types");
const TSC = join(ROOT, "node_modules", ".bin", "tsc");
const DTS = await readFile(join(SIM, "index.d.ts"), "utf8");

/**
 * A scratch check project: impl/ = the simulator without its .d.ts, decl/index.d.ts, check.ts.
 * `edit` may change files before tsc runs. Resolves tsc's { code, output }.
 */
async function check(name, edit = async () => {}) {
  const dir = join(SCRATCH, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "decl"), { recursive: true });
  await cp(SIM, join(dir, "impl"), { recursive: true, filter: (src) => !src.endsWith(".d.ts") });
  await writeFile(join(dir, "decl", "index.d.ts"), DTS);
  for (const f of ["check.ts", "node-shim.d.ts", "tsconfig.json"]) await cp(join(FIXTURE, f), join(dir, f));
  await writeFile(join(dir, "package.json"), '{ "type": "module" }\n');
  await edit(dir);
  return new Promise((resolve, reject) => {
    execFile(TSC, ["-p", ".", "--pretty", "false", "--noErrorTruncation"], { cwd: dir, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") return reject(err);
      resolve({ code: err ? err.code : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** Replace `from` (which must occur) by `to` in a scratch file. */
async function replaceIn(file, from, to) {
  const text = await readFile(file, "utf8");
  assert.ok(text.includes(from), `${file} contains ${from}`);
  await writeFile(file, text.replace(from, to));
}

test("tsc --strict: the declarations and the code agree", async () => {
  const tsconfig = JSON.parse(await readFile(join(FIXTURE, "tsconfig.json"), "utf8")).compilerOptions;
  assert.equal(tsconfig.strict, true);
  assert.equal(tsconfig.skipLibCheck, false);
  assert.equal(tsconfig.allowJs, true);
  // Every file of the simulator is type-checked (// @ts-check), so its JSDoc types hold.
  const files = (await readdir(SIM, { recursive: true })).filter((f) => f.endsWith(".js"));
  assert.ok(files.length >= 15, files.join());
  for (const f of files) {
    assert.match(await readFile(join(SIM, f), "utf8"), /^(#!.*\n)?\/\/ @ts-check\n/, `simulator/${f} starts with // @ts-check`);
  }
  const { code, output } = await check("agree");
  assert.equal(output.trim(), "", output);
  assert.equal(code, 0);
});

test("negative controls: each kind of disagreement fails the check, naming the member", async () => {
  const cases = [
    ["a method missing from the .d.ts", (d) => replaceIn(join(d, "decl/index.d.ts"), "  listFaults(): SimulatorFault[];\n", ""),
      /"Simulator\.listFaults: not declared"/],
    ["a wrong return type (void for a number)", (d) => replaceIn(join(d, "decl/index.d.ts"), "advance(ms: number): number", "advance(ms: number): void"),
      /"Simulator\.clock\.advance\(\): type"/],
    ["a wrong field type in a returned object", (d) => replaceIn(join(d, "decl/index.d.ts"), "  status: number | null;\n  /** Simulator clock", "  status: number;\n  /** Simulator clock"),
      /"Simulator\.requests: type"/],
    ["a declared export the code lacks", (d) => replaceIn(join(d, "decl/index.d.ts"), "export const GO_ZERO_TIME: string;", "export const GO_ZERO_TIME: string;\nexport const NOT_THERE: number;"),
      /"module\.NOT_THERE: declared but not in the code"/],
    ["an export the .d.ts does not declare", (d) => writeFile(join(d, "impl/index.js"), "export const EXTRA = 1;\n", { flag: "a" }),
      /"module\.EXTRA: not declared"/],
    ["a declared argument the code does not take", (d) => replaceIn(join(d, "decl/index.d.ts"), "getRollout(rolloutId: string)", "getRollout(rolloutId: number)"),
      /"Simulator\.getRollout\(\): arguments"/],
  ];
  for (const [what, edit, expected] of cases) {
    const { code, output } = await check(`negative-${cases.findIndex((c) => c[0] === what)}`, edit);
    assert.notEqual(code, 0, `${what}: tsc must fail`);
    assert.match(output, expected, `${what}:\n${output}`);
    assert.doesNotMatch(output, /impl\//, `${what}: the code itself has no type errors:\n${output}`);
  }
});

/** The member names of an interface in index.d.ts (top level of its body only). */
function declaredMembers(name) {
  const body = DTS.match(new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`))?.[1];
  assert.ok(body, `interface ${name} in index.d.ts`);
  return [...body.matchAll(/^ {2}(\w+)\??[(:]/gm)].map((m) => m[1]).sort();
}

/** The value exports index.d.ts declares (functions, constants, classes). */
const declaredExports = [...DTS.matchAll(/^export (?:declare )?(?:function|const|class) (\w+)/gm)].map((m) => m[1]).sort();

test("at run time: the exports and the returned objects have exactly the declared members", async () => {
  assert.ok(declaredExports.length >= 10, declaredExports.join());
  assert.deepEqual(Object.keys(nodeEntry).sort(), declaredExports);
  const nodeOnly = ["createNodeListener", "startSimulatorServer"];
  assert.deepEqual(Object.keys(browserEntry).sort(), declaredExports.filter((n) => !nodeOnly.includes(n)));

  const sim = browserEntry.createSimulator({ clock: "manual" });
  assert.deepEqual(Object.keys(sim).sort(), declaredMembers("Simulator"));
  assert.deepEqual(Object.keys(sim.config()).sort(), declaredMembers("SimulatorConfig"));
  assert.deepEqual(Object.keys(sim.addFault({ status: 500 })).sort(), declaredMembers("SimulatorFault"));
  assert.deepEqual(Object.keys(sim.setRateLimit({ limit: 1 })).sort(), declaredMembers("SimulatorRateLimit"));
  await sim.fetch("http://sim.test/api/nothing");
  const logged = declaredMembers("SimulatorRequest");
  for (const k of Object.keys(sim.requests[0])) assert.ok(logged.includes(k), `request log field ${k} is declared`);

  const server = await nodeEntry.startSimulatorServer({ port: 0 });
  try {
    assert.deepEqual(Object.keys(server).sort(), declaredMembers("SimulatorServer"));
    assert.equal(typeof server.simulator.clock.advance(0), "number", "advance returns the new time");
  } finally {
    await server.close();
  }
});
