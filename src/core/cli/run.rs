//! One run of the command as a sans-IO state machine: the host starts it with what it read
//! ([`Input`]), performs each [`Call`] it is handed with the client, feeds the answer back, and
//! writes the strings it gets to stderr and stdout. Every decision is taken here.

use crate::core::cli::args::{self, Command, Credentials, Input, Invocation, Output, Plan, Usage};
use crate::core::cli::github;
use crate::core::cli::outcome::{self, Context, Failure, Outcome, Stage, Verdict};
use crate::core::cli::report::{self, Obj};
use crate::core::cli::view::{paint, Paint, View};

use crate::core::env::AttemptEvent;
use crate::core::json::Json;
use crate::core::resources::rollouts::{Rollout, Target, TriggerRollout};

/// The package version, printed by `--version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A client call for the host to make.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// `getToken()`.
    Token,
    /// `triggerRollout(app, env, trigger, { timeoutMs })`.
    Trigger {
        /// App.
        app: String,
        /// Environment.
        env: String,
        /// What to roll out.
        trigger: TriggerRollout,
        /// Time limit of the attempt (never past the command's deadline).
        timeout_ms: f64,
    },
    /// `getRollout(app, id)`.
    Get {
        /// App.
        app: String,
        /// Rollout.
        id: String,
    },
    /// `waitForRollout(app, id, { intervalMs, deadlineMs, onUpdate })`.
    Wait {
        /// App.
        app: String,
        /// Rollout.
        id: String,
        /// Poll interval (the client floors it).
        interval_ms: Option<f64>,
        /// What is left of the command's deadline.
        timeout_ms: f64,
    },
    /// `listMembers(app)`.
    ListMembers {
        /// App.
        app: String,
    },
    /// `inviteMember(app, { email, role })`.
    Invite {
        /// App.
        app: String,
        /// Email.
        email: String,
        /// Role.
        role: String,
    },
    /// `verifyWebhook(<stdin>, header, <the variable's value>)`.
    VerifyWebhook {
        /// The `X-Encore-Signature` header.
        header: String,
        /// The variable holding the secret (read by the host, never by the core).
        secret_env: String,
    },
    /// `updateMemberRole(app, { email, role })`.
    SetRole {
        /// App.
        app: String,
        /// Email.
        email: String,
        /// Role.
        role: String,
    },
}

/// What the host does next.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    /// Make this call and feed its answer to [`Run::next`].
    Call(Call),
    /// Write `stdout`, append `files` (path, text), exit with `exit_code`.
    Done {
        /// The result: the text line(s), or the JSON object.
        stdout: String,
        /// The exit code.
        exit_code: i32,
        /// `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` additions.
        files: Vec<(String, String)>,
    },
}

/// Text for stderr, then what comes next.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Write this to stderr first.
    pub stderr: String,
    /// Then this.
    pub next: Next,
}

/// A call's answer.
pub enum Answer<J> {
    /// No value (a `void` call).
    Nothing,
    /// One value.
    One(J),
    /// An array's items.
    Many(Vec<J>),
}

/// One run of the command.
#[derive(Debug)]
pub struct Run {
    out: Output,
    invocation: Result<Invocation, Usage>,
    start_ms: f64,
    stage: Stage,
    view: View,
    rollout_json: Option<String>,
}

impl Run {
    /// Interprets the arguments and the environment.
    pub fn start(input: &Input, now_ms: f64) -> Run {
        let out = Output::of(input);
        Run {
            view: View::new(&out),
            invocation: args::interpret(input),
            out,
            start_ms: now_ms,
            stage: Stage::Setup,
            rollout_json: None,
        }
    }

    fn plan(&self) -> Option<&Plan> {
        match &self.invocation {
            Ok(Invocation::Run(p)) => Some(p),
            _ => None,
        }
    }

    /// What the client is built from (`None` when nothing will be called).
    pub fn client_setup(&self) -> Option<(Option<&str>, &Credentials)> {
        let p = self.plan()?;
        Some((p.api_url.as_deref(), p.credentials.as_ref()?))
    }

    /// How often the host should call [`Run::tick`] while a call is under way.
    pub fn tick_ms(&self) -> f64 {
        self.view.tick_ms()
    }

