// The demo page: trigger a rollout with the encore-cloud package and follow it live; the
// Members panel lives in members.js. Plain ES modules; the package is loaded from /pkg/
// (served by scripts/demo-server.mjs).

import { initMembers } from "./members.js";

const $ = (id) => document.getElementById(id);

const els = {
  form: $("rollout-form"),
  baseUrl: $("base-url"),
  clientId: $("client-id"),
  clientSecret: $("client-secret"),
  accessToken: $("access-token"),
  credentialsFields: $("credentials-fields"),
  tokenFields: $("token-fields"),
  appId: $("app-id"),
  envName: $("env-name"),
  branch: $("branch"),
  sha: $("sha"),
  branchField: $("branch-field"),
  shaField: $("sha-field"),
  skipTests: $("skip-tests"),
  forceRebuild: $("force-rebuild"),
  trigger: $("trigger"),
  stop: $("stop"),
  mode: $("mode"),
  result: $("result"),
  empty: $("empty"),
  body: $("rollout-body"),
  status: $("rollout-status"),
  conclusion: $("rollout-conclusion"),
  id: $("rollout-id"),
  target: $("rollout-target"),
  queued: $("rollout-queued"),
  started: $("rollout-started"),
  completed: $("rollout-completed"),
  total: $("rollout-total"),
  summary: $("summary"),
  announcer: $("announcer"),
  approval: $("approval"),
  approvalText: $("approval-text"),
  approvalError: $("approval-error"),
  approve: $("approve"),
  reject: $("reject"),
  error: $("error"),
  errorClass: $("error-class"),
  errorStatus: $("error-status"),
  errorCode: $("error-code"),
  errorMessage: $("error-message"),
};

const PHASES = [
  { key: "build", title: "Build" },
  { key: "infra", title: "Infrastructure" },
  { key: "deploy", title: "Deploy" },
];
const PHASE_NAME = { build: "build", infra: "infrastructure", deploy: "deploy" };

/** The package's exports, once loaded. */
let pkg = null;
/** `/__sim/config`, or `{simulator: false, ...}` in proxy mode, or null when unknown. */
let simConfig = null;
/** The rollout being shown: {client, appId, baseUrl, rollout, controller, done, deciding}. */
let run = null;
let ticker = null;

// ---------------------------------------------------------------- formatting

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function fmtTime(d) {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? timeFmt.format(d) : "—";
}

/**
 * A duration in the package's one format ("4s", "1m 12s", "2h 3m"): the page writes no
 * format of its own. The package formats durations in `summarizeRollout`, so this asks it
 * about a rollout that took exactly `ms` and keeps the duration part of its text.
 */
function fmtDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const start = new Date(0);
  const end = new Date(Math.max(0, ms));
  const phase = { id: "", status: "completed", conclusion: "success", queued_at: start, started_at: start, completed_at: end };
  const text = pkg.summarizeRollout({ ...phase, build: phase, infra: phase, deploy: phase }, end).text;
  return text.split(" · ")[1] ?? "—";
}

function between(a, b) {
  return a instanceof Date && b instanceof Date ? b.getTime() - a.getTime() : null;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** The visual state of a phase: what its icon and colour say. */
function phaseState(ph, rolloutDone) {
  if (ph.status === "completed") return ph.conclusion === "unknown" ? "done" : ph.conclusion;
  if (rolloutDone) return "skipped"; // the rollout ended before this phase ran
  if (ph.status === "running") return "running";
  if (ph.status === "proposed") return "proposed";
  if (ph.status === "queued" && ph.queued_at) return "queued";
  return "waiting";
}

const STATE_LABEL = {
  success: "Succeeded", failure: "Failed", rejected: "Rejected", canceled: "Canceled", done: "Completed",
  skipped: "Did not run", running: "Running", proposed: "Awaiting approval", queued: "Queued", waiting: "Waiting",
};

const ICONS = {
  success: "M5 12.5l4.5 4.5L19 7.5",
  failure: "M7 7l10 10M17 7L7 17",
  rejected: "M7 7l10 10M17 7L7 17",
  canceled: "M7 12h10",
  skipped: "M7 12h10",
  proposed: "M12 7v6M12 16.5v.5",
};

function phaseIcon(state) {
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "phase-icon");
  if (ICONS[state]) {
    const p = document.createElementNS(svgNS, "path");
    p.setAttribute("d", ICONS[state]);
    svg.append(p);
  }
  return svg;
}

