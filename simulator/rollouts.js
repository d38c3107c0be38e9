// The rollout store: creating rollouts, choosing their scenario, and the
// human decisions (approve / reject / cancel) that steer them.

import { SimulatorError } from "./errors.js";
import { randomId } from "./ids.js";
import { DEFAULT_PHASE_DURATIONS, SCENARIOS, rolloutView } from "./timeline.js";

/** Branch names that select a scenario when nothing else does. */
export const BRANCH_CONVENTIONS = Object.freeze({
  "fail-build": "build_failure",
  "needs-approval": "infra_approval",
  "cancel-me": "canceled",
});

function checkScenario(name, where) {
  if (!SCENARIOS.includes(name)) {
    throw new TypeError(`${where}: unknown scenario ${JSON.stringify(name)}; known: ${SCENARIOS.join(", ")}`);
  }
}

/**
 * Create the rollout store.
 * @param {{ clock: { now(): number }, apps: Record<string, {envs: string[], scenario?: string}>,
 *   timeScale?: number, phaseDurations?: Partial<typeof DEFAULT_PHASE_DURATIONS>,
 *   scenarios?: { byBranch?: Record<string, string> } }} options
 */
export function createRolloutStore({ clock, apps, timeScale = 1, phaseDurations = {}, scenarios = {} }) {
  if (typeof timeScale !== "number" || !(timeScale >= 0) || !Number.isFinite(timeScale)) {
    throw new TypeError("timeScale must be a finite number >= 0");
  }
  const durations = {};
  for (const [k, v] of Object.entries({ ...DEFAULT_PHASE_DURATIONS, ...phaseDurations })) {
    if (!(k in DEFAULT_PHASE_DURATIONS)) throw new TypeError(`unknown phase duration ${JSON.stringify(k)}`);
    if (typeof v !== "number" || !(v >= 0)) throw new TypeError(`phaseDurations.${k} must be a number >= 0`);
    durations[k] = v * timeScale;
  }
  const byBranch = scenarios.byBranch ?? {};
  for (const [branch, s] of Object.entries(byBranch)) checkScenario(s, `scenarios.byBranch[${JSON.stringify(branch)}]`);
  for (const [app, cfg] of Object.entries(apps)) {
    if (cfg.scenario !== undefined) checkScenario(cfg.scenario, `apps[${JSON.stringify(app)}].scenario`);
  }

  /** @type {Map<string, any>} */
  let rollouts = new Map();

  function scenarioFor(appId, branch) {
    if (branch !== undefined && Object.hasOwn(byBranch, branch)) return byBranch[branch];
    if (apps[appId]?.scenario) return apps[appId].scenario;
    if (branch !== undefined && Object.hasOwn(BRANCH_CONVENTIONS, branch)) return BRANCH_CONVENTIONS[branch];
    return "success";
  }

  function mustGet(id) {
    const r = rollouts.get(id);
    if (!r) throw new SimulatorError("not_found", `rollout ${JSON.stringify(id)} not found`);
    return r;
  }

  return {
    durations,

    /**
     * Create a rollout; returns its wire view.
     * @param {{ appId: string, envName: string, sha?: string, branch?: string }} t
     */
    create({ appId, envName, sha, branch }) {
      const r = {
        id: randomId("roll_"),
        appId,
        envName,
        sha,
        branch,
        scenario: scenarioFor(appId, branch),
        createdAt: clock.now(),
        durations,
        decision: null,
        canceledAt: null,
        phaseIds: { build: randomId("build_"), infra: randomId("infra_"), deploy: randomId("deploy_") },
      };
      rollouts.set(r.id, r);
      return rolloutView(r, clock.now());
    },

    /**
     * The current state of a rollout, or null (also null when it belongs to another app
     * and `appId` is given).
     * @param {string} id
     * @param {string} [appId]
     */
    get(id, appId) {
      const r = rollouts.get(id);
      if (!r || (appId !== undefined && r.appId !== appId)) return null;
      return rolloutView(r, clock.now());
    },

    /** Approve the proposed infra change. Throws SimulatorError (404 / 409). */
    approve(id) {
      return decide(id, "approve");
    },

    /** Reject the proposed infra change. Throws SimulatorError (404 / 409). */
    reject(id) {
      return decide(id, "reject");
    },

    /** Cancel a rollout that has not completed. Throws SimulatorError (404 / 409). */
    cancel(id) {
      const r = mustGet(id);
      const now = clock.now();
      if (rolloutView(r, now).status === "completed") {
        throw new SimulatorError("aborted", `rollout ${id} is already completed`);
      }
      r.canceledAt = now;
      return rolloutView(r, now);
    },

    /** Every rollout's record, for the webhook store (read-only use). */
    all() {
      return [...rollouts.values()];
    },

    /** Forget every rollout. */
    reset() {
      rollouts = new Map();
    },
  };

  function decide(id, kind) {
    const r = mustGet(id);
    const now = clock.now();
    const v = rolloutView(r, now);
    if (v.infra.status !== "proposed") {
      throw new SimulatorError("aborted",
        `rollout ${id} has no infrastructure change awaiting approval (infra status ${v.infra.status})`);
    }
    r.decision = { kind, at: now };
    return rolloutView(r, now);
  }
}
