//! How a command ended: the outcome word, the exit code, and for errors what to do about them.

use crate::core::progress;
use crate::core::resources::rollouts::Rollout;

/// The rollout succeeded; or it was triggered with `--no-wait`; or `status` printed it.
pub const EXIT_OK: i32 = 0;
/// The rollout failed (build, infra or deploy failure).
pub const EXIT_FAILED: i32 = 1;
/// Usage or configuration error, found before any request.
pub const EXIT_USAGE: i32 = 2;
/// Authentication or permission (401, 403).
pub const EXIT_AUTH: i32 = 3;
/// Not found, or input the API rejected (404, `validation`, `invalid_argument`).
pub const EXIT_REJECTED_INPUT: i32 = 4;
/// The rollout was canceled, or its infrastructure change rejected.
pub const EXIT_CANCELED: i32 = 5;
/// The API could not be reached, or a trigger's outcome is unknown.
pub const EXIT_UNREACHABLE: i32 = 6;
/// `--timeout` passed; the rollout goes on.
pub const EXIT_TIMEOUT: i32 = 124;
/// Interrupted (Ctrl-C, SIGTERM); the rollout goes on.
pub const EXIT_INTERRUPTED: i32 = 130;

/// The `outcome` of the JSON result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The rollout (or the command) succeeded.
    Success,
    /// The rollout failed.
    Failure,
    /// The rollout was canceled.
    Canceled,
    /// Its infrastructure change was rejected.
    Rejected,
    /// It is still under way (`--no-wait`, `rollout status`).
    Running,
    /// `--timeout` passed first.
    Timeout,
    /// The command failed before it knew (usage, auth, network, interrupt …).
    Error,
}

impl Outcome {
    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Canceled => "canceled",
            Outcome::Rejected => "rejected",
            Outcome::Running => "running",
            Outcome::Timeout => "timeout",
            Outcome::Error => "error",
        }
    }
}

/// Where a rollout stands, as an outcome and the exit code of a command that waited for it.
pub fn of_rollout(r: &Rollout) -> (Outcome, i32) {
    if !progress::is_done(r) {
        return (Outcome::Running, EXIT_OK);
    }
    match (r.conclusion.as_str(), r.infra.conclusion.as_str()) {
        ("success", _) => (Outcome::Success, EXIT_OK),
        (_, "rejected") => (Outcome::Rejected, EXIT_CANCELED),
        ("canceled", _) => (Outcome::Canceled, EXIT_CANCELED),
        _ => (Outcome::Failure, EXIT_FAILED),
    }
}

/// An error as the client raised it (read from the JavaScript error by the wasm layer).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Failure {
    /// `EncoreApiError`, `EncoreConnectionError`, `AbortError`, …
    pub name: String,
    /// Its message (never a secret: the client redacts).
    pub message: String,
    /// Its code (`not_found`, `validation`, `deadline_exceeded`, …).
    pub code: Option<String>,
    /// The HTTP status, for API errors.
    pub status: Option<u16>,
    /// Whether a trigger may or may not have taken effect.
    pub outcome_unknown: bool,
    /// `details.field` of an Encore `validation` error (`commit`, `branch`, `env`).
    pub field: Option<String>,
}

/// What the command was doing when it failed, for the advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading flags and environment; nothing sent.
    Setup,
    /// Asking for a token.
    Token,
    /// Triggering a rollout.
    Trigger,
    /// Reading a rollout once.
    Status,
    /// Following a rollout.
    Wait,
    /// A members call.
    Members,
    /// Verifying a webhook delivery.
    Webhook,
}

/// What the advice may mention.
#[derive(Clone, Debug, Default)]
pub struct Context<'a> {
    /// The app.
    pub app: &'a str,
    /// The environment, when known.
    pub env: Option<&'a str>,
    /// `commit abc…` or `branch main`, for a deploy.
    pub sha: Option<&'a str>,
    /// The branch of a deploy.
    pub branch: Option<&'a str>,
    /// Whether the credentials are a static token (else an OAuth client).
    pub static_token: bool,
    /// The `rollout wait` command that resumes, once a rollout id is known.
    pub resume: Option<String>,
    /// `--timeout`, ms.
    pub timeout_ms: f64,
}

/// An error's classification: the exit code, and a message saying what to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Timeout for a passed `--timeout`, else error.
    pub outcome: Outcome,
    /// The exit code.
    pub exit_code: i32,
    /// One or two sentences for people (the error's own message, or advice that includes it).
    pub message: String,
}