// ---------------------------------------------------------------- rendering

function setBadge(node, value) {
  node.textContent = value ?? "—";
  node.dataset.value = value ?? "";
}

function renderPhase(li, spec, ph, rolloutDone, now) {
  const state = phaseState(ph, rolloutDone);
  li.dataset.status = ph.status;
  li.dataset.conclusion = ph.conclusion;
  li.dataset.state = state;
  const running = ph.status === "running" && !rolloutDone;
  const took = ph.completed_at ? between(ph.started_at ?? ph.queued_at, ph.completed_at)
    : running && ph.started_at ? now - ph.started_at.getTime() : null;
  const wait = between(ph.queued_at, ph.started_at);

  const times = el("dl", { class: "phase-times" },
    el("div", {}, el("dt", { text: "Started" }), el("dd", { "data-testid": `phase-${spec.key}-started`, text: fmtTime(ph.started_at) })),
    el("div", {}, el("dt", { text: "Completed" }), el("dd", { "data-testid": `phase-${spec.key}-completed`, text: fmtTime(ph.completed_at) })),
    el("div", {}, el("dt", { text: running ? "Running for" : "Duration" }), el("dd", { "data-testid": `phase-${spec.key}-duration`, text: fmtDuration(took) })),
    el("div", {}, el("dt", { text: "Queued for" }), el("dd", { text: fmtDuration(wait) })),
  );
  li.replaceChildren(
    el("div", { class: "phase-head" },
      el("span", { class: "phase-badge" }, phaseIcon(state)),
      el("div", {},
        el("h3", { text: spec.title }),
        el("p", { class: "phase-label", text: STATE_LABEL[state] ?? state }),
      ),
    ),
    el("p", { class: "phase-state" },
      el("span", { class: "kv" }, "status ", el("code", { "data-testid": `phase-${spec.key}-status`, text: ph.status })),
      el("span", { class: "kv" }, "conclusion ", el("code", { "data-testid": `phase-${spec.key}-conclusion`, text: ph.conclusion })),
    ),
    times,
  );
}

/** A number that only grows as a rollout advances (timestamps only ever appear). */
function progressKey(r) {
  let n = r.status === "completed" ? 1000 : 0;
  for (const o of [r, r.build, r.infra, r.deploy]) {
    for (const k of ["queued_at", "started_at", "completed_at"]) if (o[k]) n += 1;
  }
  if (r.infra.status === "proposed") n += 0.5;
  return n;
}

function render() {
  if (!run?.rollout) return;
  const r = run.rollout;
  const now = Date.now();
  const done = pkg.isRolloutDone(r);
  els.empty.hidden = true;
  els.body.hidden = false;
  els.result.dataset.state = done ? r.conclusion : "running";
  setBadge(els.status, r.status);
  setBadge(els.conclusion, r.conclusion);
  els.id.textContent = r.id;
  els.queued.textContent = fmtTime(r.queued_at);
  els.started.textContent = fmtTime(r.started_at);
  els.completed.textContent = fmtTime(r.completed_at);
  const summary = pkg.summarizeRollout(r, new Date(now));
  els.total.textContent = fmtDuration(summary.elapsedMs);
  els.summary.textContent = summary.text;
  els.summary.dataset.done = String(done);
  for (const spec of PHASES) {
    renderPhase(els.result.querySelector(`[data-phase="${spec.key}"]`), spec, r[spec.key], done, now);
  }
  renderApproval(r, done);
}

