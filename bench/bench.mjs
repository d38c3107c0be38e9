// `make bench`: every figure of issue 12 in one run, for raw fetch, the plain-JS baseline
// (bench/baseline.mjs) and the package (pkg/), as ratios with their spread over rounds. Timings
// are reported, never asserted. The machine is noisy: read the ratios and spreads, not one
// absolute time. Knobs: BENCH_ROUNDS (5), BENCH_CALLS (2000), BENCH_STARTUP_ROUNDS (15),
// BENCH_RSS_ROUNDS (3), BENCH_RSS=0 to skip the memory figure, BENCH_PKG=dir to measure another
// build of the package in the call and memory figures (start-up always loads pkg/).
import { spawn, spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { NAMES, LABELS, contender } from "./contenders.mjs";
import { ROLLOUT } from "./server.mjs";

const started = new Date();
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const STARTUP_ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 15);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const spread = (xs, f) => `[${f(Math.min(...xs))}–${f(Math.max(...xs))}]`;
const x = (v) => `${v.toFixed(2)}×`;
const signed = (v, d = 1) => `${v >= 0 ? "+" : ""}${v.toFixed(d)}`;

// The server in its own process, so that its work does not interleave with the client's.
const server = spawn(process.execPath, [here("./server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
const port = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(Number(String(d).trim()))));
const base = `http://127.0.0.1:${port}`;

/** Per-call times (ms) of `n` sequential calls, each timed on its own, into `into`. */
async function timeCalls(fn, n, into) {
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    into.push(performance.now() - s);
  }
}

const BLOCKS = 10;
/**
 * Rounds of every contender: per round, each makes CALLS sequential calls, in BLOCKS blocks
 * interleaved with the others' (order rotated), so that a burst of load on the shared
 * machine hits all three alike. `{ us: { name: [median µs per round] }, ratio: … to raw }`.
 */
async function calls(op, clients) {
  const us = Object.fromEntries(NAMES.map((k) => [k, []]));
  for (const k of NAMES) await timeCalls(clients[k][op], 300, []); // warm-up (JIT, connections, token)
  for (let r = 0; r < ROUNDS; r++) {
    const t = Object.fromEntries(NAMES.map((k) => [k, []]));
    for (let b = 0; b < BLOCKS; b++) {
      for (let i = 0; i < NAMES.length; i++) {
        const k = NAMES[(i + b + r) % NAMES.length];
        await timeCalls(clients[k][op], Math.ceil(CALLS / BLOCKS), t[k]);
      }
    }
    for (const k of NAMES) us[k].push(median(t[k]) * 1000);
  }
  const ratio = Object.fromEntries(NAMES.map((k) => [k, us[k].map((v, r) => v / us.raw[r])]));
  return { us, ratio };
}

const http = {}, stub = {};
const HEADERS = { "content-type": "application/json", "content-length": String(Buffer.byteLength(ROLLOUT)) };
const TOKEN = JSON.stringify({ access_token: "bench-token", expires_in: 3600, actor: "o2c_bench", token_type: "Bearer" });
const stubFetch = async (url) => new Response(String(url).endsWith("/oauth/token") ? TOKEN : ROLLOUT, { status: 200, headers: HEADERS });
for (const k of NAMES) {
  http[k] = await contender(k, base);
  stub[k] = await contender(k, base, stubFetch);
}
const results = {
  get: await calls("get", http),
  trigger: await calls("trigger", http),
  stubGet: await calls("get", stub),
};

