// Every exit code of the contract, in text mode and with --json (one object on stdout, parsed).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ANSI, TS, cleanEnv, cli, json, simulator, start, until } from "./helpers.mjs";

const deploy = (...more) => ["deploy", "--app", "my-app", "--env", "prod", "--interval", "1s", ...more];

test("0: a successful deploy, in text and JSON", async (t) => {
  const sim = await simulator(t);
  const env = cleanEnv(sim);
  const text = await cli(deploy("--branch", "main"), { env });
  assert.equal(text.code, 0, text.stderr);
  // stdout: the result line only (no dashboard link: the API is not Encore Cloud's).
  assert.match(text.stdout, /^roll_\w+\n$/);
  assert.doesNotMatch(text.stderr + text.stdout, ANSI);
  assert.match(text.stderr, /encore-cloud: deploying branch main to my-app\/prod\n/);
  assert.match(text.stderr, /✓ roll_\w+ succeeded in \d+s\n$/);

  const r = await cli(deploy("--branch", "main", "--json"), { env });
  const v = json(r);
  assert.deepEqual(
    { app: v.app, env: v.env, outcome: v.outcome, exit_code: v.exit_code, url: v.url, error: v.error },
    { app: "my-app", env: "prod", outcome: "success", exit_code: 0, url: null, error: null },
  );
  assert.equal(v.rollout.status, "completed");
  assert.equal(v.rollout.conclusion, "success");
  assert.match(v.rollout.queued_at, TS);
  assert.match(v.rollout.deploy.completed_at, TS);
  assert.ok(Number.isInteger(v.elapsed_ms) && v.elapsed_ms >= 0);
});

test("0: --no-wait returns once triggered, outcome running", async (t) => {
  const sim = await simulator(t);
  const v = json(await cli(deploy("--branch", "needs-approval", "--no-wait", "--json"), { env: cleanEnv(sim) }));
  assert.equal(v.outcome, "running");
  assert.equal(v.exit_code, 0);
  assert.match(v.rollout.id, /^roll_/);
  assert.equal(sim.simulator.getRollout(v.rollout.id).status === "completed", false);
});

test("1: a failed build", async (t) => {
  const sim = await simulator(t);
  const r = await cli(deploy("--branch", "fail-build", "--json"), { env: cleanEnv(sim) });
  assert.equal(r.code, 1, r.stderr);
  const v = json(r);
  assert.equal(v.outcome, "failure");
  assert.equal(v.rollout.build.conclusion, "failure");
  assert.match(r.stderr, /✗ roll_\w+ failed: build failure/);
});

test("2: usage and configuration errors, before any request", async (t) => {
  const sim = await simulator(t);
  const before = sim.simulator.requests.length;
  const cases = [
    [["deploy", "--app", "my-app", "--env", "prod"], cleanEnv(sim), /--sha or --branch/],
    [["deploy", "--bogus"], cleanEnv(sim), /bogus/],
    [["deploy", "--app", "a", "--env", "e", "--sha", "x", "--timeout", "soon"], cleanEnv(sim), /--timeout "soon" is not a duration/],
    [["rollout", "status", "--app", "my-app"], cleanEnv(sim), /needs a ROLLOUT_ID/],
    [["rollout", "status", "--app", "my-app", "roll_x"], cleanEnv(sim, { ENCORE_CLIENT_ID: undefined, ENCORE_CLIENT_SECRET: undefined }), /no credentials/],
    [["nope"], cleanEnv(sim), /unknown command/],
  ];
  for (const [args, env, why] of cases) {
    const text = await cli(args, { env });
    assert.equal(text.code, 2, `${args}: ${text.stderr}`);
    assert.equal(text.stdout, "");
    assert.match(text.stderr, why);
    const v = json(await cli([...args, "--json"], { env }));
    assert.equal(v.outcome, "error");
    assert.equal(v.error.name, "UsageError");
    assert.match(v.error.message, why);
  }
  assert.equal(sim.simulator.requests.length, before, "no request was sent");
  // The Encore CLI's key is not an OAuth client: say so, and where OAuth clients are made.
  const r = await cli(["token"], { env: cleanEnv(sim, { ENCORE_CLIENT_ID: undefined, ENCORE_CLIENT_SECRET: undefined, ENCORE_AUTH_KEY: "ak-cli-key-1234" }) });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ENCORE_AUTH_KEY is the Encore CLI's auth key, not an OAuth client/);
  assert.match(r.stderr, /OAuth Clients/);
  assert.ok(!r.stderr.includes("ak-cli-key-1234"));
});

test("3: bad or revoked credentials", async (t) => {
  const sim = await simulator(t);
  const wrong = await cli(["rollout", "status", "--app", "my-app", "roll_x", "--json"], { env: cleanEnv(sim, { ENCORE_CLIENT_SECRET: "not-the-secret-4321" }) });
  assert.equal(wrong.code, 3, wrong.stderr);
  const v = json(wrong);
  assert.equal(v.error.status, 401);
  assert.match(v.error.message, /check ENCORE_CLIENT_ID\/ENCORE_CLIENT_SECRET \(the OAuth client may be revoked\)/);
  assert.ok(!wrong.stdout.includes("not-the-secret-4321") && !wrong.stderr.includes("not-the-secret-4321"));
  sim.simulator.revokeClient("o2c_demo_client", { disable: true });
  const revoked = await cli(deploy("--branch", "main"), { env: cleanEnv(sim) });
  assert.equal(revoked.code, 3, revoked.stderr);
  assert.match(revoked.stderr, /may be revoked/);
});

