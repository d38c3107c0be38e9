use super::*;
use crate::core::timestamp::Timestamp;

pub(crate) fn rollout(status: &str, build: &str, infra: &str) -> Rollout {
    let done = status == "completed";
    crate::core::cli::rollout(&serde_json::json!({
        "id": "roll_1", "status": status,
        "conclusion": if done { "success" } else { "pending" },
        "queued_at": "2026-03-18T09:00:00Z", "started_at": "2026-03-18T09:00:01Z",
        "completed_at": if done { serde_json::json!("2026-03-18T09:00:20Z") } else { serde_json::Value::Null },
        "build": {"id": "b", "status": build, "conclusion": if build == "completed" { "success" } else { "unknown" },
                  "started_at": "2026-03-18T09:00:01Z",
                  "completed_at": if build == "completed" { serde_json::json!("2026-03-18T09:00:05Z") } else { serde_json::Value::Null }},
        "infra": {"id": "i", "status": infra, "conclusion": if infra == "completed" { "success" } else { "unknown" }},
        "deploy": {"id": "d", "status": if done { "completed" } else { "queued" }, "conclusion": if done { "success" } else { "unknown" }},
    }))
    .unwrap()
}

fn at(s: &str) -> f64 {
    Timestamp::parse(s).unwrap().unix_millis()
}

fn line_mode() -> Output {
    Output::default()
}

#[test]
fn line_mode_prints_each_change_once_and_a_heartbeat_a_minute() {
    let mut v = View::new(&line_mode());
    let t0 = at("2026-03-18T09:00:02Z");
    let s = v.rollout(rollout("running", "running", "pending"), None, t0);
    assert_eq!(s, "roll_1  build running · 2s\n");
    assert_eq!(
        v.rollout(rollout("running", "running", "pending"), None, t0 + 5000.0),
        ""
    );
    assert_eq!(v.tick(t0 + 59_000.0), "");
    assert_eq!(
        v.tick(t0 + 60_000.0),
        "roll_1  still build running · 1m 2s\n"
    );
    assert_eq!(v.tick(t0 + 61_000.0), "");
    let s = v.rollout(
        rollout("running", "completed", "running"),
        None,
        t0 + 70_000.0,
    );
    assert_eq!(s, "roll_1  infra running · 1m 12s\n");
    // The heartbeat counts from the last line printed.
    assert_eq!(v.tick(t0 + 125_000.0), "");
    assert!(v
        .tick(t0 + 130_000.0)
        .starts_with("roll_1  still infra running"));
    assert_eq!(v.tick_ms(), LINE_TICK_MS);
}

#[test]
fn outside_a_terminal_nothing_has_ansi_codes() {
    let mut v = View::new(&line_mode());
    let mut all = v.line("hello", 0.0);
    all += &v.rollout(
        rollout("running", "completed", "proposed"),
        Some("https://l"),
        0.0,
    );
    all += &v.tick(1e9);
    all += &v.finish(1e9);
    assert!(!all.contains('\x1b'), "{all:?}");
    assert_eq!(all.matches("awaits approval").count(), 1, "{all}");
    assert!(all.contains("https://l"), "{all}");
}

#[test]
fn approval_is_said_once_and_as_a_warning_under_github() {
    let out = Output {
        github: true,
        ..Output::default()
    };
    let mut v = View::new(&out);
    let r = || rollout("running", "completed", "proposed");
    let s = v.rollout(r(), Some("https://l"), 0.0);
    assert_eq!(s, "roll_1  infra awaiting approval · 0s\n::warning title=Awaiting approval::the infrastructure change awaits approval in the dashboard: https://l (still waiting)\n");
    assert_eq!(v.rollout(r(), Some("https://l"), 1.0), "");
}

#[test]
fn the_live_view_redraws_in_place_with_one_line_per_phase() {
    let out = Output {
        live: true,
        color: true,
        ..Output::default()
    };
    let mut v = View::new(&out);
    let t = at("2026-03-18T09:00:07Z");
    let first = v.rollout(rollout("running", "completed", "running"), None, t);
    assert!(!first.contains("\x1b[4A"), "{first:?}");
    assert!(first.contains("build  success"), "{first:?}");
    assert!(first.contains("\x1b[32m✓\x1b[0m"), "{first:?}");
    assert_eq!(first.lines().count(), 4, "{first:?}");
    let again = v.tick(t + 1000.0);
    assert!(again.starts_with("\r\x1b[4A\x1b[J"), "{again:?}");
    assert!(again.contains("8s"), "{again:?}");
    // A line of its own goes above the view, which is drawn again under it.
    let note = v.line("note", t);
    assert!(note.starts_with("\r\x1b[4A\x1b[Jnote\n"), "{note:?}");
    assert_eq!(v.tick_ms(), LIVE_TICK_MS);
    let last = v.finish(t);
    assert!(last.starts_with("\r\x1b[4A\x1b[J"), "{last:?}");
    assert_eq!(v.tick(t), "");
    // Without colours, still a live view, but no colour codes.
    let mut plain = View::new(&Output {
        live: true,
        ..Output::default()
    });
    let s = plain.rollout(rollout("running", "running", "pending"), None, t);
    assert!(!s.contains("\x1b[3") && !s.contains("\x1b[0m"), "{s:?}");
}

#[test]
fn verbose_lines_are_grouped_under_github() {
    let out = Output {
        verbose: true,
        github: true,
        ..Output::default()
    };
    let mut v = View::new(&out);
    let ev = AttemptEvent {
        method: "GET",
        path: "/api/apps/a/rollouts/r".into(),
        attempt: 2,
        status: Some(503),
        failure: None,
        duration_ms: 12.4,
        retry_in_ms: Some(800.0),
    };
    let s = v.attempt(&ev, 0.0);
    assert_eq!(
        s,
        "::group::HTTP attempts\n  GET /api/apps/a/rollouts/r #2 → 503 in 12 ms, retry in 800 ms\n"
    );
    assert!(!v.attempt(&ev, 0.0).contains("::group::"));
    assert!(v.line("x", 0.0).starts_with("::endgroup::\nx\n"));
    assert_eq!(View::new(&Output::default()).attempt(&ev, 0.0), "");
}
