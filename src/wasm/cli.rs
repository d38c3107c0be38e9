//! Exports for the `encore-cloud` command (`bin/encore-cloud.js`): the `parseArgs` option
//! table, the environment variables to read, and `CliRun`, the core's [`Run`] state machine
//! with JavaScript values in and out. Kept out of the package's TypeScript types.

use crate::core::cli::args::{self, Credentials, Input, Value};
use crate::core::cli::outcome::Failure;
use crate::core::cli::run::{Answer, Call, Next, Run, Step};
use crate::core::env::AttemptEvent;
use crate::wasm::read::{get, object};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The option table for `node:util` `parseArgs`: `{ app: { type: "string" }, json: { type: "boolean" }, … }`.
#[wasm_bindgen(js_name = cliParseOptions, skip_typescript)]
pub fn cli_parse_options() -> JsValue {
    let o = Object::new();
    for (name, text) in crate::core::cli::commands::parse_args_table() {
        let ty = if text { "string" } else { "boolean" };
        let _ = js_sys::Reflect::set(&o, &name.into(), &object(&[("type", ty.into())]));
    }
    o.into()
}

/// One run of the command.
#[wasm_bindgen(js_name = CliRun, skip_typescript)]
pub struct CliRun {
    run: Run,
}

fn strings(v: &JsValue) -> Vec<String> {
    Array::from(v)
        .iter()
        .filter_map(|s| s.as_string())
        .collect()
}

fn entries(v: &JsValue) -> Vec<(String, JsValue)> {
    if !v.is_object() {
        return Vec::new();
    }
    Object::entries(v.unchecked_ref::<Object>())
        .iter()
        .filter_map(|e| {
            let e = Array::from(&e);
            Some((e.get(0).as_string()?, e.get(1)))
        })
        .collect()
}

fn read_input(v: &JsValue) -> Input {
    let values: Vec<(String, Value)> = entries(&get(v, "values"))
        .into_iter()
        .filter_map(|(k, v)| match (v.as_string(), v.as_bool()) {
            (Some(s), _) => Some((k, Value::Text(s))),
            (None, Some(true)) => Some((k, Value::On)),
            _ => None,
        })
        .collect();
    Input {
        argv: strings(&get(v, "argv")),
        // Of the whole environment, only what the command reads crosses over.
        env: entries(&get(v, "env"))
            .into_iter()
            .filter(|(k, _)| args::reads_env(k, &values))
            .filter_map(|(k, v)| Some((k, v.as_string()?)))
            .collect(),
        values,
        positionals: strings(&get(v, "positionals")),
        parse_error: get(v, "parseError").as_string(),
        app_file: get(v, "appFile").as_string(),
        stderr_tty: get(v, "stderrTty").as_bool().unwrap_or(false),
    }
}

fn read_failure(e: &JsValue) -> Failure {
    let text = |k| get(e, k).as_string();
    let details = get(e, "details");
    Failure {
        name: text("name").unwrap_or_else(|| "Error".into()),
        message: text("message").unwrap_or_else(|| "unknown error".into()),
        code: text("code"),
        status: get(e, "status").as_f64().map(|s| s as u16),
        outcome_unknown: get(e, "outcomeUnknown").as_bool().unwrap_or(false),
        field: details
            .is_object()
            .then(|| get(&details, "field").as_string())
            .flatten(),
    }
}

