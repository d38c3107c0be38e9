// @ts-check
// Random identifiers and Go-style RFC 3339 timestamps.

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * A random identifier: `prefix` followed by `length` alphanumerics
 * (from `crypto.getRandomValues`).
 * @param {string} prefix
 * @param {number} [length]
 * @returns {string}
 */
export function randomId(prefix, length = 20) {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = prefix;
  // 248 = 4 * 62: rejecting larger bytes keeps the distribution uniform.
  for (let i = 0; i < length; i++) {
    let b = bytes[i];
    while (b >= 248) {
      const one = new Uint8Array(1);
      globalThis.crypto.getRandomValues(one);
      b = one[0];
    }
    out += ALPHANUMERIC[b % 62];
  }
  return out;
}

/**
 * Format a ms timestamp the way Go's time.RFC3339Nano does for UTC: trailing
 * zeros of the fraction dropped, and the fraction too on a whole second
 * (`2026-03-18T09:41:07.12Z`, `2026-03-18T09:41:07Z`). `null` stays `null`.
 * @param {number | null | undefined} ms
 * @returns {string | null}
 */
export function formatTimestamp(ms) {
  if (ms === null || ms === undefined) return null;
  const iso = new Date(Math.floor(ms)).toISOString(); // 2026-03-18T09:41:07.120Z
  return iso.replace(/(\.\d*?)0+Z$/, "$1Z").replace(/\.Z$/, "Z");
}
