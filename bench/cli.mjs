// CLI start-up (reported, never asserted): wall time of `encore-cloud --version` and of
// `encore-cloud rollout status` against a local simulator, as ratios over bare `node -e ""`.
// Rounds interleave the three commands so that machine noise spreads over all of them.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const PER_ROUND = 3;
const bin = fileURLToPath(new URL("../pkg/bin/encore-cloud.js", import.meta.url));
const simBin = fileURLToPath(new URL("../simulator/bin/encore-cloud-simulator.js", import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The simulator in its own process, on a free port.
const sim = spawn(process.execPath, [simBin, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  let out = "";
  sim.stdout.on("data", (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  sim.once("exit", (code) => reject(new Error(`simulator exited (${code})`)));
});
const env = {
  PATH: process.env.PATH, HOME: process.env.HOME,
  ENCORE_CLIENT_ID: "o2c_demo_client", ENCORE_CLIENT_SECRET: "demo-secret-do-not-use", ENCORE_API_URL: url,
};

function wall(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

try {
  const trigger = spawnSync(process.execPath, [bin, "deploy", "--app", "my-app", "--env", "prod", "--branch", "main", "--no-wait"], { env, encoding: "utf8" });
  const id = trigger.stdout.trim().split(" ")[0];
  if (!/^roll_/.test(id)) throw new Error(`no rollout: ${trigger.stderr}`);
  const commands = [
    ["bare node", ["-e", ""]],
    ["encore-cloud --version", [bin, "--version"]],
    ["encore-cloud rollout status", [bin, "rollout", "status", "--app", "my-app", id]],
  ];
  const times = commands.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < PER_ROUND; i++) commands.forEach(([, args], c) => times[c].push(wall(args)));
  }
  const base = median(times[0]);
  console.log(`CLI wall time (median of ${ROUNDS} rounds × ${PER_ROUND} processes, ratio to bare node):`);
  commands.forEach(([label], c) => {
    const m = median(times[c]);
    console.log(`  ${label.padEnd(30)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}×`);
  });
  // Per round, to show the spread: each round's median ratio.
  const perRound = (c) => Array.from({ length: ROUNDS }, (_, r) => median(times[c].slice(r * PER_ROUND, (r + 1) * PER_ROUND)) / median(times[0].slice(r * PER_ROUND, (r + 1) * PER_ROUND)));
  for (const c of [1, 2]) {
    const rs = perRound(c).map((x) => x.toFixed(2));
    console.log(`  ${commands[c][0]} per round: ${rs.join(" ")}`);
  }
} finally {
  sim.kill();
}
