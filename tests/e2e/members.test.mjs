// End-to-end tests of the demo page's Members panel (www/members.js) against the simulator,
// in Debian's Chromium driven by playwright-core: list, invite, change role, revoke, the
// last-owner error, a client without the members scope, bad input, phone width, keyboard.
// Run: node --test tests/e2e/   Screenshots: test-output/e2e/members-*.png

import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../browser/helpers.mjs";
import { startDemoServer } from "../../scripts/demo-server.mjs";

const OUT = fileURLToPath(new URL("../../test-output/e2e/", import.meta.url));
const WAIT = 10_000;

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

beforeEach(() => demo.simulator.reset()); // every test starts from the app's first owner

/** A fresh page, package loaded, credentials prefilled; `page.problems` collects errors. */
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
  await page.waitForSelector("html[data-ready=true]", { timeout: WAIT });
  await page.waitForFunction(() => document.querySelector("[data-testid=client-id]").value !== "");
  await page.waitForSelector("[data-testid=members-refresh]:not([disabled])");
  return page;
}

const tid = (page, id) => page.getByTestId(id);
const text = async (locator) => (await locator.textContent()).trim();
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { testid: a?.dataset.testid ?? a?.tagName, email: a?.closest("[data-testid=member]")?.dataset.email ?? null };
});

/** The members as the panel shows them: [email, role, pending]. */
const shownMembers = (page) => page.$$eval("[data-testid=member]", (lis) =>
  lis.map((li) => [li.dataset.email, li.querySelector("[data-testid=member-role-badge]").textContent.trim(), li.dataset.pending === "true"]));

/** The members as the simulator has them. */
async function serverMembers(app = "my-app") {
  const tok = await (await demo.simulator.fetch(`${demo.url}api/oauth/token`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: "o2c_demo_client", client_secret: "demo-secret-do-not-use" }),
  })).json();
  const res = await demo.simulator.fetch(`${demo.url}api/apps/${app}/members`, { headers: { authorization: `Bearer ${tok.access_token}` } });
  return (await res.json()).map((m) => [m.email, m.role]);
}

const row = (page, email) => page.locator(`[data-testid=member][data-email="${email}"]`);

async function load(page) {
  await tid(page, "members-refresh").click();
  await tid(page, "member-list").waitFor({ state: "visible", timeout: WAIT });
}

async function invite(page, email, role) {
  await tid(page, "invite-email").fill(email);
  await tid(page, "invite-role").selectOption(role);
  await tid(page, "invite").click();
  await row(page, email).waitFor({ timeout: WAIT });
}

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: `${OUT}members-${name}.png`, fullPage, animations: "disabled" });
}

test("list: the owner has joined; an invitation shows as pending until it expires", async (t) => {
  const page = await openDemo(t);
  assert.equal(await tid(page, "member-list").isVisible(), false);
  assert.equal(await tid(page, "invite-form").isVisible(), false, "no invite form before an app is loaded");
  await load(page);
  assert.deepEqual(await shownMembers(page), [["owner@example.com", "owner", false]]);
  assert.match(await text(row(page, "owner@example.com").getByTestId("member-status")), /owner\s*Joined /);
  assert.equal(await text(tid(page, "members-announcer")), "1 member of my-app.");
  await invite(page, "dev@example.com", "writer");
  assert.deepEqual(await shownMembers(page), [["owner@example.com", "owner", false], ["dev@example.com", "writer", true]]);
  // Go's zero time (accepted, for an invitation) reached the page as null: "pending", no date.
  const status = await text(row(page, "dev@example.com").getByTestId("member-status"));
  assert.match(status, /Invitation pending · sent .+ · expires .+/);
  assert.doesNotMatch(status, /0001|Joined|Invalid/);
  assert.equal(await text(tid(page, "members-announcer")), "Invited dev@example.com as writer.");
  assert.equal(await tid(page, "invite-email").inputValue(), "", "the email field is cleared");
  assert.deepEqual(await focused(page), { testid: "invite-email", email: null });
  assert.deepEqual(await serverMembers(), [["owner@example.com", "owner"], ["dev@example.com", "writer"]]);
  assert.equal(await tid(page, "members-error").isVisible(), false);
  await tid(page, "members").scrollIntoViewIfNeeded();
  await shot(page, "1-list-invited");
  assert.deepEqual(page.problems, []);
});

