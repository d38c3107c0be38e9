//! Following a rollout: the polling loop of `waitForRollout` (interval that backs off gently
//! while nothing changes, an overall deadline) and a one-line summary of where a rollout stands.

use crate::core::client::{Client, Fetched};
use crate::core::env::{until_aborted, Env};
use crate::core::error::Error;
use crate::core::options::MAX_DELAY_MS;
use crate::core::resources::rollouts::Rollout;
use crate::core::resources::rollouts::RolloutStatus;

/// Default poll interval, milliseconds.
pub const DEFAULT_INTERVAL_MS: f64 = 5000.0;
/// No poll comes sooner than this after the previous one.
pub const MIN_INTERVAL_MS: f64 = 1000.0;
/// While nothing changes, the interval grows by this factor per poll…
pub const BACKOFF_FACTOR: f64 = 1.25;
/// …up to this multiple of the configured interval.
pub const MAX_BACKOFF_MULTIPLE: f64 = 3.0;

/// Settings of one wait.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaitSettings {
    /// Base interval (at least [`MIN_INTERVAL_MS`]).
    pub interval_ms: f64,
    /// Overall deadline from the start, if any (`deadlineMs`; every other `timeoutMs` is per
    /// attempt).
    pub deadline_ms: Option<f64>,
}

impl WaitSettings {
    /// Checks caller-supplied values.
    pub fn new(interval_ms: Option<f64>, deadline_ms: Option<f64>) -> Result<Self, Error> {
        let interval_ms = match interval_ms {
            None => DEFAULT_INTERVAL_MS,
            Some(v) if v.is_finite() && (0.0..=MAX_DELAY_MS).contains(&v) => v.max(MIN_INTERVAL_MS),
            Some(v) => {
                return Err(Error::validation(format!(
                    "intervalMs must be a number from 0 to 2147483647, got {}",
                    crate::core::error::num(v)
                )))
            }
        };
        let deadline_ms = deadline_ms
            .map(|v| crate::core::options::check_timeout("deadlineMs", v))
            .transpose()?;
        Ok(WaitSettings {
            interval_ms,
            deadline_ms,
        })
    }

    /// The wait after `unchanged` consecutive polls without a change.
    pub fn next_interval(&self, unchanged: u32) -> f64 {
        let grown = self.interval_ms * BACKOFF_FACTOR.powi(unchanged.min(64) as i32);
        // Both bounds are constants with MIN < MAX, so clamp cannot panic.
        grown
            .min(self.interval_ms * MAX_BACKOFF_MULTIPLE)
            .clamp(MIN_INTERVAL_MS, MAX_DELAY_MS)
    }
}

/// Polls until the rollout's status is `completed`; `on_update` sees every changed state
/// (the first one included) and is awaited before the next poll; its error ends the wait at
/// once. Resolves with the final state, whatever its conclusion.
pub async fn wait_for_rollout<E: Env, U>(
    client: &Client<E>,
    call: &E::Call,
    app_id: &str,
    rollout_id: &str,
    settings: WaitSettings,
    mut on_update: impl FnMut(&Fetched<Rollout, E::Json>) -> U,
) -> Result<Fetched<Rollout, E::Json>, Error>
where
    U: std::future::Future<Output = Result<(), Error>>,
{
    let start = client.env.now_ms();
    let mut last: Option<Rollout> = None;
    let mut unchanged = 0u32;
    // The deadline covers everything: polls in flight (with their retries) and waits.
    let deadline_error = |last: Option<&Rollout>| {
        let t = settings.deadline_ms.unwrap_or_default();
        let state = match last {
            Some(r) => format!(
                "; it was {} ({})",
                r.status,
                summarize(r, client.env.now_ms(), None).text
            ),
            None => String::new(),
        };
        let mut e = Error::timeout(format!(
            "rollout {rollout_id} did not complete within {} ms{state}",
            crate::core::error::num(t)
        ));
        e.code = Some("deadline_exceeded".into());
        e
    };
    let time_left = || {
        settings
            .deadline_ms
            .map(|t| start + t - client.env.now_ms())
    };
    loop {
        let poll = client.get_rollout(call, app_id, rollout_id);
        let r = match time_left() {
            None => poll.await?,
            Some(left) if left <= 0.0 => return Err(deadline_error(last.as_ref())),
            Some(left) => match until_aborted(poll, deadline(client, call, left)).await {
                Some(r) => r?,
                None => return Err(deadline_error(last.as_ref())),
            },
        };
        if last.as_ref() != Some(&r.value) {
            // Awaited before the next poll, but never past the caller's abort.
            match until_aborted(on_update(&r), client.env.aborted(call)).await {
                Some(done) => done?,
                None => return Err(Error::aborted()),
            }
            unchanged = 0;
        } else {
            unchanged += 1;
        }
        if is_done(&r.value) {
            return Ok(r);
        }
        let mut wait = settings.next_interval(unchanged);
        if let Some(left) = time_left() {
            if left <= 0.0 {
                return Err(deadline_error(Some(&r.value)));
            }
            wait = wait.min(left);
        }
        last = Some(r.value);
        client.env.sleep(call, wait).await?;
    }
}

