//! The last step of a run: what goes to stdout, the outcome on stderr, GitHub's files.

use super::{describe, resume_command, Answer, Next, Run, Step};
use crate::core::cli::args::{Command, Plan};
use crate::core::cli::github;
use crate::core::cli::outcome::{Failure, Outcome, Verdict};
use crate::core::cli::report::{self, ErrorJson, Obj};
use crate::core::cli::view::{paint, Paint};
use crate::core::json::Json;
use crate::core::resources::rollouts::Rollout;

impl Run {
    /// Ends the run with an error.
    pub(super) fn finish(
        &mut self,
        f: &Failure,
        v: Verdict,
        command: Option<Command>,
        now_ms: f64,
    ) -> Step {
        let e = ErrorJson {
            name: f.name.clone(),
            code: f.code.clone(),
            status: f.status,
            message: v.message,
        };
        match command {
            Some(Command::MembersList | Command::MembersInvite | Command::MembersSetRole) => {
                let key = if command == Some(Command::MembersList) {
                    "members"
                } else {
                    "member"
                };
                self.members_done(key, None, String::new(), v.exit_code, Some(&e), now_ms)
            }
            Some(Command::WebhookVerify) => {
                let stderr = self.error_lines(&e, v.exit_code, now_ms);
                let stdout = Obj::default()
                    .raw("event", None)
                    .int("exit_code", Some(i64::from(v.exit_code)))
                    .error(Some(&e))
                    .done();
                let stdout = if self.out.json { stdout } else { String::new() };
                self.done(stderr, stdout, v.exit_code, Vec::new())
            }
            Some(Command::Token) => {
                let stdout = Obj::default()
                    .str("access_token", None)
                    .int("expires_in", None)
                    .int("exit_code", Some(i64::from(v.exit_code)))
                    .error(Some(&e))
                    .done();
                let stderr = self.error_lines(&e, v.exit_code, now_ms);
                self.done(
                    stderr,
                    if self.out.json { stdout } else { String::new() },
                    v.exit_code,
                    Vec::new(),
                )
            }
            _ => {
                let plan = self.plan().cloned();
                let last = self.view.last().cloned();
                self.done_rollout_of(
                    last.as_ref(),
                    v.outcome,
                    v.exit_code,
                    Some(&e),
                    plan.as_ref(),
                    now_ms,
                )
            }
        }
    }

    fn done(
        &mut self,
        stderr: String,
        stdout: String,
        exit_code: i32,
        files: Vec<(String, String)>,
    ) -> Step {
        let stdout = if stdout.is_empty() {
            stdout
        } else {
            format!("{}\n", stdout.trim_end_matches('\n'))
        };
        Step {
            stderr,
            next: Next::Done {
                stdout,
                exit_code,
                files,
            },
        }
    }

    fn error_lines(&mut self, e: &ErrorJson, exit_code: i32, now_ms: f64) -> String {
        let mut s = self.view.finish(now_ms);
        // A timeout or an interrupt leaves the rollout going on: a notice, not an error.
        let (lead, tint) = match exit_code {
            super::outcome::EXIT_TIMEOUT | super::outcome::EXIT_INTERRUPTED => ("", Paint::Yellow),
            _ => ("error: ", Paint::Red),
        };
        s.push_str(&paint(
            self.out.color,
            tint,
            &format!("{lead}{}", e.message),
        ));
        s.push('\n');
        if self.out.github {
            let title = format!("encore-cloud: {}", e.code.as_deref().unwrap_or(&e.name));
            s.push_str(&github::command("error", &[("title", &title)], &e.message));
            s.push('\n');
        }
        s
    }

    /// Ends a rollout command (deploy, rollout status, rollout wait).
    pub(super) fn done_rollout(
        &mut self,
        r: Option<&Rollout>,
        oc: Outcome,
        exit_code: i32,
        e: Option<&ErrorJson>,
        plan: &Plan,
        now_ms: f64,
    ) -> Step {
        self.done_rollout_of(r, oc, exit_code, e, Some(plan), now_ms)
    }

