// @ts-check
// Response helpers: JSON bodies, Encore API errors (bare or enveloped) and
// RFC 6749 OAuth errors.

/**
 * HTTP status for each Encore error code.
 * @type {Readonly<Record<string, number>>}
 */
export const CODE_STATUS = Object.freeze({
  invalid_argument: 400,
  failed_precondition: 400,
  out_of_range: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  aborted: 409,
  resource_exhausted: 429,
  canceled: 499,
  internal: 500,
  unknown: 500,
  data_loss: 500,
  unimplemented: 501,
  unavailable: 503,
  deadline_exceeded: 504,
});

/**
 * The Encore code that best describes an HTTP status (used for injected
 * faults that give a status but no body).
 * @param {number} status
 * @returns {string}
 */
export function codeForStatus(status) {
  const exact = {
    400: "invalid_argument", 401: "unauthenticated", 403: "permission_denied",
    404: "not_found", 409: "aborted", 429: "resource_exhausted", 499: "canceled",
    500: "internal", 501: "unimplemented", 503: "unavailable", 504: "deadline_exceeded",
  }[status];
  if (exact) return exact;
  return status >= 500 ? "unavailable" : "unknown";
}

/**
 * An error thrown by the simulator's control methods (`sim.approve` etc.) and
 * turned into an Encore error answer by the HTTP layer.
 */
export class SimulatorError extends Error {
  /**
   * @param {string} code Encore error code, e.g. "not_found".
   * @param {string} message Human-readable message.
   * @param {unknown} [details]
   * @param {number} [status] Defaults to the code's status.
   */
  constructor(code, message, details = null, status = CODE_STATUS[code] ?? 500) {
    super(message);
    this.name = "SimulatorError";
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/**
 * A JSON response.
 * @param {number} status
 * @param {unknown} value
 * @param {Record<string, string>} [headers]
 * @returns {Response}
 */
export function jsonResponse(status, value, headers = {}) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * The body of an Encore error, bare (`{code, message, details}`) or in the
 * platform's envelope (`{ok:false, error:{code, detail}, data:null}`).
 * In the envelope `detail` is the details when given, else the message.
 * @param {string} code
 * @param {string} message
 * @param {unknown} [details]
 * @param {boolean} [envelope]
 * @returns {object}
 */
export function encoreErrorBody(code, message, details = null, envelope = false) {
  if (envelope) {
    return { ok: false, error: { code, detail: details ?? message }, data: null };
  }
  return { code, message, details };
}

/**
 * An Encore error response.
 * @param {string} code
 * @param {string} message
 * @param {{ envelope?: boolean, details?: unknown, status?: number, headers?: Record<string,string> }} [options]
 * @returns {Response}
 */
export function encoreError(code, message, options = {}) {
  const status = options.status ?? CODE_STATUS[code] ?? 500;
  return jsonResponse(
    status,
    encoreErrorBody(code, message, options.details ?? null, options.envelope ?? false),
    options.headers,
  );
}

/**
 * A successful API answer, bare or wrapped as `{ok:true, data}`.
 * @param {unknown} value
 * @param {boolean} [envelope]
 * @param {number} [status]
 * @returns {Response}
 */
export function success(value, envelope = false, status = 200) {
  return jsonResponse(status, envelope ? { ok: true, data: value } : value);
}

/**
 * An RFC 6749 §5.2 error from the token endpoint.
 * @param {number} status
 * @param {string} error e.g. "invalid_client"
 * @param {string} description
 * @param {Record<string, string>} [headers]
 * @returns {Response}
 */
export function oauthError(status, error, description, headers = {}) {
  return jsonResponse(
    status,
    { error, error_description: description },
    { "cache-control": "no-store", pragma: "no-cache", ...headers },
  );
}
