// The benchmark's API server, run in its own process (its work does not interleave with the
// client's): fixed answers for the token endpoint, GET rollout and POST trigger, keep-alive.
// Prints its port on stdout. Bound to 127.0.0.1; exits when its parent's stdin closes.
import http from "node:http";

/** A rollout as the API sends it (Go-style timestamps, nulls for what has not happened). */
export const ROLLOUT = JSON.stringify({
  id: "roll_bench", status: "running", conclusion: "pending",
  queued_at: "2026-03-18T09:41:07.123456789Z", started_at: "2026-03-18T09:41:08Z", completed_at: null,
  build: { id: "b", status: "completed", conclusion: "success", queued_at: "2026-03-18T09:41:07Z", started_at: "2026-03-18T09:41:08Z", completed_at: "2026-03-18T09:45:00Z" },
  infra: { id: "i", status: "running", conclusion: "unknown", queued_at: "2026-03-18T09:45:00Z", started_at: "2026-03-18T09:45:01Z", completed_at: null },
  deploy: { id: "d", status: "queued", conclusion: "unknown", queued_at: null, started_at: null, completed_at: null },
});
const TOKEN = JSON.stringify({ access_token: "bench-token", expires_in: 3600, actor: "o2c_bench", token_type: "Bearer" });

function answer(res, status, body) {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/api/oauth/token") return answer(res, 200, TOKEN);
      if (req.headers.authorization !== "Bearer bench-token") return answer(res, 401, '{"code":"unauthenticated","message":"no"}');
      if (req.method === "GET" && req.url.startsWith("/api/apps/")) return answer(res, 200, ROLLOUT);
      if (req.method === "POST" && /\/envs\/[^/]+\/rollouts$/.test(req.url)) {
        const body = JSON.parse(Buffer.concat(chunks).toString() || "null");
        if (!body || (typeof body.branch !== "string") === (typeof body.sha !== "string")) {
          return answer(res, 400, '{"code":"invalid_argument","message":"sha or branch"}');
        }
        return answer(res, 200, ROLLOUT);
      }
      answer(res, 404, '{"code":"not_found","message":"no route"}');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}