test("change role from the keyboard: focus stays on the member's role, the live region says it", async (t) => {
  const page = await openDemo(t);
  await load(page);
  await invite(page, "dev@example.com", "reader");
  const select = row(page, "dev@example.com").getByTestId("member-role");
  const update = row(page, "dev@example.com").getByTestId("member-update");
  assert.equal(await update.isDisabled(), true, "nothing to change yet");
  await select.focus();
  await select.selectOption("owner"); // as the keyboard does: the select's value changes
  assert.equal(await update.isDisabled(), false);
  await page.keyboard.press("Tab");
  assert.deepEqual(await focused(page), { testid: "member-update", email: "dev@example.com" });
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector('[data-testid=member][data-email="dev@example.com"]')?.dataset.role === "owner",
    null, { timeout: WAIT });
  assert.deepEqual((await shownMembers(page)).map((m) => m.slice(0, 2)), [["owner@example.com", "owner"], ["dev@example.com", "owner"]]);
  assert.deepEqual(await serverMembers(), [["owner@example.com", "owner"], ["dev@example.com", "owner"]]);
  assert.equal(await text(tid(page, "members-announcer")), "dev@example.com is now owner.");
  assert.deepEqual(await focused(page), { testid: "member-role", email: "dev@example.com" }, "focus is not dropped on <body>");
  assert.deepEqual(page.problems, []);
});

test("revoke: Remove sends role none; the member is gone and focus moves on", async (t) => {
  const page = await openDemo(t);
  await load(page);
  await invite(page, "a@example.com", "reader");
  await invite(page, "b@example.com", "writer");
  await row(page, "a@example.com").getByTestId("member-revoke").focus();
  await page.keyboard.press("Enter");
  await row(page, "a@example.com").waitFor({ state: "detached", timeout: WAIT });
  assert.deepEqual((await shownMembers(page)).map((m) => m[0]), ["owner@example.com", "b@example.com"]);
  assert.deepEqual(await serverMembers(), [["owner@example.com", "owner"], ["b@example.com", "writer"]]);
  assert.equal(await text(tid(page, "members-announcer")), "Removed a@example.com from my-app.");
  assert.deepEqual(await focused(page), { testid: "member-revoke", email: "b@example.com" }, "focus on the next member's Remove");
  const put = demo.simulator.requests.filter((r) => r.method === "PUT" && r.path === "/api/apps/my-app/members");
  assert.equal(put.length, 1);
  assert.equal(put[0].status, 200);
  assert.deepEqual(page.problems, []);
});

test("the last owner cannot be removed or demoted: the package's EncoreApiError 409 is shown", async (t) => {
  const page = await openDemo(t);
  await load(page);
  await row(page, "owner@example.com").getByTestId("member-revoke").click();
  await tid(page, "members-error").waitFor({ state: "visible", timeout: WAIT });
  assert.equal(await text(tid(page, "members-error-class")), "EncoreApiError");
  assert.equal(await text(tid(page, "members-error-status")), "409");
  assert.match(await text(tid(page, "members-error-message")), /last owner/i);
  assert.equal(await tid(page, "members-error").getAttribute("role"), "alert");
  assert.deepEqual(await shownMembers(page), [["owner@example.com", "owner", false]], "still listed");
  assert.deepEqual(await focused(page), { testid: "member-revoke", email: "owner@example.com" });
  await tid(page, "members").scrollIntoViewIfNeeded();
  await shot(page, "2-last-owner");
  // Demoting is refused too; the select then shows the role as it is.
  await row(page, "owner@example.com").getByTestId("member-role").selectOption("reader");
  await row(page, "owner@example.com").getByTestId("member-update").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=members-error-status]").textContent === "409"
    && document.querySelector("[data-testid=member-role]").value === "owner", null, { timeout: WAIT });
  assert.deepEqual(await serverMembers(), [["owner@example.com", "owner"]]);
  // A successful call clears the error.
  await load(page);
  assert.equal(await tid(page, "members-error").isVisible(), false);
  assert.deepEqual(page.problems.filter((p) => !/409/.test(p)), []);
});

