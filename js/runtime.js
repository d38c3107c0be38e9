// The JavaScript half of the wasm layer: error classes, and the fetch transport with its
// timers. It adapts platform objects to the Rust core's vocabulary and decides nothing.
// Imported by the wasm-bindgen glue as a snippet; the package re-exports the error classes.

/** Base class of every error the client raises. */
export class EncoreError extends Error {
  constructor(message, options) {
    super(message, options);
  }
}
EncoreError.prototype.name = "EncoreError";

/** The API answered with a non-2xx status. */
export class EncoreApiError extends EncoreError {}
EncoreApiError.prototype.name = "EncoreApiError";
/** No answer: the connection failed or was dropped. */
export class EncoreConnectionError extends EncoreError {}
EncoreConnectionError.prototype.name = "EncoreConnectionError";
/** An attempt took longer than `timeoutMs`. */
export class EncoreTimeoutError extends EncoreError {}
EncoreTimeoutError.prototype.name = "EncoreTimeoutError";
/** A 2xx answer whose body is not the documented shape. */
export class EncoreProtocolError extends EncoreError {}
EncoreProtocolError.prototype.name = "EncoreProtocolError";
/** Bad arguments or configuration, found before any request was sent. */
export class EncoreValidationError extends EncoreError {}
EncoreValidationError.prototype.name = "EncoreValidationError";
/** The caller's AbortSignal fired. Its `name` is "AbortError", as for `fetch`. */
export class EncoreAbortError extends EncoreError {}
EncoreAbortError.prototype.name = "AbortError";

/** A webhook delivery was refused; `code` says why (`no_valid_signature`, `too_old`, …). */
export class EncoreWebhookError extends EncoreError {}
EncoreWebhookError.prototype.name = "EncoreWebhookError";

const CLASSES = {
  EncoreApiError, EncoreConnectionError, EncoreTimeoutError, EncoreProtocolError,
  EncoreValidationError, AbortError: EncoreAbortError, EncoreWebhookError,
};

/** Builds one error; called from Rust with every field at once (one crossing). */
export function makeError(name, message, status, code, detailsJson, retryAfter, outcomeUnknown) {
  const Cls = CLASSES[name] ?? EncoreError;
  const e = new Cls(message);
  if (status !== undefined) e.status = status;
  if (code !== undefined) e.code = code;
  if (Cls === EncoreApiError) {
    let details = null;
    if (detailsJson !== undefined) {
      try { details = JSON.parse(detailsJson); } catch { details = detailsJson; }
    }
    e.details = details;
  }
  if (retryAfter !== undefined) e.retryAfter = retryAfter;
  if (outcomeUnknown) e.outcomeUnknown = true;
  return e;
}

const isNode = typeof process !== "undefined" && process.versions != null && process.versions.node != null;
/** True in a page or a worker, false in Node, Deno and Bun servers. */
export const inBrowser = !isNode && (typeof window !== "undefined" || typeof importScripts === "function");

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "ERR_INVALID_URL", "UND_ERR_INVALID_ARG"]);

function failure(kind, detail) {
  return { failure: kind, detail: detail ?? "" };
}

function causeCode(err) {
  let c = err;
  for (let i = 0; i < 4 && c != null; i++) {
    if (typeof c.code === "string" && /^[A-Z_]+$/.test(c.code)) return c.code;
    c = c.cause;
  }
  return "";
}

// The module's executor (src/wasm/executor.rs): its tasks' promises are made and settled here,
// and outcomes of the promises it awaits are reported to it, through two raw exports of the
// instance, passed in with each call: `run()` polls the woken tasks, `settle(index, generation,
// ok)` reports an outcome. This module may serve two instances at once (the full and the
// browser module share it, so that the error classes have one identity): it keeps no
// instance's state.

/** The value of the outcome being reported, taken by the instance during `settle`. */
let outcome;

/** Queues a run of the instance's woken tasks. */
export function queueRun(run) {
  queueMicrotask(run);
}

