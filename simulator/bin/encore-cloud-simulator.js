#!/usr/bin/env node
// @ts-check
// encore-cloud-simulator: run the local Encore Cloud API simulator.

import { startSimulatorServer } from "../server.js";

const USAGE = `Usage: encore-cloud-simulator [options]

Runs a local simulator of the Encore Cloud API (tokens, rollouts, members, faults).

Options:
  --port <n>             port to listen on (default 4000; 0 = any free port)
  --host <addr>          address to bind (default 127.0.0.1)
  --time-scale <x>       multiply all rollout phase durations (default 1)
  --token-lifetime <s>   access token lifetime in seconds (default 3600)
  --envelope             wrap answers as {"ok":…,"data":…} like the platform
  -h, --help             show this help

Branches "fail-build", "needs-approval" and "cancel-me" select the
build_failure, infra_approval and canceled scenarios. Control API: /__sim/…
(e.g. POST /__sim/clients {"scopes":["rollouts"]} adds a client that gets 403 on members).`;

/**
 * Parse command-line arguments.
 * @param {string[]} argv
 * @returns {{ help: boolean, port: number, host: string, timeScale: number,
 *   tokenLifetimeSeconds: number, envelope: boolean }}
 */
function parseArgs(argv) {
  const o = { help: false, port: 4000, host: "127.0.0.1", timeScale: 1, tokenLifetimeSeconds: 3600, envelope: false };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    /** @type {string | undefined} */
    let value;
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const next = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    /**
     * @param {string} v
     * @param {(n: number) => boolean} ok
     */
    const num = (v, ok) => {
      const n = Number(v);
      if (v === "" || !Number.isFinite(n) || !ok(n)) throw new Error(`bad value for ${a}: ${v}`);
      return n;
    };
    switch (a) {
      case "-h": case "--help": o.help = true; break;
      case "--port": o.port = num(next(), (n) => Number.isInteger(n) && n >= 0 && n < 65536); break;
      case "--host": o.host = next(); break;
      case "--time-scale": o.timeScale = num(next(), (n) => n >= 0); break;
      case "--token-lifetime": o.tokenLifetimeSeconds = num(next(), (n) => Number.isInteger(n) && n > 0); break;
      case "--envelope": o.envelope = true; break;
      default: throw new Error(`unknown argument: ${a}`);
    }
  }
  return o;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`encore-cloud-simulator: ${e instanceof Error ? e.message : e}\n\n${USAGE}\n`);
    return process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { help, ...serverOpts } = opts;
  const srv = await startSimulatorServer(serverOpts);
  const cfg = srv.simulator.config();
  const apps = Object.entries(cfg.apps).map(([id, a]) => `${id} (${a.envs.join(", ")})`).join("; ");
  process.stdout.write(
    `Encore Cloud simulator listening on ${srv.url}\n` +
    `  client_id:     ${cfg.demoClient.clientId}\n` +
    `  client_secret: ${cfg.demoClient.clientSecret}\n` +
    `  apps:          ${apps}\n` +
    `  time scale:    ${opts.timeScale}${opts.envelope ? "  (envelope mode)" : ""}\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    srv.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`encore-cloud-simulator: ${e?.message ?? e}\n`);
  process.exit(1);
});
