// @ts-check
// Webhook subscriptions and signed deliveries, as Encore sends them: one POST per event with
// X-Encore-Signature (t=<seconds>,v1=<HMAC-SHA256 base64url>[,v1=…]), X-Encore-Event-Id and
// X-Encore-Sequence-Id; a sequence id that increments per webhook; no retry of a failed
// delivery. Events follow the rollout transitions the timeline models (created, awaiting
// infra approval, approval resolved, completed), each with the rollout's state at that
// instant in the webhook shape (infra_provision, null phases before they start, commit_hash,
// awaiting_approval). Browser-safe: WebCrypto and fetch only.

import { SimulatorError, encoreError, jsonResponse } from "./errors.js";
import { formatTimestamp, randomId } from "./ids.js";
import { plan, rolloutView } from "./timeline.js";

/**
 * @typedef {import("./timeline.js").Timed & { id: string, appId: string, envName: string, sha?: string,
 *   phaseIds: { build: string, infra: string, deploy: string } }} HookRollout a rollout record, as the rollout store keeps it
 * @typedef {{ id: string, url: string, events: string[] | null, created_at: string, sequence_id: number,
 *   rotating: boolean }} PublicWebhook a subscription as shown (never its secret)
 * @typedef {{ webhook_id: string, event_id: string, sequence_id: number, type: string, status: number | null,
 *   error: string | null, time: number, signatures: number }} Delivery one delivery attempt
 * @typedef {{ id: string, url: string, secret: string, events: string[] | null, createdAt: number,
 *   sequence: number, previous: { secret: string, until: number } | null, queue: Promise<void> }} Hook
 * @typedef {{ id: string, webhook_id: string, sequence_id: number, type: string, data: object }} WebhookEvent
 * @typedef {(url: string, init: RequestInit) => Promise<Response>} WebhookFetch
 */

/** The event types the simulator sends. */
export const WEBHOOK_EVENT_TYPES = Object.freeze([
  "rollout.created", "rollout.awaiting_infra_approval", "rollout.infra_approval_resolved", "rollout.completed",
]);

const encoder = new TextEncoder();

/**
 * An instant as an RFC 3339 string (never null: the instant is a number).
 * @param {number} ms
 * @returns {string}
 */
const timestamp = (ms) => /** @type {string} */ (formatTimestamp(ms));

/**
 * Bytes as base64url without padding.
 * @param {ArrayBuffer} bytes
 * @returns {string}
 */
function base64url(bytes) {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * HMAC-SHA256 of `"<t>.<body>"` with `secret`, base64url without padding (WebCrypto).
 * @param {string} secret
 * @param {number} t
 * @param {string | Uint8Array} body
 * @returns {Promise<string>}
 */
export async function signWebhook(secret, t, body) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const data = new Uint8Array(encoder.encode(`${t}.`).length + bytes.length);
  data.set(encoder.encode(`${t}.`));
  data.set(bytes, data.length - bytes.length);
  return base64url(await crypto.subtle.sign("HMAC", key, data));
}

/**
 * A stable fake commit hash for a rollout triggered by branch (40 hex digits from its id).
 * @param {string} id
 * @returns {string}
 */