function renderApproval(r, done) {
  const proposed = !done && r.infra.status === "proposed";
  if (!proposed && !els.approval.hidden && els.approval.contains(document.activeElement)) {
    // Approve/Reject had focus and is going away: keep focus on the form's next control.
    (els.stop.hidden ? els.trigger : els.stop).focus();
  }
  els.approval.hidden = !proposed;
  if (!proposed) return;
  const canDecide = simConfig?.simulator !== false || !sameOrigin(run.baseUrl);
  els.approve.hidden = els.reject.hidden = !canDecide;
  els.approve.disabled = els.reject.disabled = run.deciding;
  els.approvalText.textContent = canDecide
    ? "The build succeeded and proposes an infrastructure change. Approve it to continue the rollout, or reject it to stop here."
    : "The build succeeded and proposes an infrastructure change. Approve or reject it in the Encore Cloud dashboard; this page follows the rollout meanwhile.";
}

// ---------------------------------------------------------------- announcements

/**
 * What the live region says about a rollout: its phase, status and conclusion, never the
 * elapsed time (the visible summary ticks every second; a live region must not).
 */
function announcement(r) {
  const s = pkg.summarizeRollout(r);
  const name = PHASE_NAME[s.phase] ?? s.phase;
  if (s.done) {
    const ph = s.phase ? r[s.phase] : null;
    const why = ph && s.conclusion !== "success" && ph.conclusion !== "success" ? `, ${name} ${ph.conclusion}` : "";
    return `Rollout finished: ${s.conclusion}${why}.`;
  }
  if (!s.phase) return `Rollout ${s.status}.`;
  if (s.phaseStatus === "proposed") return "Rollout: the infrastructure change awaits approval.";
  return `Rollout: ${name} ${s.phaseStatus}.`;
}

/** Says `message` to screen readers, unless it is what they were last told. */
function announce(message) {
  if (els.announcer.textContent !== message) els.announcer.textContent = message;
}

function showError(err) {
  const name = err?.constructor?.name && err.constructor.name !== "Object" ? err.constructor.name : err?.name ?? "Error";
  els.errorClass.textContent = name;
  els.errorStatus.textContent = typeof err?.status === "number" ? String(err.status) : "";
  els.errorStatus.hidden = typeof err?.status !== "number";
  els.errorCode.textContent = err?.code ? String(err.code) : "";
  els.errorCode.hidden = !err?.code;
  els.errorMessage.textContent = err?.message ?? String(err);
  els.error.hidden = false;
  if (!run?.rollout) els.empty.hidden = true;
  revealResult();
  els.result.dataset.state = run?.rollout && !pkg?.isRolloutDone(run.rollout) ? "interrupted" : "error";
}

function clearError() {
  els.error.hidden = true;
}

function resetResult() {
  els.body.hidden = true;
  els.empty.hidden = false;
  els.approval.hidden = true;
  els.approvalError.hidden = true;
  setBadge(els.status, null);
  setBadge(els.conclusion, null);
  els.result.dataset.state = "idle";
}

function setRunning(on) {
  // The control that has focus is about to be disabled (Trigger) or hidden (Stop): move focus
  // to its counterpart so keyboard and screen-reader users are not dropped on <body>.
  const lose = on ? els.trigger : els.stop;
  const hadFocus = document.activeElement === lose;
  els.trigger.disabled = on || !pkg;
  els.trigger.classList.toggle("busy", on);
  els.trigger.querySelector(".label").textContent = on ? "Rollout running…" : "Trigger rollout";
  els.stop.hidden = !on;
  if (hadFocus) (on ? els.stop : els.trigger).focus();
  els.result.setAttribute("aria-busy", String(on));
  clearInterval(ticker);
  ticker = on ? setInterval(render, 1000) : null;
}

// ---------------------------------------------------------------- actions

/** On a narrow screen the result card sits below the form: bring it into view. */
function revealResult() {
  const top = els.result.getBoundingClientRect().top;
  const stacked = top >= els.form.getBoundingClientRect().bottom; // one-column layout
  if (stacked && (top > window.innerHeight / 3 || top < 0)) {
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    els.result.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
  }
}

function sameOrigin(url) {
  try {
    return new URL(url).origin === location.origin;
  } catch {
    return false;
  }
}

function accept(rollout) {
  if (!run || (run.rollout && progressKey(rollout) < progressKey(run.rollout))) return;
  const first = !run.rollout;
  run.rollout = rollout;
  render();
  announce(announcement(rollout)); // only here: the 1 s ticker re-renders, it never announces
  if (first) revealResult();
}

