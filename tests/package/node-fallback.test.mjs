// The Node entry takes `fs` from `process.getBuiltinModule` (Node ≥ 20.16); before that it
// falls back to `createRequire`. Both paths load the module and make a working client.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { ensureScratch } from "./scratch.mjs";

const { dir } = await ensureScratch();

const script = (withoutBuiltinModule) => `
  ${withoutBuiltinModule ? "delete process.getBuiltinModule;" : ""}
  const { EncoreClient, summarizeRollout } = await import("encore-cloud");
  const c = new EncoreClient({ clientId: "o2c_x", clientSecret: "s" });
  const s = summarizeRollout({ id: "r", status: "completed", conclusion: "success",
    build: { id: "b", status: "completed", conclusion: "success" },
    infra: { id: "i", status: "completed", conclusion: "success" },
    deploy: { id: "d", status: "completed", conclusion: "success" } });
  console.log(JSON.stringify({ client: String(c), done: s.done, builtin: typeof process.getBuiltinModule }));
`;

for (const without of [false, true]) {
  test(`the Node entry loads ${without ? "without" : "with"} process.getBuiltinModule`, () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script(without)], { cwd: dir, encoding: "utf8" });
    const r = JSON.parse(out);
    assert.equal(r.builtin, without ? "undefined" : "function");
    assert.match(r.client, /^EncoreClient\(https:\/\/api\.encore\.dev, client o2c_x\)$/);
    assert.equal(r.done, true);
  });
}
