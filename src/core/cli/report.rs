//! What a command prints when it ends: the dashboard link, the `--json` object, the text
//! result line, and the outcome line on stderr.

use crate::core::cli::outcome::Outcome;
use crate::core::cli::view::{paint, Paint};
use crate::core::json::json_string;
use crate::core::progress;
use crate::core::resources::rollouts::{dashboard_deploys_url, Rollout};
use crate::core::url::{percent_encode, BaseUrl, DEFAULT_BASE_URL};

/// `https://app.encore.dev/{app}/deploys/{env}/{id without "roll_"}`, the form Encore's own CLI
/// prints: the environment's deploys page (the core's, for the real API only) and the id.
/// `None` without an environment, or when the API is not Encore Cloud's.
pub fn dashboard_link(
    api_url: Option<&str>,
    app: &str,
    env: Option<&str>,
    id: &str,
) -> Option<String> {
    let base = BaseUrl::parse(api_url.unwrap_or(DEFAULT_BASE_URL)).ok()?;
    let page = dashboard_deploys_url(&base, app, env?)?;
    let id = id.strip_prefix("roll_").unwrap_or(id);
    Some(format!("{page}/{}", percent_encode(id, false)))
}

/// The error part of the JSON object.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorJson {
    /// The error class name (`EncoreApiError`, … or `UsageError`).
    pub name: String,
    /// Its code.
    pub code: Option<String>,
    /// Its HTTP status.
    pub status: Option<u16>,
    /// What happened and what to do.
    pub message: String,
}

/// A JSON object written field by field.
#[derive(Default)]
pub struct Obj(String);

impl Obj {
    fn key(&mut self, k: &str) {
        self.0.push(if self.0.is_empty() { '{' } else { ',' });
        self.0.push_str(&json_string(k));
        self.0.push(':');
    }

    /// A string (or `null`).
    pub fn str(mut self, k: &str, v: Option<&str>) -> Self {
        self.key(k);
        self.0
            .push_str(&v.map_or_else(|| "null".into(), json_string));
        self
    }

    /// An integer (or `null`).
    pub fn int(mut self, k: &str, v: Option<i64>) -> Self {
        self.key(k);
        self.0
            .push_str(&v.map_or_else(|| "null".into(), |n| n.to_string()));
        self
    }

    /// JSON text as is (or `null`).
    pub fn raw(mut self, k: &str, v: Option<&str>) -> Self {
        self.key(k);
        self.0.push_str(v.unwrap_or("null"));
        self
    }

    /// The error member.
    pub fn error(self, e: Option<&ErrorJson>) -> Self {
        let text = e.map(|e| {
            Obj::default()
                .str("name", Some(&e.name))
                .str("code", e.code.as_deref())
                .int("status", e.status.map(i64::from))
                .str("message", Some(&e.message))
                .done()
        });
        self.raw("error", text.as_deref())
    }

    /// The object's text.
    pub fn done(mut self) -> String {
        if self.0.is_empty() {
            self.0.push('{');
        }
        self.0.push('}');
        self.0
    }
}

/// The JSON object `deploy`, `rollout status` and `rollout wait` print.
#[allow(clippy::too_many_arguments)]
pub fn rollout_json(
    app: Option<&str>,
    env: Option<&str>,
    rollout_json: Option<&str>,
    url: Option<&str>,
    outcome: Outcome,
    exit_code: i32,
    elapsed_ms: f64,
    error: Option<&ErrorJson>,
) -> String {
    Obj::default()
        .str("app", app)
        .str("env", env)
        .raw("rollout", rollout_json)
        .str("url", url)
        .str("outcome", Some(outcome.as_str()))
        .int("exit_code", Some(i64::from(exit_code)))
        .int("elapsed_ms", Some(elapsed_ms.max(0.0).round() as i64))
        .error(error)
        .done()
}

/// The line on stderr that says how a rollout ended.
pub fn outcome_line(r: &Rollout, outcome: Outcome, color: bool, now_ms: f64) -> String {
    let s = progress::summarize(r, now_ms, None);
    let took = s
        .elapsed_ms
        .map(progress::format_duration)
        .unwrap_or_default();
    match outcome {
        Outcome::Success => paint(
            color,
            Paint::Green,
            &format!("✓ {} succeeded in {took}", r.id),
        ),
        Outcome::Failure => {
            let why = progress::phases(r)
                .into_iter()
                .find(|p| p.status == "completed" && p.conclusion != "success")
                .map_or_else(
                    || r.conclusion.to_string(),
                    |p| format!("{} {}", p.name, p.conclusion),
                );
            paint(
                color,
                Paint::Red,
                &format!("✗ {} failed: {why} ({took})", r.id),
            )
        }
        Outcome::Canceled => paint(
            color,
            Paint::Yellow,
            &format!("– {} was canceled ({took})", r.id),
        ),
        Outcome::Rejected => paint(
            color,
            Paint::Red,
            &format!("✗ {}: the infrastructure change was rejected", r.id),
        ),
        _ => format!("{}  {}", r.id, s.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashboard_links_only_for_encore_cloud() {
        let link = dashboard_link(None, "my-app", Some("prod"), "roll_2x8");
        assert_eq!(
            link.as_deref(),
            Some("https://app.encore.dev/my-app/deploys/prod/2x8")
        );
        for official in ["https://api.encore.dev", "https://api.encore.cloud/"] {
            assert!(dashboard_link(Some(official), "a", Some("e"), "roll_1").is_some());
        }
        for other in [
            "http://127.0.0.1:4000",
            "https://proxy.example/encore",
            "https://api.encore.dev/x",
            "nonsense",
        ] {
            assert_eq!(
                dashboard_link(Some(other), "a", Some("e"), "roll_1"),
                None,
                "{other}"
            );
        }
        assert_eq!(dashboard_link(None, "a", None, "roll_1"), None);
        assert_eq!(
            dashboard_link(None, "a b", Some("e/f"), "x").as_deref(),
            Some("https://app.encore.dev/a%20b/deploys/e%2Ff/x")
        );
    }

    #[test]
    fn the_json_object_has_every_field_in_order() {
        let e = ErrorJson {
            name: "EncoreApiError".into(),
            code: Some("not_found".into()),
            status: Some(404),
            message: "no \"roll_x\"".into(),
        };
        let text = rollout_json(
            Some("a"),
            None,
            None,
            None,
            Outcome::Error,
            4,
            12.6,
            Some(&e),
        );
        assert_eq!(
            text,
            r#"{"app":"a","env":null,"rollout":null,"url":null,"outcome":"error","exit_code":4,"elapsed_ms":13,"error":{"name":"EncoreApiError","code":"not_found","status":404,"message":"no \"roll_x\""}}"#
        );
        let v: serde_json::Value = serde_json::from_str(&rollout_json(
            Some("a"),
            Some("p"),
            Some(r#"{"id":"roll_1"}"#),
            Some("u"),
            Outcome::Success,
            0,
            5.0,
            None,
        ))
        .unwrap();
        assert_eq!(v["rollout"]["id"], "roll_1");
        assert_eq!(v["error"], serde_json::Value::Null);
        assert_eq!(Obj::default().done(), "{}");
    }
}
