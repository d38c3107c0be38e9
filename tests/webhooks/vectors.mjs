// Generates vectors.json: webhook signature cases computed by an implementation independent of
// the package (Node's crypto.createHmac). Run: node tests/webhooks/vectors.mjs
// The Rust host tests (tests/webhook_signatures.rs) and the package tests read the JSON.
import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";

const NOW = 1773826867; // 2026-03-18T09:41:07Z, in seconds
const SECRET = "whsec_test_4f9c2a7e";
const OLD_SECRET = "whsec_old_88d1b3";
const OTHER = "whsec_wrong_000000";

const mac = (secret, t, body) =>
  createHmac("sha256", secret).update(`${t}.`).update(body).digest("base64url");

const event = {
  id: "evt_2Qx9",
  webhook_id: "wh_7Fk2",
  sequence_id: 42,
  type: "rollout.completed",
  data: {
    rollout: {
      id: "roll_a1", status: "completed", conclusion: "success",
      queued_at: "2026-03-18T09:30:00Z", started_at: "2026-03-18T09:30:01.5Z", completed_at: "2026-03-18T09:40:00.123456789Z",
      build: { id: "build_b1", status: "completed", conclusion: "success", commit_hash: "4b6e1d0",
        queued_at: "2026-03-18T09:30:00Z", started_at: "2026-03-18T09:30:01.5Z", completed_at: "2026-03-18T09:34:00Z" },
      infra_provision: { id: "infra_i1", status: "completed", conclusion: "success",
        queued_at: "2026-03-18T09:34:00Z", started_at: "2026-03-18T09:34:01Z", completed_at: "2026-03-18T09:37:00Z" },
      deploy: { id: "deploy_d1", status: "completed", conclusion: "success",
        queued_at: "2026-03-18T09:37:00Z", started_at: "2026-03-18T09:37:01Z", completed_at: "2026-03-18T09:40:00.123456789Z" },
    },
    env: { id: "env_e1", name: "production", type: "production", api_base_url: "https://prod-demo-app.encr.app", created_at: "2025-01-02T03:04:05Z" },
    app: { id: "app_x1", slug: "demo-app", created_at: "2025-01-01T00:00:00Z" },
  },
};
// Pretty-printed on purpose: a receiver must verify these exact bytes, whitespace included.
const body = Buffer.from(JSON.stringify(event, null, 2));
const nonUtf8 = Buffer.concat([body.subarray(0, 20), Buffer.from([0xff, 0xfe, 0xc3]), body.subarray(20)]);
const t = NOW - 10;
const hex = (b) => Buffer.from(b).toString("hex");
const v = (name, { b = body, header, secrets = [SECRET], now = NOW, tolerance, expect }) => ({
  name, body_hex: hex(b), header, secrets, now_ms: now * 1000 + 500, ...(tolerance !== undefined && { tolerance }), expect,
});
const good = mac(SECRET, t, body);

