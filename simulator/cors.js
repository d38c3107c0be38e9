// @ts-check
// CORS: every answer may be read by any origin (the API is bearer-token
// based, no cookies), and preflights are answered without touching the API.

/** Headers added to every answer. */
export const CORS_HEADERS = Object.freeze({
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Retry-After, retry-after-ms",
});

/** Extra headers of a preflight (OPTIONS) answer. */
export const PREFLIGHT_HEADERS = Object.freeze({
  "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
  "access-control-allow-headers": "authorization, content-type",
  "access-control-max-age": "600",
});

/**
 * Add the CORS headers to a response (copying it if its headers are immutable).
 * @param {Response} response
 * @returns {Response}
 */
export function withCors(response) {
  try {
    for (const [k, v] of Object.entries(CORS_HEADERS)) response.headers.set(k, v);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [k, v] of Object.entries(CORS_HEADERS)) copy.headers.set(k, v);
    return copy;
  }
}

/**
 * The 204 answer to a CORS preflight.
 * @returns {Response}
 */
export function preflight() {
  return new Response(null, { status: 204, headers: { ...CORS_HEADERS, ...PREFLIGHT_HEADERS } });
}
