// `encore-cloud webhook verify --secret-env NAME --header SIG < body.json`: the event JSON and
// exit 0, or exit 1 with the refusal's code; the secret comes from the environment only.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { BIN, cleanEnv } from "./helpers.mjs";

const SECRET = "whsec_cli_test_5b1d9e";
const body = Buffer.from(JSON.parse(readFileSync(new URL("../webhooks/vectors.json", import.meta.url), "utf8")).event_body_hex, "hex");
const sign = (secret, b, t = Math.floor(Date.now() / 1000)) =>
  `t=${t},v1=${createHmac("sha256", secret).update(`${t}.`).update(b).digest("base64url")}`;

/** Runs the bin with `input` on stdin. */
function verify(args, input, env = cleanEnv(null, { HOOK_SECRET: SECRET })) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ["webhook", "verify", ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => {
      assert.ok(!stdout.includes(SECRET) && !stderr.includes(SECRET), "the webhook secret was printed");
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

test("a valid delivery prints its event", async () => {
  const r = await verify(["--secret-env", "HOOK_SECRET", "--header", sign(SECRET, body)], body);
  assert.equal(r.code, 0, r.stderr);
  const event = JSON.parse(r.stdout);
  assert.equal(event.id, "evt_2Qx9");
  assert.equal(event.type, "rollout.completed");
  assert.equal(event.data.rollout.id, "roll_a1");
  assert.equal(r.stderr, "");
  const j = await verify(["--secret-env", "HOOK_SECRET", "--header", sign(SECRET, body), "--json"], body);
  const v = JSON.parse(j.stdout);
  assert.deepEqual([v.event.id, v.exit_code, v.error], ["evt_2Qx9", 0, null]);
});

test("a refused delivery exits 1 with the error code; a missing secret variable is a usage error", async () => {
  const wrong = await verify(["--secret-env", "HOOK_SECRET", "--header", sign("whsec_other_000", body), "--json"], body);
  assert.equal(wrong.code, 1, wrong.stderr);
  const v = JSON.parse(wrong.stdout);
  assert.equal(v.event, null);
  assert.equal(v.error.name, "EncoreWebhookError");
  assert.equal(typeof v.error.code, "string");
  assert.ok(v.error.message.startsWith(`${v.error.code}: `), v.error.message);

  const tampered = Buffer.from(body.toString().replace("roll_a1", "roll_a2"));
  const t = await verify(["--secret-env", "HOOK_SECRET", "--header", sign(SECRET, body)], tampered);
  assert.equal(t.code, 1);
  assert.equal(t.stdout, "");
  assert.match(t.stderr, /^error: \w+: /);
  const old = await verify(["--secret-env", "HOOK_SECRET", "--header", sign(SECRET, body, 1_000_000_000)], body);
  assert.equal(old.code, 1);

  const unset = await verify(["--secret-env", "NOT_SET", "--header", sign(SECRET, body)], body);
  assert.equal(unset.code, 2);
  assert.match(unset.stderr, /the variable NOT_SET \(--secret-env\) is not set/);
});