test("4: not found, and input the API rejects (with advice)", async (t) => {
  const sim = await simulator(t);
  const env = cleanEnv(sim);
  const missing = json(await cli(["rollout", "status", "--app", "my-app", "roll_nope", "--json"], { env }));
  assert.equal(missing.exit_code, 4);
  assert.equal(missing.error.status, 404);
  assert.equal(missing.rollout, null);
  sim.simulator.addFault({
    method: "POST", path: "/api/apps/my-app/envs/prod/rollouts", status: 400,
    body: { code: "validation", message: "validation failed", details: { field: "commit" } },
  });
  const r = await cli(deploy("--sha", "0123abcd", "--json"), { env });
  assert.equal(r.code, 4, r.stderr);
  const v = json(r);
  assert.equal(v.error.code, "validation");
  assert.equal(v.error.message, "could not find commit 0123abcd: is it pushed to the remote repository?");
  const noEnv = await cli(["deploy", "--app", "my-app", "--env", "nowhere", "--branch", "main"], { env });
  assert.equal(noEnv.code, 4, noEnv.stderr);
});

test("5: canceled, and an infrastructure change rejected", async (t) => {
  const sim = await simulator(t);
  const env = cleanEnv(sim);
  const canceled = await cli(deploy("--branch", "cancel-me", "--json"), { env });
  assert.equal(canceled.code, 5, canceled.stderr);
  assert.equal(json(canceled).outcome, "canceled");

  const { rollout } = json(await cli(deploy("--branch", "needs-approval", "--no-wait", "--json"), { env }));
  const wait = start(["rollout", "wait", "--app", "my-app", "--env", "prod", rollout.id, "--interval", "1s", "--json"], { env });
  await until(wait, (s) => s.includes("awaits approval"));
  sim.simulator.reject(rollout.id);
  const r = await wait.done;
  assert.equal(r.code, 5, r.stderr);
  const v = json(r);
  assert.equal(v.outcome, "rejected");
  assert.equal(v.rollout.infra.conclusion, "rejected");
  assert.match(r.stderr, /the infrastructure change awaits approval in the dashboard \(still waiting\)/);
});

test("6: the API cannot be reached, or a trigger's outcome is unknown", async (t) => {
  const sim = await simulator(t);
  const down = await cli(["rollout", "status", "--app", "my-app", "roll_x", "--json"], { env: cleanEnv(sim, { ENCORE_API_URL: "http://127.0.0.1:9" }) });
  assert.equal(down.code, 6, down.stderr);
  assert.equal(json(down).error.name, "EncoreConnectionError");
  sim.simulator.addFault({ method: "POST", path: "/api/apps/my-app/envs/prod/rollouts", status: 502 });
  const r = await cli(deploy("--branch", "main", "--json"), { env: cleanEnv(sim) });
  assert.equal(r.code, 6, r.stderr);
  const v = json(r);
  assert.match(v.error.message, /may or may not have been created/);
  assert.match(v.error.message, /look for it on the Encore dashboard .* before triggering again/);
  const posts = sim.simulator.requests.filter((q) => q.method === "POST" && q.path.endsWith("/rollouts"));
  assert.equal(posts.length, 1, "never retried blindly");
});

test("124: a hung API and --timeout; the message says how to resume", async (t) => {
  const sim = await simulator(t);
  const env = cleanEnv(sim);
  const { rollout } = json(await cli(deploy("--branch", "main", "--no-wait", "--json"), { env }));
  sim.simulator.addFault({ method: "GET", path: "/api/apps/my-app/rollouts/", hang: true, count: 100 });
  const r = await cli(["rollout", "wait", "--app", "my-app", "--env", "prod", rollout.id, "--timeout", "2s", "--json"], { env });
  assert.equal(r.code, 124, r.stderr);
  const v = json(r);
  assert.equal(v.outcome, "timeout");
  assert.match(v.error.message, new RegExp(`timed out after 2s \\(--timeout\\); the rollout goes on\\. Resume with: encore-cloud rollout wait --app my-app --env prod ${rollout.id}$`));
  // A trigger that hangs past --timeout: its outcome is unknown (6), not a timeout of a known rollout.
  sim.simulator.clearFaults();
  sim.simulator.addFault({ method: "POST", path: "/api/apps/my-app/envs/prod/rollouts", hang: true });
  const trig = await cli(deploy("--branch", "main", "--timeout", "2s"), { env });
  assert.equal(trig.code, 6, trig.stderr);
  assert.match(trig.stderr, /may or may not have been created: look for it on the Encore dashboard/);
});

test("130: SIGTERM while waiting stops waiting; the rollout goes on", async (t) => {
  const sim = await simulator(t);
  const run = start(deploy("--branch", "needs-approval", "--json"), { env: cleanEnv(sim) });
  await until(run, (s) => s.includes("awaits approval"));
  run.child.kill("SIGTERM");
  const r = await run.done;
  assert.equal(r.code, 130, r.stderr);
  const v = json(r);
  assert.equal(v.outcome, "error");
  assert.equal(v.error.name, "AbortError");
  assert.match(v.error.message, /stopped waiting .*the rollout goes on\. Resume with: encore-cloud rollout wait --app my-app --env prod roll_/);
  assert.equal(sim.simulator.getRollout(v.rollout.id).status, "running", "the rollout itself was left alone");
});
