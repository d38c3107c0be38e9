// Where output goes and what it looks like: GitHub Actions files and annotations, the
// encore.app and GITHUB_SHA defaults, `token`, --verbose, help and version.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { ANSI, BIN, SCRATCH, cleanEnv, cli, json, simulator, tempDir, text } from "./helpers.mjs";

test("GITHUB_ACTIONS=true: outputs, step summary and annotations are written", async (t) => {
  const sim = await simulator(t);
  const d = await tempDir(t);
  const [out, sum] = [join(d, "output"), join(d, "summary.md")];
  await writeFile(out, "earlier=kept\n");
  const env = cleanEnv(sim, { GITHUB_ACTIONS: "true", GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: sum, CI: "true" });
  const ok = await cli(["deploy", "--app", "my-app", "--env", "prod", "--branch", "main", "--interval", "1s"], { env });
  assert.equal(ok.code, 0, ok.stderr);
  const id = ok.stdout.trim();
  assert.equal(await text(out), `earlier=kept\nrollout-id=${id}\nurl=\nstatus=completed\nconclusion=success\noutcome=success\n`);
  const md = await text(sum);
  assert.match(md, /^### ✅ Encore Cloud rollout: success\n/);
  assert.match(md, /\*\*Target:\*\* `my-app \/ prod` · branch main/);
  assert.match(md, /\| build \| completed \| success \| \d+s \|/);
  assert.match(md, /\| deploy \| completed \| success \| \d+s \|/);
  assert.match(md, /\*\*Outcome:\*\* success \(exit code 0\)/);
  assert.doesNotMatch(ok.stderr, /::error/);

  const failed = await cli(["deploy", "--app", "my-app", "--env", "prod", "--branch", "fail-build", "--interval", "1s"], { env });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^::error title=Rollout failure::✗ roll_\w+ failed: build failure/m);
  assert.match(await text(out), /outcome=failure\n$/);
  assert.match(await text(sum), /### ❌ Encore Cloud rollout: failure/);

  // An approval is a warning; verbose lines are grouped.
  const approval = await cli(["deploy", "--app", "my-app", "--env", "prod", "--branch", "needs-approval", "--timeout", "3s", "--interval", "1s", "--verbose"], { env });
  assert.equal(approval.code, 124, approval.stderr);
  assert.match(approval.stderr, /^::warning title=Awaiting approval::the infrastructure change awaits approval/m);
  assert.match(approval.stderr, /^::group::HTTP attempts\n {2}POST \/api\/oauth\/token #1 → 200 in \d+ ms\n/m);
  assert.match(approval.stderr, /^::endgroup::$/m);
  assert.match(approval.stderr, /^::error title=encore-cloud%3A deadline_exceeded::timed out after 3s \(--timeout\)/m);
  assert.match(await text(out), /outcome=timeout\n$/);

  // Without GITHUB_ACTIONS=true, nothing is written.
  const before = await text(out);
  await cli(["deploy", "--app", "my-app", "--env", "prod", "--branch", "main", "--no-wait"], { env: { ...env, GITHUB_ACTIONS: "" } });
  assert.equal(await text(out), before);
});

test("defaults: the app from ./encore.app (HuJSON), the commit from GITHUB_SHA or CI_COMMIT_SHA", async (t) => {
  const sim = await simulator(t);
  const d = await tempDir(t);
  await writeFile(join(d, "encore.app"), '// written by encore\n{\n\t"id": "my-app", /* the app */\n\t"lang": "typescript",\n}\n');
  const env = cleanEnv(sim, { ENCORE_ENV_NAME: "prod", GITHUB_SHA: "8f3c2a1b9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f70" });
  const r = await cli(["deploy", "--no-wait", "--json"], { env, cwd: d });
  assert.equal(r.code, 0, r.stderr);
  const v = json(r);
  assert.equal(v.app, "my-app");
  assert.equal(v.env, "prod");
  assert.match(r.stderr, /deploying commit 8f3c2a1b9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f70 to my-app\/prod/);
  const gitlab = await cli(["deploy", "--no-wait"], { env: { ...env, GITHUB_SHA: undefined, CI_COMMIT_SHA: "c1c1c1" }, cwd: d });
  assert.match(gitlab.stderr, /deploying commit c1c1c1/);
  // ENCORE_APP_ID wins over the file; a flag wins over both.
  const other = await cli(["deploy", "--no-wait", "--json"], { env: { ...env, ENCORE_APP_ID: "demo-app", ENCORE_ENV_NAME: "staging" }, cwd: d });
  assert.equal(json(other).app, "demo-app");
  const flag = await cli(["deploy", "--no-wait", "--json", "--app", "demo-app", "--env", "production"], { env, cwd: d });
  assert.equal(json(flag).env, "production");
  // Neither: a usage error.
  const none = await cli(["deploy", "--no-wait"], { env: { ...env, GITHUB_SHA: undefined }, cwd: d });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /GITHUB_SHA and CI_COMMIT_SHA are not set/);
  await writeFile(join(d, "encore.app"), '{"id": }');
  const broken = await cli(["rollout", "status", "roll_x"], { env, cwd: d });
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /encore\.app is not valid HuJSON/);
});