/// Classifies an error raised at `stage`.
pub fn of_failure(f: &Failure, stage: Stage, cx: &Context<'_>) -> Verdict {
    let verdict = |exit_code, message: String| Verdict {
        outcome: Outcome::Error,
        exit_code,
        message,
    };
    let resume = |lead: &str| match &cx.resume {
        Some(cmd) => format!("{lead}; the rollout goes on. Resume with: {cmd}"),
        None => format!("{lead}."),
    };
    let code = f.code.as_deref().unwrap_or_default();
    match f.name.as_str() {
        "AbortError" => {
            let lead = if stage == Stage::Trigger {
                return verdict(
                    EXIT_INTERRUPTED,
                    "interrupted while triggering: the rollout may or may not have been created; check the dashboard".into(),
                );
            } else if cx.resume.is_some() {
                "interrupted: stopped waiting (there is no cancel endpoint)"
            } else {
                "interrupted"
            };
            verdict(EXIT_INTERRUPTED, resume(lead))
        }
        "EncoreValidationError" => verdict(EXIT_USAGE, f.message.clone()),
        // A delivery refused (bad signature, too old, not an event): its code says why.
        name if name == crate::core::error::ErrorKind::Webhook.class_name() => {
            verdict(EXIT_FAILED, format!("{code}: {}", f.message))
        }
        "EncoreTimeoutError" if stage == Stage::Wait && code == "deadline_exceeded" => Verdict {
            outcome: Outcome::Timeout,
            exit_code: EXIT_TIMEOUT,
            message: resume(&format!(
                "timed out after {} (--timeout)",
                progress::format_duration(cx.timeout_ms)
            )),
        },
        // The client's message already says where to look before triggering again.
        _ if f.outcome_unknown => verdict(EXIT_UNREACHABLE, f.message.clone()),
        "EncoreApiError" => api(f, code, cx),
        _ => verdict(EXIT_UNREACHABLE, f.message.clone()),
    }
}

