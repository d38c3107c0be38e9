// The plain-JS baseline: the client a careful user writes by hand with the same features the
// package offers for these calls — token cache with renewal before expiry (one request for
// concurrent callers, again after a 401), retries with capped exponential backoff and jitter on
// 429/5xx (honouring Retry-After), a per-attempt timeout, validation of arguments (before any
// request) and of answers, Date conversion, typed errors. Benchmarked and size-measured
// against the package; never shipped.

export class BaselineError extends Error {}
export class BaselineApiError extends BaselineError {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}
export class BaselineValidationError extends BaselineError {}
export class BaselineProtocolError extends BaselineError {}
export class BaselineConnectionError extends BaselineError {}

const STATUSES = ["pending", "queued", "running", "completed"];
const DATES = ["queued_at", "started_at", "completed_at"];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function segment(name, value) {
  if (typeof value !== "string" || value === "" || value === "." || value === "..") {
    throw new BaselineValidationError(`${name} must be a non-empty string other than "." and ".."`);
  }
  return encodeURIComponent(value);
}

function dates(o, where) {
  if (o === null || typeof o !== "object" || typeof o.id !== "string" || typeof o.status !== "string") {
    throw new BaselineProtocolError(`${where}: not a rollout`);
  }
  for (const k of DATES) {
    const v = o[k];
    if (v === null || v === undefined) { o[k] = null; continue; }
    const d = typeof v === "string" ? new Date(v) : new Date(NaN);
    if (Number.isNaN(d.getTime())) throw new BaselineProtocolError(`${where}.${k}: not a timestamp`);
    o[k] = d;
  }
  return o;
}

function rollout(r) {
  dates(r, "rollout");
  if (!STATUSES.includes(r.status)) throw new BaselineProtocolError("rollout.status: unknown");
  for (const p of ["build", "infra", "deploy"]) dates(r[p], p);
  return r;
}

export class BaselineClient {
  #baseUrl; #id; #secret; #fetch; #maxRetries; #timeoutMs; #token = null; #expires = 0; #pending = null;

  constructor({ baseUrl = "https://api.encore.dev", clientId, clientSecret, maxRetries = 2, timeoutMs = 30_000, fetch = globalThis.fetch } = {}) {
    if (typeof clientId !== "string" || !clientId) throw new BaselineValidationError("clientId is required");
    if (typeof clientSecret !== "string" || !clientSecret) throw new BaselineValidationError("clientSecret is required");
    if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) throw new BaselineValidationError("maxRetries: 0-10");
    this.#baseUrl = String(new URL(baseUrl)).replace(/\/$/, "");
    this.#id = clientId; this.#secret = clientSecret; this.#fetch = fetch;
    this.#maxRetries = maxRetries; this.#timeoutMs = timeoutMs;
  }

  toString() { return `BaselineClient(${this.#baseUrl}, ${this.#id})`; }

  async #accessToken(renew) {
    if (!renew && this.#token && Date.now() < this.#expires) return this.#token;
    this.#pending ??= (async () => {
      try {
        const body = new URLSearchParams({ grant_type: "client_credentials", client_id: this.#id, client_secret: this.#secret });
        const t = await this.#send("POST", "/api/oauth/token", "application/x-www-form-urlencoded", body, false);
        if (typeof t?.access_token !== "string" || typeof t.expires_in !== "number") throw new BaselineProtocolError("token: bad answer");
        this.#token = t.access_token;
        this.#expires = Date.now() + Math.max(0, t.expires_in - 60) * 1000; // renew a minute early
        return this.#token;
      } finally { this.#pending = null; }
    })();
    return this.#pending;
  }

  async #send(method, path, contentType, body, authorized) {
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const headers = {};
      if (contentType) headers["content-type"] = contentType;
      if (authorized) headers.authorization = `Bearer ${await this.#accessToken(false)}`;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
      let res, text;
      try {
        res = await this.#fetch(this.#baseUrl + path, { method, headers, body, redirect: "manual", signal: controller.signal });
        text = await res.text();
      } catch (e) {
        if (attempt < this.#maxRetries && method === "GET") { await sleep(this.#backoff(attempt, null)); continue; }
        throw new BaselineConnectionError(`${method} ${path}: ${e.name}`, { cause: e });
      } finally {
        clearTimeout(timer);
      }
      if (res.status === 401 && authorized && !renewed) { renewed = true; await this.#accessToken(true); attempt--; continue; }
      if ((res.status === 429 || res.status >= 500) && attempt < this.#maxRetries) {
        await sleep(this.#backoff(attempt, res.headers.get("retry-after")));
        continue;
      }
      let json;
      try { json = JSON.parse(text); } catch { json = undefined; }
      if (!res.ok) {
        throw new BaselineApiError(res.status, json?.code ?? json?.error ?? "unknown", json?.message ?? json?.error_description ?? `HTTP ${res.status}`);
      }
      if (json === undefined) throw new BaselineProtocolError(`${method} ${path}: not JSON`);
      return json?.ok === true && "data" in json ? json.data : json;
    }
  }

  #backoff(attempt, retryAfter) {
    const s = Number(retryAfter);
    if (retryAfter !== null && Number.isFinite(s) && s >= 0) return Math.min(s * 1000, 60_000);
    return Math.min(500 * 2 ** attempt, 8000) * (0.5 + Math.random() / 2);
  }

  async getRollout(appId, rolloutId) {
    const path = `/api/apps/${segment("appId", appId)}/rollouts/${segment("rolloutId", rolloutId)}`;
    return rollout(await this.#send("GET", path, null, undefined, true));
  }

  async triggerRollout(appId, envName, { sha, branch, skip_tests, force_rebuild } = {}) {
    const path = `/api/apps/${segment("appId", appId)}/envs/${segment("envName", envName)}/rollouts`;
    if ((typeof sha === "string" && sha !== "") === (typeof branch === "string" && branch !== "")) {
      throw new BaselineValidationError("give exactly one of sha and branch");
    }
    const body = sha ? { sha } : { branch };
    if (skip_tests) body.skip_tests = true;
    if (force_rebuild) body.force_rebuild = true;
    return rollout(await this.#send("POST", path, "application/json", JSON.stringify(body), true));
  }
}
