// The members API (issue 9) against the simulator, run inside the client suite once per entry
// point: wire paths and bodies, Dates and nulls, validation before sending, retries (list and
// PUT idempotent, invite never after an ambiguous failure), the 409 last_owner message.

import assert from "node:assert/strict";
import { test } from "node:test";

/** Registers the members tests; `h` holds the suite's helpers. */
export function defineMembersTests({ api, server, client, fault, recorder }) {
  const { EncoreApiError, EncoreValidationError } = api;
  const catching = (p) => p.then(() => assert.fail("expected a rejection"), (e) => e);

  test("members: list, invite, change role, revoke; Dates, nulls and wire bodies", async (t) => {
    const srv = await server(t, { clock: "manual" });
    const rec = recorder();
    const c = client(srv, { fetch: rec });
    const before = await c.listMembers("demo-app");
    assert.ok(Array.isArray(before) && before.length >= 1);
    const owner = before.find((m) => m.role === "owner");
    assert.ok(owner, "an owner");
    assert.ok(owner.accepted instanceof Date);
    const m = await c.inviteMember("demo-app", { email: "ada@example.com", role: "writer" });
    assert.equal(m.email, "ada@example.com");
    assert.equal(m.role, "writer");
    assert.ok(m.invited instanceof Date && m.expires instanceof Date);
    assert.ok(m.expires.getTime() > m.invited.getTime());
    assert.equal(m.accepted, null, "a never-accepted invitation (null or Go zero time) is null");
    for (const k of ["username", "full_name", "picture_url"]) assert.equal(typeof m[k], "string", k);
    assert.equal(await c.updateMemberRole("demo-app", { email: "ada@example.com", role: "reader" }), undefined);
    const after = await c.listMembers("demo-app");
    assert.equal(after.find((x) => x.email === "ada@example.com").role, "reader");
    assert.equal(await c.updateMemberRole("demo-app", { email: "ada@example.com", role: "none" }), undefined);
    assert.ok(!(await c.listMembers("demo-app")).some((x) => x.email === "ada@example.com"), "revoked");

    const api = rec.calls.filter((x) => !x.url.includes("/oauth/"));
    assert.deepEqual(api.map((x) => [x.method, new URL(x.url).pathname]), [
      ["GET", "/api/apps/demo-app/members"],
      ["POST", "/api/apps/demo-app/member"],
      ["PUT", "/api/apps/demo-app/members"],
      ["GET", "/api/apps/demo-app/members"],
      ["PUT", "/api/apps/demo-app/members"],
      ["GET", "/api/apps/demo-app/members"],
    ]);
    assert.deepEqual(JSON.parse(api[1].body), { email: "ada@example.com", role: "writer" });
    assert.deepEqual(JSON.parse(api[2].body), { email: "ada@example.com", role: "reader" });
    assert.match(api[2].headers.get("content-type"), /^application\/json/);
  });

  test("members: bad input is refused before any request", async (t) => {
    const srv = await server(t);
    const rec = recorder();
    const c = client(srv, { fetch: rec });
    for (const [member, says] of [
      [{ email: "", role: "writer" }, /empty/],
      [{ email: "ada", role: "writer" }, /exactly one @/],
      [{ email: "a@b@c", role: "writer" }, /exactly one @/],
      [{ email: "a da@b", role: "writer" }, /whitespace/],
      [{ email: "ada@b", role: "admin" }, /one of owner, writer, reader, none/],
      [{ email: "ada@b", role: "writer", extra: 1 }, /unknown field "extra"/],
      [{ email: "ada@b" }, /role/],
      [undefined, /email, role/],
    ]) {
      for (const call of [() => c.inviteMember("demo-app", member), () => c.updateMemberRole("demo-app", member)]) {
        const e = await catching(call());
        assert.ok(e instanceof EncoreValidationError, `${JSON.stringify(member)}: ${e}`);
        assert.match(e.message, says);
      }
    }
    const none = await catching(c.inviteMember("demo-app", { email: "a@b", role: "none" }));
    assert.ok(none instanceof EncoreValidationError);
    assert.equal(rec.calls.length, 0, "nothing was sent");
  });

  test("members: 409 last_owner, 404, and retries (list/PUT retried, invite not after a 500)", async (t) => {
    const srv = await server(t);
    const c = client(srv, { maxRetries: 1 });
    const owners = (await c.listMembers("demo-app")).filter((m) => m.role === "owner");
    assert.equal(owners.length, 1);
    const last = await catching(c.updateMemberRole("demo-app", { email: owners[0].email, role: "reader" }));
    assert.ok(last instanceof EncoreApiError);
    assert.equal(last.status, 409);
    assert.equal(last.details, "last_owner");
    assert.match(last.message, /last owner of an app cannot be removed or demoted/);
    const missing = await catching(c.updateMemberRole("demo-app", { email: "nobody@example.com", role: "reader" }));
    assert.ok(missing instanceof EncoreApiError);
    assert.equal(missing.status, 404);

    await fault(srv, { status: 503, path: "/api/apps/demo-app/members", method: "GET" });
    assert.ok(Array.isArray(await c.listMembers("demo-app")), "a 503 to a list is retried");
    await fault(srv, { status: 502, path: "/api/apps/demo-app/members", method: "PUT" });
    await c.inviteMember("demo-app", { email: "bo@example.com", role: "reader" });
    assert.equal(await c.updateMemberRole("demo-app", { email: "bo@example.com", role: "writer" }), undefined, "a 502 to the PUT is retried");

    const posts = () => srv.simulator.count("POST", "/api/apps/demo-app/member");
    const sent = posts();
    await fault(srv, { status: 500, path: "/api/apps/demo-app/member" });
    const unknown = await catching(c.inviteMember("demo-app", { email: "cy@example.com", role: "reader" }));
    assert.ok(unknown instanceof EncoreApiError);
    assert.equal(unknown.status, 500);
    assert.equal(unknown.outcomeUnknown, true);
    assert.match(unknown.message, /invitation may or may not have been sent/);
    assert.equal(posts(), sent + 1, "an invitation is not retried after a 500");
  });
}
