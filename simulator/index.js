// @ts-check
// A faithful local simulator of the Encore Cloud API, as a fetch handler.
// Browser-safe: only standard Web APIs (Request, Response, URL, crypto).

import { handleApi } from "./api.js";
import { createClock } from "./clock.js";
import { handleControl } from "./control.js";
import { preflight, withCors } from "./cors.js";
import { SimulatorError, encoreError } from "./errors.js";
import { createFaultStore, createRateLimiter, playFault } from "./faults.js";
import { GO_ZERO_TIME, MEMBER_ROLES, createMemberStore } from "./members.js";
import { BRANCH_CONVENTIONS, createRolloutStore } from "./rollouts.js";
import { DEFAULT_PHASE_DURATIONS, SCENARIOS } from "./timeline.js";
import { randomId } from "./ids.js";
import { DEMO_CLIENT, SCOPES, createTokenStore } from "./tokens.js";
import { WEBHOOK_EVENT_TYPES, createWebhookStore, signWebhook } from "./webhooks.js";

export { SimulatorError } from "./errors.js";
export { BRANCH_CONVENTIONS, DEFAULT_PHASE_DURATIONS, DEMO_CLIENT, GO_ZERO_TIME, MEMBER_ROLES, SCENARIOS, SCOPES };
export { WEBHOOK_EVENT_TYPES, signWebhook };

/** Apps served when the options name none. */
export const DEFAULT_APPS = Object.freeze({
  "demo-app": { envs: ["production", "staging"] },
  "my-app": { envs: ["prod", "staging"] },
});

/**
 * A query as logged: every parameter, client_secret redacted.
 * @param {URLSearchParams} params
 * @returns {Record<string, string>}
 */
function redactQuery(params) {
  /** @type {Record<string, string>} */
  const q = {};
  for (const [k, v] of params) q[k] = k === "client_secret" ? "[redacted]" : v;
  return q;
}

/**
 * Check and copy the apps option.
 * @param {Record<string, SimulatorApp>} apps
 * @returns {Record<string, SimulatorApp>}
 */
function normalizeApps(apps) {
  /** @type {Record<string, SimulatorApp>} */
  const out = {};
  for (const [id, cfg] of Object.entries(apps)) {
    if (!cfg || !Array.isArray(cfg.envs) || !cfg.envs.every((/** @type {unknown} */ e) => typeof e === "string")) {
      throw new TypeError(`apps[${JSON.stringify(id)}].envs must be an array of strings`);
    }
    out[id] = { ...cfg, envs: [...cfg.envs] };
  }
  return out;
}

/**
 * @typedef {import("./timeline.js").WireRollout} WireRollout
 * @typedef {import("./faults.js").Fault} Fault
 * @typedef {import("./tokens.js").Scope} Scope
 * @typedef {{ envs: string[], scenario?: import("./timeline.js").Scenario,
 *   members?: import("./members.js").MemberSpec[] }} SimulatorApp
 * @typedef {{ method: string, path: string, query: Record<string, string>, status: number | null,
 *   time: number, fault?: true, outcome?: "drop" | "aborted", rateLimited?: true }} LoggedRequest
 */

/**
 * Create a simulator.
 *
 * @param {{
 *   clients?: import("./tokens.js").ClientSpec[],
 *   apps?: Record<string, SimulatorApp>,
 *   tokenLifetimeSeconds?: number,
 *   timeScale?: number,
 *   phaseDurations?: {queue?: number, build?: number, handoff?: number, infra?: number, deploy?: number},
 *   envelope?: boolean,
 *   scenarios?: { byBranch?: Record<string, import("./timeline.js").Scenario> },
 *   clock?: "real" | "manual",
 *   startTime?: number,
 *   webhookFetch?: import("./webhooks.js").WebhookFetch,
 * }} [options]
 */
