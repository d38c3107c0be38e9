// End-to-end tests of the demo page (www/) served by scripts/demo-server.mjs, in Debian's
// Chromium driven by playwright-core. Run: node --test tests/e2e/
// Screenshots: test-output/e2e/*.png

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../browser/helpers.mjs";
import { startDemoServer } from "../../scripts/demo-server.mjs";

const OUT = fileURLToPath(new URL("../../test-output/e2e/", import.meta.url));
const TIME_SCALE = 0.15; // a success rollout takes ~1.8 s
const DONE_TIMEOUT = 15_000;

let demo;
let browser;

before(async () => {
  await mkdir(OUT, { recursive: true });
  demo = await startDemoServer({ port: 0, timeScale: TIME_SCALE, apiUrl: null });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

/** A fresh page on the demo, package loaded and credentials prefilled. */
async function openDemo(t, { viewport = { width: 1280, height: 900 }, isMobile = false } = {}) {
  const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile, deviceScaleFactor: isMobile ? 2 : 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  await page.goto(demo.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector("[data-testid=client-id]").value !== "");
  return page;
}

const tid = (page, id) => page.getByTestId(id);
const text = async (page, id) => (await tid(page, id).textContent()).trim();
const attr = (page, id, name) => tid(page, id).getAttribute(name);

async function trigger(page, branch) {
  await tid(page, "branch").fill(branch);
  await tid(page, "trigger").click();
}

async function waitDone(page) {
  await page.waitForSelector("[data-testid=summary][data-done=true]", { timeout: DONE_TIMEOUT });
  await page.waitForFunction(() => !document.querySelector("[data-testid=trigger]").disabled);
}

async function shot(page, name) {
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage: true, animations: "disabled" });
}

/** The data-testid (or tag) of the focused element. */
const focused = (page) => page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName);

/** The text of every live region on the page, in document order. */
const liveText = (page) => page.$$eval("[aria-live], [role=status], [role=log]",
  (els) => els.map((e) => e.textContent.trim()).join(" | "));

async function phase(page, key) {
  const li = tid(page, `phase-${key}`);
  return {
    status: await li.getAttribute("data-status"),
    conclusion: await li.getAttribute("data-conclusion"),
    state: await li.getAttribute("data-state"),
    started: await text(page, `phase-${key}-started`),
    completed: await text(page, `phase-${key}-completed`),
    duration: await text(page, `phase-${key}-duration`),
  };
}

test("the form starts with the documented defaults", async (t) => {
  const page = await openDemo(t);
  assert.equal(await tid(page, "base-url").inputValue(), new URL(demo.url).origin);
  assert.equal(await tid(page, "client-id").inputValue(), "o2c_demo_client");
  assert.equal(await tid(page, "client-secret").inputValue(), "demo-secret-do-not-use");
  assert.equal(await tid(page, "app-id").inputValue(), "my-app");
  assert.equal(await tid(page, "env-name").inputValue(), "prod");
  assert.equal(await tid(page, "branch").inputValue(), "main");
  assert.equal(await attr(page, "mode", "data-mode"), "simulator");
  for (const b of ["main", "fail-build", "needs-approval", "cancel-me"]) {
    assert.match(await text(page, "scenario-hint"), new RegExp(b));
  }
  assert.match(await text(page, "security-note"), /dangerouslyAllowBrowser: true/);
  assert.match(await text(page, "security-note"), /ENCORE_API_URL=https:\/\/api\.encore\.dev make demo/);
  // Every visible form control has an accessible name.
  const unnamed = await page.$$eval("input, button", (els) => els
    .filter((e) => e.offsetParent !== null || e.type === "radio")
    .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.textContent.trim()))
    .map((e) => e.id || e.outerHTML));
  assert.deepEqual(unnamed, []);
  // The live region exists from the start (so it is announced) and is empty.
  assert.equal(await tid(page, "announcer").getAttribute("role"), "status");
  assert.equal(await text(page, "announcer"), "");
  await shot(page, "0-initial");
  // The access-token toggle swaps the credential fields.
  await page.getByLabel("Access token", { exact: true }).first().check();
  assert.equal(await tid(page, "access-token").isVisible(), true);
  assert.equal(await tid(page, "client-secret").isVisible(), false);
  assert.deepEqual(page.problems, []);
});