function fakeCommit(id) {
  let h = 0x811c9dc5;
  let out = "";
  for (let round = 0; out.length < 40; round++) {
    for (const c of `${id}:${round}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 40);
}

/**
 * The rollout at instant `at`, in the webhook shape.
 * @param {HookRollout} r
 * @param {number} at
 */
function webhookRollout(r, at) {
  const v = rolloutView(r, at);
  /** @param {import("./timeline.js").WirePhase} p */
  const done = (p) => (p.status === "completed" ? p.conclusion : "");
  /**
   * @param {import("./timeline.js").WirePhase} p
   * @param {Record<string, string>} [extra]
   */
  const phase = (p, extra = {}) => ({ id: p.id, status: p.status, conclusion: done(p), ...extra,
    queued_at: p.queued_at, started_at: p.started_at, completed_at: p.completed_at });
  const infraStarted = v.infra.status !== "pending";
  const deployStarted = v.deploy.queued_at !== null || v.deploy.status !== "queued";
  return {
    id: v.id,
    status: v.status,
    conclusion: v.status === "completed" ? v.conclusion : "",
    build: phase(v.build, { commit_hash: r.sha ?? fakeCommit(r.id) }),
    infra_provision: infraStarted
      ? { ...phase(v.infra), status: v.infra.status === "proposed" ? "awaiting_approval" : v.infra.status }
      : null,
    deploy: deployStarted ? phase(v.deploy) : null,
    queued_at: v.queued_at,
    started_at: v.started_at,
    completed_at: v.completed_at,
  };
}

/**
 * Every event of a rollout the timeline plans, given its decisions so far: `[type, at, extra]`.
 * @param {HookRollout} r
 * @returns {[string, number, Record<string, string>][]}
 */
function plannedEvents(r) {
  const p = plan(r);
  /** @type {[string, number, Record<string, string>][]} */
  const out = [["rollout.created", r.createdAt, {}]];
  const proposed = p.infra.proposed; // optional in the plan's type: undefined was never < end either
  if (proposed !== null && proposed !== undefined && proposed < p.rollout.end) {
    out.push(["rollout.awaiting_infra_approval", proposed, {}]);
  }
  if (r.decision && r.decision.at <= p.rollout.end) {
    out.push(["rollout.infra_approval_resolved", r.decision.at,
      { resolution: r.decision.kind === "approve" ? "approved" : "rejected" }]);
  }
  if (Number.isFinite(p.rollout.end)) out.push(["rollout.completed", p.rollout.end, {}]);
  return out;
}

/**
 * The environment type Encore would report for an environment name.
 * @param {string} name
 * @returns {string}
 */
function envType(name) {
  if (/^prod/i.test(name)) return "production";
  if (/^pr-|preview/i.test(name)) return "preview";
  return "development";
}

/**
 * The webhook store.
 * @param {{ clock: { now(): number }, rollouts: { all(): HookRollout[] }, fetch?: WebhookFetch }} options
 */
export function createWebhookStore({ clock, rollouts, fetch: fetchImpl }) {
  const startedAt = clock.now();
  /** @type {Map<string, Hook>} */
  let hooks = new Map();
  /**
   * rollout id → set of event keys already emitted.
   * @type {Map<string, Set<string>>}
   */
  let emitted = new Map();
  /** @type {Delivery[]} */
  let deliveries = [];
  /** @type {Set<Promise<void>>} */
  const pending = new Set();

  /**
   * @param {Hook} h
   * @returns {PublicWebhook}
   */
  const publicView = (h) => ({
    id: h.id, url: h.url, events: h.events ? [...h.events] : null, created_at: timestamp(h.createdAt),
    sequence_id: h.sequence, rotating: h.previous !== null && clock.now() < h.previous.until,
  });

  /**
   * @param {string} id
   * @returns {Hook}
   */
  function mustGet(id) {
    const h = hooks.get(id);
    if (!h) throw new SimulatorError("not_found", `webhook ${JSON.stringify(id)} not found`);
    return h;
  }

  /**
   * @param {unknown} secret
   * @param {string} where
   * @returns {asserts secret is string}
   */
  function checkSecret(secret, where) {
    if (typeof secret !== "string" || secret.length === 0) throw new TypeError(`${where}: secret must be a non-empty string`);
  }

  /**
   * Signs and POSTs one event, recording the attempt.
   * @param {Hook} h
   * @param {WebhookEvent} event
   * @param {number} sentAt
   * @returns {Promise<void>}
   */
  async function deliver(h, event, sentAt) {
    const body = JSON.stringify(event);
    const t = Math.floor(sentAt / 1000);
    const secrets = [h.secret];
    if (h.previous !== null && sentAt < h.previous.until) secrets.push(h.previous.secret);
    const macs = await Promise.all(secrets.map((s) => signWebhook(s, t, body)));
    /** @type {Delivery} */
    const record = { webhook_id: h.id, event_id: event.id, sequence_id: event.sequence_id, type: event.type,
      status: null, error: null, time: sentAt, signatures: macs.length };
    deliveries.push(record);
    try {
      const res = await (fetchImpl ?? globalThis.fetch)(h.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-encore-signature": [`t=${t}`, ...macs.map((m) => `v1=${m}`)].join(","),
          "x-encore-event-id": event.id,
          "x-encore-sequence-id": String(event.sequence_id),
          "user-agent": "encore-cloud-simulator webhooks",
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      record.status = res.status;
      await res.arrayBuffer().catch(() => {});
    } catch (e) {
      // Encore never retries a failed delivery; neither does the simulator.
      const err = /** @type {{ name?: string, message?: string, cause?: { code?: string } } | null | undefined} */ (e);
      record.error = String(err?.name === "TimeoutError" ? "timeout" : err?.cause?.code ?? err?.message ?? e);
    }
  }

  /**
   * Queues a delivery behind the subscription's previous ones (in sequence order).
   * @param {Hook} h
   * @param {WebhookEvent} event
   */
  function enqueue(h, event) {
    const sentAt = clock.now();
    const next = h.queue.then(() => deliver(h, event, sentAt));
    h.queue = next;
    pending.add(next);
    next.finally(() => pending.delete(next));
  }

  return {
    /**
     * Subscribes `url`; returns the public view (the secret is never shown again). The spec
     * may come from a JSON body: every field is checked (TypeError).
     * @param {{ url?: unknown, secret?: unknown, events?: unknown }} [spec]
     * @returns {PublicWebhook}
     */
    subscribe({ url, secret, events } = {}) {
      let parsed;
      try {
        parsed = new URL(/** @type {string} */ (url)); // a non-string throws or is stringified, as URL does
      } catch {
        throw new TypeError("webhook url must be an absolute http(s) URL");
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError("webhook url must be http(s)");
      checkSecret(secret, "webhook");
      /** @type {string[] | null} */
      let types = null;
      if (events !== undefined && events !== null) {
        if (!Array.isArray(events) || events.length === 0) throw new TypeError("events must be a non-empty array of event types");
        for (const e of events) {
          if (!WEBHOOK_EVENT_TYPES.includes(e)) {
            throw new TypeError(`unknown event type ${JSON.stringify(e)}; known: ${WEBHOOK_EVENT_TYPES.join(", ")}`);
          }
        }
        types = [...events];
      }
      /** @type {Hook} */
      const h = { id: randomId("wh_"), url: parsed.href, secret, events: types,
        createdAt: clock.now(), sequence: 0, previous: null, queue: Promise.resolve() };
      hooks.set(h.id, h);
      return publicView(h);
    },
    /**
     * Every subscription (no secrets).
     * @returns {PublicWebhook[]}
     */
    list() {
      return [...hooks.values()].map(publicView);
    },
    /**
     * Removes a subscription; SimulatorError(404) for an unknown id.
     * @param {string} id
     * @returns {{ removed: string }}
     */
    remove(id) {
      mustGet(id);
      hooks.delete(id);
      return { removed: id };
    },
    /**
     * New secret; the old one keeps signing too (a second v1) for `overlapSeconds`. The spec
     * may come from a JSON body: every field is checked (TypeError).
     * @param {string} id
     * @param {{ secret?: unknown, overlapSeconds?: unknown }} [spec]
     * @returns {PublicWebhook}
     */
    rotate(id, { secret, overlapSeconds = 3600 } = {}) {
      const h = mustGet(id);
      checkSecret(secret, "rotate");
      if (typeof overlapSeconds !== "number" || !(overlapSeconds >= 0) || !Number.isFinite(overlapSeconds)) {
        throw new TypeError("overlapSeconds must be a finite number >= 0");
      }
      h.previous = { secret: h.secret, until: clock.now() + overlapSeconds * 1000 };
      h.secret = secret;
      return publicView(h);
    },
    /**
     * The delivery log (oldest first), as copies.
     * @returns {Delivery[]}
     */
    deliveries() {
      return deliveries.map((d) => ({ ...d }));
    },
    /**
     * Emits every event that is due by now (in time order) to the matching subscriptions.
     * @returns {number} how many deliveries were queued
     */
    pump() {
      // Due events are marked even with no subscriptions: a later one hears only what follows.
      const now = clock.now();
      /** @type {{ r: HookRollout, type: string, at: number, extra: Record<string, string> }[]} */
      const due = [];
      for (const r of rollouts.all()) {
        const seen = emitted.get(r.id) ?? new Set();
        emitted.set(r.id, seen);
        for (const [type, at, extra] of plannedEvents(r)) {
          if (at <= now && !seen.has(type)) {
            seen.add(type);
            due.push({ r, type, at, extra });
          }
        }
      }
      due.sort((a, b) => a.at - b.at || WEBHOOK_EVENT_TYPES.indexOf(a.type) - WEBHOOK_EVENT_TYPES.indexOf(b.type));
      let n = 0;
      for (const { r, type, at, extra } of due) {
        const data = {
          rollout: webhookRollout(r, at),
          env: { id: `env_${r.appId}_${r.envName}`, name: r.envName, type: envType(r.envName),
            api_base_url: `https://${r.envName}-${r.appId}.encr.app`, created_at: formatTimestamp(startedAt) },
          app: { id: `app_${r.appId}`, slug: r.appId, created_at: formatTimestamp(startedAt) },
          ...extra,
        };
        for (const h of hooks.values()) {
          // A subscription hears of what happens after it was made.
          if (at < h.createdAt || (h.events && !h.events.includes(type))) continue;
          h.sequence += 1;
          enqueue(h, { id: randomId("evt_"), webhook_id: h.id, sequence_id: h.sequence, type, data });
          n++;
        }
      }
      return n;
    },
    /**
     * Resolves once every delivery under way has finished.
     * @returns {Promise<void>}
     */
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    /**
     * Forgets subscriptions, emitted events and the delivery log.
     * @returns {void}
     */
    reset() {
      hooks = new Map();
      emitted = new Map();
      deliveries = [];
    },
  };
}