/** The promise an export returns for the task in slot `index` of the instance's `tasks`. */
export function newTask(tasks, index) {
  return new Promise((resolve, reject) => { tasks[index] = [resolve, reject]; });
}

/** Settles the promise of the task in slot `index`. */
export function finishTask(tasks, index, ok, value) {
  const t = tasks[index];
  tasks[index] = undefined;
  t[ok ? 0 : 1](value);
}

/** Hands the module the value of the outcome it is being told about. */
export function takeOutcome() {
  const v = outcome;
  outcome = undefined;
  return v;
}

/** Reports a promise's outcome to the instance's `settle` under the operation's slot. */
export function watch(promise, settle, index, generation) {
  promise.then(
    (v) => { outcome = v; settle(index, generation, 1); },
    (e) => { outcome = e; settle(index, generation, 0); },
  );
}

/**
 * Sends one request; its outcome goes to the module's `settle` under `index` and `generation`
 * (src/wasm/settle.rs). Returns `cancel`. The outcome is a value `{status, retryAfter,
 * retryAfterMs, location, opaqueRedirect, json, text}` (the body parsed, or, when it is not JSON,
 * its first `snippetChars` characters (the core's `SNIPPET_KEPT_CHARS`) as `text`), or a failure
 * `{failure, detail}` where failure is one of the names of `Failure::TRANSPORT_NAMES` in
 * src/core/retry.rs (a host test checks the two agree). Redirects are never followed
 * (`redirect: "manual"`): the core turns a 3xx into an error. `cancel` stops an attempt whose
 * outcome no longer matters (the caller's overall deadline won): it aborts the fetch and clears
 * its timer and listener at once; after the attempt settled it does nothing. Messages never
 * include the URL (it may carry secrets in the query style). The time limit and the signal hold
 * even against a custom `fetch` that ignores `init.signal`: the fetch and the body read are raced
 * against them.
 */
export function send(fetchFn, url, method, authorization, contentType, body, userAgent, signal, timeoutMs, limit, snippetChars, settle, index, generation) {
  if (signal?.aborted) {
    watch(Promise.reject(failure("aborted_unsent")), settle, index, generation);
    return () => {};
  }
  const controller = new AbortController();
  let timedOut = false;
  // The core caps every delay it hands over at what setTimeout honours.
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const release = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  };
  const cancel = () => {
    release();
    controller.abort();
  };
  watch(attempt(fetchFn, url, { method, authorization, contentType, body, userAgent, signal, timeoutMs, limit, snippetChars },
    controller, () => timedOut, release), settle, index, generation);
  return cancel;
}

/** The body of `send`: one fetch and its body read, stopped by `controller`; `release` (the
 * timer and the caller's listener) runs when it settles, whichever way. */
async function attempt(fetchFn, url, o, controller, timedOut, release) {
  try {
    return await exchange(fetchFn, url, o, controller, timedOut);
  } finally {
    release();
  }
}

