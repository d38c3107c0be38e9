// @ts-check
// Node-only: serve a fetch handler (the simulator) over node:http.

import { createServer } from "node:http";
import { createSimulator } from "./index.js";

/**
 * Turn any `(Request) => Promise<Response>` into a node:http `(req, res)`
 * listener. The Request's signal aborts when the client goes away. A handler
 * rejection carrying `simulatorDrop: true` destroys the socket (a dropped
 * connection); an abort after the client left is ignored; any other
 * rejection answers 500.
 * @param {(request: Request) => Promise<Response>} fetchHandler
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>}
 */
export function createNodeListener(fetchHandler) {
  return async function listener(req, res) {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    let response;
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        try {
          headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
        } catch {
          // skip headers the fetch API refuses
        }
      }
      const host = req.headers.host ?? "localhost";
      const request = new Request(new URL(req.url ?? "/", `http://${host}`), {
        method: req.method,
        headers,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
        signal: controller.signal,
      });
      response = await fetchHandler(request);
    } catch (e) {
      if (/** @type {{simulatorDrop?: boolean} | null} */ (e)?.simulatorDrop) {
        req.socket.destroy();
        return;
      }
      if (controller.signal.aborted || res.destroyed) return;
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`internal error: ${e instanceof Error ? e.message : e}`);
      return;
    }
    if (res.destroyed) return;
    const out = [];
    for (const [k, v] of response.headers) {
      if (k === "set-cookie") continue;
      out.push(k, v);
    }
    for (const c of response.headers.getSetCookie?.() ?? []) out.push("set-cookie", c);
    const buf = response.body ? Buffer.from(await response.arrayBuffer()) : null;
    if (response.statusText) res.writeHead(response.status, response.statusText, out);
    else res.writeHead(response.status, out);
    res.end(req.method === "HEAD" ? undefined : buf ?? undefined);
  };
}

/**
 * Start a simulator behind node:http.
 * @param {{ port?: number, host?: string } & Parameters<typeof createSimulator>[0]} [options]
 * @returns {Promise<{ url: string, port: number, simulator: ReturnType<typeof createSimulator>,
 *   server: import("node:http").Server, close(): Promise<void> }>}
 */
export async function startSimulatorServer({ port = 0, host = "127.0.0.1", ...simulatorOptions } = {}) {
  const simulator = createSimulator(simulatorOptions);
  const server = createServer(createNodeListener(simulator.handle));
  await /** @type {Promise<void>} */ (new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  }));
  // Webhook events fall due with the real clock too: look for them often (no-op without
  // subscriptions); the timer never keeps the process alive and stops with the server.
  // In Node a timer is an object with unref() (the DOM typing, which the check uses, says a number).
  const pump = /** @type {ReturnType<typeof setInterval> & { unref?(): void }} */ (
    setInterval(() => simulator.webhooks.pump(), 50));
  pump.unref?.();
  server.once("close", () => clearInterval(pump));
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  /** @type {Promise<void> | null} */
  let closing = null;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    simulator,
    server,
    close() {
      clearInterval(pump);
      closing ??= new Promise((resolve, reject) => {
        server.close((/** @type {Error | undefined} */ err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
