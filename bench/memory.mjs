// The wasm module's linear memory under a long mixed workload (the allocator's test: a client
// runs for months). `node --expose-gc bench/memory.mjs [pkgDir] [calls]` makes `calls` (default
// 100000) calls through an in-process fetch — rollouts fetched and triggered, API errors,
// malformed answers, ids of 0–64 KB, summaries — and prints JSON: the linear memory (bytes) after 10%, 50% and
// 100% of them, and how many calls failed as they should.
import { pathToFileURL } from "node:url";
import { ROLLOUT } from "./server.mjs";

const dir = pathToFileURL(`${process.argv[2] ?? new URL("../pkg", import.meta.url).pathname}/`);
const total = Number(process.argv[3] ?? 100_000);
// The full module through its glue (the Node entry inlines its own copy of the glue, which does
// not expose the module's memory): the same wasm, initialised here.
const glue = await import(new URL("encore_cloud.js", dir).href);
const { readFileSync } = await import("node:fs");
const wasm = glue.initSync({ module: readFileSync(new URL("encore_cloud_bg.wasm", dir)) });
const { EncoreClient, summarizeRollout } = glue;

const TOKEN = JSON.stringify({ access_token: "bench-token", expires_in: 3600, actor: "o2c_bench", token_type: "Bearer" });
const json = (status, body) => new Response(body, { status, headers: { "content-type": "application/json" } });
let n = 0;
const fetch = async (url) => {
  if (String(url).endsWith("/oauth/token")) return json(200, TOKEN);
  switch (n % 5) {
    case 2: return json(200, ROLLOUT.replace("roll_bench", `roll_${"x".repeat((n * 7919) % 65536)}`)); // 0–64 KB ids: varied sizes
    case 3: return json(404, `{"code":"not_found","message":"rollout ${n} not found","details":{"n":${n}}}`);
    case 4: return json(200, `{"id":"roll_${n}","status":"running"}`);
    default: return json(200, ROLLOUT.replace("roll_bench", `roll_${n}`));
  }
};
const client = new EncoreClient({ baseUrl: "http://127.0.0.1:9", clientId: "o2c_bench", clientSecret: "s", maxRetries: 0, fetch });
const marks = {};
let failed = 0;
for (n = 0; n < total; n++) {
  try {
    const r = n % 2 ? await client.getRollout("my-app", `roll_${n}`) : await client.triggerRollout("my-app", "production", { branch: `b${n}` });
    summarizeRollout(r);
  } catch (e) {
    if (!(e?.name === "EncoreApiError" || e?.name === "EncoreProtocolError")) throw e;
    failed++;
  }
  if ([total / 10, total / 2, total - 1].includes(n)) { globalThis.gc?.(); marks[n === total - 1 ? total : n] = wasm.memory.buffer.byteLength; }
}
console.log(JSON.stringify({ memory: marks, failed, calls: total }));
