// Shared pieces of the reliability tests: the built package, a simulator server, and a
// collector that keeps every error and log line so a final test can grep them for secrets.
import { startSimulatorServer } from "../../simulator/server.js";

export const pkg = await import("../../pkg/index.node.js");
export const CLIENT_ID = "o2c_demo_client";
export const SECRET = "demo-secret-do-not-use";

/** Every error and log event produced by these tests, for the secret grep. */
export const seen = { errors: [], logs: [], tokens: new Set() };

/** Starts a simulator server; `t.after` closes it. */
export async function server(t, options = {}) {
  const s = await startSimulatorServer({ port: 0, timeScale: 0.01, ...options });
  t.after(() => s.close());
  return s;
}

/** A client on `s` that records its log events. */
export function client(s, options = {}) {
  const events = [];
  const c = new pkg.EncoreClient({
    baseUrl: s.url,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    logger: (e) => { events.push(e); seen.logs.push(e); },
    ...options,
  });
  return { c, events };
}

/** Awaits a promise that must reject; records and returns the error. */
export async function rejects(p) {
  try {
    await p;
  } catch (e) {
    seen.errors.push(e);
    return e;
  }
  throw new Error("expected a rejection");
}

/** Every token the simulator issued (from its request log it cannot be read, so ask getToken). */
export async function rememberToken(c) {
  const t = await c.getToken();
  seen.tokens.add(t.access_token);
  return t;
}

/** Number of requests the simulator saw for a method and path prefix. */
export const count = (s, method, prefix) => s.simulator.count(method, prefix);
