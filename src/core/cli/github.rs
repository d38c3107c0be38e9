//! GitHub Actions: workflow commands (`::error title=…::…`), step outputs for `$GITHUB_OUTPUT`
//! and the Markdown step summary for `$GITHUB_STEP_SUMMARY`.

use crate::core::progress::{self, format_duration};
use crate::core::resources::rollouts::Rollout;

/// A workflow command line: `::name key=value,…::message` with GitHub's escaping (`%`, CR and
/// LF in the message; also `:` and `,` in property values).
pub fn command(name: &str, props: &[(&str, &str)], message: &str) -> String {
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let mut s = format!("::{name}");
    for (i, (k, v)) in props.iter().enumerate() {
        s.push(if i == 0 { ' ' } else { ',' });
        s.push_str(&format!(
            "{k}={}",
            esc(v).replace(':', "%3A").replace(',', "%2C")
        ));
    }
    s.push_str("::");
    s.push_str(&esc(message));
    s
}

/// `name=value` lines for `$GITHUB_OUTPUT`; a value with a line break uses the multi-line
/// form with a delimiter that does not occur in it.
pub fn outputs(pairs: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (k, v) in pairs {
        if v.contains(['\n', '\r']) {
            let mut delim = String::from("ENCORE_CLOUD_EOF");
            while v.contains(&delim) {
                delim.push('_');
            }
            s.push_str(&format!("{k}<<{delim}\n{v}\n{delim}\n"));
        } else {
            s.push_str(&format!("{k}={v}\n"));
        }
    }
    s
}

/// Markdown with `|`, `<`, `>`, backticks and line breaks neutralised (for table cells).
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('`', "'")
        .replace(['\n', '\r'], " ")
}

/// What the step summary shows.
pub struct Summary<'a> {
    /// `my-app / prod`.
    pub target: String,
    /// `commit abc…` / `branch main`, for a deploy.
    pub what: Option<String>,
    /// The rollout, when one is known.
    pub rollout: Option<&'a Rollout>,
    /// The outcome word.
    pub outcome: &'a str,
    /// The exit code.
    pub exit_code: i32,
    /// The dashboard link.
    pub url: Option<&'a str>,
    /// The error's message, when the command failed.
    pub error: Option<&'a str>,
    /// Clock, for phases still running.
    pub now_ms: f64,
}

/// The Markdown step summary.
pub fn step_summary(s: &Summary<'_>) -> String {
    let icon = match s.outcome {
        "success" => "✅",
        "running" => "⏳",
        "timeout" => "⌛",
        "canceled" | "rejected" => "⛔",
        _ => "❌",
    };
    let mut md = format!("### {icon} Encore Cloud rollout: {}\n\n", s.outcome);
    md.push_str(&format!("**Target:** `{}`", cell(&s.target)));
    if let Some(w) = &s.what {
        md.push_str(&format!(" · {}", cell(w)));
    }
    md.push('\n');
    if let Some(r) = s.rollout {
        md.push_str(&format!("**Rollout:** `{}`", cell(&r.id)));
        if let Some(e) = progress::summarize(r, s.now_ms, None).elapsed_ms {
            md.push_str(&format!(" · {}", format_duration(e)));
        }
        md.push_str("\n\n| Phase | Status | Conclusion | Duration |\n|---|---|---|---|\n");
        for p in progress::phases(r) {
            let took = match (p.started_ms, p.completed_ms) {
                (Some(a), Some(b)) => format_duration((b - a).max(0.0)),
                (Some(a), None) => format!("{} so far", format_duration((s.now_ms - a).max(0.0))),
                _ => "–".into(),
            };
            md.push_str(&format!(
                "| {} | {} | {} | {took} |\n",
                p.name,
                cell(p.status),
                cell(p.conclusion)
            ));
        }
    }
    md.push_str(&format!(
        "\n**Outcome:** {} (exit code {})",
        s.outcome, s.exit_code
    ));
    if let Some(u) = s.url {
        md.push_str(&format!(
            " · [Open in Encore Cloud]({})",
            u.replace(')', "%29")
        ));
    }
    md.push('\n');
    if let Some(e) = s.error {
        md.push_str(&format!("\n> {}\n", cell(e)));
    }
    md.push('\n');
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_are_escaped() {
        assert_eq!(
            command(
                "error",
                &[("title", "Rollout failed: a,b")],
                "50% done\nnext"
            ),
            "::error title=Rollout failed%3A a%2Cb::50%25 done%0Anext"
        );
        assert_eq!(command("add-mask", &[], "tok"), "::add-mask::tok");
    }

    #[test]
    fn outputs_cannot_be_injected() {
        assert_eq!(outputs(&[("a", "1"), ("b", "x")]), "a=1\nb=x\n");
        let s = outputs(&[("url", "x\nstatus=hacked ENCORE_CLOUD_EOF")]);
        assert_eq!(
            s,
            "url<<ENCORE_CLOUD_EOF_\nx\nstatus=hacked ENCORE_CLOUD_EOF\nENCORE_CLOUD_EOF_\n"
        );
    }

    #[test]
    fn the_summary_has_target_phases_outcome_and_link() {
        let r = crate::core::cli::rollout(&serde_json::json!({
            "id": "roll_1", "status": "completed", "conclusion": "failure",
            "queued_at": "2026-03-18T09:00:00Z", "completed_at": "2026-03-18T09:00:09Z",
            "build": {"id": "b", "status": "completed", "conclusion": "failure",
                      "started_at": "2026-03-18T09:00:01Z", "completed_at": "2026-03-18T09:00:09Z"},
            "infra": {"id": "i", "status": "pending", "conclusion": "unknown"},
            "deploy": {"id": "d", "status": "queued", "conclusion": "unknown"},
        }))
        .unwrap();
        let md = step_summary(&Summary {
            target: "my-app / prod".into(),
            what: Some("branch a|b".into()),
            rollout: Some(&r),
            outcome: "failure",
            exit_code: 1,
            url: Some("https://app.encore.dev/my-app/deploys/prod/1"),
            error: None,
            now_ms: 0.0,
        });
        assert!(
            md.starts_with("### ❌ Encore Cloud rollout: failure\n"),
            "{md}"
        );
        assert!(md.contains("`my-app / prod` · branch a\\|b"), "{md}");
        assert!(md.contains("| build | completed | failure | 8s |"), "{md}");
        assert!(md.contains("| infra | pending | unknown | – |"), "{md}");
        assert!(md.contains("**Outcome:** failure (exit code 1) · [Open in Encore Cloud](https://app.encore.dev/my-app/deploys/prod/1)"), "{md}");
    }
}