/// Resolves after `ms` (never, if the call is aborted first: the abort then ends the poll
/// itself, with its own error).
async fn deadline<E: Env>(client: &Client<E>, call: &E::Call, ms: f64) {
    if client.env.sleep(call, ms.min(MAX_DELAY_MS)).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Whether the rollout finished (whatever its conclusion).
pub fn is_done(r: &Rollout) -> bool {
    status_is_done(r.status.as_str())
}

/// Whether a rollout with this wire status finished.
pub fn status_is_done(status: &str) -> bool {
    status == RolloutStatus::Completed.as_str()
}

/// The phases in order, as plain strings.
pub struct PhaseView<'a> {
    /// `build`, `infra` or `deploy`.
    pub name: &'static str,
    /// Status.
    pub status: &'a str,
    /// Conclusion.
    pub conclusion: &'a str,
    /// Start, epoch ms.
    pub started_ms: Option<f64>,
    /// End, epoch ms.
    pub completed_ms: Option<f64>,
}

/// Where a rollout stands, for people.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The phase that is current (the first not completed), or the last one that ran.
    pub phase: Option<&'static str>,
    /// That phase's status.
    pub phase_status: String,
    /// Milliseconds since the rollout was queued (until it completed, if it did).
    pub elapsed_ms: Option<f64>,
    /// Whether it finished.
    pub done: bool,
    /// One line: `build running · 1m 12s` or `success · 3m 2s`; while a phase awaits approval,
    /// where to approve it when the dashboard page is known.
    pub text: String,
    /// The environment's deploys page in the Encore dashboard, when known.
    pub dashboard_url: Option<String>,
}

/// The three phases of a rollout, in order.
pub fn phases(r: &Rollout) -> [PhaseView<'_>; 3] {
    let ms = |t: Option<crate::core::timestamp::Timestamp>| t.map(|t| t.unix_millis());
    [
        PhaseView {
            name: "build",
            status: r.build.status.as_str(),
            conclusion: r.build.conclusion.as_str(),
            started_ms: ms(r.build.started_at),
            completed_ms: ms(r.build.completed_at),
        },
        PhaseView {
            name: "infra",
            status: r.infra.status.as_str(),
            conclusion: r.infra.conclusion.as_str(),
            started_ms: ms(r.infra.started_at),
            completed_ms: ms(r.infra.completed_at),
        },
        PhaseView {
            name: "deploy",
            status: r.deploy.status.as_str(),
            conclusion: r.deploy.conclusion.as_str(),
            started_ms: ms(r.deploy.started_at),
            completed_ms: ms(r.deploy.completed_at),
        },
    ]
}

/// Summarises a rollout at clock time `now_ms`. `dashboard_url` is the environment's deploys
/// page ([`crate::core::resources::rollouts::dashboard_deploys_url`]) when the caller knows it:
/// an approval waits for a person there (the API has no approve call).
pub fn summarize(r: &Rollout, now_ms: f64, dashboard_url: Option<String>) -> Summary {
    let done = is_done(r);
    let ps = phases(r);
    let current = ps.iter().find(|p| p.status != "completed");
    let last_ran = ps
        .iter()
        .rev()
        .find(|p| p.started_ms.is_some() || p.status == "completed");
    let shown = if done { last_ran } else { current.or(last_ran) };
    let from = r.queued_at.or(r.started_at).map(|t| t.unix_millis());
    let to = if done {
        r.completed_at.map(|t| t.unix_millis()).unwrap_or(now_ms)
    } else {
        now_ms
    };
    let elapsed_ms = from.map(|f| (to - f).max(0.0));
    let head = if done {
        match shown {
            Some(p) if r.conclusion.as_str() != "success" && p.conclusion != "success" => {
                format!("{} · {} {}", r.conclusion, p.name, p.conclusion)
            }
            _ => r.conclusion.to_string(),
        }
    } else {
        match shown {
            Some(p) if p.status == "proposed" => format!("{} awaiting approval", p.name),
            Some(p) => format!("{} {}", p.name, p.status),
            None => r.status.to_string(),
        }
    };
    let awaiting = !done && shown.is_some_and(|p| p.status == "proposed");
    let mut text = match elapsed_ms {
        Some(ms) => format!("{head} · {}", format_duration(ms)),
        None => head,
    };
    if let Some(url) = dashboard_url.as_deref().filter(|_| awaiting) {
        text.push_str(" · approve at ");
        text.push_str(url);
    }
    Summary {
        phase: shown.map(|p| p.name),
        phase_status: shown.map(|p| p.status.to_owned()).unwrap_or_default(),
        elapsed_ms,
        done,
        text,
        dashboard_url,
    }
}