/**
 * The control routes under /__sim/webhooks; `null` when the path is not one of them.
 * @param {Request} request
 * @param {string[]} parts path segments after /__sim
 * @param {ReturnType<typeof createWebhookStore>} store
 * @param {(request: Request) => Promise<any>} body
 * @returns {Promise<Response | null>}
 */
export async function handleWebhookControl(request, parts, store, body) {
  if (parts[0] !== "webhooks") return null;
  const route = `${request.method} ${parts.slice(1).map((p, i) => (i === 0 && p !== "deliveries" ? ":id" : p)).join("/")}`;
  try {
    switch (route) {
      case "GET ":
        return jsonResponse(200, store.list());
      case "POST ":
        return jsonResponse(200, store.subscribe(await body(request)));
      case "GET deliveries":
        return jsonResponse(200, store.deliveries());
      case "DELETE :id":
        return jsonResponse(200, store.remove(decodeURIComponent(parts[1])));
      case "POST :id/rotate":
        return jsonResponse(200, store.rotate(decodeURIComponent(parts[1]), await body(request)));
    }
    return encoreError("not_found", `no control endpoint ${request.method} /__sim/${parts.join("/")}`);
  } catch (e) {
    if (e instanceof SimulatorError) return encoreError(e.code, e.message, { status: e.status });
    if (e instanceof TypeError || e instanceof URIError) return encoreError("invalid_argument", e.message);
    throw e;
  }
}
