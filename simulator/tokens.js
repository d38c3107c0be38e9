// OAuth clients and the access tokens issued to them.

import { randomId } from "./ids.js";

/** The demo client; its secret is public by design (used by the demo page). */
export const DEMO_CLIENT = Object.freeze({
  clientId: "o2c_demo_client",
  clientSecret: "demo-secret-do-not-use",
});

/**
 * Create the client/token store.
 * @param {{ clients: {clientId: string, clientSecret: string}[], lifetimeSeconds: number,
 *           clock: { now(): number } }} options
 */
export function createTokenStore({ clients, lifetimeSeconds, clock }) {
  /** @type {Map<string, {clientId: string, clientSecret: string}>} */
  const byId = new Map();
  for (const c of clients) {
    if (typeof c?.clientId !== "string" || typeof c?.clientSecret !== "string" || !c.clientId) {
      throw new TypeError("each client needs string clientId and clientSecret");
    }
    byId.set(c.clientId, { clientId: c.clientId, clientSecret: c.clientSecret });
  }
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

    /** @param {string} clientId */
    has(clientId) {
      return byId.has(clientId);
    },

    /**
     * Check credentials (constant-time-ish compare is not needed in a simulator).
     * @returns {boolean}
     */
    authenticate(clientId, clientSecret) {
      const c = byId.get(clientId);
      return !!c && !disabled.has(clientId) && c.clientSecret === clientSecret;
    },

    /**
     * Issue a token to an (authenticated) client.
     * @returns {{access_token: string, expires_in: number, actor: string, token_type: "Bearer"}}
     */
    issue(clientId) {
      const token = randomId("enc_", 40);
      tokens.set(token, { clientId, expiresAt: clock.now() + lifetimeSeconds * 1000 });
      return { access_token: token, expires_in: lifetimeSeconds, actor: clientId, token_type: "Bearer" };
    },

    /**
     * Validate a bearer token.
     * @returns {{ ok: true, clientId: string } | { ok: false, reason: string }}
     */
    verify(token) {
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
    revokeClient(clientId, { disable = false } = {}) {
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

    /** Forget all tokens and re-enable all clients. */
    reset() {
      tokens = new Map();
      disabled = new Set();
    },
  };
}
