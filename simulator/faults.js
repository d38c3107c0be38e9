// @ts-check
// Fault injection (the next N matching requests misbehave) and a fixed-window
// rate limiter.

import { codeForStatus, encoreErrorBody, jsonResponse } from "./errors.js";

const FAULT_KEYS = new Set(["count", "path", "method", "status", "body", "headers", "retryAfter",
  "delayMs", "drop", "hang", "bodyBytes"]);

const NULL_BODY_STATUSES = [204, 205, 304];

/**
 * @typedef {{ count?: number, path?: string, method?: string, status?: number, body?: string | object,
 *   headers?: Record<string, string>, retryAfter?: string | number, delayMs?: number, drop?: boolean,
 *   hang?: boolean, bodyBytes?: number }} FaultSpec
 * @typedef {{ count: number, path: string | null, method: string | null, status: number | null,
 *   body: string | object | null, headers: Record<string, string>, retryAfter: string | null,
 *   delayMs: number, drop: boolean, hang: boolean, bodyBytes: number | null }} Fault
 * @typedef {{ limit: number, windowMs?: number, retryAfter?: number, path?: string }} RateLimitSpec
 * @typedef {{ limit: number, windowMs: number, retryAfter: number | null, path: string | null }} RateLimit
 */

/**
 * Validate and normalise a fault spec (throws TypeError on nonsense).
 * @param {FaultSpec} spec
 * @returns {Fault}
 */
export function normalizeFault(spec) {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new TypeError("a fault must be an object");
  for (const k of Object.keys(spec)) if (!FAULT_KEYS.has(k)) throw new TypeError(`unknown fault field ${JSON.stringify(k)}`);
  const f = {
    count: spec.count ?? 1,
    path: spec.path ?? null,
    method: spec.method ? String(spec.method).toUpperCase() : null,
    status: spec.status ?? null,
    body: spec.body ?? null,
    headers: spec.headers ?? {},
    retryAfter: spec.retryAfter ?? null,
    delayMs: spec.delayMs ?? 0,
    drop: spec.drop ?? false,
    hang: spec.hang ?? false,
    bodyBytes: spec.bodyBytes ?? null,
  };
  if (!Number.isInteger(f.count) || f.count < 1) throw new TypeError("fault.count must be an integer >= 1");
  if (f.path !== null && typeof f.path !== "string") throw new TypeError("fault.path must be a string");
  if (f.status !== null && (!Number.isInteger(f.status) || f.status < 200 || f.status > 599)) {
    throw new TypeError("fault.status must be an integer 200..599");
  }
  if (f.headers === null || typeof f.headers !== "object" || Array.isArray(f.headers)) throw new TypeError("fault.headers must be an object");
  try {
    new Headers(f.headers);
  } catch {
    throw new TypeError("fault.headers has an invalid header name or value");
  }
  if (f.status === null && (spec.body !== undefined || spec.headers !== undefined || spec.retryAfter !== undefined)) {
    throw new TypeError("fault.body, fault.headers and fault.retryAfter need fault.status");
  }
  if (typeof f.delayMs !== "number" || !(f.delayMs >= 0)) throw new TypeError("fault.delayMs must be a number >= 0");
  if (typeof f.drop !== "boolean" || typeof f.hang !== "boolean") throw new TypeError("fault.drop/hang must be booleans");
  if (f.bodyBytes !== null && (!Number.isInteger(f.bodyBytes) || f.bodyBytes < 0)) {
    throw new TypeError("fault.bodyBytes must be an integer >= 0");
  }
  return { ...f, retryAfter: f.retryAfter === null ? null : String(f.retryAfter) };
}

/** Create the fault list. */
export function createFaultStore() {
  /** @type {Fault[]} */
  let faults = [];
  return {
    /**
     * Add a fault (see normalizeFault); returns the normalised spec.
     * @param {FaultSpec} spec
     * @returns {Fault}
     */
    add(spec) {
      const f = normalizeFault(spec);
      faults.push(f);
      return { ...f };
    },
    /** Remove all faults; returns how many were pending. */
    clear() {
      const n = faults.length;
      faults = [];
      return n;
    },
    /**
     * Pending faults (copies).
     * @returns {Fault[]}
     */
    list() {
      return faults.map((f) => ({ ...f }));
    },
    /**
     * Consume one use of the first fault matching this request, or return null.
     * @param {string} method
     * @param {string} path raw (still percent-encoded) pathname
     */
    take(method, path) {
      const i = faults.findIndex((f) => (f.method === null || f.method === method) &&
        (f.path === null || path.startsWith(f.path)));
      if (i < 0) return null;
      const f = faults[i];
      if (--f.count === 0) faults.splice(i, 1);
      return f;
    },
  };
}

