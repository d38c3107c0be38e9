// App members (documented by the vendor beyond the reference): invite, list,
// change role ("none" removes). Removing or demoting the last owner is a 409
// with details "last_owner".

import { SimulatorError } from "./errors.js";
import { formatTimestamp } from "./ids.js";

const ROLES = ["owner", "reader", "writer", "none"];
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Create the member store.
 * @param {{ clock: { now(): number }, apps: Record<string, {members?: object[]}> }} options
 */
export function createMemberStore({ clock, apps }) {
  let byApp = new Map();

  function initial(appId) {
    const given = apps[appId]?.members;
    if (given) return given.map((m) => ({ ...m }));
    return [{
      email: "owner@example.com", role: "owner",
      invited: null, accepted: formatTimestamp(clock.now()), expires: null,
      username: "demo-owner", full_name: "Demo Owner", picture_url: "",
    }];
  }

  function list(appId) {
    if (!byApp.has(appId)) byApp.set(appId, initial(appId));
    return byApp.get(appId);
  }

  function validate(body) {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new SimulatorError("invalid_argument", "request body must be a JSON object");
    }
    if (typeof body.email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(body.email)) {
      throw new SimulatorError("invalid_argument", "email must be an email address");
    }
    if (!ROLES.includes(body.role)) {
      throw new SimulatorError("invalid_argument", `role must be one of ${ROLES.join(", ")}`);
    }
  }

  return {
    /** All members of an app. */
    list(appId) {
      return list(appId).map((m) => ({ ...m }));
    },

    /** Invite a member; returns the Member. */
    invite(appId, body) {
      validate(body);
      if (body.role === "none") throw new SimulatorError("invalid_argument", 'cannot invite with role "none"');
      const members = list(appId);
      if (members.some((m) => m.email.toLowerCase() === body.email.toLowerCase())) {
        throw new SimulatorError("already_exists", `${body.email} is already a member`);
      }
      const now = clock.now();
      const m = {
        email: body.email, role: body.role,
        invited: formatTimestamp(now), accepted: null, expires: formatTimestamp(now + INVITE_TTL_MS),
        username: "", full_name: "", picture_url: "",
      };
      members.push(m);
      return { ...m };
    },

    /** Change a member's role ("none" removes them); returns the updated Member. */
    setRole(appId, body) {
      validate(body);
      const members = list(appId);
      const i = members.findIndex((m) => m.email.toLowerCase() === body.email.toLowerCase());
      if (i < 0) throw new SimulatorError("not_found", `${body.email} is not a member`);
      const m = members[i];
      if (m.role === "owner" && body.role !== "owner" &&
        members.filter((x) => x.role === "owner").length === 1) {
        throw new SimulatorError("aborted", "cannot remove the last owner", "last_owner");
      }
      m.role = body.role;
      if (body.role === "none") members.splice(i, 1);
      return { ...m };
    },

    /** Forget all changes. */
    reset() {
      byApp = new Map();
    },
  };
}
