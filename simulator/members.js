// @ts-check
// App members (documented by the vendor beyond the reference; see API.md "Members"):
// invite (POST …/member), list (GET …/members), change role (PUT …/members; "none" removes).
//
// As the vendor's Go API sends them: every field is present; an unset `time.Time`
// (`invited` of a member who was never invited, `accepted` of an invitation not yet
// accepted, `expires` of an accepted membership) is Go's zero time `0001-01-01T00:00:00Z`;
// unset strings are "". Removing or demoting the last owner is a 409 whose details are
// "last_owner"; an unknown member is a 404.

import { SimulatorError } from "./errors.js";
import { formatTimestamp } from "./ids.js";

/** Member roles ("none" removes a member). */
export const MEMBER_ROLES = Object.freeze(/** @type {const} */ (["owner", "writer", "reader", "none"]));

/** Go's zero `time.Time`, as `encoding/json` writes it. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/** How long an invitation stays valid. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * @typedef {"owner" | "writer" | "reader" | "none"} MemberRole
 * @typedef {{ email: string, role: MemberRole, invited: string, accepted: string, expires: string,
 *   username: string, full_name: string, picture_url: string }} Member
 * @typedef {{ email: string, role: MemberRole, invited?: string | number | Date | null,
 *   accepted?: string | number | Date | null, expires?: string | number | Date | null,
 *   username?: string, full_name?: string, picture_url?: string }} MemberSpec
 */

/**
 * A time as the wire carries it: a Go timestamp, or the zero time when unset.
 * @param {string | number | Date | null | undefined} t
 * @returns {string}
 */
function wireTime(t) {
  if (t === null || t === undefined) return GO_ZERO_TIME;
  if (typeof t === "string") return t;
  const ms = t instanceof Date ? t.getTime() : t;
  if (!Number.isFinite(ms)) throw new TypeError("a member's time must be a timestamp string, epoch ms or a Date");
  return /** @type {string} */ (formatTimestamp(ms));
}

/**
 * Whether a string is an email address as the client checks it: one "@", no whitespace,
 * something on both sides.
 * @param {unknown} s
 * @returns {s is string}
 */
function isEmail(s) {
  return typeof s === "string" && /^[^@\s]+@[^@\s]+$/.test(s);
}

/**
 * A member given in the simulator's options, completed as the API would send it.
 * @param {MemberSpec} m
 * @returns {Member}
 */
export function normalizeMember(m) {
  if (!m || typeof m !== "object" || !isEmail(m.email)) throw new TypeError("each member needs an email address");
  if (!MEMBER_ROLES.includes(m.role) || m.role === "none") {
    throw new TypeError(`member ${m.email}: role must be "owner", "writer" or "reader"`);
  }
  for (const k of /** @type {const} */ (["username", "full_name", "picture_url"])) {
    if (m[k] !== undefined && typeof m[k] !== "string") throw new TypeError(`member ${m.email}: ${k} must be a string`);
  }
  return {
    email: m.email, role: m.role,
    invited: wireTime(m.invited), accepted: wireTime(m.accepted), expires: wireTime(m.expires),
    username: m.username ?? "", full_name: m.full_name ?? "", picture_url: m.picture_url ?? "",
  };
}

/**
 * Check an `{email, role}` request body.
 * @param {unknown} body
 * @returns {{ email: string, role: MemberRole }}
 */
function checkBody(body) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new SimulatorError("invalid_argument", "request body must be a JSON object");
  }
  const b = /** @type {Record<string, unknown>} */ (body);
  if (!isEmail(b.email)) throw new SimulatorError("invalid_argument", '"email" must be an email address');
  const role = /** @type {MemberRole} */ (b.role);
  if (!MEMBER_ROLES.includes(role)) {
    throw new SimulatorError("invalid_argument", `"role" must be one of ${MEMBER_ROLES.join(", ")}`);
  }
  return { email: b.email, role };
}

/**
 * Create the member store.
 * @param {{ clock: { now(): number }, apps: Record<string, { members?: MemberSpec[] }> }} options
 */
export function createMemberStore({ clock, apps }) {
  // Check the configured members now, so that a bad option fails createSimulator.
  /** @type {Map<string, Member[]>} */
  const configured = new Map();
  for (const [appId, cfg] of Object.entries(apps)) {
    if (cfg.members === undefined) continue;
    if (!Array.isArray(cfg.members)) throw new TypeError(`apps[${JSON.stringify(appId)}].members must be an array`);
    configured.set(appId, cfg.members.map(normalizeMember));
  }
  /** @type {Map<string, Member[]>} */
  let byApp = new Map();

  /**
   * The app's first members: the configured ones, or one owner who created the app
   * (never invited: `invited` and `expires` are the zero time).
   * @param {string} appId
   * @returns {Member[]}
   */
  function initial(appId) {
    const given = configured.get(appId);
    if (given) return given.map((m) => ({ ...m }));
    return [{
      email: "owner@example.com", role: "owner",
      invited: GO_ZERO_TIME, accepted: wireTime(clock.now()), expires: GO_ZERO_TIME,
      username: "demo-owner", full_name: "Demo Owner", picture_url: "",
    }];
  }

  /**
   * The live list of an app's members.
   * @param {string} appId
   * @returns {Member[]}
   */
  function members(appId) {
    let list = byApp.get(appId);
    if (!list) {
      list = initial(appId);
      byApp.set(appId, list);
    }
    return list;
  }

  /**
   * @param {Member[]} list
   * @param {string} email
   */
  const indexOf = (list, email) => list.findIndex((m) => m.email.toLowerCase() === email.toLowerCase());

  return {
    /**
     * All members of an app (copies).
     * @param {string} appId
     * @returns {Member[]}
     */
    list(appId) {
      return members(appId).map((m) => ({ ...m }));
    },

    /**
     * Invite someone: a member with `invited` now, `accepted` the zero time, `expires` in a
     * week. 400 for a bad body or role "none", 409 `already_exists` for a member.
     * @param {string} appId
     * @param {unknown} body `{email, role}`
     * @returns {Member}
     */
    invite(appId, body) {
      const { email, role } = checkBody(body);
      if (role === "none") throw new SimulatorError("invalid_argument", 'cannot invite with role "none"');
      const list = members(appId);
      if (indexOf(list, email) >= 0) throw new SimulatorError("already_exists", `${email} is already a member`);
      const now = clock.now();
      /** @type {Member} */
      const m = {
        email, role,
        invited: wireTime(now), accepted: GO_ZERO_TIME, expires: wireTime(now + INVITE_TTL_MS),
        username: "", full_name: "", picture_url: "",
      };
      list.push(m);
      return { ...m };
    },

    /**
     * Change a member's role; "none" removes them. 404 `not_found` for someone who is not a
     * member, 409 `aborted` with details "last_owner" when the only owner would be demoted
     * or removed.
     * @param {string} appId
     * @param {unknown} body `{email, role}`
     * @returns {Member} the member as changed (or as removed)
     */
    setRole(appId, body) {
      const { email, role } = checkBody(body);
      const list = members(appId);
      const i = indexOf(list, email);
      if (i < 0) throw new SimulatorError("not_found", `member not found: ${email}`);
      const m = list[i];
      if (m.role === "owner" && role !== "owner" && list.filter((x) => x.role === "owner").length === 1) {
        throw new SimulatorError("aborted", "an app must keep at least one owner", "last_owner");
      }
      m.role = role;
      if (role === "none") list.splice(i, 1);
      return { ...m };
    },

    /** Forget all changes (the configured members come back). */
    reset() {
      byApp = new Map();
    },
  };
}