// Start-up: whole processes, wall time, bare `node` on an empty module vs import + constructor.
const STARTUP = { bare: here("./startup/bare.mjs"), baseline: here("./startup/baseline.mjs"), package: here("./startup/package.mjs") };
const startup = { bare: [], baseline: [], package: [] };
const inside = { bare: [], baseline: [], package: [] }, cpuMs = { bare: [], baseline: [], package: [] };
const timed = { bare: [], baseline: [], package: [] };
const order = Object.keys(STARTUP);
for (let r = 0; r < STARTUP_ROUNDS; r++) {
  for (let i = 0; i < order.length; i++) {
    const k = order[(i + r) % order.length];
    const s = process.hrtime.bigint();
    const p = spawnSync(process.execPath, [STARTUP[k]], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    startup[k].push(Number(process.hrtime.bigint() - s) / 1e6);
    if (p.status !== 0) throw new Error(`start-up ${k} failed`);
    const [at, cpuUsed, took] = p.stdout.trim().split(" ").map(Number);
    inside[k].push(at);
    cpuMs[k].push(cpuUsed);
    timed[k].push(took);
  }
}
const overBare = (k, of = startup) => of[k].map((v, r) => v - of.bare[r]);

// RSS growth from 5k to 20k getRollout calls, each contender in fresh processes (rounds
// interleaved); also the JS heap + external memory, which a leak would raise too.
const RSS_ROUNDS = Number(process.env.BENCH_RSS_ROUNDS ?? 3);
const rss = Object.fromEntries(NAMES.map((k) => [k, []])), heap = Object.fromEntries(NAMES.map((k) => [k, []]));
if (process.env.BENCH_RSS !== "0") {
  for (let r = 0; r < RSS_ROUNDS; r++) {
    for (const k of NAMES) {
      const p = spawnSync(process.execPath, ["--expose-gc", here("./rss.mjs"), k, base], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
      if (p.status !== 0) throw new Error(`rss ${k} failed`);
      const { at5k, end } = JSON.parse(p.stdout);
      rss[k].push((end.rss - at5k.rss) / 1048576);
      heap[k].push((end.heap - at5k.heap) / 1048576);
    }
  }
}
server.stdin.end();
server.kill();

const cpu = cpus();
console.log(`encore-cloud bench · ${started.toISOString().slice(0, 16).replace("T", " ")} UTC · Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim()} · load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(`ratios: median over ${ROUNDS} rounds [min–max]; each round is the median of ${CALLS} sequential calls per contender\n`);
const W = [46, 22, 26, 26];
const line = (cells) => console.log(cells.map((c, i) => String(c).padEnd(W[i])).join("").trimEnd());
line(["figure", ...NAMES.map((k) => LABELS[k])]);
const callRow = (label, res) => {
  line([label, ...NAMES.map((k) => k === "raw" ? `1.00× (${median(res.us.raw).toFixed(0)} µs)` : `${x(median(res.ratio[k]))} ${spread(res.ratio[k], (v) => v.toFixed(2))}`)]);
};
callRow("getRollout, loopback HTTP", results.get);
callRow("triggerRollout, loopback HTTP", results.trigger);
line(["import + new client, over bare node (process)", "—",
  ...["baseline", "package"].map((k) => `${signed(median(overBare(k)))} ms ${spread(overBare(k), (v) => v.toFixed(0))}`)]);
line(["import + new client, timed around them", "—",
  ...["baseline", "package"].map((k) => `+${median(timed[k]).toFixed(1)} ms ${spread(timed[k], (v) => v.toFixed(1))}`)]);
if (process.env.BENCH_RSS !== "0") {
  const mb = (xs) => `${signed(median(xs))} MB ${spread(xs, (v) => v.toFixed(1))}`;
  line([`RSS growth 5k → 20k getRollout calls (${RSS_ROUNDS}×)`, ...NAMES.map((k) => mb(rss[k]))]);
  line(["  of which JS heap + external", ...NAMES.map((k) => mb(heap[k]))]);
}
console.log("\nfor finding where the time goes:");
line(["own cost per getRollout (in-process fetch)", ...NAMES.map((k) => {
  const own = results.stubGet.us[k].map((v, r) => v - results.stubGet.us.raw[r]);
  return k === "raw" ? `${median(results.stubGet.us.raw).toFixed(1)} µs` : `${signed(median(own))} µs ${spread(own, (v) => v.toFixed(1))}`;
})]);
line(["per call, absolute (getRollout / trigger)", ...NAMES.map((k) => `${median(results.get.us[k]).toFixed(0)} / ${median(results.trigger.us[k]).toFixed(0)} µs`)]);
line(["start-up inside the process, over bare", "—",
  ...["baseline", "package"].map((k) => `${signed(median(overBare(k, inside)))} ms ${spread(overBare(k, inside), (v) => v.toFixed(0))}`)]);
line(["start-up CPU time (all threads), over bare", "—",
  ...["baseline", "package"].map((k) => `${signed(median(overBare(k, cpuMs)))} ms ${spread(overBare(k, cpuMs), (v) => v.toFixed(0))}`)]);
line(["bare node start-up (whole process)", `${median(startup.bare).toFixed(1)} ms ${spread(startup.bare, (v) => v.toFixed(0))}`]);
