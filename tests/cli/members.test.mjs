// The members commands against the simulator: one object with --json, a table otherwise, and
// the same exit codes as the rollout commands.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanEnv, cli, json, simulator } from "./helpers.mjs";

test("members list, invite and set-role", async (t) => {
  const sim = await simulator(t);
  const env = cleanEnv(sim);
  const listed = json(await cli(["members", "list", "--app", "my-app", "--json"], { env }));
  assert.equal(listed.app, "my-app");
  assert.equal(listed.error, null);
  assert.deepEqual(listed.members.map((m) => [m.email, m.role]), [["owner@example.com", "owner"]]);

  const invited = await cli(["members", "invite", "--app", "my-app", "--email", "dev@example.com", "--role", "writer", "--json"], { env });
  assert.equal(invited.code, 0, invited.stderr);
  const v = json(invited);
  assert.equal(v.member.email, "dev@example.com");
  assert.equal(v.member.role, "writer");

  const set = await cli(["members", "set-role", "--app", "my-app", "--email", "dev@example.com", "--role", "reader"], { env });
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual(set.stdout.trim().split(/\s+/), ["dev@example.com", "reader"]);

  const table = await cli(["members", "list", "--app", "my-app"], { env });
  assert.equal(table.code, 0);
  const rows = table.stdout.trim().split("\n").map((l) => l.trim().split(/\s+/));
  assert.deepEqual(rows, [["owner@example.com", "owner"], ["dev@example.com", "reader"]]);
});

test("members errors: a bad role before any request (2), the last owner (4), no such member (4), no permission (3)", async (t) => {
  const sim = await simulator(t);
  const env = cleanEnv(sim);
  const before = sim.simulator.requests.length;
  const bad = json(await cli(["members", "invite", "--app", "my-app", "--email", "a@b.c", "--role", "admin", "--json"], { env }));
  assert.equal(bad.exit_code, 2);
  assert.equal(bad.error.name, "EncoreValidationError");
  assert.equal(bad.member, null);
  assert.equal(sim.simulator.requests.filter((r) => r.path.includes("member")).length, 0);
  assert.ok(sim.simulator.requests.length - before <= 1, "at most the token request");

  const last = await cli(["members", "set-role", "--app", "my-app", "--email", "owner@example.com", "--role", "reader", "--json"], { env });
  assert.equal(last.code, 4, last.stderr);
  assert.match(json(last).error.message, /the last owner of an app cannot be removed or demoted/);

  const nobody = json(await cli(["members", "set-role", "--app", "my-app", "--email", "ghost@example.com", "--role", "reader", "--json"], { env }));
  assert.equal(nobody.exit_code, 4);
  assert.equal(nobody.error.status, 404);

  sim.simulator.addFault({ path: "/api/apps/my-app/members", status: 403 });
  const denied = await cli(["members", "list", "--app", "my-app"], { env });
  assert.equal(denied.code, 3);
  assert.match(denied.stderr, /check ENCORE_CLIENT_ID\/ENCORE_CLIENT_SECRET/);
  assert.equal(denied.stdout, "");
});