test("keyboard focus follows Trigger → Stop → Trigger; the live region never ticks", async (t) => {
  const page = await openDemo(t);
  await tid(page, "branch").fill("needs-approval"); // pauses at the approval step: nothing else changes
  await tid(page, "trigger").focus();
  await page.keyboard.press("Enter");
  await tid(page, "stop").waitFor({ state: "visible" });
  assert.equal(await focused(page), "stop", "focus moves to Stop when Trigger is disabled");
  await tid(page, "approve").waitFor({ state: "visible", timeout: DONE_TIMEOUT });
  // The visible summary ticks every second; the live region only follows the rollout's state.
  const live = await liveText(page);
  assert.match(live, /approval/);
  assert.doesNotMatch(live, /\d+\s*(s|m|h)\b/, "no elapsed time in the live region");
  const summary = await text(page, "summary");
  await page.waitForTimeout(1200);
  await page.waitForFunction((s) => document.querySelector("[data-testid=summary]").textContent.trim() !== s,
    summary, { timeout: 5_000 }); // the visible summary has ticked meanwhile…
  assert.equal(await liveText(page), live, "…but the live region did not change: the state did not");
  assert.equal(await focused(page), "stop");
  // Approve from the keyboard: the panel goes away, focus stays on the form's next control.
  await tid(page, "approve").focus();
  await page.keyboard.press("Enter");
  await tid(page, "approval").waitFor({ state: "hidden", timeout: DONE_TIMEOUT });
  assert.equal(await focused(page), "stop", "focus moves to Stop when Approve goes away");
  await waitDone(page);
  assert.equal(await focused(page), "trigger", "focus returns to Trigger when Stop hides");
  assert.equal(await text(page, "announcer"), "Rollout finished: success.");
  assert.doesNotMatch(await liveText(page), /\d/);
  assert.deepEqual(page.problems, []);
});

test("Stop (keyboard) stops following and returns focus to Trigger", async (t) => {
  const page = await openDemo(t);
  await trigger(page, "needs-approval");
  await tid(page, "approve").waitFor({ state: "visible", timeout: DONE_TIMEOUT });
  await tid(page, "stop").focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("[data-testid=result][data-state=stopped]");
  assert.equal(await tid(page, "stop").isVisible(), false);
  assert.equal(await focused(page), "trigger");
  assert.match(await text(page, "announcer"), /Stopped following/);
  assert.deepEqual(page.problems, []);
});

test("a success rollout completes with all three phases succeeded (keyboard submit)", async (t) => {
  const page = await openDemo(t);
  await tid(page, "branch").fill("main");
  await tid(page, "branch").press("Enter"); // submitting from the keyboard
  await page.waitForSelector("[data-testid=trigger]:disabled");
  await page.waitForFunction(() => /^roll_/.test(document.querySelector("[data-testid=rollout-id]").textContent));
  await waitDone(page);
  assert.equal(await text(page, "rollout-status"), "completed");
  assert.equal(await text(page, "rollout-conclusion"), "success");
  assert.match(await text(page, "rollout-id"), /^roll_/);
  assert.match(await text(page, "summary"), /success/);
  for (const key of ["build", "infra", "deploy"]) {
    const p = await phase(page, key);
    assert.equal(p.status, "completed", key);
    assert.equal(p.conclusion, "success", key);
    assert.equal(p.state, "success", key);
    assert.notEqual(p.started, "—", key);
    assert.notEqual(p.completed, "—", key);
    assert.match(p.duration, /\d/, key);
  }
  assert.notEqual(await text(page, "rollout-total"), "—");
  // One duration format on the page, the package's (summarizeRollout: "4s", "1m 12s", "2h 3m").
  const FORMAT = /^(\d+s|\d+m \d+s|\d+h \d+m)$/;
  const durations = await page.$$eval(".phase-times dd, [data-testid=rollout-total]", (els) =>
    els.map((e) => e.textContent.trim()).filter((t) => !/:/.test(t))); // not the clock times
  assert.equal(durations.length, 7, durations.join());
  for (const d of durations) assert.match(d, FORMAT);
  assert.equal((await text(page, "summary")).split(" · ")[1], await text(page, "rollout-total"));
  assert.equal(await tid(page, "error").isVisible(), false);
  await shot(page, "1-success");
  assert.deepEqual(page.problems, []);
});

test("a fail-build rollout shows the build failure", async (t) => {
  const page = await openDemo(t);
  await trigger(page, "fail-build");
  await waitDone(page);
  assert.equal(await text(page, "rollout-status"), "completed");
  assert.equal(await text(page, "rollout-conclusion"), "failure");
  const build = await phase(page, "build");
  assert.equal(build.status, "completed");
  assert.equal(build.conclusion, "failure");
  assert.equal(build.state, "failure");
  assert.equal((await phase(page, "infra")).state, "skipped");
  assert.equal((await phase(page, "deploy")).state, "skipped");
  assert.match(await text(page, "summary"), /build failure/);
  await shot(page, "2-fail-build");
  assert.deepEqual(page.problems, []);
});

test("needs-approval: Approve continues the rollout to success", async (t) => {
  const page = await openDemo(t);
  await trigger(page, "needs-approval");
  await tid(page, "approve").waitFor({ state: "visible", timeout: DONE_TIMEOUT });
  assert.equal(await attr(page, "phase-infra", "data-status"), "proposed");
  assert.equal((await phase(page, "build")).conclusion, "success");
  await shot(page, "3a-awaiting-approval");
  await tid(page, "approve").click();
  await waitDone(page);
  assert.equal(await text(page, "rollout-conclusion"), "success");
  const infra = await phase(page, "infra");
  assert.equal(infra.status, "completed");
  assert.equal(infra.conclusion, "success");
  assert.equal((await phase(page, "deploy")).conclusion, "success");
  assert.equal(await tid(page, "approval").isVisible(), false);
  await shot(page, "3b-approved");
  assert.deepEqual(page.problems, []);
});

