// @ts-check
// Pure rollout progression: the state of a rollout at a given instant is
// computed from its creation time, its scenario and the decisions recorded
// on it (approve / reject / cancel). Nothing here reads a clock.
//
// Timeline (d = scaled phase durations, t0 = creation):
//   t0                      rollout queued; build queued
//   t0+queue                rollout running; build running
//   +build                  build completed (success, or failure in "build_failure")
//   then                    infra queued (or "proposed" in "infra_approval" until decided)
//   +handoff                infra running
//   +infra                  infra completed success; deploy queued
//   +handoff                deploy running
//   +deploy                 deploy completed success; rollout completed success
//
// Endings:
//   build_failure  build completed/failure → rollout completed/failure
//   rejected       infra completed/rejected at the rejection → rollout completed/failure
//   canceled       at the cancel instant (scenario "canceled": halfway through the
//                  build) the active phase becomes completed/canceled and the
//                  rollout completed/canceled
// Phases that never ran keep their initial status (infra "pending", deploy
// "queued"), all timestamps null, and conclusion "unknown" (API.md: a phase's
// conclusion is "unknown" until that phase is completed).

import { formatTimestamp } from "./ids.js";

/** Scenario names. */
export const SCENARIOS = Object.freeze(/** @type {const} */ (["success", "build_failure", "infra_approval", "canceled"]));

/**
 * @typedef {typeof SCENARIOS[number]} Scenario
 * @typedef {{ queue: number, build: number, handoff: number, infra: number, deploy: number }} PhaseDurations
 * @typedef {{ id: string, status: string, conclusion: string, queued_at: string | null,
 *   started_at: string | null, completed_at: string | null }} WirePhase
 * @typedef {{ id: string, status: "queued" | "running" | "completed",
 *   conclusion: "pending" | "canceled" | "failure" | "success", queued_at: string | null,
 *   started_at: string | null, completed_at: string | null,
 *   build: WirePhase, infra: WirePhase, deploy: WirePhase }} WireRollout
 */

/**
 * Default phase durations in ms, before `timeScale`.
 * @type {Readonly<PhaseDurations>}
 */
export const DEFAULT_PHASE_DURATIONS = Object.freeze({
  queue: 1000, build: 4000, handoff: 500, infra: 3000, deploy: 3000,
});

/**
 * @typedef {{ initial: string, proposed?: number | null, queued: number | null, started: number | null,
 *   completed: number | null, conclusion: string }} PlannedPhase
 * @typedef {{ rollout: { queued: number, started: number, end: number,
 *   conclusion: "pending" | "canceled" | "failure" | "success" },
 *   build: PlannedPhase, infra: PlannedPhase, deploy: PlannedPhase }} Plan
 * @typedef {{ createdAt: number, scenario: string, durations: Readonly<PhaseDurations>,
 *   decision?: {kind: "approve"|"reject", at: number} | null, canceledAt?: number | null }} Timed
 */

/**
 * The planned instants of every event, given decisions.
 * @param {Timed} r
 * @returns {Plan}
 */
export function plan(r) {
  const d = r.durations;
  const t0 = r.createdAt;
  const buildDone = t0 + d.queue + d.build;
  /** @type {Plan} */
  const p = {
    rollout: { queued: t0, started: t0 + d.queue, end: Infinity, conclusion: "pending" },
    build: { initial: "queued", queued: t0, started: t0 + d.queue, completed: buildDone,
      conclusion: "success" },
    infra: { initial: "pending", proposed: null, queued: null, started: null, completed: null, conclusion: "success" },
    deploy: { initial: "queued", queued: null, started: null, completed: null, conclusion: "success" },
  };
  let cancelAt = r.canceledAt ?? Infinity;
  if (r.scenario === "canceled") cancelAt = Math.min(cancelAt, t0 + d.queue + d.build / 2);

  if (r.scenario === "build_failure") {
    p.build.conclusion = "failure";
    p.rollout.end = buildDone;
    p.rollout.conclusion = "failure";
  } else {
    /** @type {number | null} */
    let infraQueued = buildDone;
    if (r.scenario === "infra_approval") {
      p.infra.proposed = buildDone;
      if (!r.decision) infraQueued = null;
      else if (r.decision.kind === "reject") {
        infraQueued = null;
        p.infra.completed = r.decision.at;
        p.infra.conclusion = "rejected";
        p.rollout.end = r.decision.at;
        p.rollout.conclusion = "failure";
      } else infraQueued = r.decision.at;
    }
    if (infraQueued !== null) {
      p.infra.queued = infraQueued;
      p.infra.started = infraQueued + d.handoff;
      p.infra.completed = p.infra.started + d.infra;
      p.deploy.queued = p.infra.completed;
      p.deploy.started = p.deploy.queued + d.handoff;
      p.deploy.completed = p.deploy.started + d.deploy;
      p.rollout.end = p.deploy.completed;
      p.rollout.conclusion = "success";
    }
  }
  if (cancelAt < p.rollout.end) {
    p.rollout.end = cancelAt;
    p.rollout.conclusion = "canceled";
  }
  return p;
}

/**
 * The wire view of one phase at instant `now`, the rollout ending at `end`.
 * @param {string} id
 * @param {PlannedPhase} ph
 * @param {number} now
 * @param {number} end
 * @returns {WirePhase}
 */
function phaseView(id, ph, now, end) {
  const cut = Math.min(now, end);
  /**
   * Whether an instant is set and reached.
   * @param {number | null | undefined} t
   * @returns {t is number}
   */
  const seen = (t) => typeof t === "number" && t <= cut;
  /** Instants (epoch ms) until formatted at the end. */
  const at = { queued_at: /** @type {number | null} */ (null), started_at: /** @type {number | null} */ (null),
    completed_at: /** @type {number | null} */ (null) };
  const v = { id, status: ph.initial, conclusion: "unknown" };
  let active = false;
  if (seen(ph.proposed)) { v.status = "proposed"; active = true; }
  if (seen(ph.queued)) { v.status = "queued"; at.queued_at = ph.queued; active = true; }
  if (seen(ph.started)) { v.status = "running"; at.started_at = ph.started; }
  if (seen(ph.completed)) {
    v.status = "completed";
    at.completed_at = ph.completed;
    v.conclusion = ph.conclusion;
  } else if (end <= now && active) {
    // The rollout ended while this phase was under way: it ends with it.
    v.status = "completed";
    v.conclusion = "canceled";
    at.completed_at = end;
  }
  return {
    ...v,
    queued_at: formatTimestamp(at.queued_at),
    started_at: formatTimestamp(at.started_at),
    completed_at: formatTimestamp(at.completed_at),
  };
}

/**
 * The wire representation of a rollout at instant `now`.
 * @param {Timed & { id: string, phaseIds: {build: string, infra: string, deploy: string} }} r
 * @param {number} now
 * @returns {WireRollout} Rollout as in API.md
 */
export function rolloutView(r, now) {
  const p = plan(r);
  const end = p.rollout.end;
  const cut = Math.min(now, end);
  const done = end <= now;
  const started = p.rollout.started <= cut;
  return {
    id: r.id,
    status: done ? "completed" : started ? "running" : "queued",
    conclusion: done ? p.rollout.conclusion : "pending",
    queued_at: formatTimestamp(p.rollout.queued),
    started_at: started ? formatTimestamp(p.rollout.started) : null,
    completed_at: done ? formatTimestamp(end) : null,
    build: phaseView(r.phaseIds.build, p.build, now, end),
    infra: phaseView(r.phaseIds.infra, p.infra, now, end),
    deploy: phaseView(r.phaseIds.deploy, p.deploy, now, end),
  };
}
