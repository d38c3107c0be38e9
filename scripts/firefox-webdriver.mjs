// A WebDriver endpoint for headless Firefox, just large enough for wasm-bindgen-test-runner
// (which `make test` points at it through GECKODRIVER_REMOTE). It drives Debian's Firefox ESR
// with puppeteer-core over WebDriver BiDi, which Firefox speaks natively, so no geckodriver has
// to be compiled on a new machine (about 250 s of CPU on 2 cores).
//
//   node scripts/firefox-webdriver.mjs     prints the port it listens on (127.0.0.1), then
//                                          serves until stdin closes or SIGTERM
//
// The runner's commands, and only these: POST /session, GET /session/:id,
// POST /session/:id/url, POST /session/:id/execute/sync, DELETE /session/:id/window,
// DELETE /session/:id, GET /status. Anything else answers WebDriver's "unknown command".
// FIREFOX names the browser binary (default: firefox-esr, then firefox, on PATH).
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import puppeteer from "puppeteer-core";

function firefoxPath() {
  if (process.env.FIREFOX) return process.env.FIREFOX;
  for (const name of ["firefox-esr", "firefox"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    } catch {}
  }
  throw new Error("no firefox-esr or firefox on PATH (set FIREFOX)");
}

/** sessionId → { browser, page } */
const sessions = new Map();
let nextId = 1;

async function newSession() {
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: firefoxPath(), headless: true });
  const page = await browser.newPage();
  const id = `firefox-${process.pid}-${nextId++}`;
  sessions.set(id, { browser, page });
  return { sessionId: id, capabilities: { browserName: "firefox", browserVersion: (await browser.version()).split("/")[1] } };
}

async function endSession(id) {
  const s = sessions.get(id);
  if (!s) return;
  sessions.delete(id);
  await s.browser.close().catch(() => {});
}

/** The WebDriver answer to one command: [status, value]. */
async function command(method, parts, body) {
  if (method === "GET" && parts.length === 1 && parts[0] === "status") return [200, { ready: true, message: "" }];
  if (parts[0] !== "session") return [404, unknown(method, parts)];
  if (method === "POST" && parts.length === 1) return [200, await newSession()];
  const s = sessions.get(parts[1]);
  if (!s) return [404, { error: "invalid session id", message: `no session ${parts[1]}`, stacktrace: "" }];
  const rest = parts.slice(2).join("/");
  if (method === "GET" && rest === "") return [200, { capabilities: { browserName: "firefox" } }];
  if (method === "POST" && rest === "url") {
    await s.page.goto(String(body.url));
    return [200, null];
  }
  if (method === "POST" && rest === "execute/sync") {
    // WebDriver runs the script as a function body, with the arguments as `arguments`.
    const value = await s.page.evaluate((script, args) => new Function(script).apply(null, args), String(body.script), body.args ?? []);
    return [200, value ?? null];
  }
  if (method === "DELETE" && (rest === "window" || rest === "")) {
    await endSession(parts[1]);
    return [200, null];
  }
  return [404, unknown(method, parts)];
}

function unknown(method, parts) {
  return { error: "unknown command", message: `${method} /${parts.join("/")} is not supported by this endpoint`, stacktrace: "" };
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    let status, value;
    try {
      const text = Buffer.concat(chunks).toString("utf8");
      const parts = new URL(req.url, "http://x").pathname.split("/").filter(Boolean);
      [status, value] = await command(req.method, parts, text ? JSON.parse(text) : {});
    } catch (err) {
      [status, value] = [500, { error: "unknown error", message: String(err?.message ?? err), stacktrace: "" }];
    }
    const out = JSON.stringify({ value });
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(out) });
    res.end(out);
  });
});

async function shutdown() {
  server.close();
  await Promise.all([...sessions.keys()].map(endSession));
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
process.stdin.on("end", shutdown);
process.stdin.resume();

server.listen(0, "127.0.0.1", () => console.log(server.address().port));