test("needs-approval: Reject ends the rollout as rejected / failure", async (t) => {
  const page = await openDemo(t);
  await trigger(page, "needs-approval");
  await tid(page, "reject").waitFor({ state: "visible", timeout: DONE_TIMEOUT });
  await tid(page, "reject").click();
  await waitDone(page);
  assert.equal(await text(page, "rollout-status"), "completed");
  assert.equal(await text(page, "rollout-conclusion"), "failure");
  const infra = await phase(page, "infra");
  assert.equal(infra.status, "completed");
  assert.equal(infra.conclusion, "rejected");
  assert.equal(infra.state, "rejected");
  assert.equal((await phase(page, "deploy")).state, "skipped");
  await shot(page, "4-rejected");
  assert.deepEqual(page.problems, []);
});

test("cancel-me: the rollout is canceled", async (t) => {
  const page = await openDemo(t);
  await trigger(page, "cancel-me");
  await waitDone(page);
  assert.equal(await text(page, "rollout-conclusion"), "canceled");
  assert.equal((await phase(page, "build")).conclusion, "canceled");
  await shot(page, "5-canceled");
  assert.deepEqual(page.problems, []);
});

test("a wrong client secret shows EncoreApiError 401 invalid_client", async (t) => {
  const page = await openDemo(t);
  await tid(page, "client-secret").fill("not-the-secret");
  await tid(page, "trigger").click();
  await tid(page, "error").waitFor({ state: "visible", timeout: DONE_TIMEOUT });
  assert.equal(await text(page, "error-class"), "EncoreApiError");
  assert.equal(await text(page, "error-status"), "401");
  assert.equal(await text(page, "error-code"), "invalid_client");
  await page.waitForFunction(() => !document.querySelector("[data-testid=trigger]").disabled);
  await shot(page, "6-invalid-client");
  // The browser logs the failed token request itself; nothing else may go wrong.
  assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
});

test("a phone-sized viewport renders without horizontal scrolling", async (t) => {
  const page = await openDemo(t, { viewport: { width: 375, height: 740 }, isMobile: true });
  const overflow = () => page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    wide: [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => e.tagName + (e.id ? `#${e.id}` : "") + (e.className && typeof e.className === "string" ? `.${e.className}` : ""))
      .slice(0, 5),
  }));
  let o = await overflow();
  assert.ok(o.scroll <= o.client, `page is ${o.scroll}px wide in a ${o.client}px viewport: ${o.wide.join(", ")}`);
  assert.deepEqual(o.wide, []);
  await page.screenshot({ path: `${OUT}7a-phone-form.png`, animations: "disabled" });
  await trigger(page, "needs-approval");
  await tid(page, "approve").waitFor({ state: "visible", timeout: DONE_TIMEOUT });
  o = await overflow();
  assert.ok(o.scroll <= o.client, `page is ${o.scroll}px wide in a ${o.client}px viewport: ${o.wide.join(", ")}`);
  assert.deepEqual(o.wide, []);
  await page.waitForFunction(() => { // the page scrolled the result card into view
    const r = document.querySelector("[data-testid=result]").getBoundingClientRect();
    return r.top >= -1 && r.top < window.innerHeight / 2;
  }, null, { timeout: 5_000 });
  await page.screenshot({ path: `${OUT}7b-phone-awaiting-approval.png`, animations: "disabled" });
  await tid(page, "approve").click();
  await waitDone(page);
  o = await overflow();
  assert.ok(o.scroll <= o.client, `page is ${o.scroll}px wide after completion: ${o.wide.join(", ")}`);
  await tid(page, "pipeline").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${OUT}7c-phone-success.png`, animations: "disabled" });
  await shot(page, "7d-phone-full");
  assert.deepEqual(page.problems, []);
});

test("with ENCORE_API_URL the page goes through the same-origin proxy", async (t) => {
  // A second demo server whose /api/* is forwarded to the first one's simulator.
  const proxied = await startDemoServer({ port: 0, apiUrl: demo.url });
  t.after(() => proxied.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(proxied.url);
  await page.waitForSelector("html[data-ready=true]");
  await page.waitForSelector("[data-testid=mode][data-mode=proxy]");
  assert.equal(await tid(page, "base-url").inputValue(), new URL(proxied.url).origin);
  assert.equal(await tid(page, "client-id").inputValue(), ""); // no demo credentials off the simulator
  const before = demo.simulator.count("POST", "/api/apps/");
  await tid(page, "client-id").fill("o2c_demo_client");
  await tid(page, "client-secret").fill("demo-secret-do-not-use");
  await trigger(page, "main");
  await waitDone(page);
  assert.equal(await text(page, "rollout-conclusion"), "success");
  assert.equal(demo.simulator.count("POST", "/api/apps/"), before + 1); // it went through the proxy
  await shot(page, "8-proxy");
});
