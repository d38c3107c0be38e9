// The Encore Cloud API routes (everything under /api/).

import { SimulatorError, encoreError, success } from "./errors.js";
import { handleTokenRequest } from "./oauth.js";

/**
 * Split a raw pathname into percent-decoded segments (without the leading
 * empty one). Throws SimulatorError(invalid_argument) on a bad escape.
 * @param {string} pathname
 * @returns {string[]}
 */
export function decodeSegments(pathname) {
  return pathname.split("/").slice(1).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new SimulatorError("invalid_argument", `malformed percent-encoding in path segment ${JSON.stringify(s)}`);
    }
  });
}

/** Route table: [method, pattern]; ":x" binds a parameter. */
const ROUTES = [
  ["POST", "api/oauth/token", "token"],
  ["POST", "api/apps/:app/envs/:env/rollouts", "trigger"],
  ["GET", "api/apps/:app/rollouts/:id", "getRollout"],
  ["POST", "api/apps/:app/member", "invite"],
  ["GET", "api/apps/:app/members", "listMembers"],
  ["PUT", "api/apps/:app/members", "setRole"],
].map(([method, pattern, name]) => [method, pattern.split("/"), name]);

function match(segments) {
  const found = [];
  for (const [method, pattern, name] of ROUTES) {
    if (pattern.length !== segments.length) continue;
    const params = {};
    if (pattern.every((p, i) => (p.startsWith(":") ? ((params[p.slice(1)] = segments[i]), true) : p === segments[i]))) {
      found.push({ method, name, params });
    }
  }
  return found;
}

async function readJson(request) {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SimulatorError("invalid_argument", `request body is not valid JSON: ${e.message}`);
  }
}

function checkTrigger(body) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new SimulatorError("invalid_argument", "request body must be a JSON object");
  }
  const has = (k) => body[k] !== undefined && body[k] !== null;
  if (has("sha") && has("branch")) throw new SimulatorError("invalid_argument", 'give exactly one of "sha" and "branch", not both');
  if (!has("sha") && !has("branch")) throw new SimulatorError("invalid_argument", 'one of "sha" or "branch" is required');
  for (const k of ["sha", "branch"]) {
    if (has(k) && (typeof body[k] !== "string" || body[k] === "")) {
      throw new SimulatorError("invalid_argument", `"${k}" must be a non-empty string`);
    }
  }
  for (const k of ["skip_tests", "force_rebuild"]) {
    if (has(k) && typeof body[k] !== "boolean") throw new SimulatorError("invalid_argument", `"${k}" must be a boolean`);
  }
  return { sha: has("sha") ? body.sha : undefined, branch: has("branch") ? body.branch : undefined };
}

function authenticate(request, tokens) {
  const h = request.headers.get("authorization") ?? "";
  const m = /^bearer\s+(\S+)\s*$/i.exec(h);
  if (!m) throw new SimulatorError("unauthenticated", "missing or malformed Authorization: Bearer header");
  const v = tokens.verify(m[1]);
  if (!v.ok) throw new SimulatorError("unauthenticated", v.reason);
  return v.clientId;
}

/**
 * Answer a request under /api/.
 * @param {Request} request
 * @param {URL} url
 * @param {{ tokens: any, rollouts: any, members: any,
 *   apps: Record<string, {envs: string[]}>, envelope: boolean }} ctx
 * @returns {Promise<Response>}
 */
export async function handleApi(request, url, ctx) {
  const { envelope } = ctx;
  try {
    const segments = decodeSegments(url.pathname);
    const candidates = match(segments);
    const route = candidates.find((c) => c.method === request.method);
    if (!route) {
      const what = candidates.length ? `method ${request.method} not allowed on` : "no such endpoint:";
      return encoreError("not_found", `${what} ${url.pathname}`, { envelope });
    }
    if (route.name === "token") return await handleTokenRequest(request, url, ctx.tokens);

    authenticate(request, ctx.tokens);
    const { app, env, id } = route.params;
    const appCfg = Object.hasOwn(ctx.apps, app) ? ctx.apps[app] : null;
    if (!appCfg) throw new SimulatorError("not_found", `app ${JSON.stringify(app)} not found`);

    switch (route.name) {
      case "trigger": {
        if (!appCfg.envs.includes(env)) {
          throw new SimulatorError("not_found", `environment ${JSON.stringify(env)} not found in app ${JSON.stringify(app)}`);
        }
        const t = checkTrigger(await readJson(request));
        return success(ctx.rollouts.create({ appId: app, envName: env, ...t }), envelope);
      }
      case "getRollout": {
        const r = ctx.rollouts.get(id, app);
        if (!r) throw new SimulatorError("not_found", `rollout ${JSON.stringify(id)} not found in app ${JSON.stringify(app)}`);
        return success(r, envelope);
      }
      case "invite":
        return success(ctx.members.invite(app, await readJson(request)), envelope);
      case "listMembers":
        return success(ctx.members.list(app), envelope);
      case "setRole":
        return success(ctx.members.setRole(app, await readJson(request)), envelope);
    }
    throw new Error("unreachable");
  } catch (e) {
    if (!(e instanceof SimulatorError)) throw e;
    const headers = e.code === "unauthenticated"
      ? { "www-authenticate": 'Bearer realm="encore-cloud", error="invalid_token"' } : {};
    return encoreError(e.code, e.message, { envelope, details: e.details, status: e.status, headers });
  }
}
