// @ts-check
// OAuth clients and the access tokens issued to them.

import { randomId } from "./ids.js";

/** The demo client; its secret is public by design (used by the demo page). */
export const DEMO_CLIENT = Object.freeze({
  clientId: "o2c_demo_client",
  clientSecret: "demo-secret-do-not-use",
});

/**
 * What an OAuth client may do (the vendor groups scopes into roles, e.g. "deployer"):
 * `rollouts` (trigger and read rollouts), `members` (list, invite, change roles).
 * A client lacking the scope an endpoint needs gets 403 `permission_denied`.
 */
export const SCOPES = Object.freeze(/** @type {const} */ (["rollouts", "members"]));

/**
 * @typedef {"rollouts" | "members"} Scope
 * @typedef {{ clientId: string, clientSecret: string, scopes?: readonly Scope[] }} ClientSpec
 * @typedef {{ clientId: string, clientSecret: string, scopes: Scope[] }} Client
 */

/**
 * Check a client spec; returns the stored client (scopes default to all of SCOPES).
 * @param {ClientSpec} c
 * @returns {Client}
 */
function normalizeClient(c) {
  if (typeof c?.clientId !== "string" || typeof c?.clientSecret !== "string" || !c.clientId) {
    throw new TypeError("each client needs string clientId and clientSecret");
  }
  const scopes = c.scopes ?? SCOPES;
  if (!Array.isArray(scopes) || !scopes.every((s) => SCOPES.includes(s))) {
    throw new TypeError(`client scopes must be an array of ${SCOPES.map((s) => JSON.stringify(s)).join(", ")}`);
  }
  return { clientId: c.clientId, clientSecret: c.clientSecret, scopes: [...new Set(scopes)] };
}

/**
 * Create the client/token store.
 * @param {{ clients: ClientSpec[], lifetimeSeconds: number, clock: { now(): number } }} options
 */
export function createTokenStore({ clients, lifetimeSeconds, clock }) {
  /** The clients given at creation (restored by reset). @type {Map<string, Client>} */
  const initial = new Map();
  for (const c of clients) {
    const n = normalizeClient(c);
    initial.set(n.clientId, n);
  }
  /** @type {Map<string, Client>} */
  let byId = new Map(initial);
  /** @type {Map<string, {clientId: string, expiresAt: number}>} */
  let tokens = new Map();
  /** @type {Set<string>} */
  let disabled = new Set();

  return {
    lifetimeSeconds,

    /** @returns {{clientId: string}[]} the clients, without secrets */
    list() {
      return [...byId.keys()].map((clientId) => ({ clientId }));
    },

    /**
     * Add a client (it lasts until reset). Throws TypeError for a bad spec.
     * @param {ClientSpec} spec
     * @returns {boolean} false when a client with that id exists already
     */
    add(spec) {
      const n = normalizeClient(spec);
      if (byId.has(n.clientId)) return false;
      byId.set(n.clientId, n);
      return true;
    },

    /**
     * The scopes of a client (none for an unknown one).
     * @param {string} clientId
     * @returns {Scope[]}
     */
    scopes(clientId) {
      return [...(byId.get(clientId)?.scopes ?? [])];
    },

    /** @param {string} clientId */
    has(clientId) {
      return byId.has(clientId);
    },

    /**
     * Check credentials (constant-time-ish compare is not needed in a simulator).
     * @returns {boolean}
     */
    authenticate(/** @type {string} */ clientId, /** @type {string} */ clientSecret) {
      const c = byId.get(clientId);
      return !!c && !disabled.has(clientId) && c.clientSecret === clientSecret;
    },

    /**
     * Issue a token to an (authenticated) client.
     * @returns {{access_token: string, expires_in: number, actor: string, token_type: "Bearer"}}
     */
    issue(/** @type {string} */ clientId) {
      const token = randomId("enc_", 40);
      tokens.set(token, { clientId, expiresAt: clock.now() + lifetimeSeconds * 1000 });
      return { access_token: token, expires_in: lifetimeSeconds, actor: clientId, token_type: "Bearer" };
    },

    /**
     * Validate a bearer token.
     * @returns {{ ok: true, clientId: string } | { ok: false, reason: string }}
     */
    verify(/** @type {string} */ token) {
      const t = tokens.get(token);
      if (!t) return { ok: false, reason: "invalid or revoked access token" };
      if (clock.now() >= t.expiresAt) return { ok: false, reason: "access token expired" };
      return { ok: true, clientId: t.clientId };
    },

    /**
     * Revoke every token issued so far to a client. With `disable`, the client
     * can no longer obtain tokens either (until reset).
     * @returns {number} how many tokens were revoked
     */
    revokeClient(/** @type {string} */ clientId, { disable = false } = {}) {
      let n = 0;
      for (const [token, t] of tokens) {
        if (t.clientId === clientId) {
          tokens.delete(token);
          n++;
        }
      }
      if (disable) disabled.add(clientId);
      return n;
    },

    /** Forget all tokens and added clients; re-enable all clients. */
    reset() {
      byId = new Map(initial);
      tokens = new Map();
      disabled = new Set();
    },
  };
}