fn call_js(call: Call) -> JsValue {
    let opts = |pairs: &[(&'static str, JsValue)]| object(pairs);
    let member =
        |email: String, role: String| object(&[("email", email.into()), ("role", role.into())]);
    let (method, args, follow): (&str, Vec<JsValue>, bool) = match call {
        Call::VerifyWebhook { header, secret_env } => {
            // Placeholders the entry fills in: the raw body from stdin, the secret from the
            // environment (so the secret never passes through the core).
            let args = vec![
                object(&[("$stdin", true.into())]),
                header.into(),
                object(&[("$env", secret_env.into())]),
                opts(&[]),
            ];
            return object(&[
                ("method", "verifyWebhook".into()),
                ("args", args.into_iter().collect::<Array>().into()),
                ("follow", false.into()),
                ("client", false.into()),
            ]);
        }
        Call::Token => ("getToken", vec![opts(&[])], false),
        Call::Trigger {
            app,
            env,
            trigger,
            timeout_ms,
        } => {
            let (key, value) = match trigger.target {
                crate::core::resources::rollouts::Target::Sha(s) => ("sha", s),
                crate::core::resources::rollouts::Target::Branch(b) => ("branch", b),
            };
            let mut body = vec![(key, JsValue::from(value))];
            if trigger.skip_tests {
                body.push(("skip_tests", true.into()));
            }
            if trigger.force_rebuild {
                body.push(("force_rebuild", true.into()));
            }
            let o = opts(&[("timeoutMs", timeout_ms.into())]);
            (
                "triggerRollout",
                vec![app.into(), env.into(), object(&body), o],
                false,
            )
        }
        Call::Get { app, id } => ("getRollout", vec![app.into(), id.into(), opts(&[])], false),
        Call::Wait {
            app,
            id,
            interval_ms,
            timeout_ms,
        } => {
            let mut o = vec![("deadlineMs", timeout_ms.into())];
            if let Some(i) = interval_ms {
                o.push(("intervalMs", i.into()));
            }
            (
                "waitForRollout",
                vec![app.into(), id.into(), opts(&o)],
                true,
            )
        }
        Call::ListMembers { app } => ("listMembers", vec![app.into(), opts(&[])], false),
        Call::Invite { app, email, role } => (
            "inviteMember",
            vec![app.into(), member(email, role), opts(&[])],
            false,
        ),
        Call::SetRole { app, email, role } => (
            "updateMemberRole",
            vec![app.into(), member(email, role), opts(&[])],
            false,
        ),
    };
    object(&[
        ("method", method.into()),
        ("args", args.into_iter().collect::<Array>().into()),
        ("follow", follow.into()),
        ("client", true.into()),
    ])
}

fn step_js(step: Step) -> JsValue {
    let (call, done) = match step.next {
        Next::Call(c) => (call_js(c), JsValue::NULL),
        Next::Done {
            stdout,
            exit_code,
            files,
        } => {
            let files: Array = files
                .into_iter()
                .map(|(p, t)| object(&[("path", p.into()), ("text", t.into())]))
                .collect();
            let done = object(&[
                ("stdout", stdout.into()),
                ("exitCode", exit_code.into()),
                ("files", files.into()),
            ]);
            (JsValue::NULL, done)
        }
    };
    object(&[
        ("stderr", step.stderr.into()),
        ("call", call),
        ("done", done),
    ])
}

fn static_str(s: &str, known: &[&'static str], other: &'static str) -> &'static str {
    known.iter().find(|k| **k == s).copied().unwrap_or(other)
}

#[wasm_bindgen(js_class = CliRun)]
impl CliRun {
    /// Starts a run from what the entry read: `{ argv, values, positionals, parseError, env,
    /// appFile, stderrTty }`.
    #[wasm_bindgen(constructor)]
    pub fn new(input: JsValue, now_ms: f64) -> CliRun {
        CliRun {
            run: Run::start(&read_input(&input), now_ms),
        }
    }

    /// The `EncoreClient` options, or `null` when nothing will be called.
    #[wasm_bindgen(js_name = clientOptions)]
    pub fn client_options(&self) -> JsValue {
        let Some((api_url, creds)) = self.run.client_setup() else {
            return JsValue::NULL;
        };
        let mut o = vec![("userAgent", JsValue::from("encore-cloud-cli"))];
        if let Some(u) = api_url {
            o.push(("baseUrl", u.into()));
        }
        match creds {
            Credentials::Client { id, secret } => {
                o.push(("clientId", id.as_str().into()));
                o.push(("clientSecret", secret.as_str().into()));
            }
            Credentials::Token(t) => o.push(("accessToken", t.as_str().into())),
        }
        object(&o)
    }

    /// The exit code of an interrupted run (a second Ctrl-C exits with it at once).
    #[wasm_bindgen(getter, js_name = interruptedExitCode)]
    pub fn interrupted_exit_code(&self) -> i32 {
        crate::core::cli::outcome::EXIT_INTERRUPTED
    }

    /// How often to call `tick` while a call is under way, ms.
    #[wasm_bindgen(getter, js_name = tickMs)]
    pub fn tick_ms(&self) -> f64 {
        self.run.tick_ms()
    }

    /// The first step: `{ stderr, call: { method, args, follow } | null, done: { stdout,
    /// exitCode, files: [{ path, text }] } | null }`.
    pub fn first(&mut self, now_ms: f64) -> JsValue {
        step_js(self.run.first(now_ms))
    }

    /// The answer of the call (`error` undefined on success); returns the next step.
    pub fn next(&mut self, value: JsValue, error: JsValue, now_ms: f64) -> JsValue {
        let answer = if !error.is_undefined() {
            Err(read_failure(&error))
        } else if value.is_undefined() || value.is_null() {
            Ok(Answer::Nothing)
        } else if Array::is_array(&value) {
            Ok(Answer::Many(Array::from(&value).iter().collect()))
        } else {
            Ok(Answer::One(value))
        };
        step_js(self.run.next(answer, now_ms))
    }

    /// A rollout state seen while waiting; returns text for stderr.
    pub fn update(&mut self, rollout: JsValue, now_ms: f64) -> String {
        self.run.update(&rollout, now_ms)
    }

    /// Time passed; returns text for stderr.
    pub fn tick(&mut self, now_ms: f64) -> String {
        self.run.tick(now_ms)
    }

    /// One HTTP attempt (the client's logger event); returns text for stderr.
    pub fn attempt(&mut self, event: JsValue, now_ms: f64) -> String {
        let num = |k| get(&event, k).as_f64();
        let ev = AttemptEvent {
            method: static_str(
                &get(&event, "method").as_string().unwrap_or_default(),
                &["GET", "POST", "PUT", "DELETE", "PATCH"],
                "HTTP",
            ),
            path: get(&event, "path").as_string().unwrap_or_default(),
            attempt: num("attempt").unwrap_or(1.0) as u32,
            status: num("status").map(|s| s as u16),
            failure: get(&event, "failure").as_string().map(|f| {
                static_str(
                    &f,
                    &[
                        "connection_refused",
                        "connection_failed",
                        "timeout",
                        "aborted",
                        "body_too_large",
                    ],
                    "failed",
                )
            }),
            duration_ms: num("durationMs").unwrap_or_default(),
            retry_in_ms: num("retryInMs"),
        };
        self.run.attempt(&ev, now_ms)
    }
}
