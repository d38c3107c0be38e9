#!/usr/bin/env node
// The demo server: one origin for the demo page (www/), the built package (pkg/ at /pkg/)
// and the Encore Cloud API simulator (/api/*, /__sim/*). No dependencies.
//
//   node scripts/demo-server.mjs                      → http://127.0.0.1:8080/
//   PORT=9000 DEMO_TIME_SCALE=0.5 node scripts/demo-server.mjs
//   ENCORE_API_URL=https://api.encore.cloud node scripts/demo-server.mjs
//       /api/* is forwarded to that URL (same-origin proxy; nothing stored or logged)
//       and the simulator is off.

import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createSimulator } from "../simulator/index.js";
import { createNodeListener } from "../simulator/server.js";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const WWW = join(ROOT, "www");
const PKG = join(ROOT, "pkg");

/** With timeScale 1 a success rollout takes 12 s (queue 1 + build 4 + infra 3.5 + deploy 3.5). */
export const DEFAULT_TIME_SCALE = 1;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
  ".cts": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

function plain(res, status, text, extra = {}) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...SECURITY_HEADERS, ...extra });
  res.end(text);
}

function json(res, status, value) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...SECURITY_HEADERS });
  res.end(JSON.stringify(value));
}

/**
 * The file under `base` that `relPath` names, or null when the path is not acceptable
 * (dot segments, NUL, backslashes, anything resolving outside `base`).
 */
function safeJoin(base, relPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(relPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.split("/");
  if (segments.some((s) => s === ".." || s === ".")) return null;
  const full = resolve(base, "." + (decoded.startsWith("/") ? "" : "/") + decoded);
  if (full !== base && !full.startsWith(base + sep)) return null;
  return full;
}

async function serveStatic(req, res, base, relPath) {
  if (req.method !== "GET" && req.method !== "HEAD") return plain(res, 405, "method not allowed", { allow: "GET, HEAD" });
  // Reject dot segments in the raw path too (before any URL normalisation).
  if (/(^|\/)\.\.?(\/|$)/.test(relPath) || /%2e%2e/i.test(relPath)) return plain(res, 400, "bad path");
  let file = safeJoin(base, relPath);
  if (file === null) return plain(res, 400, "bad path");
  try {
    let st = await stat(file);
    if (st.isDirectory()) {
      file = join(file, "index.html");
      st = await stat(file);
    }
    if (!st.isFile()) return plain(res, 404, "not found");
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-cache",
      ...SECURITY_HEADERS,
    });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (e) {
    if (e?.code === "ENOENT" || e?.code === "ENOTDIR") {
      if (base === PKG) return plain(res, 404, "not found (is the package built? run: bash scripts/build.sh)");
      return plain(res, 404, "not found");
    }
    return plain(res, 500, "internal error");
  }
}

/** Forwards one /api/* request to `upstream` (method, path+query, body, authorization, content-type). */
function createProxy(upstream) {
  const base = upstream.replace(/\/+$/, "");
  const apiPrefix = new URL(base + "/api/").pathname;
  // No WWW-Authenticate: a Basic challenge would open the browser's login dialog.
  const passBack = ["content-type", "retry-after", "retry-after-ms"];
  return async function proxy(req, res) {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    // Only /api/* of the upstream, never around it: no dot segments (raw or encoded), no
    // backslashes, and the resolved path must stay under the upstream's /api/.
    const raw = (req.url ?? "/").split("?")[0];
    const target = new URL(base + req.url);
    if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(raw) || /%5c|\\/i.test(raw) || !target.pathname.startsWith(apiPrefix)) {
      return json(res, 400, { code: "invalid_argument", message: "the demo proxy forwards /api/* paths only", details: null });
    }
    let sent = false;
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const headers = {};
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      if (req.headers["content-type"]) headers["content-type"] = req.headers["content-type"];
      headers.accept = "application/json";
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      sent = true;
      const answer = await fetch(target, {
        method: req.method,
        headers,
        body: hasBody && chunks.length ? Buffer.concat(chunks) : undefined,
        redirect: "manual",
        signal: controller.signal,
      });
      const body = Buffer.from(await answer.arrayBuffer());
      const out = { "cache-control": "no-store", ...SECURITY_HEADERS };
      for (const h of passBack) {
        const v = answer.headers.get(h);
        if (v !== null) out[h] = v;
      }
      out["content-length"] = body.length;
      res.writeHead(answer.status, out);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (e) {
      if (controller.signal.aborted || res.destroyed) return;
      // Could not connect at all: nothing reached the API, so say 503 (safe to retry). A
      // failure after the connection was made may have reached it: 502.
      const code = e?.cause?.code ?? "";
      const unsent = !sent || ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"].includes(code);
      json(res, unsent ? 503 : 502, {
        code: "unavailable",
        message: unsent ? "the demo proxy could not connect to the Encore API" : "the connection to the Encore API failed",
        details: null,
      });
    }
  };
}