    /// The first step.
    pub fn first(&mut self, now_ms: f64) -> Step {
        let plan = match &self.invocation {
            Ok(Invocation::Help(text)) => return self.plain(text.clone()),
            Ok(Invocation::Version) if self.out.json => {
                let text = Obj::default()
                    .str("version", Some(VERSION))
                    .int("exit_code", Some(0))
                    .error(None)
                    .done();
                return self.plain(text);
            }
            Ok(Invocation::Version) => return self.plain(format!("encore-cloud {VERSION}")),
            Err(u) => {
                let f = Failure {
                    name: "UsageError".into(),
                    code: Some("usage".into()),
                    message: u.message.clone(),
                    ..Failure::default()
                };
                let v = Verdict {
                    outcome: Outcome::Error,
                    exit_code: outcome::EXIT_USAGE,
                    message: format!("{} (see `encore-cloud --help`)", u.message),
                };
                return self.finish(&f, v, u.command, now_ms);
            }
            Ok(Invocation::Run(p)) => (**p).clone(),
        };
        let (stage, call, intro) = match plan.command {
            Command::Token => (Stage::Token, Call::Token, None),
            Command::WebhookVerify => {
                let (secret_env, header) = plan.webhook.clone().unwrap_or_default();
                let call = Call::VerifyWebhook { header, secret_env };
                (Stage::Webhook, call, None)
            }
            Command::Deploy => {
                let Some(trigger) = plan.trigger.clone() else {
                    return self.plain(String::new());
                };
                let what = describe(&trigger.target);
                let intro = format!(
                    "deploying {what} to {}/{}",
                    plan.app,
                    plan.env.as_deref().unwrap_or_default()
                );
                let call = Call::Trigger {
                    app: plan.app.clone(),
                    env: plan.env.clone().unwrap_or_default(),
                    trigger,
                    timeout_ms: plan
                        .timeout_ms
                        .min(crate::core::options::DEFAULT_TIMEOUT_MS),
                };
                (Stage::Trigger, call, Some(intro))
            }
            Command::RolloutStatus | Command::RolloutWait => {
                let id = plan.rollout_id.clone().unwrap_or_default();
                if plan.command == Command::RolloutStatus {
                    let call = Call::Get {
                        app: plan.app.clone(),
                        id,
                    };
                    (Stage::Status, call, None)
                } else {
                    let intro = format!("waiting for {id} ({})", plan.app);
                    (Stage::Wait, self.wait_call(&plan, id, now_ms), Some(intro))
                }
            }
            Command::MembersList => (
                Stage::Members,
                Call::ListMembers {
                    app: plan.app.clone(),
                },
                None,
            ),
            Command::MembersInvite | Command::MembersSetRole => {
                let (app, email, role) = (
                    plan.app.clone(),
                    plan.email.clone().unwrap_or_default(),
                    plan.role.clone().unwrap_or_default(),
                );
                let call = if plan.command == Command::MembersInvite {
                    Call::Invite { app, email, role }
                } else {
                    Call::SetRole { app, email, role }
                };
                (Stage::Members, call, None)
            }
        };
        self.stage = stage;
        let stderr = match intro {
            Some(text) => {
                let text = paint(self.out.color, Paint::Dim, &format!("encore-cloud: {text}"));
                self.view.line(&text, now_ms)
            }
            None => String::new(),
        };
        Step {
            stderr,
            next: Next::Call(call),
        }
    }

    fn wait_call(&self, plan: &Plan, id: String, now_ms: f64) -> Call {
        let left = plan.timeout_ms - (now_ms - self.start_ms);
        Call::Wait {
            app: plan.app.clone(),
            id,
            interval_ms: plan.interval_ms,
            timeout_ms: left.max(1.0),
        }
    }

    /// A rollout state seen while waiting (`onUpdate`); returns text for stderr.
    pub fn update<J: Json>(&mut self, value: &J, now_ms: f64) -> String {
        let Ok(r) = crate::core::cli::rollout(value) else {
            return String::new();
        };
        self.rollout_json = Some(value.to_json_text());
        let link = self.link(&r.id);
        self.view.rollout(r, link.as_deref(), now_ms)
    }

    /// Time passed; returns text for stderr (often none).
    pub fn tick(&mut self, now_ms: f64) -> String {
        self.view.tick(now_ms)
    }

    /// One HTTP attempt (`logger`); returns text for stderr.
    pub fn attempt(&mut self, ev: &AttemptEvent, now_ms: f64) -> String {
        self.view.attempt(ev, now_ms)
    }

    fn link(&self, id: &str) -> Option<String> {
        let p = self.plan()?;
        report::dashboard_link(p.api_url.as_deref(), &p.app, p.env.as_deref(), id)
    }