const vectors = [
  v("valid", { header: `t=${t},v1=${good}`, expect: "ok" }),
  v("valid, spaces after commas", { header: `t=${t}, v1=${good}`, expect: "ok" }),
  v("rotated pair, receiver has the new secret", { header: `t=${t},v1=${mac(OLD_SECRET, t, body)},v1=${good}`, expect: "ok" }),
  v("rotated pair, receiver still has the old secret", { header: `t=${t},v1=${mac(OLD_SECRET, t, body)},v1=${good}`, secrets: [OLD_SECRET], expect: "ok" }),
  v("tampered body", { b: Buffer.from(body.toString().replace('"success"', '"failure"')), header: `t=${t},v1=${good}`, expect: "no_valid_signature" }),
  v("body re-serialised (compact JSON)", { b: Buffer.from(JSON.stringify(event)), header: `t=${t},v1=${good}`, expect: "no_valid_signature" }),
  v("tampered t", { header: `t=${t + 1},v1=${good}`, expect: "no_valid_signature" }),
  v("too old (301.5 s)", { header: `t=${NOW - 301},v1=${mac(SECRET, NOW - 301, body)}`, now: NOW, expect: "too_old" }),
  v("old but within tolerance (299.5 s)", { header: `t=${NOW - 299},v1=${mac(SECRET, NOW - 299, body)}`, now: NOW, expect: "ok" }),
  v("too new (301.5 s ahead)", { header: `t=${NOW + 302},v1=${mac(SECRET, NOW + 302, body)}`, now: NOW, expect: "too_new" }),
  v("ahead but within tolerance (299.5 s)", { header: `t=${NOW + 300},v1=${mac(SECRET, NOW + 300, body)}`, now: NOW, expect: "ok" }),
  v("custom tolerance 5 s, 10 s old", { header: `t=${t},v1=${good}`, tolerance: 5, expect: "too_old" }),
  v("custom tolerance 3600 s, 1000 s old", { header: `t=${NOW - 1000},v1=${mac(SECRET, NOW - 1000, body)}`, tolerance: 3600, expect: "ok" }),
  v("too old and a wrong mac: the mac decides", { header: `t=${NOW - 9999},v1=${mac(OTHER, NOW - 9999, body)}`, expect: "no_valid_signature" }),
  v("missing header (null)", { header: null, expect: "missing_signature" }),
  v("missing header (empty)", { header: "", expect: "missing_signature" }),
  v("header without t", { header: `v1=${good}`, expect: "invalid_signature_header" }),
  v("header without v1", { header: `t=${t}`, expect: "no_valid_signature" }),
  v("t not a number", { header: `t=abc,v1=${good}`, expect: "invalid_signature_header" }),
  v("t negative", { header: `t=-5,v1=${good}`, expect: "invalid_signature_header" }),
  v("two t", { header: `t=${t},t=${t},v1=${good}`, expect: "invalid_signature_header" }),
  v("a part without =", { header: `t=${t},${good}`, expect: "invalid_signature_header" }),
  v("only invalid v1s", { header: `t=${t},v1=!!notbase64!!,v1=${good}==,v1=${good.slice(0, -1)}+`, expect: "no_valid_signature" }),
  v("invalid v1 then a valid one", { header: `t=${t},v1=***,v1=${good}`, expect: "ok" }),
  v("a v2 alone (downgrade refused)", { header: `t=${t},v2=${good}`, expect: "no_valid_signature" }),
  v("v0 and v2 next to a valid v1", { header: `v0=abc,t=${t},v2=${good},v1=${good}`, expect: "ok" }),
  v("standard base64 instead of base64url", { header: `t=${t},v1=${createHmac("sha256", SECRET).update(`${t}.`).update(body).digest("base64")}`, expect: "no_valid_signature" }),
  v("secret list, the second matches", { header: `t=${t},v1=${good}`, secrets: [OTHER, SECRET], expect: "ok" }),
  v("secret list, none matches", { header: `t=${t},v1=${good}`, secrets: [OTHER, OLD_SECRET], expect: "no_valid_signature" }),
  v("wrong secret", { header: `t=${t},v1=${good}`, secrets: [OTHER], expect: "no_valid_signature" }),
  v("non-UTF-8 body verified as bytes", { b: nonUtf8, header: `t=${t},v1=${mac(SECRET, t, nonUtf8)}`, expect: "ok" }),
  v("non-UTF-8 body turned into text first", { b: Buffer.from(nonUtf8.toString("utf8")), header: `t=${t},v1=${mac(SECRET, t, nonUtf8)}`, expect: "no_valid_signature" }),
  v("empty body", { b: Buffer.alloc(0), header: `t=${t},v1=${mac(SECRET, t, Buffer.alloc(0))}`, expect: "ok" }),
];

const out = {
  generator: "tests/webhooks/vectors.mjs (Node crypto.createHmac, sha256, base64url)",
  secrets_used: [SECRET, OLD_SECRET, OTHER],
  event_body_hex: hex(body),
  vectors,
};
writeFileSync(new URL("./vectors.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${vectors.length} vectors`);