export function createSimulator(options = {}) {
  const clock = createClock(options);
  const clients = options.clients ?? [DEMO_CLIENT];
  const apps = normalizeApps(options.apps ?? DEFAULT_APPS);
  const envelope = options.envelope === true;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  if (!Number.isInteger(lifetime) || lifetime <= 0) throw new TypeError("tokenLifetimeSeconds must be a positive integer");

  const tokens = createTokenStore({ clients, lifetimeSeconds: lifetime, clock });
  const rollouts = createRolloutStore({
    clock, apps, timeScale: options.timeScale ?? 1, phaseDurations: options.phaseDurations, scenarios: options.scenarios,
  });
  const members = createMemberStore({ clock, apps });
  const webhooks = createWebhookStore({ clock, rollouts, fetch: options.webhookFetch });
  // Webhook events fall due as the clock moves: moving it (and every request) delivers them.
  const advanceClock = clock.advance;
  clock.advance = (ms) => {
    const now = advanceClock.call(clock, ms);
    webhooks.pump();
    return now;
  };
  const faults = createFaultStore();
  const rateLimiter = createRateLimiter(clock);
  /** @type {LoggedRequest[]} */
  const requests = [];
  const ctx = { tokens, rollouts, members, apps, envelope };

  /**
   * The core fetch handler. Rejects only for a dropped connection (a
   * TypeError "fetch failed" with `simulatorDrop: true`) or when the request's
   * signal aborts while a fault delays or hangs it (with the signal's reason).
   * @param {Request} request
   * @returns {Promise<Response>}
   */
  async function handle(request) {
    webhooks.pump();
    const url = new URL(request.url);
    if (request.method === "OPTIONS") return preflight();
    if (url.pathname === "/__sim" || url.pathname.startsWith("/__sim/")) {
      const answer = withCors(await handleControl(request, url, sim));
      webhooks.pump();
      return answer;
    }
    /** @type {LoggedRequest} */
    const entry = {
      method: request.method, path: url.pathname, query: redactQuery(url.searchParams),
      status: null, time: clock.now(),
    };
    requests.push(entry);
    const fault = faults.take(request.method, url.pathname);
    if (fault) {
      entry.fault = true;
      try {
        const answer = await playFault(fault, request.signal, envelope);
        if (answer) {
          entry.status = answer.status;
          return withCors(answer);
        }
      } catch (e) {
        entry.outcome = /** @type {{simulatorDrop?: boolean} | null} */ (e)?.simulatorDrop ? "drop" : "aborted";
        throw e;
      }
    }
    let response;
    const retryAfter = rateLimiter.check(url.pathname);
    if (retryAfter !== null) {
      entry.rateLimited = true;
      response = encoreError("resource_exhausted", "rate limit exceeded", {
        envelope, headers: { "retry-after": String(retryAfter), "retry-after-ms": String(retryAfter * 1000) },
      });
    } else if (url.pathname.startsWith("/api/")) {
      try {
        response = await handleApi(request, url, ctx);
      } catch (e) {
        response = encoreError("internal", `simulator error: ${e instanceof Error ? e.message : e}`, { envelope });
      }
    } else {
      response = encoreError("not_found", `no such endpoint: ${url.pathname}`, { envelope });
    }
    entry.status = response.status;
    webhooks.pump();
    return withCors(response);
  }

  const sim = {
    clock,
    requests,
    handle,
    /** Webhook subscriptions and deliveries (see webhooks.js). */
    webhooks,

    /**
     * Same signature as the global fetch; pass it as a client's `fetch` option.
     * @param {RequestInfo | URL} input
     * @param {RequestInit} [init]
     * @returns {Promise<Response>}
     */
    async fetch(input, init) {
      const request = new Request(input, init);
      if (request.signal.aborted) throw request.signal.reason;
      return handle(request);
    },

    /**
     * How many logged requests match a method (null/"*" = any) and path prefix.
     * @param {string | null} [method]
     * @param {string} [pathPrefix]
     * @returns {number}
     */
    count(method = null, pathPrefix = "") {
      return requests.filter((r) => (method === null || method === "*" || r.method === method.toUpperCase()) &&
        r.path.startsWith(pathPrefix)).length;
    },

    /** Public configuration: clients (no secrets), their scopes, apps, the demo credentials. */
    config() {
      return {
        clients: tokens.list(),
        clientScopes: Object.fromEntries(tokens.list().map((c) => [c.clientId, tokens.scopes(c.clientId)])),
        apps: JSON.parse(JSON.stringify(apps)),
        demoClient: { ...DEMO_CLIENT },
        envelope,
        scenarios: [...SCENARIOS],
        branchConventions: { ...BRANCH_CONVENTIONS },
      };
    },

    /**
     * Queue a fault (see faults.js normalizeFault); returns the normalised spec.
     * @param {import("./faults.js").FaultSpec} spec
     * @returns {Fault}
     */
    addFault(spec) {
      return faults.add(spec);
    },
    /**
     * Remove all pending faults; returns how many there were.
     * @returns {number}
     */
    clearFaults() {
      return faults.clear();
    },
    /**
     * The pending faults.
     * @returns {Fault[]}
     */
    listFaults() {
      return faults.list();
    },
    /**
     * Set (`{limit, windowMs?, retryAfter?, path?}`) or remove (null) the rate limit.
     * @param {import("./faults.js").RateLimitSpec | null} spec
     * @returns {import("./faults.js").RateLimit | null}
     */
    setRateLimit(spec) {
      return rateLimiter.set(spec);
    },
    /**
     * Current state of a rollout (no auth), or null.
     * @param {string} id
     * @returns {WireRollout | null}
     */
    getRollout(id) {
      return rollouts.get(id);
    },
    /**
     * Approve a rollout's proposed infra change; throws SimulatorError (404/409).
     * @param {string} id
     * @returns {WireRollout}
     */
    approve(id) {
      const r = rollouts.approve(id);
      webhooks.pump();
      return r;
    },
    /**
     * Reject a rollout's proposed infra change; throws SimulatorError (404/409).
     * @param {string} id
     * @returns {WireRollout}
     */
    reject(id) {
      const r = rollouts.reject(id);
      webhooks.pump();
      return r;
    },
    /**
     * Cancel a rollout that is not completed; throws SimulatorError (404/409).
     * @param {string} id
     * @returns {WireRollout}
     */
    cancel(id) {
      const r = rollouts.cancel(id);
      webhooks.pump();
      return r;
    },
    /**
     * Revoke all tokens of a client (it may get new ones unless `disable`).
     * Returns the number of revoked tokens; throws SimulatorError(404) for an unknown client.
     * @param {string} clientId
     * @param {{disable?: boolean}} [opts]
     */
    revokeClient(clientId, opts = {}) {
      if (!tokens.has(clientId)) throw new SimulatorError("not_found", `client ${JSON.stringify(clientId)} not found`);
      return tokens.revokeClient(clientId, opts);
    },
    /**
     * Add an OAuth client (until reset): `scopes` default to all (`SCOPES`); a client without
     * the `members` scope gets 403 on the members endpoints, one without `rollouts` on the
     * rollout endpoints. `clientId` defaults to a random `o2c_…`, `clientSecret` to a random
     * one. Returns the client id and scopes, and the secret only when it was generated.
     * TypeError for a bad spec; SimulatorError(409) when the id is taken.
     * @param {{ clientId?: string, clientSecret?: string, scopes?: readonly import("./tokens.js").Scope[] }} [spec]
     * @returns {{ clientId: string, scopes: import("./tokens.js").Scope[], clientSecret?: string }}
     */
    addClient(spec = {}) {
      if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new TypeError("a client must be an object");
      for (const k of Object.keys(spec)) {
        if (!["clientId", "clientSecret", "scopes"].includes(k)) throw new TypeError(`unknown client field ${JSON.stringify(k)}`);
      }
      const clientId = spec.clientId ?? randomId("o2c_");
      const clientSecret = spec.clientSecret ?? randomId("", 32);
      if (!tokens.add({ clientId, clientSecret, scopes: spec.scopes })) {
        throw new SimulatorError("already_exists", `client ${JSON.stringify(clientId)} exists already`);
      }
      const out = { clientId, scopes: tokens.scopes(clientId) };
      return spec.clientSecret === undefined ? { ...out, clientSecret } : out;
    },
    /** Clear rollouts, tokens (and client disables), added clients, faults, rate limit, members, webhooks, request log. The clock is kept. */
    reset() {
      rollouts.reset();
      tokens.reset();
      faults.clear();
      rateLimiter.set(null);
      members.reset();
      webhooks.reset();
      requests.length = 0;
    },
  };
  return sim;
}
