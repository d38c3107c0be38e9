// The demo's webhook feed, end to end: the page triggers rollouts, the simulator delivers
// signed webhook events to the demo server, which verifies them with the package; the feed
// shows type, time, sequence and "verified ✓". Chromium through playwright-core.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../browser/helpers.mjs";
import { startDemoServer } from "../../scripts/demo-server.mjs";

const OUT = fileURLToPath(new URL("../../test-output/e2e/", import.meta.url));
let demo;
let browser;

before(async () => {
  await mkdir(OUT, { recursive: true });
  demo = await startDemoServer({ port: 0, timeScale: 0.15, apiUrl: null });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

async function openDemo(t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.problems = problems;
  await page.goto(demo.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector("[data-testid=client-id]").value !== "");
  return page;
}

/** The feed, oldest first: [{type, sequence, verified, text}]. */
const feed = (page) => page.$$eval("[data-testid=webhook-event]", (els) => els.reverse().map((e) => ({
  type: e.dataset.type, sequence: Number(e.dataset.sequence), verified: e.dataset.verified,
  text: e.textContent, time: e.querySelector("time")?.dateTime,
})));

async function waitForFeed(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=webhook-event]").length >= n, n, { timeout: 20_000 });
  return feed(page);
}

test("a rollout's webhook events appear in the feed, verified, in sequence", async (t) => {
  const page = await openDemo(t);
  assert.equal(await page.getByTestId("webhook-empty").isVisible(), true);
  await page.getByTestId("branch").fill("main");
  await page.getByTestId("trigger").click();
  await page.waitForSelector("[data-testid=summary][data-done=true]", { timeout: 20_000 });
  const rolloutId = (await page.getByTestId("rollout-id").textContent()).trim();
  const events = await waitForFeed(page, 2);
  assert.deepEqual(events.map((e) => e.type), ["rollout.created", "rollout.completed"]);
  assert.deepEqual(events.map((e) => e.sequence), [1, 2]);
  for (const e of events) {
    assert.equal(e.verified, "true");
    assert.match(e.text, /verified ✓/);
    assert.ok(Number.isFinite(Date.parse(e.time)), e.time);
  }
  assert.match(events[1].text, /success/);
  assert.equal(await page.getByTestId("webhook-empty").isVisible(), false);
  // The feed's events are the rollout the page triggered.
  const server = await (await fetch(new URL("/demo/webhooks/feed", demo.url))).json();
  assert.ok(server.events.every((e) => e.rolloutId === rolloutId && e.verified === true));
  await page.screenshot({ path: `${OUT}webhooks-feed.png`, fullPage: true, animations: "disabled" });
  assert.deepEqual(page.problems, []);
});

test("an approval rollout adds awaiting-approval and resolved events, sequence continuing", async (t) => {
  const page = await openDemo(t);
  const before = (await (await fetch(new URL("/demo/webhooks/feed", demo.url))).json()).events.length;
  await page.getByTestId("branch").fill("needs-approval");
  await page.getByTestId("trigger").click();
  await page.getByTestId("approve").click({ timeout: 20_000 });
  await page.waitForSelector("[data-testid=summary][data-done=true]", { timeout: 20_000 });
  const server = await (async () => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const s = await (await fetch(new URL("/demo/webhooks/feed", demo.url))).json();
      if (s.events.length >= before + 4) return s;
    }
    assert.fail("the approval rollout's four events did not arrive");
  })();
  const mine = server.events.slice(before);
  assert.deepEqual(mine.map((e) => e.type), [
    "rollout.created", "rollout.awaiting_infra_approval", "rollout.infra_approval_resolved", "rollout.completed",
  ]);
  assert.deepEqual(mine.map((e) => e.sequence), [before + 1, before + 2, before + 3, before + 4]);
  assert.equal(mine[2].resolution, "approved");
  assert.ok(mine.every((e) => e.verified));
  // This page opened after the first test's events: it shows the whole feed too.
  const shown = await waitForFeed(page, before + 4);
  assert.ok(shown.slice(-4).every((e) => e.verified === "true"));
  assert.deepEqual(page.problems, []);
});
