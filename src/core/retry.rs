//! Retry policy: which failures are retried, how long to wait, and when to give up.
//!
//! Idempotent requests (token, GET) are retried on connection failures, timeouts, 408, 429 and
//! 5xx gateway/unavailable answers. A non-idempotent request (a rollout trigger) is retried only
//! when the answer proves nothing was done: 429, 503, or a connection refused before sending.

/// Default `maxRetries`.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// First backoff step, milliseconds.
pub const BACKOFF_BASE_MS: f64 = 500.0;
/// Largest backoff step, milliseconds.
pub const BACKOFF_CAP_MS: f64 = 8000.0;
/// A server-requested wait longer than this is not waited: the error is raised at once.
pub const MAX_RETRY_AFTER_MS: f64 = 60_000.0;

/// How an attempt failed before any answer arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The connection was refused: the request was certainly not sent.
    NotSent,
    /// The connection failed after (or possibly after) the request was sent.
    MaybeSent,
    /// The attempt ran past its time limit.
    Timeout,
    /// The caller aborted while the request was under way.
    Aborted,
    /// The caller had aborted before the request was sent.
    AbortedUnsent,
    /// The answer's body was larger than the limit.
    TooLarge,
    /// The transport reported something this version does not know (a bug): treated as
    /// possibly sent, never retried.
    Internal,
}

impl Failure {
    /// Every failure the JavaScript transport reports, by the name it uses (`js/runtime.js`,
    /// checked by a host test): the one table of transport outcomes.
    pub const TRANSPORT_NAMES: [(&'static str, Failure); 6] = [
        ("not_sent", Failure::NotSent),
        ("maybe_sent", Failure::MaybeSent),
        ("timeout", Failure::Timeout),
        ("aborted", Failure::Aborted),
        ("aborted_unsent", Failure::AbortedUnsent),
        ("too_large", Failure::TooLarge),
    ];

    /// The failure the transport named; `None` for a name it should never send.
    pub fn from_transport_name(name: &str) -> Option<Failure> {
        Self::TRANSPORT_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }

    /// The name in logger events (`AttemptEvent.failure`).
    pub fn name(self) -> &'static str {
        match self {
            Failure::NotSent => "connection_refused",
            Failure::MaybeSent => "connection_failed",
            Failure::Timeout => "timeout",
            Failure::Aborted | Failure::AbortedUnsent => "aborted",
            Failure::TooLarge => "body_too_large",
            Failure::Internal => "internal",
        }
    }
}

/// What happened to one attempt, as the policy sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// An answer with this status; `retry_after_ms` when the server asked for a wait.
    Status {
        /// HTTP status.
        status: u16,
        /// The server's requested wait (`Retry-After` / `retry-after-ms`), milliseconds.
        retry_after_ms: Option<f64>,
    },
    /// No answer.
    Failed(Failure),
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision {
    /// Use this answer (success or error) as the result.
    Finish,
    /// Wait this many milliseconds, then try again.
    RetryAfter(f64),
}

/// The retry settings of a client.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = exactly one attempt).
    pub max_retries: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
        }
    }
}

impl RetryPolicy {
    /// Decides after attempt number `retries_done + 1`. `random` is uniform in [0, 1) and
    /// drives the full jitter: the wait is `random × min(cap, base × 2^retries_done)`.
    pub fn decide(
        &self,
        idempotent: bool,
        retries_done: u32,
        outcome: Outcome,
        random: f64,
    ) -> Decision {
        if !is_retryable(idempotent, outcome) || retries_done >= self.max_retries {
            return Decision::Finish;
        }
        if let Outcome::Status {
            retry_after_ms: Some(ms),
            ..
        } = outcome
        {
            if ms > MAX_RETRY_AFTER_MS {
                return Decision::Finish;
            }
            return Decision::RetryAfter(ms.max(0.0));
        }
        Decision::RetryAfter(backoff_ms(retries_done, random))
    }
}

/// Full-jitter exponential backoff for the retry after `retries_done` retries.
pub fn backoff_ms(retries_done: u32, random: f64) -> f64 {
    let step = BACKOFF_BASE_MS * 2f64.powi(retries_done.min(30) as i32);
    random.clamp(0.0, 1.0) * step.min(BACKOFF_CAP_MS)
}

/// Whether an outcome may be retried at all.
pub fn is_retryable(idempotent: bool, outcome: Outcome) -> bool {
    match outcome {
        Outcome::Status { status, .. } if idempotent => {
            matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
        }
        Outcome::Status { status, .. } => matches!(status, 429 | 503),
        Outcome::Failed(Failure::NotSent) => true,
        Outcome::Failed(Failure::MaybeSent | Failure::Timeout) => idempotent,
        Outcome::Failed(
            Failure::Aborted | Failure::AbortedUnsent | Failure::TooLarge | Failure::Internal,
        ) => false,
    }
}