test("a client without the members scope gets EncoreApiError 403; bad input is refused before sending", async (t) => {
  const page = await openDemo(t);
  const deployer = demo.simulator.addClient({ scopes: ["rollouts"] });
  await tid(page, "client-id").fill(deployer.clientId);
  await tid(page, "client-secret").fill(deployer.clientSecret);
  await tid(page, "members-refresh").click();
  await tid(page, "members-error").waitFor({ state: "visible", timeout: WAIT });
  assert.equal(await text(tid(page, "members-error-class")), "EncoreApiError");
  assert.equal(await text(tid(page, "members-error-status")), "403");
  assert.equal(await text(tid(page, "members-error-code")), "permission_denied");
  assert.equal(await tid(page, "member-list").isVisible(), false);
  await tid(page, "members").scrollIntoViewIfNeeded();
  await shot(page, "3-forbidden");

  // Back to the demo client; an email the package refuses never reaches the API.
  await tid(page, "client-id").fill("o2c_demo_client");
  await tid(page, "client-secret").fill("demo-secret-do-not-use");
  await load(page);
  const before = demo.simulator.count("POST", "/api/apps/my-app/member");
  await tid(page, "invite-email").fill("not an email");
  await tid(page, "invite-email").press("Enter"); // keyboard submit
  await tid(page, "members-error").waitFor({ state: "visible", timeout: WAIT });
  assert.equal(await text(tid(page, "members-error-class")), "EncoreValidationError");
  assert.equal(await tid(page, "members-error-status").isVisible(), false);
  assert.equal(demo.simulator.count("POST", "/api/apps/my-app/member"), before, "nothing was sent");
  assert.deepEqual(await focused(page), { testid: "invite-email", email: null });
  assert.deepEqual(page.problems.filter((p) => !/403/.test(p)), []);
});

test("phone width: the panel fits without horizontal scrolling, long addresses wrap", async (t) => {
  const page = await openDemo(t, { viewport: { width: 375, height: 740 }, isMobile: true });
  await load(page);
  await invite(page, "a.very.long.address.for.testing.wrapping@subdomain.example.com", "reader");
  await invite(page, "dev@example.com", "writer");
  const o = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    wide: [...document.querySelectorAll("#members *")]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => e.tagName + (e.id ? `#${e.id}` : "") + (typeof e.className === "string" && e.className ? `.${e.className}` : ""))
      .slice(0, 5),
  }));
  assert.ok(o.scroll <= o.client, `page is ${o.scroll}px wide in a ${o.client}px viewport: ${o.wide.join(", ")}`);
  assert.deepEqual(o.wide, []);
  // Touch targets: every control of the panel is at least 40 px tall.
  const small = await page.$$eval("#members button, #members select, #members input", (els) =>
    els.filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 40).map((e) => e.dataset.testid ?? e.id));
  assert.deepEqual(small, []);
  // Every control has an accessible name.
  const unnamed = await page.$$eval("#members button, #members select, #members input", (els) => els
    .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.textContent.trim()))
    .map((e) => e.dataset.testid ?? e.id));
  assert.deepEqual(unnamed, []);
  await tid(page, "members").scrollIntoViewIfNeeded();
  await shot(page, "4-phone", false);
  await shot(page, "5-phone-full");
  // An error far below the button that caused it is brought into view.
  await row(page, "owner@example.com").getByTestId("member-revoke").scrollIntoViewIfNeeded();
  await row(page, "owner@example.com").getByTestId("member-revoke").click();
  await tid(page, "members-error").waitFor({ state: "visible", timeout: WAIT });
  await page.waitForFunction(() => {
    const r = document.querySelector("[data-testid=members-error]").getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight + 1;
  }, null, { timeout: 5_000 });
  await shot(page, "6-phone-error", false);
  assert.deepEqual(page.problems.filter((p) => !/409/.test(p)), []);
});
