//! The one error type of the client. Each kind becomes one JavaScript error class
//! (`EncoreApiError`, `EncoreConnectionError`, …) in the wasm layer.

use std::fmt;

/// What went wrong, coarsely: this picks the JavaScript error class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The server answered with a non-2xx status.
    Api,
    /// No answer: the connection failed or was dropped.
    Connection,
    /// An attempt took longer than `timeoutMs`.
    Timeout,
    /// A 2xx answer whose body is not the documented shape.
    Protocol,
    /// Bad arguments or configuration, found before any request was sent.
    Validation,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// The caller's `accessToken` function failed.
    TokenFunction,
    /// A webhook delivery to refuse (`code` says why).
    Webhook,
}

impl ErrorKind {
    /// Every kind: the one list of the package's error classes (`js/runtime.js`,
    /// `pkg-template/errors.d.ts` and `scripts/build.sh` are checked against it by
    /// `tests/shared_facts.rs`).
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::Api,
        ErrorKind::Connection,
        ErrorKind::Timeout,
        ErrorKind::Protocol,
        ErrorKind::Validation,
        ErrorKind::Aborted,
        ErrorKind::TokenFunction,
        ErrorKind::Webhook,
    ];

    /// The JavaScript class (`EncoreAbortError` for aborts, whose `name` is `AbortError`).
    pub fn js_class(self) -> &'static str {
        match self {
            ErrorKind::Aborted => "EncoreAbortError",
            other => other.class_name(),
        }
    }

    /// The JavaScript error's `name` (the class name, `AbortError` for aborts, as `fetch`).
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Api => "EncoreApiError",
            ErrorKind::Connection => "EncoreConnectionError",
            ErrorKind::Timeout => "EncoreTimeoutError",
            ErrorKind::Protocol => "EncoreProtocolError",
            ErrorKind::Validation => "EncoreValidationError",
            ErrorKind::Aborted => "AbortError",
            ErrorKind::TokenFunction => "EncoreError",
            ErrorKind::Webhook => "EncoreWebhookError",
        }
    }
}

/// An error with everything the caller may need; fields that do not apply are `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The kind (JavaScript class).
    pub kind: ErrorKind,
    /// A human message. Never contains a secret.
    pub message: String,
    /// HTTP status, for API and protocol errors.
    pub status: Option<u16>,
    /// A machine-readable code (`not_found`, `invalid_client`, …).
    pub code: Option<String>,
    /// The server's `details` as raw JSON text, parsed into a JS value by the wasm layer.
    pub details_json: Option<String>,
    /// Seconds the server asked us to wait (`Retry-After`), when it sent one.
    pub retry_after: Option<f64>,
    /// True when a non-idempotent request (a rollout trigger) may or may not have taken
    /// effect: a 500/502/504, a timeout or a connection dropped after sending.
    pub outcome_unknown: bool,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            status: None,
            code: None,
            details_json: None,
            retry_after: None,
            outcome_unknown: false,
        }
    }

    /// A bad argument or configuration.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }

    /// A 2xx body that is not the documented shape.
    pub fn protocol(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Protocol, message)
    }

    /// No usable connection.
    pub fn connection(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Connection, message)
    }

    /// An attempt ran out of time.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Timeout, message)
    }

    /// The caller's `accessToken` function threw, rejected or returned a non-string.
    pub fn token_function(why: &str) -> Self {
        let mut e = Self::new(
            ErrorKind::TokenFunction,
            format!("the accessToken function failed: {why}"),
        );
        e.code = Some("token_function_failed".into());
        e
    }

    /// The caller aborted.
    pub fn aborted() -> Self {
        Self::new(ErrorKind::Aborted, "the operation was aborted")
    }

    /// A non-2xx answer.
    pub fn api(status: u16, code: String, message: String, details_json: Option<String>) -> Self {
        Error {
            kind: ErrorKind::Api,
            message,
            status: Some(status),
            code: Some(code),
            details_json,
            retry_after: None,
            outcome_unknown: false,
        }
    }

    /// Marks the outcome as unknown and says so in the message, as a sentence of its own.
    pub fn outcome_unknown(mut self, note: &str) -> Self {
        let m = self.message.trim_end();
        let stop = if m.ends_with(['.', '!', '?']) {
            ""
        } else {
            "."
        };
        self.message = format!("{m}{stop} {}", note.trim_start());
        self.outcome_unknown = true;
        self
    }

    /// Replaces every occurrence of each secret (as is, percent- or form-encoded, or
    /// JSON-escaped) in the message, code and details with `[redacted]`. Applied to every
    /// error before it leaves the client.
    pub fn redact(mut self, secrets: &[&str]) -> Self {
        self.message = redact_text(&self.message, secrets);
        self.code = self.code.map(|c| redact_text(&c, secrets));
        self.details_json = self.details_json.map(|d| redact_text(&d, secrets));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.class_name(), self.message)
    }
}

impl std::error::Error for Error {}

/// Every form in which a secret may come back in an answer.
fn secret_forms(secret: &str) -> Vec<String> {
    let json = crate::core::json::json_string(secret);
    let json = json
        .get(1..json.len().saturating_sub(1))
        .unwrap_or_default()
        .to_owned();
    let mut forms = vec![
        secret.to_owned(),
        crate::core::url::percent_encode(secret, true),
        crate::core::url::percent_encode(secret, false),
        json,
    ];
    forms.sort();
    forms.dedup();
    forms
}

/// `text` with every form of every secret (4 characters or more) replaced by `[redacted]`.
pub fn redact_text(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        for form in secret_forms(secret) {
            if crate::core::text::find_str(&out, &form).is_some() {
                out = crate::core::text::replace_str(&out, &form, "[redacted]");
            }
        }
    }
    out
}