/**
 * Wait `ms` (Infinity = forever), rejecting with the signal's reason on abort.
 * @param {number} ms
 * @param {AbortSignal} [signal]
 * @returns {Promise<void>}
 */
export function abortableWait(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    /** @type {ReturnType<typeof setTimeout> | null} */
    let timer = null;
    const onAbort = () => {
      if (timer !== null) clearTimeout(timer);
      reject(signal?.reason);
    };
    if (ms !== Infinity) {
      timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The error with which a dropped connection surfaces (like undici's fetch).
 * @returns {TypeError & { simulatorDrop: true }}
 */
export function dropError() {
  return Object.assign(new TypeError("fetch failed"), { simulatorDrop: /** @type {const} */ (true) });
}

/**
 * Play a fault. Resolves to a Response to send, or to null when the request
 * should then be handled normally (a pure delay); rejects with dropError()
 * for a drop and with the abort reason when a delay/hang is aborted.
 * @param {ReturnType<typeof normalizeFault>} f
 * @param {AbortSignal} signal
 * @param {boolean} envelope
 * @returns {Promise<Response | null>}
 */
export async function playFault(f, signal, envelope) {
  if (f.delayMs > 0) await abortableWait(f.delayMs, signal);
  if (f.hang) await abortableWait(Infinity, signal);
  if (f.drop) throw dropError();
  const headers = { ...f.headers };
  if (f.retryAfter !== null) headers["retry-after"] = f.retryAfter;
  if (f.status !== null && NULL_BODY_STATUSES.includes(f.status)) {
    return new Response(null, { status: f.status, headers });
  }
  if (f.bodyBytes !== null) {
    return new Response("a".repeat(f.bodyBytes), {
      status: f.status ?? 200,
      headers: { "content-type": "application/json", ...headers },
    });
  }
  if (f.status === null) return null;
  if (f.body === null) {
    if (f.status < 400) return new Response(null, { status: f.status, headers });
    return jsonResponse(f.status,
      encoreErrorBody(codeForStatus(f.status), `injected fault: HTTP ${f.status}`, null, envelope), headers);
  }
  if (typeof f.body === "string") {
    return new Response(f.body, { status: f.status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });
  }
  return jsonResponse(f.status, f.body, headers);
}

/**
 * A fixed-window rate limiter over the simulator clock.
 * @param {{ now(): number }} clock
 */
export function createRateLimiter(clock) {
  /** @type {RateLimit | null} */
  let spec = null;
  let windowStart = 0;
  let used = 0;
  return {
    /**
     * Set (or with null remove) the limit.
     * @param {RateLimitSpec | null | undefined} s
     * @returns {RateLimit | null}
     */
    set(s) {
      if (s === null || s === undefined) {
        spec = null;
        return null;
      }
      if (typeof s !== "object") throw new TypeError("rate limit must be an object or null");
      const limit = s.limit;
      const windowMs = s.windowMs ?? 1000;
      if (!Number.isInteger(limit) || limit < 0) throw new TypeError("rateLimit.limit must be an integer >= 0");
      if (typeof windowMs !== "number" || !(windowMs > 0)) throw new TypeError("rateLimit.windowMs must be > 0");
      if (s.retryAfter !== undefined && (typeof s.retryAfter !== "number" || !(s.retryAfter >= 0))) {
        throw new TypeError("rateLimit.retryAfter must be a number of seconds >= 0");
      }
      spec = { limit, windowMs, retryAfter: s.retryAfter ?? null, path: s.path ?? null };
      windowStart = clock.now();
      used = 0;
      return { ...spec };
    },
    /**
     * Count a request; returns null when allowed, else the Retry-After seconds.
     * By default the token endpoint is not limited; `path` (a prefix) overrides.
     * @param {string} path
     * @returns {number | null}
     */
    check(path) {
      if (!spec) return null;
      if (spec.path !== null ? !path.startsWith(spec.path)
        : !path.startsWith("/api/") || path.startsWith("/api/oauth/token")) return null;
      const now = clock.now();
      if (now >= windowStart + spec.windowMs) {
        windowStart += Math.floor((now - windowStart) / spec.windowMs) * spec.windowMs;
        used = 0;
      }
      if (used < spec.limit) {
        used++;
        return null;
      }
      return spec.retryAfter ?? Math.max(1, Math.ceil((windowStart + spec.windowMs - now) / 1000));
    },
  };
}
