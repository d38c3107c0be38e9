// Shared helpers of the browser tests (not a test file): a tiny static file server and Chromium.
import { createReadStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { chromium } from "playwright-core";
import { OUTPUT_DIR } from "../package/scratch.mjs";

export const SCREENSHOT_DIR = join(OUTPUT_DIR, "browser");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/**
 * Serve a directory over node:http on 127.0.0.1 (a free port). GET/HEAD only, no listing,
 * no path escape; "/" → index.html. Returns { url, log, close() }.
 * @param {string} root
 */
export async function serveStatic(root) {
  const base = resolve(root);
  const log = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    log.push(`${req.method} ${url.pathname}`);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    let rel;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel.endsWith("/")) rel += "index.html";
    const file = normalize(join(base, rel));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    const s = await stat(file).catch(() => null);
    if (!s || !s.isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": s.size,
      "cache-control": "no-store",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    log,
    close: () => new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

/** Launch the system Chromium (never downloads a browser). */
export function launchChromium() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/**
 * Open a page, wait until it sets body[data-done], screenshot it, and return
 * { result (the parsed JSON of #result), problems (page errors, console errors), text }.
 */
export async function runPage(browser, url, screenshotName) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const where = m.location()?.url ?? "";
    // Expected: no favicon, and the page's deliberate 404 (roll_missing) is logged by Chromium.
    if (/\/favicon\.ico$|\/rollouts\/roll_missing$/.test(where)) return;
    problems.push(`console: ${m.text()} (${where})`);
  });
  try {
    await page.goto(url);
    await page.waitForSelector("body[data-done]", { timeout: 20_000 });
    const json = await page.locator("#result").getAttribute("data-json");
    const text = await page.locator("body").innerText();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, screenshotName), fullPage: true });
    return { result: JSON.parse(json), problems, text };
  } catch (e) {
    e.message += `\nproblems: ${problems.join("\n")}`;
    throw e;
  } finally {
    await page.close();
  }
}
