// The demo server's same-origin proxy (ENCORE_API_URL): forwards /api/* of the upstream and
// nothing else, and tells "could not connect" (503, safe to retry) from a failure after sending.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startDemoServer } from "../../scripts/demo-server.mjs";

async function upstream(t) {
  const seen = [];
  const srv = http.createServer((req, res) => {
    seen.push(req.url);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ path: req.url }));
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => srv.close(r)));
  return { url: `http://127.0.0.1:${srv.address().port}`, seen };
}

function rawGet(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    }).on("error", reject);
  });
}

test("the proxy forwards /api/* under the upstream's prefix, and refuses to step out of it", async (t) => {
  const up = await upstream(t);
  const demo = await startDemoServer({ port: 0, apiUrl: `${up.url}/encore` });
  t.after(() => demo.close());
  const ok = await rawGet(demo.port, "/api/apps/a%2Fb/rollouts/roll_1?x=1");
  assert.equal(ok.status, 200);
  assert.deepEqual(up.seen, ["/encore/api/apps/a%2Fb/rollouts/roll_1?x=1"]);
  for (const bad of ["/api/../__sim/config", "/api/%2e%2e/%2E%2E/__sim/config", "/api/./x", "/api/.%2e/x", "/api/..%5cx", "/api\\..\\x"]) {
    const r = await rawGet(demo.port, bad);
    assert.equal(r.status, 400, bad);
  }
  assert.equal(up.seen.length, 1, "nothing else reached the upstream");
});

test("an unreachable upstream is a 503 (nothing sent), so a trigger is safe to retry", async (t) => {
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, "127.0.0.1", r));
  const port = closed.address().port;
  await new Promise((r) => closed.close(r));
  const demo = await startDemoServer({ port: 0, apiUrl: `http://127.0.0.1:${port}` });
  t.after(() => demo.close());
  const res = await fetch(`${demo.url}api/apps/a/envs/e/rollouts`, { method: "POST", body: "{}" });
  assert.equal(res.status, 503);
  assert.equal((await res.json()).code, "unavailable");
});