test("token prints the token alone, masked first under GitHub Actions", async (t) => {
  const sim = await simulator(t);
  const r = await cli(["token"], { env: cleanEnv(sim) });
  assert.equal(r.code, 0, r.stderr);
  const [tok, ...rest] = r.stdout.split("\n");
  assert.deepEqual(rest, [""]);
  assert.ok(tok.length > 10);
  assert.equal(r.stderr, "");
  const gh = await cli(["token"], { env: cleanEnv(sim, { GITHUB_ACTIONS: "true" }) });
  const ghTok = gh.stdout.trim();
  assert.equal(gh.stderr, `::add-mask::${ghTok}\n`);
  const v = json(await cli(["token", "--json"], { env: cleanEnv(sim) }));
  assert.ok(v.access_token.length > 10 && v.expires_in > 3500);
});

test("--verbose: one line per HTTP attempt, no secret, no token", async (t) => {
  const sim = await simulator(t);
  sim.simulator.addFault({ method: "GET", status: 503, retryAfter: "0" });
  const r = await cli(["rollout", "status", "--app", "my-app", "roll_nope", "--verbose"], { env: cleanEnv(sim) });
  assert.equal(r.code, 4, r.stderr);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("  "));
  assert.match(lines[0], /^ {2}POST \/api\/oauth\/token #1 → 200 in \d+ ms$/);
  assert.match(lines[1], /^ {2}GET \/api\/apps\/my-app\/rollouts\/roll_nope #1 → 503 in \d+ ms, retry in \d+ ms$/);
  assert.match(lines[2], /^ {2}GET \/api\/apps\/my-app\/rollouts\/roll_nope #2 → 404 in \d+ ms$/);
  const tok = (await cli(["token"], { env: cleanEnv(sim) })).stdout.trim();
  assert.ok(!r.stderr.includes(tok.slice(0, 12)));
  assert.doesNotMatch(r.stderr, ANSI);
});

test("--help, COMMAND --help and --version print to stdout and exit 0", async () => {
  const help = await cli(["--help"], { env: cleanEnv(null) });
  assert.equal(help.code, 0);
  for (const c of ["deploy", "rollout status", "rollout wait", "members list", "members invite", "members set-role", "token"]) {
    assert.match(help.stdout, new RegExp(`^  ${c} `, "m"));
  }
  const dh = await cli(["deploy", "--help"], { env: cleanEnv(null) });
  assert.match(dh.stdout, /^Usage: encore-cloud deploy/);
  assert.match(dh.stdout, /--no-wait/);
  const version = await cli(["--version"], { env: cleanEnv(null) });
  const pkg = JSON.parse(readFileSync(join(SCRATCH, "node_modules", "encore-cloud", "package.json"), "utf8"));
  assert.equal(version.stdout, `encore-cloud ${pkg.version}\n`);
  assert.ok(pkg.bin["encore-cloud"] && pkg.bin["encore-cloud-simulator"], "both bins are declared");
  assert.ok(BIN.endsWith("encore-cloud"));
});