fn api(f: &Failure, code: &str, cx: &Context<'_>) -> Verdict {
    let v = |exit_code, message: String| Verdict {
        outcome: Outcome::Error,
        exit_code,
        message,
    };
    let status = f.status.unwrap_or_default();
    let credentials = if cx.static_token {
        "check ENCORE_ACCESS_TOKEN (it may have expired: tokens last an hour)"
    } else {
        "check ENCORE_CLIENT_ID/ENCORE_CLIENT_SECRET (the OAuth client may be revoked)"
    };
    match (status, code, f.field.as_deref()) {
        (401, ..) => v(EXIT_AUTH, format!("{}: {credentials}", f.message)),
        (403, ..) => v(
            EXIT_AUTH,
            format!(
                "{}: {credentials}, and that its role may act on app {}",
                f.message,
                crate::core::error::quoted(cx.app)
            ),
        ),
        (_, "validation", Some("commit")) => v(
            EXIT_REJECTED_INPUT,
            format!(
                "could not find commit {}: is it pushed to the remote repository?",
                cx.sha.unwrap_or("?")
            ),
        ),
        (_, "validation", Some("branch")) => v(
            EXIT_REJECTED_INPUT,
            format!(
                "could not find branch {}: is it pushed to the remote repository?",
                cx.branch.unwrap_or("?")
            ),
        ),
        (_, "validation", Some("env")) => v(
            EXIT_REJECTED_INPUT,
            format!(
                "could not find environment {}/{}",
                cx.app,
                cx.env.unwrap_or("?")
            ),
        ),
        (404, ..) => v(EXIT_REJECTED_INPUT, f.message.clone()),
        (408 | 429, ..) => v(EXIT_UNREACHABLE, f.message.clone()),
        (400..=499, ..) => v(EXIT_REJECTED_INPUT, f.message.clone()),
        _ => v(EXIT_UNREACHABLE, f.message.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, code: &str, field: Option<&str>) -> Failure {
        Failure {
            name: "EncoreApiError".into(),
            message: format!("HTTP {status}"),
            code: Some(code.into()),
            status: Some(status),
            outcome_unknown: false,
            field: field.map(Into::into),
        }
    }

    fn named(name: &str, code: Option<&str>) -> Failure {
        Failure {
            name: name.into(),
            message: "m".into(),
            code: code.map(Into::into),
            ..Failure::default()
        }
    }

    #[test]
    fn every_error_has_its_exit_code() {
        let cx = Context {
            app: "my-app",
            env: Some("prod"),
            sha: Some("abc123"),
            ..Context::default()
        };
        let code = |f: &Failure, stage| of_failure(f, stage, &cx).exit_code;
        assert_eq!(
            code(&api_error(401, "unauthenticated", None), Stage::Token),
            3
        );
        assert_eq!(
            code(&api_error(403, "permission_denied", None), Stage::Status),
            3
        );
        assert_eq!(code(&api_error(404, "not_found", None), Stage::Status), 4);
        assert_eq!(
            code(&api_error(400, "invalid_argument", None), Stage::Trigger),
            4
        );
        assert_eq!(
            code(
                &api_error(400, "validation", Some("commit")),
                Stage::Trigger
            ),
            4
        );
        assert_eq!(
            code(&api_error(429, "resource_exhausted", None), Stage::Wait),
            6
        );
        assert_eq!(code(&api_error(503, "unavailable", None), Stage::Status), 6);
        assert_eq!(
            code(&named("EncoreConnectionError", None), Stage::Status),
            6
        );
        assert_eq!(code(&named("EncoreProtocolError", None), Stage::Status), 6);
        assert_eq!(
            code(&named("EncoreValidationError", None), Stage::Trigger),
            2
        );
        assert_eq!(code(&named("AbortError", None), Stage::Wait), 130);
        assert_eq!(code(&named("AbortError", None), Stage::Trigger), 130);
        let deadline = named("EncoreTimeoutError", Some("deadline_exceeded"));
        let v = of_failure(&deadline, Stage::Wait, &cx);
        assert_eq!((v.outcome, v.exit_code), (Outcome::Timeout, 124));
        // A per-attempt time limit is not the wait's deadline.
        assert_eq!(code(&named("EncoreTimeoutError", None), Stage::Wait), 6);
        assert_eq!(code(&deadline, Stage::Status), 6);
        let mut unknown = api_error(500, "internal", None);
        unknown.outcome_unknown = true;
        let v = of_failure(&unknown, Stage::Trigger, &cx);
        assert_eq!((v.exit_code, v.message.as_str()), (6, "HTTP 500"));
        // Whatever the class: a 4xx whose effect is unknown is not a rejected input.
        let mut unknown = api_error(409, "aborted", None);
        unknown.outcome_unknown = true;
        assert_eq!(of_failure(&unknown, Stage::Trigger, &cx).exit_code, 6);
    }

    #[test]
    fn advice_names_what_to_do() {
        let cx = Context {
            app: "my-app",
            env: Some("prod"),
            sha: Some("abc123"),
            branch: Some("main"),
            resume: Some("encore-cloud rollout wait --app my-app roll_1".into()),
            ..Context::default()
        };
        let msg = |f: &Failure| of_failure(f, Stage::Trigger, &cx).message;
        assert_eq!(
            msg(&api_error(400, "validation", Some("commit"))),
            "could not find commit abc123: is it pushed to the remote repository?"
        );
        assert!(msg(&api_error(400, "validation", Some("branch"))).contains("branch main"));
        assert!(msg(&api_error(400, "validation", Some("env"))).contains("my-app/prod"));
        assert!(msg(&api_error(401, "unauthenticated", None)).contains(
            "check ENCORE_CLIENT_ID/ENCORE_CLIENT_SECRET (the OAuth client may be revoked)"
        ));
        let token = Context {
            static_token: true,
            ..cx.clone()
        };
        assert!(
            of_failure(&api_error(401, "x", None), Stage::Status, &token)
                .message
                .contains("ENCORE_ACCESS_TOKEN")
        );
        let v = of_failure(
            &named("EncoreTimeoutError", Some("deadline_exceeded")),
            Stage::Wait,
            &cx,
        );
        assert!(v
            .message
            .ends_with("Resume with: encore-cloud rollout wait --app my-app roll_1"));
        let v = of_failure(&named("AbortError", None), Stage::Wait, &cx);
        assert!(v.message.contains("the rollout goes on"), "{}", v.message);
    }

    fn rollout(conclusion: &str, infra: &str) -> Rollout {
        let done = conclusion != "pending";
        let body = serde_json::json!({
            "id": "roll_1", "status": if done { "completed" } else { "running" },
            "conclusion": conclusion,
            "build": {"id": "b", "status": "completed", "conclusion": "success"},
            "infra": {"id": "i", "status": if done { "completed" } else { "running" }, "conclusion": infra},
            "deploy": {"id": "d", "status": "queued", "conclusion": "unknown"},
        });
        crate::core::cli::rollout(&body).unwrap()
    }

    #[test]
    fn rollouts_map_to_outcomes() {
        assert_eq!(
            of_rollout(&rollout("success", "success")),
            (Outcome::Success, 0)
        );
        assert_eq!(
            of_rollout(&rollout("failure", "failure")),
            (Outcome::Failure, 1)
        );
        assert_eq!(
            of_rollout(&rollout("failure", "rejected")),
            (Outcome::Rejected, 5)
        );
        assert_eq!(
            of_rollout(&rollout("canceled", "canceled")),
            (Outcome::Canceled, 5)
        );
        assert_eq!(
            of_rollout(&rollout("timed_out", "unknown")),
            (Outcome::Failure, 1)
        );
        assert_eq!(
            of_rollout(&rollout("pending", "unknown")),
            (Outcome::Running, 0)
        );
    }
}