async function exchange(fetchFn, url, o, controller, timedOut) {
  const { signal } = o;
  // The platform's fetch honours the signal itself; a custom one might not, so it (and its
  // body read) is raced against this.
  const stopped = fetchFn && new Promise((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true });
  });
  stopped?.catch(() => {});
  const why = (err) => {
    if (signal?.aborted) return failure("aborted");
    if (timedOut()) return failure("timeout", `${o.timeoutMs} ms`);
    const code = causeCode(err);
    if (NOT_SENT_CODES.has(code)) return failure("not_sent", code);
    return failure("maybe_sent", code || (err && err.name === "TypeError" ? "network error" : String(err?.name ?? "error")));
  };
  const headers = {};
  if (o.authorization !== undefined) headers["authorization"] = o.authorization;
  if (o.contentType !== undefined) headers["content-type"] = o.contentType;
  if (o.userAgent !== undefined && isNode) headers["user-agent"] = o.userAgent;
  let res;
  try {
    // Bearer tokens only: no cookies, and no HTTP-auth prompts for a 401 with a challenge.
    // Never follow a redirect: a redirected POST becomes a GET without its body, and a
    // cross-origin one drops Authorization.
    const init = { method: o.method, headers, body: o.body, signal: controller.signal, credentials: "omit", redirect: "manual" };
    res = await (fetchFn ? Promise.race([fetchFn(url, init), stopped]) : globalThis.fetch(url, init));
  } catch (err) {
    throw why(err);
  }
  const h = res.headers;
  // Browsers hide a manual redirect entirely: status 0, no headers, no body.
  if (res.type === "opaqueredirect") return { status: 0, opaqueRedirect: true, text: "" };
  let text;
  try {
    text = await (fetchFn ? Promise.race([readLimited(res, o.limit), stopped]) : readLimited(res, o.limit));
  } catch (err) {
    if (err && err.failure) throw err;
    throw why(err);
  }
  // The engine parses JSON; the wasm core only reads the result. A body that is not JSON
  // reaches it as a short snippet, for the error message.
  let json, snippet = "";
  if (text.length > 0) {
    try { json = JSON.parse(text); } catch { snippet = text.slice(0, o.snippetChars); }
  }
  // The core reads these three headers only to judge a failure (a wait before retrying, a
  // redirect's target): a 2xx answer's are never looked at, so they are not read.
  const failed = res.status < 200 || res.status > 299;
  return {
    status: res.status,
    retryAfter: failed ? h.get("retry-after") ?? undefined : undefined,
    retryAfterMs: failed ? h.get("retry-after-ms") ?? undefined : undefined,
    location: failed ? h.get("location") ?? undefined : undefined,
    opaqueRedirect: false,
    json,
    text: snippet,
  };
}

const tooLarge = (limit) => failure("too_large", `more than ${limit} bytes`);

/**
 * Reads the body as text, refusing more than `limit` bytes without holding them. A declared
 * length is trusted for the one-go fast path only in Node, where `content-encoding` is
 * visible: it is the compressed size otherwise (browsers hide that header on CORS answers).
 */
async function readLimited(res, limit) {
  const declared = Number(res.headers.get("content-length"));
  if (declared > limit) {
    res.body?.cancel().catch(() => {});
    throw tooLarge(limit);
  }
  const encoding = (res.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  const exact = isNode && res.headers.has("content-length") && encoding === "identity";
  if (exact || !res.body || typeof res.body.getReader !== "function") {
    const t = await res.text();
    if (t.length > limit) throw tooLarge(limit);
    return t;
  }
  const all = await readCapped(res.body, limit);
  if (all === undefined) throw tooLarge(limit);
  return new TextDecoder().decode(all);
}

/** A byte stream read whole, or `undefined` (and the stream cancelled) past `limit` bytes. */
async function readCapped(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.byteLength; }
  return all;
}

/**
 * Waits `ms`; the outcome (a value, or `{failure: "aborted"}` when `signal` fires first) goes to
 * the module's `settle` under `index` and `generation`. Returns `cancel`, which clears the timer
 * and the listener once the wait no longer matters (nothing is reported then).
 */
export function sleep(ms, signal, settle, index, generation) {
  let cancel = () => {};
  const promise = new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(failure("aborted"));
    const onAbort = () => { clearTimeout(t); reject(failure("aborted")); };
    const t = setTimeout(() => { signal?.removeEventListener("abort", onAbort); resolve(); }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
    cancel = () => { clearTimeout(t); signal?.removeEventListener("abort", onAbort); };
  });
  watch(promise, settle, index, generation);
  return cancel;
}

/**
 * Reports to the module's `settle` (under `index` and `generation`) when `signal` fires (never
 * without one). Returns `cancel`, which removes the listener once the wait no longer matters.
 */
export function whenAborted(signal, settle, index, generation) {
  let cancel = () => {};
  const promise = new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) return resolve();
    const on = () => resolve();
    signal.addEventListener("abort", on, { once: true });
    cancel = () => signal.removeEventListener("abort", on);
  });
  watch(promise, settle, index, generation);
  return cancel;
}