    /// The answer of the last call (or its error); returns the next step.
    pub fn next<J: Json>(&mut self, answer: Result<Answer<J>, Failure>, now_ms: f64) -> Step {
        let Some(plan) = self.plan().cloned() else {
            return self.plain(String::new());
        };
        let answer = match answer {
            Ok(a) => a,
            Err(f) => {
                let v = outcome::of_failure(&f, self.stage, &self.context(&plan));
                return self.finish(&f, v, Some(plan.command), now_ms);
            }
        };
        match (self.stage, answer) {
            (Stage::Token, Answer::One(t)) => self.token(&t, now_ms),
            (Stage::Trigger | Stage::Status | Stage::Wait, Answer::One(r)) => {
                let mut stderr = String::new();
                if self.stage == Stage::Trigger {
                    if let Ok(id) = crate::core::cli::rollout(&r).map(|r| r.id) {
                        let link = self.link(&id).unwrap_or_default();
                        let text = format!("encore-cloud: triggered {id} {link}");
                        let text = paint(self.out.color, Paint::Dim, text.trim_end());
                        stderr.push_str(&self.view.line(&text, now_ms));
                    }
                }
                stderr.push_str(&self.update(&r, now_ms));
                let Some(rollout) = self.view.last().cloned() else {
                    let f = Failure {
                        name: "EncoreProtocolError".into(),
                        message: "the client returned something that is not a rollout".into(),
                        ..Failure::default()
                    };
                    let v = outcome::of_failure(&f, self.stage, &self.context(&plan));
                    return self.finish(&f, v, Some(plan.command), now_ms);
                };
                if self.stage == Stage::Trigger && plan.wait {
                    self.stage = Stage::Wait;
                    return Step {
                        stderr,
                        next: Next::Call(self.wait_call(&plan, rollout.id.clone(), now_ms)),
                    };
                }
                let (oc, code) = match outcome::of_rollout(&rollout) {
                    // `status` printed what it found: that is success.
                    (oc, _) if self.stage == Stage::Status => (oc, outcome::EXIT_OK),
                    v => v,
                };
                let mut step = self.done_rollout(Some(&rollout), oc, code, None, &plan, now_ms);
                stderr.push_str(&step.stderr);
                step.stderr = stderr;
                step
            }
            (Stage::Members, answer) => self.members(&plan, answer, now_ms),
            (Stage::Webhook, Answer::One(event)) => self.webhook_event(&event, now_ms),
            _ => self.plain(String::new()),
        }
    }

    fn context<'a>(&'a self, plan: &'a Plan) -> Context<'a> {
        let (sha, branch) = match plan.trigger.as_ref().map(|t| &t.target) {
            Some(Target::Sha(s)) => (Some(s.as_str()), None),
            Some(Target::Branch(b)) => (None, Some(b.as_str())),
            None => (None, None),
        };
        let resume = self
            .view
            .last()
            .map(|r| resume_command(plan, &r.id))
            .or_else(|| {
                plan.rollout_id
                    .as_deref()
                    .filter(|_| plan.command == Command::RolloutWait)
                    .map(|id| resume_command(plan, id))
            });
        Context {
            app: &plan.app,
            env: plan.env.as_deref(),
            sha,
            branch,
            static_token: matches!(plan.credentials, Some(Credentials::Token(_))),
            resume,
            timeout_ms: plan.timeout_ms,
        }
    }

    fn plain(&mut self, text: String) -> Step {
        let stdout = if text.is_empty() || text.ends_with('\n') {
            text
        } else {
            format!("{text}\n")
        };
        Step {
            stderr: String::new(),
            next: Next::Done {
                stdout,
                exit_code: 0,
                files: Vec::new(),
            },
        }
    }

    fn token<J: Json>(&mut self, t: &J, now_ms: f64) -> Step {
        let token = t
            .get("access_token")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let expires = t
            .get("expires_in")
            .and_then(|v| v.as_f64())
            .unwrap_or_default();
        let mut stderr = self.view.finish(now_ms);
        if self.out.github {
            stderr.push_str(&github::command("add-mask", &[], &token));
            stderr.push('\n');
        }
        let stdout = if self.out.json {
            Obj::default()
                .str("access_token", Some(&token))
                .int("expires_in", Some(expires.max(0.0).round() as i64))
                .int("exit_code", Some(0))
                .error(None)
                .done()
        } else {
            token
        };
        Step {
            stderr,
            next: Next::Done {
                stdout: format!("{stdout}\n"),
                exit_code: 0,
                files: Vec::new(),
            },
        }
    }
}

fn describe(t: &Target) -> String {
    match t {
        Target::Sha(s) => format!("commit {s}"),
        Target::Branch(b) => format!("branch {b}"),
    }
}

/// The command that resumes waiting for a rollout.
pub fn resume_command(plan: &Plan, id: &str) -> String {
    let mut cmd = format!("encore-cloud rollout wait --app {}", plan.app);
    if let Some(env) = &plan.env {
        cmd.push_str(&format!(" --env {env}"));
    }
    cmd.push(' ');
    cmd.push_str(id);
    cmd
}

#[path = "finish.rs"]
mod finish;

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;

/// The rollout the run knows last (for tests and the finish).
impl Run {
    /// The last rollout state seen.
    pub fn last_rollout(&self) -> Option<&Rollout> {
        self.view.last()
    }
}
