// Benchmarks (reported, never asserted): start-up cost of loading the package in Node (ESM
// import vs CJS require vs an empty script), and per-call overhead of getRollout over raw
// fetch against a local server answering a fixed rollout.
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const pkgDir = fileURLToPath(new URL("../pkg/", import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function startup(label, code, runs = 15) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: pkgDir }).toString();
    times.push(Number(out.trim()));
  }
  return { label, ms: median(times) };
}

const t0 = "const t0 = performance.now();";
const done = "console.log(performance.now() - t0);";
const rows = [
  startup("empty script", `${t0} ${done}`),
  startup("ESM import (index.node.js)", `${t0} await import(${JSON.stringify(pkgDir + "index.node.js")}); ${done}`),
  startup("CJS require (index.cjs)", `import { createRequire } from "node:module"; ${t0} createRequire(import.meta.url)(${JSON.stringify(pkgDir + "index.cjs")}); ${done}`),
];
console.log("start-up (median of 15 processes, time inside the process):");
for (const r of rows) console.log(`  ${r.label.padEnd(30)} ${r.ms.toFixed(2)} ms`);

const ROLLOUT = JSON.stringify({
  id: "roll_bench", status: "running", conclusion: "pending",
  queued_at: "2026-03-18T09:41:07.123456789Z", started_at: "2026-03-18T09:41:08Z", completed_at: null,
  build: { id: "b", status: "completed", conclusion: "success", queued_at: "2026-03-18T09:41:07Z", started_at: "2026-03-18T09:41:08Z", completed_at: "2026-03-18T09:45:00Z" },
  infra: { id: "i", status: "running", conclusion: "unknown", queued_at: "2026-03-18T09:45:00Z", started_at: "2026-03-18T09:45:01Z", completed_at: null },
  deploy: { id: "d", status: "queued", conclusion: "unknown", queued_at: null, started_at: null, completed_at: null },
});
// The server runs in its own process, so that its work does not interleave with the client's.
const serverCode = `
  const http = require("node:http");
  const body = ${JSON.stringify(ROLLOUT)};
  const s = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  s.keepAliveTimeout = 60000;
  s.listen(0, "127.0.0.1", () => process.stdout.write(String(s.address().port) + "\\n"));
`;
const child = spawn(process.execPath, ["-e", serverCode], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((resolve) => child.stdout.once("data", (d) => resolve(Number(String(d).trim()))));
const base = `http://127.0.0.1:${port}`;
const { EncoreClient } = await import(pkgDir + "index.node.js");
const client = new EncoreClient({ baseUrl: base, accessToken: "bench-token" });

const DATE_KEYS = ["queued_at", "started_at", "completed_at"];
async function rawFetch() {
  const res = await fetch(`${base}/api/apps/my-app/rollouts/roll_bench`, { headers: { authorization: "Bearer bench-token" } });
  return res.json();
}
async function handWritten() {
  // What a careful user writes by hand: fetch, status check, JSON, Dates.
  const res = await fetch(`${base}/api/apps/${encodeURIComponent("my-app")}/rollouts/${encodeURIComponent("roll_bench")}`, { headers: { authorization: "Bearer bench-token" } });
  if (!res.ok) throw new Error(String(res.status));
  const r = await res.json();
  for (const o of [r, r.build, r.infra, r.deploy]) for (const k of DATE_KEYS) o[k] = o[k] === null ? null : new Date(o[k]);
  return r;
}
const viaClient = () => client.getRollout("my-app", "roll_bench");

async function perCall(fn, n) {
  for (let i = 0; i < 300; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t) / n) * 1000;
}
const N = Number(process.env.BENCH_CALLS ?? 3000);
const rounds = [];
const order = [["raw", rawFetch], ["hand", handWritten], ["client", viaClient]];
for (let round = 0; round < 3; round++) {
  const r = {};
  for (let i = 0; i < order.length; i++) {
    const [k, fn] = order[(i + round) % order.length];
    r[k] = await perCall(fn, N);
  }
  rounds.push(r);
}
const med = (k) => median(rounds.map((r) => r[k]));
const raw = med("raw"), hand = med("hand"), cl = med("client");
console.log(`\nper call, sequential, ${N} calls × 3 rounds (median), keep-alive server in another process:`);
console.log(`  raw fetch + res.json()          ${raw.toFixed(1)} µs`);
console.log(`  hand-written JS client          ${hand.toFixed(1)} µs  (+${(hand - raw).toFixed(1)} µs over raw)`);
console.log(`  encore-cloud getRollout         ${cl.toFixed(1)} µs  (+${(cl - raw).toFixed(1)} µs over raw, ${(cl / raw).toFixed(2)}× raw)`);

// Client overhead alone: the same calls with an in-process fetch that answers at once.
const HEADERS = { "content-type": "application/json", "content-length": String(Buffer.byteLength(ROLLOUT)) };
const stubFetch = async () => new Response(ROLLOUT, { status: 200, headers: HEADERS });
const stubClient = new EncoreClient({ baseUrl: base, accessToken: "bench-token", fetch: stubFetch });
async function stubHand() {
  const res = await stubFetch(`${base}/api/apps/${encodeURIComponent("my-app")}/rollouts/${encodeURIComponent("roll_bench")}`, { headers: { authorization: "Bearer bench-token" } });
  if (!res.ok) throw new Error(String(res.status));
  const r = await res.json();
  for (const o of [r, r.build, r.infra, r.deploy]) for (const k of DATE_KEYS) o[k] = o[k] === null ? null : new Date(o[k]);
  return r;
}
const stubRounds = [];
for (let round = 0; round < 5; round++) {
  const a = await perCall(async () => (await stubFetch()).json(), N);
  const b = await perCall(stubHand, N);
  const c = await perCall(() => stubClient.getRollout("my-app", "roll_bench"), N);
  stubRounds.push({ a, b, c });
}
const sm = (k) => median(stubRounds.map((r) => r[k]));
console.log(`\nper call with an in-process fetch (no network: the client's own cost), median of 5 × ${N}:`);
console.log(`  stub fetch + res.json()         ${sm("a").toFixed(1)} µs`);
console.log(`  hand-written JS client          ${sm("b").toFixed(1)} µs  (+${(sm("b") - sm("a")).toFixed(1)} µs)`);
console.log(`  encore-cloud getRollout         ${sm("c").toFixed(1)} µs  (+${(sm("c") - sm("a")).toFixed(1)} µs)`);
child.kill();