    fn done_rollout_of(
        &mut self,
        r: Option<&Rollout>,
        oc: Outcome,
        exit_code: i32,
        e: Option<&ErrorJson>,
        plan: Option<&Plan>,
        now_ms: f64,
    ) -> Step {
        let url = r.and_then(|r| self.link(&r.id));
        let mut stderr = match e {
            Some(e) => self.error_lines(e, exit_code, now_ms),
            None => self.view.finish(now_ms),
        };
        if let (Some(r), None) = (r, e) {
            // A rollout still running was just shown as such (a line, or the live view).
            if oc != Outcome::Running {
                stderr.push_str(&report::outcome_line(r, oc, self.out.color, now_ms));
                stderr.push('\n');
            }
            if oc == Outcome::Running {
                if let Some(p) = plan.filter(|p| p.command == Command::Deploy) {
                    stderr.push_str(&format!(
                        "encore-cloud: not waiting (--no-wait); follow it with: {}\n",
                        resume_command(p, &r.id)
                    ));
                }
            }
            if exit_code != 0 && self.out.github {
                let msg = report::outcome_line(r, oc, false, now_ms);
                stderr.push_str(&github::command(
                    "error",
                    &[("title", &format!("Rollout {}", oc.as_str()))],
                    &msg,
                ));
                stderr.push('\n');
            }
        }
        let app = plan.map(|p| p.app.as_str());
        let env = plan.and_then(|p| p.env.as_deref());
        let stdout = if self.out.json {
            report::rollout_json(
                app,
                env,
                self.rollout_json.as_deref().filter(|_| r.is_some()),
                url.as_deref(),
                oc,
                exit_code,
                now_ms - self.start_ms,
                e,
            )
        } else {
            match (r, &url) {
                (Some(r), Some(u)) => format!("{} {u}", r.id),
                (Some(r), None) => r.id.clone(),
                _ => String::new(),
            }
        };
        let mut files = Vec::new();
        if let Some(path) = &self.out.github_output {
            let text = github::outputs(&[
                ("rollout-id", r.map_or("", |r| r.id.as_str())),
                ("url", url.as_deref().unwrap_or_default()),
                ("status", r.map_or("", |r| r.status.as_str())),
                ("conclusion", r.map_or("", |r| r.conclusion.as_str())),
                ("outcome", oc.as_str()),
            ]);
            files.push((path.clone(), text));
        }
        if let Some(path) = &self.out.step_summary {
            let target = format!("{} / {}", app.unwrap_or("?"), env.unwrap_or("?"));
            let what = plan
                .and_then(|p| p.trigger.as_ref())
                .map(|t| describe(&t.target));
            let md = github::step_summary(&github::Summary {
                target,
                what,
                rollout: r,
                outcome: oc.as_str(),
                exit_code,
                url: url.as_deref(),
                error: e.map(|e| e.message.as_str()),
                now_ms,
            });
            files.push((path.clone(), md));
        }
        self.done(stderr, stdout, exit_code, files)
    }

    /// Ends `webhook verify` with the verified event: its JSON (with `--json`, inside the
    /// result object).
    pub(super) fn webhook_event<J: Json>(&mut self, event: &J, now_ms: f64) -> Step {
        let stderr = self.view.finish(now_ms);
        let text = event.to_json_text();
        let stdout = if self.out.json {
            Obj::default()
                .raw("event", Some(&text))
                .int("exit_code", Some(0))
                .error(None)
                .done()
        } else {
            text
        };
        self.done(stderr, stdout, 0, Vec::new())
    }

    /// Ends a members command with the call's answer.
    pub(super) fn members<J: Json>(&mut self, plan: &Plan, answer: Answer<J>, now_ms: f64) -> Step {
        let line = |m: &J| {
            let s = |k: &'static str| m.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            format!("{:<32} {}", s("email"), s("role"))
        };
        match (plan.command, answer) {
            (Command::MembersList, Answer::Many(items)) => {
                let text: Vec<String> = items.iter().map(line).collect();
                let json = format!(
                    "[{}]",
                    items
                        .iter()
                        .map(|m| m.to_json_text())
                        .collect::<Vec<_>>()
                        .join(",")
                );
                self.members_done("members", Some(json), text.join("\n"), 0, None, now_ms)
            }
            (Command::MembersInvite, Answer::One(m)) => {
                let text = line(&m);
                self.members_done("member", Some(m.to_json_text()), text, 0, None, now_ms)
            }
            (Command::MembersSetRole, _) => {
                let email = plan.email.as_deref().unwrap_or_default();
                let role = plan.role.as_deref().unwrap_or_default();
                let json = Obj::default()
                    .str("email", Some(email))
                    .str("role", Some(role))
                    .done();
                self.members_done(
                    "member",
                    Some(json),
                    format!("{email:<32} {role}"),
                    0,
                    None,
                    now_ms,
                )
            }
            _ => {
                let f = Failure {
                    name: "EncoreProtocolError".into(),
                    message: "the client returned an unexpected answer".into(),
                    ..Failure::default()
                };
                let v = Verdict {
                    outcome: Outcome::Error,
                    exit_code: super::outcome::EXIT_UNREACHABLE,
                    message: f.message.clone(),
                };
                self.finish(&f, v, Some(plan.command), now_ms)
            }
        }
    }

    fn members_done(
        &mut self,
        key: &str,
        json: Option<String>,
        text: String,
        exit_code: i32,
        e: Option<&ErrorJson>,
        now_ms: f64,
    ) -> Step {
        let stderr = match e {
            Some(e) => self.error_lines(e, exit_code, now_ms),
            None => self.view.finish(now_ms),
        };
        let stdout = if self.out.json {
            Obj::default()
                .str("app", self.plan().map(|p| p.app.as_str()))
                .raw(key, json.as_deref())
                .int("exit_code", Some(i64::from(exit_code)))
                .error(e)
                .done()
        } else {
            text
        };
        self.done(stderr, stdout, exit_code, Vec::new())
    }
}
