// @ts-check
// POST /api/oauth/token — the OAuth 2.0 client-credentials grant (RFC 6749
// §4.4), accepting credentials in a form body, HTTP Basic, or the query.

import { jsonResponse, oauthError } from "./errors.js";

/**
 * @param {string} s form-encoded
 * @returns {string}
 */
function formDecode(s) {
  return decodeURIComponent(s.replace(/\+/g, " "));
}

/** Parse `Authorization: Basic …` into [id, secret], or null. Throws on garbage. */
/**
 * @param {string | null} header
 * @returns {[string, string] | null}
 */
function basicCredentials(header) {
  if (!header || !/^basic\s/i.test(header)) return null;
  const decoded = atob(header.replace(/^basic\s+/i, "").trim());
  const i = decoded.indexOf(":");
  if (i < 0) throw new Error("no colon");
  return [formDecode(decoded.slice(0, i)), formDecode(decoded.slice(i + 1))];
}

/**
 * Answer a token request.
 * @param {Request} request
 * @param {URL} url
 * @param {ReturnType<typeof import("./tokens.js").createTokenStore>} tokens
 * @returns {Promise<Response>}
 */
export async function handleTokenRequest(request, url, tokens) {
  const sources = [];
  const query = url.searchParams;
  sources.push({ id: query.get("client_id"), secret: query.get("client_secret"), grant: query.get("grant_type") });

  const text = await request.text();
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (text.length > 0) {
    if (type.includes("application/json")) {
      let v;
      try {
        v = JSON.parse(text);
      } catch {
        return oauthError(400, "invalid_request", "request body is not valid JSON");
      }
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        return oauthError(400, "invalid_request", "request body must be a JSON object");
      }
      sources.push({ id: v.client_id ?? null, secret: v.client_secret ?? null, grant: v.grant_type ?? null });
    } else if (type === "" || type.includes("application/x-www-form-urlencoded")) {
      const form = new URLSearchParams(text);
      sources.push({ id: form.get("client_id"), secret: form.get("client_secret"), grant: form.get("grant_type") });
    } else {
      return oauthError(400, "invalid_request",
        "the token request body must be application/x-www-form-urlencoded");
    }
  }

  let basic = null;
  try {
    basic = basicCredentials(request.headers.get("authorization"));
  } catch {
    return oauthError(400, "invalid_request", "malformed HTTP Basic credentials");
  }
  if (basic) sources.push({ id: basic[0], secret: basic[1], grant: null });

  const grants = sources.map((s) => s.grant).filter((g) => g !== null);
  for (const g of grants) {
    if (g !== "client_credentials") {
      return oauthError(400, "unsupported_grant_type",
        `grant_type ${JSON.stringify(g)} is not supported; use "client_credentials"`);
    }
  }
  const withSecret = sources.filter((s) => s.secret !== null);
  if (withSecret.length > 1) {
    return oauthError(400, "invalid_request",
      "client credentials were given by more than one method; use exactly one");
  }
  const ids = sources.map((s) => s.id).filter((id) => id !== null);
  if (new Set(ids).size > 1) {
    return oauthError(400, "invalid_request", "conflicting client_id values");
  }
  const clientId = ids[0] ?? "";
  const clientSecret = withSecret[0]?.secret ?? "";
  if (!clientId) return oauthError(400, "invalid_request", "missing client_id");
  if (!clientSecret) return oauthError(400, "invalid_request", "missing client_secret");

  if (!tokens.authenticate(clientId, clientSecret)) {
    // RFC 6749 §5.2: the Basic challenge only answers a client that used HTTP Basic (a
    // browser would otherwise show a login prompt for a form-body request).
    return oauthError(401, "invalid_client", "unknown client or wrong client secret",
      basic ? { "www-authenticate": 'Basic realm="encore-cloud"' } : {});
  }
  return jsonResponse(200, tokens.issue(clientId), { "cache-control": "no-store", pragma: "no-cache" });
}