/// Whether a non-idempotent request that ended this way may have taken effect: a 408 or any
/// 5xx but 501 (not implemented) and 503 (refused before work), a failure after sending, or
/// an answer too large to read.
pub fn outcome_is_ambiguous(outcome: Outcome) -> bool {
    match outcome {
        Outcome::Status { status, .. } => {
            status == 408 || ((500..=599).contains(&status) && status != 501 && status != 503)
        }
        Outcome::Failed(f) => matches!(
            f,
            Failure::MaybeSent
                | Failure::Timeout
                | Failure::Aborted
                | Failure::TooLarge
                | Failure::Internal
        ),
    }
}

/// Parses `Retry-After` (delta-seconds or an HTTP date) or `retry-after-ms` into milliseconds
/// from `now_ms`. `retry-after-ms` wins when both are sent; nonsense yields `None`.
pub fn parse_retry_after(
    retry_after: Option<&str>,
    retry_after_ms: Option<&str>,
    now_ms: f64,
) -> Option<f64> {
    if let Some(ms) = retry_after_ms.and_then(|v| decimal(v.trim())) {
        return Some(ms);
    }
    let v = retry_after?.trim();
    if let Some(secs) = decimal(v) {
        return Some(secs * 1000.0);
    }
    http_date_ms(v).map(|at| (at - now_ms).max(0.0))
}