/** A relative base URL (`/encore`) resolved against the page, in browsers. */
export function resolveBaseUrl(url) {
  if (typeof location !== "undefined" && typeof location.href === "string" && url.startsWith("/")) {
    return new URL(url, location.href).href;
  }
  return url;
}

/**
 * `o[key]` for the core's JSON view and its option reads: `undefined` when `o` is not an
 * object, has no such property, or its getter throws. One crossing per read (instead of a
 * type check, a guarded `Reflect.get` and an `undefined` check).
 */
export function field(o, key) {
  if (o === null || typeof o !== "object") return undefined;
  try {
    return o[key];
  } catch {
    return undefined;
  }
}

/**
 * What a value is, in the order of the core's `json::Kind`: 0 null (and anything JSON has no
 * kind for), 1 boolean, 2 number, 3 string, 4 array, 5 object. One crossing instead of five.
 */
export function kindOf(v) {
  switch (typeof v) {
    case "string": return 3;
    case "number": return 2;
    case "boolean": return 1;
    case "object": return v === null ? 0 : Array.isArray(v) ? 4 : 5;
    default: return 0;
  }
}

/** Parsed path lists, by the core's newline-separated text (a model's list repeats). */
const PATHS = new Map();

function parsePaths(text) {
  let parsed = PATHS.get(text);
  if (parsed === undefined) {
    parsed = text.split("\n").map((p) => p.split("."));
    if (PATHS.size >= 64) PATHS.clear();
    PATHS.set(text, parsed);
  }
  return parsed;
}

/** Sets `value` at the dotted path `keys` under `root`, if the objects on the way exist. */
function setAt(root, keys, value) {
  let target = root;
  for (let i = 0; i < keys.length - 1 && target != null; i++) target = target[keys[i]];
  if (target != null && typeof target === "object") target[keys[keys.length - 1]] = value;
}

/**
 * Applies the core's patches to a payload, whatever the resource: `Date`s at the
 * newline-separated `datePaths` (`millis` in the same order, NaN for null), `""` at
 * `emptyPaths`. The core decides what to patch; this only walks the paths.
 */
export function applyPatches(value, datePaths, millis, emptyPaths) {
  if (datePaths) {
    const paths = parsePaths(datePaths);
    for (let i = 0; i < paths.length; i++) setAt(value, paths[i], Number.isNaN(millis[i]) ? null : new Date(millis[i]));
  }
  if (emptyPaths) for (const keys of parsePaths(emptyPaths)) setAt(value, keys, "");
  return value;
}

/**
 * `[header value | undefined, Uint8Array | undefined]` of a standard Request: the raw body, read
 * once, or `undefined` when it is over `limit` bytes (the core's `BODY_LIMIT_BYTES` for webhooks;
 * the read stops there, so an endless body is never held). Rejects with an
 * EncoreValidationError for something that is not a Request, or whose body was already read
 * (the exact bytes are gone then).
 */
export async function readWebhookRequest(request, header, limit) {
  if (request == null || typeof request.arrayBuffer !== "function" || typeof request.headers?.get !== "function") {
    throw new EncoreValidationError("webhookFromRequest needs a standard Request (with headers and arrayBuffer())");
  }
  if (request.bodyUsed) {
    throw new EncoreValidationError("the request body was already read: pass the Request before reading it, or verifyWebhook(rawBody, header, secret)");
  }
  const value = request.headers.get(header) ?? undefined;
  if (Number(request.headers.get("content-length")) > limit) {
    request.body?.cancel().catch(() => {});
    return [value, undefined];
  }
  if (!request.body || typeof request.body.getReader !== "function") {
    const bytes = new Uint8Array(await request.arrayBuffer());
    return [value, bytes.byteLength > limit ? undefined : bytes];
  }
  return [value, await readCapped(request.body, limit)];
}

/** Calls the caller's token function and checks what it gives. */
export async function callTokenFunction(fn) {
  const t = await fn();
  if (typeof t !== "string") throw new EncoreValidationError(`it returned ${t === null ? "null" : typeof t}, not a string (or a Promise of one)`);
  return t;
}