// --- Webhook feed (issue 11) -------------------------------------------------------------
// The simulator delivers its signed webhook events to this server (in-process, as standard
// Requests); each is verified with the built package (webhookFromRequest: raw body, fresh
// random secret) and kept for the page's live feed: GET /demo/webhooks/feed?after=<n>.
function createWebhookFeed() {
  const secret = `whsec_demo_${randomBytes(18).toString("base64url")}`;
  const events = [];
  let pkg = null;
  let subscribed = null;
  return {
    /** The simulator's webhookFetch: one delivery, answered like a receiver would. */
    async receive(url, init) {
      const request = new Request(url, init);
      const entry = { n: events.length + 1, received: new Date().toISOString(), sequence: Number(request.headers.get("x-encore-sequence-id")) };
      try {
        pkg ??= await import(pathToFileURL(join(PKG, "index.node.js")).href);
        const ev = await pkg.webhookFromRequest(request, secret);
        const r = ev.data.rollout;
        const at = ev.type === "rollout.completed" ? r.completed_at : ev.type === "rollout.created" ? r.queued_at : null;
        Object.assign(entry, { verified: true, type: ev.type, sequence: ev.sequence_id, rolloutId: r.id,
          conclusion: r.conclusion, resolution: ev.data.resolution ?? null, time: (at ?? new Date()).toISOString() });
      } catch (e) {
        Object.assign(entry, { verified: false, type: null, code: e?.code ?? e?.name ?? "error", time: entry.received });
      }
      events.push(entry);
      if (events.length > 200) events.splice(0, events.length - 200);
      return new Response(null, { status: entry.verified ? 204 : 400 });
    },
    /** Subscribes once per simulator state (a simulator reset forgets subscriptions). */
    ensureSubscribed(simulator, origin) {
      if (subscribed && simulator.webhooks.list().some((h) => h.id === subscribed)) return;
      subscribed = simulator.webhooks.subscribe({ url: `${origin}/demo/webhooks`, secret }).id;
    },
    handle(req, res) {
      const url = new URL(req.url ?? "/", "http://demo");
      if (url.pathname !== "/demo/webhooks/feed" || req.method !== "GET") return plain(res, 404, "not found");
      const after = Number(url.searchParams.get("after") ?? 0) || 0;
      return json(res, 200, { events: events.filter((e) => e.n > after) });
    },
  };
}
// --- end of the webhook feed ---------------------------------------------------------------

/**
 * Start the demo server.
 * @param {{ port?: number, host?: string, timeScale?: number, apiUrl?: string | null }} [options]
 *   `apiUrl`: forward /api/* there instead of simulating (defaults to env ENCORE_API_URL).
 * @returns {Promise<{ url: string, port: number, server: import("node:http").Server,
 *   simulator: ReturnType<typeof createSimulator> | null, close(): Promise<void> }>}
 */
export async function startDemoServer({
  port = 8080, host = "127.0.0.1", timeScale = DEFAULT_TIME_SCALE, apiUrl = process.env.ENCORE_API_URL || null,
} = {}) {
  if (apiUrl !== null) {
    const u = new URL(apiUrl); // throws on a malformed URL
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new TypeError("ENCORE_API_URL must be an http(s) URL");
    apiUrl = u.href;
  }
  const feed = apiUrl ? null : createWebhookFeed();
  const simulator = apiUrl ? null : createSimulator({ timeScale, webhookFetch: (url, init) => feed.receive(url, init) });
  const simListener = simulator ? createNodeListener(simulator.handle) : null;
  const proxy = apiUrl ? createProxy(apiUrl) : null;

  let origin = "";
  const server = createServer((req, res) => {
    const rawPath = (req.url ?? "/").split("?")[0];
    const isApi = rawPath === "/api" || rawPath.startsWith("/api/");
    const isSim = rawPath === "/__sim" || rawPath.startsWith("/__sim/");
    if (isApi || isSim) {
      if (simListener) return simListener(req, res);
      if (isApi) return proxy(req, res);
      if (rawPath === "/__sim/config" && req.method === "GET") {
        return json(res, 200, { simulator: false, proxy: true, upstream: new URL(apiUrl).origin });
      }
      return json(res, 404, { code: "not_found", message: "the simulator is off (ENCORE_API_URL is set)", details: null });
    }
    if (rawPath.startsWith("/demo/webhooks")) {
      if (!feed) return json(res, 404, { code: "not_found", message: "the webhook feed needs the simulator", details: null });
      feed.ensureSubscribed(simulator, origin);
      simulator.webhooks.pump(); // events fall due with the clock; the page polls this route
      return feed.handle(req, res);
    }
    if (rawPath === "/pkg" || rawPath.startsWith("/pkg/")) {
      return serveStatic(req, res, PKG, rawPath.slice("/pkg".length) || "/");
    }
    return serveStatic(req, res, WWW, rawPath);
  });

  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      ok();
    });
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  origin = `http://${urlHost}:${actualPort}`;
  feed?.ensureSubscribed(simulator, origin);
  let closing = null;
  return {
    url: `http://${urlHost}:${actualPort}/`,
    port: actualPort,
    server,
    simulator,
    upstream: apiUrl,
    close() {
      closing ??= new Promise((ok, fail) => {
        server.close((err) => (err ? fail(err) : ok()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const port = process.env.PORT ? Number(process.env.PORT) : 8080;
  const scaleEnv = process.env.DEMO_TIME_SCALE;
  const timeScale = scaleEnv ? Number(scaleEnv) : DEFAULT_TIME_SCALE;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
    process.exit(2);
  }
  if (!Number.isFinite(timeScale) || timeScale < 0) {
    console.error(`DEMO_TIME_SCALE must be a number >= 0, got ${JSON.stringify(scaleEnv)}`);
    process.exit(2);
  }
  let demo;
  try {
    demo = await startDemoServer({ port, timeScale });
  } catch (e) {
    console.error(`demo server: ${e?.message ?? e}`);
    process.exit(1);
  }
  try {
    await stat(join(PKG, "index.browser.js"));
  } catch {
    console.warn("warning: pkg/ is not built; run: bash scripts/build.sh");
  }
  console.log(`encore-cloud demo: ${demo.url}`);
  console.log(demo.upstream
    ? `  /api/* is forwarded to ${new URL(demo.upstream).origin} (simulator off; nothing stored or logged)`
    : `  simulator on (timeScale ${timeScale}); try branches main, fail-build, needs-approval, cancel-me`);
  const stop = (signal) => {
    console.log(`\n${signal}: stopping`);
    demo.close().then(() => process.exit(0), () => process.exit(1));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}
