// @ts-check
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

/**
 * Route table: method, pattern (":x" binds a parameter), name, and the client scope it needs.
 * @type {{ method: string, pattern: string[], name: string, scope: import("./tokens.js").Scope | null }[]}
 */
const ROUTES = /** @type {const} */ ([
  ["POST", "api/oauth/token", "token", null],
  ["POST", "api/apps/:app/envs/:env/rollouts", "trigger", "rollouts"],
  ["GET", "api/apps/:app/rollouts/:id", "getRollout", "rollouts"],
  ["POST", "api/apps/:app/member", "invite", "members"],
  ["GET", "api/apps/:app/members", "listMembers", "members"],
  ["PUT", "api/apps/:app/members", "setRole", "members"],
]).map(([method, pattern, name, scope]) => ({ method, pattern: pattern.split("/"), name, scope }));

/**
 * The routes whose pattern matches the segments (any method), with their bound parameters.
 * @param {string[]} segments
 */
function match(segments) {
  const found = [];
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    /** @type {Record<string, string>} */
    const params = {};
    if (route.pattern.every((p, i) => (p.startsWith(":") ? ((params[p.slice(1)] = segments[i]), true) : p === segments[i]))) {
      found.push({ ...route, params });
    }
  }
  return found;
}

/**
 * The request's body as JSON (400 invalid_argument when it is not).
 * @param {Request} request
 * @returns {Promise<unknown>}
 */
async function readJson(request) {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SimulatorError("invalid_argument", `request body is not valid JSON: ${e instanceof Error ? e.message : e}`);
  }
}

/**
 * Check a trigger body (exactly one of sha and branch, booleans for the flags).
 * @param {unknown} json
 * @returns {{ sha: string | undefined, branch: string | undefined }}
 */
function checkTrigger(json) {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new SimulatorError("invalid_argument", "request body must be a JSON object");
  }
  const body = /** @type {Record<string, unknown>} */ (json);
  const has = (/** @type {string} */ k) => body[k] !== undefined && body[k] !== null;
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
  const str = (/** @type {string} */ k) => (has(k) ? /** @type {string} */ (body[k]) : undefined);
  return { sha: str("sha"), branch: str("branch") };
}

/**
 * The client id behind the request's bearer token (401 unauthenticated otherwise).
 * @param {Request} request
 * @param {ReturnType<typeof import("./tokens.js").createTokenStore>} tokens
 * @returns {string}
 */
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
 * @param {{ tokens: ReturnType<typeof import("./tokens.js").createTokenStore>,
 *   rollouts: ReturnType<typeof import("./rollouts.js").createRolloutStore>,
 *   members: ReturnType<typeof import("./members.js").createMemberStore>,
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

    const clientId = authenticate(request, ctx.tokens);
    const { app, env, id } = route.params;
    const appCfg = Object.hasOwn(ctx.apps, app) ? ctx.apps[app] : null;
    if (!appCfg) throw new SimulatorError("not_found", `app ${JSON.stringify(app)} not found`);
    if (route.scope !== null && !ctx.tokens.scopes(clientId).includes(route.scope)) {
      throw new SimulatorError("permission_denied",
        `the OAuth client ${JSON.stringify(clientId)} lacks the ${JSON.stringify(route.scope)} scope for app ${JSON.stringify(app)}`);
    }

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
        // 2xx without a payload: an empty body (bare) or `{"ok":true,"data":null}`.
        ctx.members.setRole(app, await readJson(request));
        return envelope ? success(null, true) : new Response(null, { status: 200 });
    }
    throw new Error("unreachable");
  } catch (e) {
    if (!(e instanceof SimulatorError)) throw e;
    /** @type {Record<string, string>} */
    const headers = e.code === "unauthenticated"
      ? { "www-authenticate": 'Bearer realm="encore-cloud", error="invalid_token"' } : {};
    return encoreError(e.code, e.message, { envelope, details: e.details, status: e.status, headers });
  }
}
