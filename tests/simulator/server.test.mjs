import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createNodeListener, startSimulatorServer } from "../../simulator/server.js";
import { DEMO_ID, DEMO_SECRET } from "./helpers.mjs";

let srv;
before(async () => {
  srv = await startSimulatorServer({ clock: "manual" });
});
after(() => srv.close());

async function httpToken(url) {
  const res = await fetch(`${url}/api/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `grant_type=client_credentials&client_id=${DEMO_ID}&client_secret=${DEMO_SECRET}`,
  });
  assert.equal(res.status, 200);
  return (await res.json()).access_token;
}

function assertCors(res) {
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  assert.equal(res.headers.get("access-control-expose-headers"), "Retry-After, retry-after-ms");
}

test("server: url/port, token + trigger + get over real HTTP", async () => {
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(srv.url, `http://127.0.0.1:${srv.port}`);
  const tok = await httpToken(srv.url);
  const res = await fetch(`${srv.url}/api/apps/demo-app/envs/production/rollouts`, {
    method: "POST", headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" }, body: '{"branch":"main"}',
  });
  assert.equal(res.status, 200);
  const r = await res.json();
  srv.simulator.clock.advance(12_000);
  const got = await (await fetch(`${srv.url}/api/apps/demo-app/rollouts/${r.id}`, { headers: { authorization: `Bearer ${tok}` } })).json();
  assert.equal(got.conclusion, "success");
});

test("server: CORS headers on successes, errors, faults and control answers; preflight", async () => {
  const origin = { origin: "http://page.example" };
  assertCors(await fetch(`${srv.url}/__sim/config`, { headers: origin }));
  assertCors(await fetch(`${srv.url}/api/apps/demo-app/rollouts/x`, { headers: origin }));
  const tokRes = await fetch(`${srv.url}/api/oauth/token`, { method: "POST", headers: origin });
  assert.equal(tokRes.status, 400);
  assertCors(tokRes);
  srv.simulator.addFault({ status: 503, retryAfter: "3" });
  const faulted = await fetch(`${srv.url}/api/apps/demo-app/rollouts/x`, { headers: origin });
  assert.equal(faulted.status, 503);
  assert.equal(faulted.headers.get("retry-after"), "3");
  assertCors(faulted);
  const pre = await fetch(`${srv.url}/api/apps/demo-app/envs/production/rollouts`, {
    method: "OPTIONS",
    headers: { ...origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
  });
  assert.equal(pre.status, 204);
  assertCors(pre);
  assert.equal(pre.headers.get("access-control-allow-methods"), "GET, POST, PUT, DELETE, OPTIONS");
  assert.equal(pre.headers.get("access-control-allow-headers"), "authorization, content-type");
  assert.equal(pre.headers.get("access-control-max-age"), "600");
});

test("server: drop destroys the socket", async () => {
  srv.simulator.addFault({ drop: true, path: "/api/oauth/token" });
  await assert.rejects(fetch(`${srv.url}/api/oauth/token`, { method: "POST" }), TypeError);
  assert.equal(srv.simulator.requests.at(-1).outcome, "drop");
  await httpToken(srv.url); // served normally afterwards
});

test("server: hang waits until the client aborts; the handler sees the abort", async () => {
  srv.simulator.addFault({ hang: true });
  const ac = new AbortController();
  const p = fetch(`${srv.url}/api/apps/demo-app/rollouts/x`, { signal: ac.signal });
  await new Promise((r) => setTimeout(r, 50));
  ac.abort();
  await assert.rejects(p, { name: "AbortError" });
  for (let i = 0; i < 50 && srv.simulator.requests.at(-1).outcome !== "aborted"; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(srv.simulator.requests.at(-1).outcome, "aborted");
});

test("server: close() ends hung connections", async () => {
  const s = await startSimulatorServer();
  s.simulator.addFault({ hang: true });
  const p = fetch(`${s.url}/api/oauth/token`, { method: "POST" }).then(() => "answered", () => "failed");
  await new Promise((r) => setTimeout(r, 30));
  await s.close();
  assert.equal(await p, "failed");
});

test("server: bodyBytes and delay over HTTP", async () => {
  srv.simulator.addFault({ bodyBytes: 2_000_000 });
  const res = await fetch(`${srv.url}/api/apps/demo-app/rollouts/x`);
  assert.equal(res.status, 200);
  assert.equal((await res.arrayBuffer()).byteLength, 2_000_000);
  srv.simulator.addFault({ delayMs: 40 });
  const t = performance.now();
  assert.equal((await fetch(`${srv.url}/api/apps/demo-app/rollouts/x`)).status, 401);
  assert.ok(performance.now() - t >= 35);
});

test("createNodeListener mounts any fetch handler next to other routes", async () => {
  const s = await startSimulatorServer({ port: 0 });
  const simListener = createNodeListener(s.simulator.handle);
  const custom = createNodeListener(async (req) => new Response(`echo ${req.method} ${new URL(req.url).pathname} ${await req.text()}`, { status: 201 }));
  const server = createServer((req, res) => (req.url.startsWith("/static") ? custom(req, res) : simListener(req, res)));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const a = await fetch(`${base}/static/x`, { method: "POST", body: "hi" });
    assert.deepEqual([a.status, await a.text()], [201, "echo POST /static/x hi"]);
    const b = await fetch(`${base}/__sim/config`);
    assert.equal((await b.json()).demoClient.clientId, DEMO_ID);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await s.close();
  }
});

test("CLI: --help, then start on a free port, serve, and exit on SIGTERM", async () => {
  const bin = fileURLToPath(new URL("../../simulator/bin/encore-cloud-simulator.js", import.meta.url));
  const run = (args) => spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const collect = (child) => new Promise((resolve) => {
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code, signal) => resolve({ out, code, signal }));
  });
  const help = await collect(run(["--help"]));
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: encore-cloud-simulator/);
  const bad = await collect(run(["--bogus"]));
  assert.equal(bad.code, 2);

  const child = run(["--port", "0", "--time-scale", "0.01", "--token-lifetime", "120", "--envelope"]);
  const exited = collect(child);
  try {
    const url = await new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 5000);
      child.stdout.on("data", (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m && out.includes(DEMO_SECRET)) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const tokRes = await fetch(`${url}/api/oauth/token?client_id=${DEMO_ID}&client_secret=${DEMO_SECRET}`, { method: "POST" });
    assert.equal((await tokRes.json()).expires_in, 120);
    const res = await fetch(`${url}/api/apps/demo-app/rollouts/x`);
    assert.equal((await res.json()).ok, false);
  } finally {
    child.kill("SIGTERM");
  }
  const { code } = await exited;
  assert.equal(code, 0);
});