/// A non-negative decimal (`120`, `1.5`): digits, optionally a dot and more digits. Anything
/// else (signs, exponents, `NaN`, more than 15 integer digits) is `None`.
fn decimal(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 15 || !digits(int) || !digits(frac) || s.ends_with('.') {
        return None;
    }
    let mut v = 0f64;
    for b in int.bytes() {
        v = v * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in frac.bytes().take(9) {
        v += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    Some(v)
}

/// Parses an HTTP date in any of the three forms RFC 9110 §5.6.7 requires recipients to
/// accept — IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) — into epoch
/// milliseconds.
pub fn http_date_ms(v: &str) -> Option<f64> {
    let (day, mon, year, time) = match v.split_once(", ") {
        Some((_, rest)) => {
            let rest = rest.strip_suffix(" GMT")?;
            let (date, time) = rest.rsplit_once(' ')?;
            let parts: Vec<&str> = if date.contains('-') {
                date.split('-').collect()
            } else {
                date.split(' ').collect()
            };
            let [day, mon, year] = parts.as_slice() else {
                return None;
            };
            (*day, *mon, *year, time)
        }
        None => {
            // asctime: "Sun Nov  6 08:49:37 1994" (a single-digit day is space-padded).
            let parts: Vec<&str> = v.split(' ').filter(|p| !p.is_empty()).collect();
            let [_, mon, day, time, year] = parts.as_slice() else {
                return None;
            };
            if year.len() != 4 || day.len() > 2 {
                return None;
            }
            (*day, *mon, *year, *time)
        }
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == mon)? + 1;
    if !year.bytes().all(|b| b.is_ascii_digit()) || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut year: i64 = year.parse().ok()?;
    if year < 100 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let day: u32 = day.parse().ok()?;
    let iso = format!("{year:04}-{month:02}-{day:02}T{time}Z");
    crate::core::timestamp::Timestamp::parse(&iso)
        .ok()
        .map(|t| t.unix_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after_ms: None,
        }
    }

    #[test]
    fn idempotent_retries() {
        let p = RetryPolicy::default();
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(
                matches!(p.decide(true, 0, st(s), 0.5), Decision::RetryAfter(_)),
                "{s}"
            );
        }
        for s in [200, 400, 401, 403, 404, 409, 501] {
            assert_eq!(p.decide(true, 0, st(s), 0.5), Decision::Finish, "{s}");
        }
        for f in [Failure::NotSent, Failure::MaybeSent, Failure::Timeout] {
            assert!(matches!(
                p.decide(true, 0, Outcome::Failed(f), 0.5),
                Decision::RetryAfter(_)
            ));
        }
        assert_eq!(
            p.decide(true, 0, Outcome::Failed(Failure::Aborted), 0.5),
            Decision::Finish
        );
        assert_eq!(
            p.decide(true, 0, Outcome::Failed(Failure::TooLarge), 0.5),
            Decision::Finish
        );
    }

    #[test]
    fn non_idempotent_retries_only_when_nothing_was_done() {
        let p = RetryPolicy::default();
        for s in [429, 503] {
            assert!(matches!(
                p.decide(false, 0, st(s), 0.5),
                Decision::RetryAfter(_)
            ));
        }
        for s in [408, 500, 502, 504] {
            assert_eq!(p.decide(false, 0, st(s), 0.5), Decision::Finish, "{s}");
            assert!(outcome_is_ambiguous(st(s)));
        }
        assert!(matches!(
            p.decide(false, 0, Outcome::Failed(Failure::NotSent), 0.5),
            Decision::RetryAfter(_)
        ));
        for f in [Failure::MaybeSent, Failure::Timeout] {
            assert_eq!(
                p.decide(false, 0, Outcome::Failed(f), 0.5),
                Decision::Finish
            );
            assert!(outcome_is_ambiguous(Outcome::Failed(f)));
        }
        assert!(!outcome_is_ambiguous(st(503)));
        assert!(!outcome_is_ambiguous(st(501)));
        assert!(outcome_is_ambiguous(st(524)));
        assert!(outcome_is_ambiguous(Outcome::Failed(Failure::TooLarge)));
        assert!(!outcome_is_ambiguous(Outcome::Failed(
            Failure::AbortedUnsent
        )));
        assert!(!outcome_is_ambiguous(Outcome::Failed(Failure::NotSent)));
    }

    #[test]
    fn max_retries_bounds_attempts() {
        let p = RetryPolicy { max_retries: 0 };
        assert_eq!(p.decide(true, 0, st(503), 0.5), Decision::Finish);
        let p = RetryPolicy { max_retries: 2 };
        assert!(matches!(
            p.decide(true, 1, st(503), 0.5),
            Decision::RetryAfter(_)
        ));
        assert_eq!(p.decide(true, 2, st(503), 0.5), Decision::Finish);
    }

    #[test]
    fn backoff_is_full_jitter_exponential_capped() {
        assert_eq!(backoff_ms(0, 0.0), 0.0);
        assert_eq!(backoff_ms(0, 0.999_999_9).round(), 500.0);
        assert_eq!(backoff_ms(1, 0.5), 500.0);
        assert_eq!(backoff_ms(3, 1.0), 4000.0);
        assert_eq!(backoff_ms(4, 1.0), 8000.0);
        assert_eq!(backoff_ms(40, 1.0), 8000.0);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = RetryPolicy::default();
        let with = |ms| Outcome::Status {
            status: 429,
            retry_after_ms: Some(ms),
        };
        assert_eq!(
            p.decide(false, 0, with(2000.0), 0.1),
            Decision::RetryAfter(2000.0)
        );
        assert_eq!(
            p.decide(false, 0, with(60_000.0), 0.1),
            Decision::RetryAfter(60_000.0)
        );
        assert_eq!(p.decide(false, 0, with(61_000.0), 0.1), Decision::Finish);
    }

    #[test]
    fn retry_after_formats() {
        let now = http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(now, 784_111_777_000.0);
        assert_eq!(parse_retry_after(Some("3"), None, now), Some(3000.0));
        assert_eq!(parse_retry_after(Some(" 1.5 "), None, now), Some(1500.0));
        assert_eq!(
            parse_retry_after(Some("Sun, 06 Nov 1994 08:49:47 GMT"), None, now),
            Some(10_000.0)
        );
        assert_eq!(
            parse_retry_after(Some("Sunday, 06-Nov-94 08:49:47 GMT"), None, now),
            Some(10_000.0)
        );
        assert_eq!(
            parse_retry_after(Some("Sun, 06 Nov 1994 08:00:00 GMT"), None, now),
            Some(0.0)
        );
        assert_eq!(
            parse_retry_after(Some("Sun Nov  6 08:49:47 1994"), None, now),
            Some(10_000.0)
        );
        assert_eq!(
            parse_retry_after(Some("Sun Nov 16 08:49:37 1994"), None, now),
            Some(864_000_000.0)
        );
        assert_eq!(parse_retry_after(Some("5"), Some("250"), now), Some(250.0));
        for bad in [
            "",
            "-1",
            "soon",
            "NaN",
            "inf",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94",
            "Sun Nov +6 08:49:37 1994",
            "Sun Foo  6 08:49:37 1994",
            "Sun Nov  6 08:49:37",
        ] {
            assert_eq!(parse_retry_after(Some(bad), None, now), None, "{bad}");
        }
        assert_eq!(parse_retry_after(None, None, now), None);
    }
}