/// `4s`, `1m 12s`, `2h 3m`.
pub fn format_duration(ms: f64) -> String {
    let s = (ms / 1000.0).floor() as u64;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {}s", s / 60, s % 60),
        _ => format!("{}h {}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rollout(
        status: &str,
        conclusion: &str,
        b: (&str, &str),
        i: (&str, &str),
        d: (&str, &str),
    ) -> Rollout {
        let body = format!(
            r#"{{"id":"roll_1","status":"{status}","conclusion":"{conclusion}",
            "queued_at":"2026-03-18T09:00:00Z","started_at":"2026-03-18T09:00:01Z",
            "completed_at":{done},
            "build":{{"id":"b","status":"{}","conclusion":"{}","started_at":"2026-03-18T09:00:01Z"}},
            "infra":{{"id":"i","status":"{}","conclusion":"{}"}},
            "deploy":{{"id":"d","status":"{}","conclusion":"{}"}}}}"#,
            b.0,
            b.1,
            i.0,
            i.1,
            d.0,
            d.1,
            done = if status == "completed" {
                "\"2026-03-18T09:03:02Z\""
            } else {
                "null"
            }
        );
        <Rollout as crate::core::model::Field>::from_json(
            &serde_json::from_str::<serde_json::Value>(&body).unwrap(),
            &crate::core::model::Path::Root,
        )
        .unwrap()
    }

    fn at(s: &str) -> f64 {
        crate::core::timestamp::Timestamp::parse(s)
            .unwrap()
            .unix_millis()
    }

    #[test]
    fn summary_names_the_current_phase() {
        let r = rollout(
            "running",
            "pending",
            ("running", "unknown"),
            ("pending", "unknown"),
            ("queued", "unknown"),
        );
        let s = summarize(&r, at("2026-03-18T09:01:12Z"), None);
        assert_eq!(s.phase, Some("build"));
        assert_eq!(s.text, "build running · 1m 12s");
        assert!(!s.done);
        let r = rollout(
            "running",
            "pending",
            ("completed", "success"),
            ("proposed", "unknown"),
            ("queued", "unknown"),
        );
        assert_eq!(
            summarize(&r, at("2026-03-18T09:00:05Z"), None).text,
            "infra awaiting approval · 5s"
        );
        let url = "https://app.encore.dev/a/deploys/prod".to_owned();
        assert_eq!(
            summarize(&r, at("2026-03-18T09:00:05Z"), Some(url.clone())).text,
            "infra awaiting approval · 5s · approve at https://app.encore.dev/a/deploys/prod"
        );
        let running = rollout(
            "running",
            "pending",
            ("running", "unknown"),
            ("pending", "unknown"),
            ("queued", "unknown"),
        );
        let s = summarize(&running, at("2026-03-18T09:00:05Z"), Some(url.clone()));
        assert_eq!(
            s.text, "build running · 5s",
            "the link only while awaiting approval"
        );
        assert_eq!(s.dashboard_url, Some(url));
    }

    #[test]
    fn summary_of_finished_rollouts() {
        let r = rollout(
            "completed",
            "success",
            ("completed", "success"),
            ("completed", "success"),
            ("completed", "success"),
        );
        let s = summarize(&r, at("2026-03-18T12:00:00Z"), None);
        assert!(s.done);
        assert_eq!(s.text, "success · 3m 2s");
        let r = rollout(
            "completed",
            "failure",
            ("completed", "failure"),
            ("pending", "unknown"),
            ("queued", "unknown"),
        );
        assert_eq!(
            summarize(&r, 0.0, None).text,
            "failure · build failure · 3m 2s"
        );
        assert!(is_done(&r));
    }

    #[test]
    fn intervals_back_off_gently_and_never_below_a_second() {
        let s = WaitSettings::new(Some(10.0), None).unwrap();
        assert_eq!(s.interval_ms, 1000.0);
        let s = WaitSettings::new(None, None).unwrap();
        assert_eq!(s.next_interval(0), 5000.0);
        assert_eq!(s.next_interval(1), 6250.0);
        assert_eq!(s.next_interval(50), 15_000.0);
        assert!(WaitSettings::new(Some(-1.0), None).is_err());
        assert!(WaitSettings::new(Some(3e9), None).is_err());
        let s = WaitSettings::new(Some(MAX_DELAY_MS), None).unwrap();
        assert_eq!(s.next_interval(10), MAX_DELAY_MS);
        assert!(WaitSettings::new(None, Some(0.0)).is_err());
        assert_eq!(format_duration(7_384_000.0), "2h 3m");
    }
}