/// Blanks what follows credential markers (`client_secret=`, `"access_token":"`, `Bearer `)
/// in a snippet of an unknown body, so that a secret we do not know (or one cut by
/// truncation) is not shown either.
pub fn scrub_credentials(text: &str) -> String {
    const MARKERS: [&str; 6] = [
        "client_secret=",
        "access_token=",
        "\"client_secret\":\"",
        "\"access_token\":\"",
        "Bearer ",
        "bearer ",
    ];
    let stop =
        |c: char| c.is_ascii_whitespace() || matches!(c, '&' | '"' | '\'' | '<' | '>' | ',' | ';');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, marker)) = MARKERS
        .iter()
        .filter_map(|m| crate::core::text::find_str(rest, m).map(|i| (i, *m)))
        .min_by_key(|(i, _)| *i)
    {
        let after = at + marker.len();
        out.push_str(rest.get(..after).unwrap_or_default());
        let tail = rest.get(after..).unwrap_or_default();
        let end = tail.find(stop).unwrap_or(tail.len());
        if end > 0 {
            out.push_str("[redacted]");
        }
        rest = tail.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// `s` in double quotes for a message: quotes, backslashes and control characters escaped,
/// at most 100 characters shown (cheaper than `{:?}`, which brings Unicode tables along).
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(100) + 2);
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        if i == 100 {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_ascii_control() => out.push('?'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number for a message, without pulling float formatting into the wasm module.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let whole = v.trunc();
    let frac = ((v - whole).abs() * 1000.0).round() as u32;
    let sign = if v < 0.0 && whole == 0.0 { "-" } else { "" };
    if frac == 0 || frac == 1000 {
        format!("{sign}{}", v.round() as i64)
    } else {
        format!(
            "{sign}{}.{}",
            whole as i64,
            format!("{frac:03}").trim_end_matches('0')
        )
    }
}

/// The code for an HTTP status, for answers whose body names none. The simulator's
/// `codeForStatus` (`simulator/errors.js`) follows the same table; `tests/shared_facts.rs`
/// compares the two for every status.
pub fn code_for_status(status: u16) -> &'static str {
    match status {
        400 => "invalid_argument",
        401 => "unauthenticated",
        403 => "permission_denied",
        404 => "not_found",
        409 => "aborted",
        429 => "resource_exhausted",
        499 => "canceled",
        500 => "internal",
        501 => "unimplemented",
        504 => "deadline_exceeded",
        502 | 503 | 505..=599 => "unavailable",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_covers_message_code_and_details() {
        let e = Error::api(
            401,
            "tok_secret_1".into(),
            "bad token tok_secret_1".into(),
            Some("{\"t\":\"tok_secret_1\"}".into()),
        )
        .redact(&["tok_secret_1"]);
        let all = format!("{e:?}");
        assert!(!all.contains("tok_secret_1"), "{all}");
        assert!(e.message.contains("[redacted]"));
    }

    #[test]
    fn unknown_outcomes_are_flagged_and_punctuated() {
        let e = Error::api(500, "internal".into(), "database unavailable".into(), None)
            .outcome_unknown("It may have happened.");
        assert_eq!(e.message, "database unavailable. It may have happened.");
        assert!(e.outcome_unknown);
        let e = Error::connection("failed.").outcome_unknown(" It may have happened.");
        assert_eq!(e.message, "failed. It may have happened.");
    }

    #[test]
    fn encoded_secrets_are_redacted_too() {
        let secret = "s3cr3t/Key+with=base64 \"q\"";
        let text = format!(
            "raw {secret} form {} path {} json {}",
            crate::core::url::percent_encode(secret, true),
            crate::core::url::percent_encode(secret, false),
            crate::core::json::json_string(secret)
        );
        let out = redact_text(&text, &[secret]);
        assert!(!out.contains("s3cr3t"), "{out}");
        assert_eq!(out.matches("[redacted]").count(), 4, "{out}");
    }

    #[test]
    fn credential_markers_are_scrubbed() {
        assert_eq!(
            scrub_credentials("a=1&client_secret=Zq81AB&b=2 Bearer tok.en-1 end"),
            "a=1&client_secret=[redacted]&b=2 Bearer [redacted] end"
        );
        assert_eq!(
            scrub_credentials(r#"{"access_token":"abc","x":1}"#),
            r#"{"access_token":"[redacted]","x":1}"#
        );
        assert_eq!(
            scrub_credentials("cut client_secret=Zq8"),
            "cut client_secret=[redacted]"
        );
        assert_eq!(scrub_credentials("nothing here"), "nothing here");
    }

    #[test]
    fn quoting_for_messages() {
        assert_eq!(quoted("a\"b\\c\n"), "\"a\\\"b\\\\c?\"");
        assert_eq!(quoted("prød"), "\"prød\"");
        assert_eq!(quoted(&"x".repeat(200)).chars().count(), 103);
    }

    #[test]
    fn numbers_for_messages() {
        assert_eq!(num(5.0), "5");
        assert_eq!(num(-1.0), "-1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(-0.25), "-0.25");
        assert_eq!(num(f64::NAN), "NaN");
        assert_eq!(num(f64::INFINITY), "Infinity");
    }

    #[test]
    fn status_codes_follow_encore() {
        assert_eq!(code_for_status(404), "not_found");
        assert_eq!(code_for_status(503), "unavailable");
        assert_eq!(code_for_status(500), "internal");
        assert_eq!(code_for_status(418), "unknown");
        assert_eq!(code_for_status(502), "unavailable");
        assert_eq!(code_for_status(524), "unavailable");
        assert_eq!(code_for_status(302), "unknown");
    }
}
