// The demo's webhook feed: the events the demo server received from the simulator and
// verified with the package (scripts/demo-server.mjs, GET /demo/webhooks/feed). Polls while the
// page is visible; nothing here verifies anything itself (the secret stays on the server).

const list = document.getElementById("webhook-feed");
const empty = document.getElementById("webhook-empty");
const note = document.getElementById("webhooks-note");
const POLL_MS = 700;
let after = 0;
let timer = null;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function row(e) {
  const li = document.createElement("li");
  li.className = "webhook-event";
  li.dataset.testid = "webhook-event";
  li.dataset.type = e.type ?? "";
  li.dataset.sequence = String(e.sequence);
  li.dataset.verified = String(e.verified);
  const cell = (cls, text, testid) => {
    const s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    if (testid) s.dataset.testid = testid;
    li.append(s);
    return s;
  };
  cell("wh-seq", `#${e.sequence}`, "webhook-sequence");
  cell("wh-type", e.verified ? e.type : "refused", "webhook-type");
  const time = cell("wh-time", "", "webhook-time");
  const t = document.createElement("time");
  t.dateTime = e.time;
  t.textContent = timeFormat.format(new Date(e.time));
  time.append(t);
  const detail = e.verified ? [e.resolution, e.type === "rollout.completed" ? e.conclusion : null].filter(Boolean).join(" · ") : e.code;
  cell("wh-detail", detail ?? "", "webhook-detail");
  cell(e.verified ? "wh-verified ok" : "wh-verified bad", e.verified ? "verified ✓" : "not verified ✗", "webhook-verified");
  return li;
}

async function poll() {
  timer = null;
  try {
    const res = await fetch(`/demo/webhooks/feed?after=${after}`, { cache: "no-store" });
    if (res.status === 404) {
      note.textContent = "The webhook feed needs the simulator (the demo server forwards to a real API).";
      return; // no more polling
    }
    const { events } = await res.json();
    for (const e of events) {
      list.prepend(row(e));
      after = Math.max(after, e.n);
    }
    empty.hidden = list.children.length > 0;
  } catch {
    // The server went away for a moment: try again at the next tick.
  }
  schedule();
}

function schedule() {
  if (timer === null && document.visibilityState !== "hidden") timer = setTimeout(poll, POLL_MS);
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") schedule();
});
poll();