async function onSubmit(event) {
  event.preventDefault();
  if (!pkg || run?.active) return;
  clearError();
  resetResult();
  const v = {
    baseUrl: els.baseUrl.value.trim(),
    auth: els.form.elements.auth.value,
    ref: els.form.elements.ref.value,
    appId: els.appId.value.trim(),
    envName: els.envName.value.trim(),
  };
  const request = v.ref === "sha" ? { sha: els.sha.value.trim() } : { branch: els.branch.value.trim() };
  if (els.skipTests.checked) request.skip_tests = true;
  if (els.forceRebuild.checked) request.force_rebuild = true;

  const controller = new AbortController();
  run = { client: null, appId: v.appId, baseUrl: v.baseUrl, rollout: null, controller, active: true, deciding: false };
  const mine = run;
  let outcome = null; // the error that ended the run, if any
  setRunning(true);
  els.target.textContent = `${v.appId} → ${v.envName} · ${request.sha !== undefined ? `sha ${request.sha}` : `branch ${request.branch}`}`;
  els.summary.textContent = "Triggering…";
  announce("Triggering rollout…");
  try {
    mine.client = new pkg.EncoreClient(clientOptions());
    const created = await mine.client.triggerRollout(v.appId, v.envName, request, { signal: controller.signal });
    accept(created);
    const final = await mine.client.waitForRollout(v.appId, created.id, {
      intervalMs: 1000,
      signal: controller.signal,
      onUpdate: (r) => { if (run === mine) accept(r); },
    });
    if (run === mine) accept(final);
  } catch (err) {
    if (run === mine) outcome = err;
  } finally {
    mine.active = false;
    if (run === mine) {
      setRunning(false);
      render(); // the last state, without the ticker; then what ended the run, on top of it
      if (els.approval.contains(document.activeElement)) els.trigger.focus();
      els.approval.hidden = true;
      if (outcome?.name === "AbortError") {
        els.summary.textContent = `Stopped following${mine.rollout ? ` · ${pkg.summarizeRollout(mine.rollout).text}` : ""}. The rollout goes on without this page.`;
        els.result.dataset.state = "stopped";
        announce("Stopped following the rollout. It goes on without this page.");
      } else if (outcome) {
        showError(outcome);
      }
    }
    try {
      mine.client?.free();
    } catch {
      // already freed
    }
  }
}

async function decide(kind) {
  const current = run;
  if (!current?.rollout || current.deciding) return;
  // Approve/Reject are disabled while the request runs and the panel then goes away: focus
  // must not fall back to <body> (see restoreFocus below).
  const hadFocus = els.approval.contains(document.activeElement);
  current.deciding = true;
  els.approvalError.hidden = true;
  renderApproval(current.rollout, false);
  const button = kind === "approve" ? els.approve : els.reject;
  const label = button.textContent;
  button.textContent = kind === "approve" ? "Approving…" : "Rejecting…";
  try {
    const base = current.baseUrl.replace(/\/+$/, "");
    const res = await fetch(`${base}/__sim/rollouts/${encodeURIComponent(current.rollout.id)}/${kind}`, { method: "POST" });
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      try {
        const body = await res.json();
        if (body?.message) message = `${res.status} ${body.code ?? ""} ${body.message}`.replace(/\s+/g, " ");
      } catch {
        // not JSON
      }
      throw new Error(message);
    }
    // Show the decision's effect now rather than at the next poll.
    if (current.active && current.client) {
      const fresh = await current.client.getRollout(current.appId, current.rollout.id).catch(() => null);
      if (fresh && run === current) accept(fresh);
    }
  } catch (err) {
    els.approvalError.textContent = `Could not ${kind}: ${err?.message ?? err}`;
    els.approvalError.hidden = false;
  } finally {
    button.textContent = label;
    current.deciding = false;
    if (run === current && current.rollout) renderApproval(current.rollout, pkg.isRolloutDone(current.rollout));
    restoreFocus(hadFocus, button);
  }
}

/** After the Approve/Reject request: focus the button again, or the form's next control. */
function restoreFocus(hadFocus, button) {
  const lost = !document.activeElement || document.activeElement === document.body;
  if (!hadFocus || !lost) return;
  const target = [button, els.stop, els.trigger].find((b) => b.offsetParent !== null && !b.disabled);
  target?.focus();
}

