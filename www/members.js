// The demo page's Members panel: list an app's members, invite someone, change a role, and
// revoke (role "none"), with the package's listMembers / inviteMember / updateMemberRole.
// The connection (base URL, credentials) is the rollout form's, through `clientOptions()`.

const $ = (id) => document.getElementById(id);

/** The roles a member can be given here; "none" is what Remove sends. */
const ROLES = ["owner", "writer", "reader"];

const dateFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** `Date` → short local date and time; `null` (never, or Go's zero time) → null. */
function when(d) {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? dateFmt.format(d) : null;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** Where a member stands: accepted (when), or invited and not yet accepted (until when). */
function standing(m) {
  if (m.accepted) return { pending: false, text: `Joined ${when(m.accepted)}` };
  const parts = ["Invitation pending"];
  if (m.invited) parts.push(`sent ${when(m.invited)}`);
  if (m.expires) parts.push(`expires ${when(m.expires)}`);
  return { pending: true, text: parts.join(" · ") };
}

/**
 * Wire the Members panel.
 * @param {{ pkg: typeof import("/pkg/index.browser.js"), clientOptions: () => object }} deps
 */
export function initMembers({ pkg, clientOptions }) {
  const els = {
    card: $("members"),
    load: $("members-load"),
    app: $("members-app"),
    refresh: $("members-refresh"),
    empty: $("members-empty"),
    list: $("member-list"),
    invite: $("invite-form"),
    email: $("invite-email"),
    role: $("invite-role"),
    inviteButton: $("invite"),
    error: $("members-error"),
    errorClass: $("members-error-class"),
    errorStatus: $("members-error-status"),
    errorCode: $("members-error-code"),
    errorMessage: $("members-error-message"),
    announcer: $("members-announcer"),
  };
  /** The app whose members are shown, and them (as the package returned them). */
  let shown = { appId: null, members: [] };
  let busy = false;

  function announce(message) {
    // The same text twice in a row would not be announced again: clear first.
    if (els.announcer.textContent === message) els.announcer.textContent = "";
    els.announcer.textContent = message;
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
    els.card.dataset.state = "error";
    // On a phone the message may be below the screen: bring it just into view.
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    els.error.scrollIntoView({ block: "nearest", behavior: smooth ? "smooth" : "auto" });
  }

  function clearError() {
    els.error.hidden = true;
  }

  function setBusy(on) {
    busy = on;
    els.card.setAttribute("aria-busy", String(on));
    els.refresh.disabled = on;
    els.inviteButton.disabled = on;
    for (const b of els.list.querySelectorAll("button, select")) b.disabled = on || (b.dataset.testid === "member-update" && !b.dataset.changed);
  }

  /** Run one call with a fresh client (the form's current connection); errors are shown. */
  async function withClient(work) {
    if (busy) return false;
    clearError();
    setBusy(true);
    let client = null;
    try {
      client = new pkg.EncoreClient(clientOptions());
      await work(client);
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      try {
        client?.free();
      } catch {
        // already freed
      }
      setBusy(false);
    }
  }

  function renderList() {
    const { members } = shown;
    els.empty.hidden = members.length > 0;
    els.empty.textContent = members.length ? "" : `No members in ${shown.appId}.`;
    els.list.hidden = members.length === 0;
    els.invite.hidden = shown.appId === null;
    els.list.setAttribute("aria-label", `Members of ${shown.appId}`);
    els.list.replaceChildren(...members.map((m, i) => memberRow(m, i)));
    els.card.dataset.state = "loaded";
  }

  function memberRow(m, i) {
    const s = standing(m);
    const id = `member-${i}`;
    const roles = ROLES.includes(m.role) ? ROLES : [...ROLES, m.role]; // unknown roles pass through
    const select = el("select", { id: `${id}-role`, "data-testid": "member-role", "aria-describedby": `${id}-email` },
      ...roles.map((r) => el("option", { value: r, selected: r === m.role, text: r })));
    const update = el("button", { type: "button", class: "ghost small", "data-testid": "member-update", disabled: true,
      "aria-describedby": `${id}-email`, text: "Change role" });
    const revoke = el("button", { type: "button", class: "danger small", "data-testid": "member-revoke",
      "aria-describedby": `${id}-email`, text: "Remove" });
    select.addEventListener("change", () => {
      const changed = select.value !== m.role;
      update.disabled = !changed || busy;
      if (changed) update.dataset.changed = "true";
      else delete update.dataset.changed;
    });
    update.addEventListener("click", () => changeRole(m, select.value));
    revoke.addEventListener("click", () => remove(m));
    const name = [m.full_name, m.username ? `@${m.username}` : ""].filter(Boolean).join(" · ");
    return el("li", { class: "member", "data-testid": "member", "data-email": m.email, "data-role": m.role, "data-pending": String(s.pending) },
      el("div", { class: "member-who" },
        el("span", { class: "avatar", "aria-hidden": "true", text: (m.full_name || m.email).trim().charAt(0).toUpperCase() }),
        el("div", { class: "member-id" },
          el("p", { class: "member-email", id: `${id}-email`, "data-testid": "member-email", text: m.email }),
          name ? el("p", { class: "member-name", text: name }) : null,
        ),
      ),
      el("p", { class: "member-status", "data-testid": "member-status" },
        el("span", { class: "role-badge", "data-role": m.role, "data-testid": "member-role-badge", text: m.role }),
        el("span", { class: s.pending ? "pending" : "joined", text: s.text }),
      ),
      el("div", { class: "member-actions" },
        el("label", { class: "visually-hidden", for: `${id}-role`, text: `Role of ${m.email}` }),
        select, update, revoke,
      ),
    );
  }

  /** Focus the control `testid` of the member `email` after a redraw, else `fallback`. */
  function refocus(email, testid, fallback) {
    const row = [...els.list.querySelectorAll("[data-testid=member]")].find((li) => li.dataset.email === email);
    (row?.querySelector(`[data-testid=${testid}]`) ?? fallback).focus();
  }

  async function load(appId = els.app.value.trim()) {
    let members = null;
    const ok = await withClient(async (client) => {
      members = await client.listMembers(appId);
    });
    if (!ok) return false;
    shown = { appId, members };
    renderList();
    return true;
  }

  async function changeRole(m, role) {
    const hadFocus = els.list.contains(document.activeElement);
    const ok = await withClient((client) => client.updateMemberRole(shown.appId, { email: m.email, role }));
    if (ok) {
      if (await load(shown.appId)) announce(`${m.email} is now ${role}.`);
    } else {
      renderList(); // the selects show the roles as they are; the error says why
      els.card.dataset.state = "error";
    }
    if (hadFocus) refocus(m.email, "member-role", els.refresh);
  }

  async function remove(m) {
    const rows = [...els.list.querySelectorAll("[data-testid=member]")];
    const at = rows.findIndex((li) => li.dataset.email === m.email);
    const next = rows[at + 1]?.dataset.email ?? rows[at - 1]?.dataset.email;
    const ok = await withClient((client) => client.updateMemberRole(shown.appId, { email: m.email, role: "none" }));
    if (ok && (await load(shown.appId))) {
      announce(`Removed ${m.email} from ${shown.appId}.`);
      refocus(next, "member-revoke", els.email);
    } else {
      refocus(m.email, "member-revoke", els.refresh); // still there (an error is shown)
    }
  }

  els.load.addEventListener("submit", async (event) => {
    event.preventDefault();
    const appId = els.app.value.trim();
    if (await load(appId)) {
      const n = shown.members.length;
      announce(`${n} member${n === 1 ? "" : "s"} of ${appId}.`);
    }
  });

  els.invite.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = els.email.value.trim();
    const role = els.role.value;
    let invited = null;
    const ok = await withClient(async (client) => {
      invited = await client.inviteMember(shown.appId, { email, role });
    });
    if (ok && (await load(shown.appId))) {
      els.email.value = "";
      announce(`Invited ${invited?.email ?? email} as ${invited?.role ?? role}.`);
    }
    els.email.focus();
  });

  els.refresh.disabled = false;
  return { load };
}
