// Shared helpers for the simulator tests (not a test file itself).
import { createSimulator } from "../../simulator/index.js";

export const BASE = "http://sim.test";
export const DEMO_ID = "o2c_demo_client";
export const DEMO_SECRET = "demo-secret-do-not-use";
export const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

/** A simulator on the manual clock. */
export function manualSim(options = {}) {
  return createSimulator({ clock: "manual", ...options });
}

/** Form-encoded token request through sim.fetch; returns { res, body }. */
export async function tokenRequest(sim, params, { query = "", headers = {} } = {}) {
  const res = await sim.fetch(`${BASE}/api/oauth/token${query}`, {
    method: "POST",
    headers: params === null ? headers : { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: params === null ? undefined : new URLSearchParams(params).toString(),
  });
  return { res, body: await res.json() };
}

/** A valid access token for the demo client. */
export async function token(sim, id = DEMO_ID, secret = DEMO_SECRET) {
  const { res, body } = await tokenRequest(sim, { grant_type: "client_credentials", client_id: id, client_secret: secret });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Authenticated JSON call; returns { res, body } (body null when empty). */
export async function call(sim, tok, method, path, body) {
  const init = { method, headers: {} };
  if (tok) init.headers.authorization = `Bearer ${tok}`;
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await sim.fetch(`${BASE}${path}`, init);
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null };
}

/** Trigger a rollout on demo-app/production; returns the Rollout. */
export async function trigger(sim, tok, body, app = "demo-app", env = "production") {
  const { res, body: out } = await call(sim, tok, "POST", `/api/apps/${app}/envs/${env}/rollouts`, body);
  if (res.status !== 200) throw new Error(`trigger: ${res.status} ${JSON.stringify(out)}`);
  return out;
}

/** GET a rollout of demo-app; returns the Rollout. */
export async function getRollout(sim, tok, id, app = "demo-app") {
  const { res, body } = await call(sim, tok, "GET", `/api/apps/${app}/rollouts/${id}`);
  if (res.status !== 200) throw new Error(`get: ${res.status} ${JSON.stringify(body)}`);
  return body;
}