/** The client options the form describes (base URL and credentials); the Members panel uses them too. */
function clientOptions() {
  const options = { baseUrl: els.baseUrl.value.trim() };
  if (els.form.elements.auth.value === "token") {
    options.accessToken = els.accessToken.value.trim();
  } else {
    options.clientId = els.clientId.value.trim();
    options.clientSecret = els.clientSecret.value;
    // A client secret in a page is readable by anyone who opens it. The demo does this on
    // purpose, with the simulator's public credentials; real apps keep secrets on servers.
    options.dangerouslyAllowBrowser = true;
  }
  return options;
}

// ---------------------------------------------------------------- form behaviour

function syncToggles() {
  const token = els.form.elements.auth.value === "token";
  els.credentialsFields.hidden = token;
  els.tokenFields.hidden = !token;
  const sha = els.form.elements.ref.value === "sha";
  els.branchField.hidden = sha;
  els.shaField.hidden = !sha;
  syncChips();
}

function syncChips() {
  const branchMode = els.form.elements.ref.value === "branch";
  for (const chip of document.querySelectorAll(".chip[data-branch]")) {
    chip.setAttribute("aria-pressed", String(branchMode && chip.dataset.branch === els.branch.value.trim()));
  }
}

function wire() {
  els.form.addEventListener("submit", onSubmit);
  els.form.addEventListener("change", (e) => {
    if (e.target.name === "auth" || e.target.name === "ref") syncToggles();
  });
  els.branch.addEventListener("input", syncChips);
  els.stop.addEventListener("click", () => run?.controller.abort());
  els.approve.addEventListener("click", () => decide("approve"));
  els.reject.addEventListener("click", () => decide("reject"));
  for (const chip of document.querySelectorAll(".chip[data-branch]")) {
    chip.addEventListener("click", () => {
      els.form.elements.ref.value = "branch";
      els.branch.value = chip.dataset.branch;
      syncToggles();
    });
  }
  for (const btn of document.querySelectorAll("[data-reveal]")) {
    btn.addEventListener("click", () => {
      const input = $(btn.dataset.reveal);
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      btn.textContent = show ? "Hide" : "Show";
      btn.setAttribute("aria-pressed", String(show));
    });
  }
  syncToggles();
}

async function loadConfig() {
  try {
    const res = await fetch("/__sim/config", { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(String(res.status));
    simConfig = await res.json();
  } catch {
    simConfig = null;
  }
  if (simConfig?.simulator === false) {
    const host = simConfig.upstream ? new URL(simConfig.upstream).host : "the Encore API";
    els.mode.textContent = `Live API via proxy → ${host}`;
    els.mode.dataset.mode = "proxy";
    els.mode.title = "The demo server forwards /api/* to the real API; nothing is stored or logged.";
    $("scenario-hint").hidden = true; // branch scenarios exist only in the simulator
  } else if (simConfig?.demoClient) {
    els.mode.textContent = "Simulator";
    els.mode.dataset.mode = "simulator";
    els.mode.title = "The demo server simulates the Encore Cloud API.";
    if (!els.clientId.value) els.clientId.value = simConfig.demoClient.clientId ?? "";
    if (!els.clientSecret.value) els.clientSecret.value = simConfig.demoClient.clientSecret ?? "";
  } else {
    els.mode.textContent = "No simulator";
    els.mode.dataset.mode = "unknown";
  }
}

async function main() {
  if (!els.baseUrl.value) els.baseUrl.value = location.origin;
  wire();
  const configLoaded = loadConfig();
  try {
    pkg = await import("/pkg/index.browser.js");
  } catch (err) {
    await configLoaded;
    showError(Object.assign(new Error(`Could not load the encore-cloud package from /pkg/ (${err?.message ?? err}). Build it with: bash scripts/build.sh`), { name: "LoadError" }));
    els.errorClass.textContent = "LoadError";
    return;
  }
  await configLoaded;
  els.trigger.disabled = false;
  initMembers({ pkg, clientOptions });
  document.documentElement.dataset.ready = "true";
}

main();
