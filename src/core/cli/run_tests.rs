use super::*;
use crate::core::cli::args::Value;
use serde_json::{json, Value as J};

const SECRET: &str = "s3cret-never-shown";

fn input(args: &[&str], env: &[(&str, &str)]) -> Input {
    let mut values = Vec::new();
    let mut positionals = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.strip_prefix("--") {
            Some(n)
                if crate::core::cli::commands::FLAGS.iter().any(|f| {
                    f.name == n && f.kind == crate::core::cli::commands::FlagKind::Text
                }) =>
            {
                values.push((n.to_owned(), Value::Text(it.next().unwrap().to_string())))
            }
            Some(n) => values.push((n.to_owned(), Value::On)),
            None => positionals.push(a.to_string()),
        }
    }
    let mut e: Vec<(String, String)> = vec![
        ("ENCORE_CLIENT_ID".into(), "o2c_x".into()),
        ("ENCORE_CLIENT_SECRET".into(), SECRET.into()),
    ];
    e.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Input {
        argv: args.iter().map(|s| s.to_string()).collect(),
        values,
        positionals,
        env: e,
        ..Input::default()
    }
}

fn rollout(status: &str, conclusion: &str) -> J {
    json!({
        "id": "roll_9", "status": status, "conclusion": conclusion,
        "queued_at": "2026-03-18T09:00:00Z", "extra": {"kept": true},
        "build": {"id": "b", "status": "completed", "conclusion": "success"},
        "infra": {"id": "i", "status": if status == "completed" { "completed" } else { "running" },
                  "conclusion": if status == "completed" { "success" } else { "unknown" }},
        "deploy": {"id": "d", "status": "queued", "conclusion": "unknown"},
    })
}

struct Ended {
    stderr: String,
    stdout: String,
    exit_code: i32,
    files: Vec<(String, String)>,
}

/// Runs the command, answering each call with `answer`.
fn drive(
    i: Input,
    mut answer: impl FnMut(&Call, &mut Run) -> Result<Answer<J>, Failure>,
) -> (Ended, Vec<Call>) {
    let mut run = Run::start(&i, 1000.0);
    let mut step = run.first(1000.0);
    let mut stderr = String::new();
    let mut calls = Vec::new();
    loop {
        stderr.push_str(&step.stderr);
        match step.next {
            Next::Call(c) => {
                let a = answer(&c, &mut run);
                calls.push(c);
                step = run.next(a, 2000.0);
            }
            Next::Done {
                stdout,
                exit_code,
                files,
            } => {
                let all = format!("{stderr}{stdout}{files:?}");
                assert!(!all.contains(SECRET), "the secret leaked: {all}");
                return (
                    Ended {
                        stderr,
                        stdout,
                        exit_code,
                        files,
                    },
                    calls,
                );
            }
        }
    }
}

fn json_of(e: &Ended) -> J {
    assert_eq!(
        e.stdout.matches('\n').count(),
        1,
        "one line: {:?}",
        e.stdout
    );
    serde_json::from_str(&e.stdout).unwrap()
}

#[test]
fn deploy_triggers_then_waits_within_the_deadline() {
    let i = input(
        &[
            "deploy",
            "--app",
            "a",
            "--env",
            "prod",
            "--sha",
            "abc",
            "--timeout",
            "10s",
            "--json",
        ],
        &[],
    );
    let (e, calls) = drive(i, |c, run| match c {
        Call::Trigger { .. } => Ok(Answer::One(rollout("queued", "pending"))),
        Call::Wait { .. } => {
            let _ = run.update(&rollout("running", "pending"), 1500.0);
            Ok(Answer::One(rollout("completed", "success")))
        }
        other => panic!("{other:?}"),
    });
    assert!(
        matches!(&calls[0], Call::Trigger { app, env, timeout_ms, .. } if app == "a" && env == "prod" && *timeout_ms == 10_000.0)
    );
    assert!(
        matches!(&calls[1], Call::Wait { id, timeout_ms, .. } if id == "roll_9" && *timeout_ms == 9000.0),
        "{calls:?}"
    );
    assert_eq!(e.exit_code, 0);
    let v = json_of(&e);
    assert_eq!(v["outcome"], "success");
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["elapsed_ms"], 1000);
    assert_eq!(v["rollout"]["extra"]["kept"], true);
    assert_eq!(v["url"], "https://app.encore.dev/a/deploys/prod/9");
    assert!(
        e.stderr
            .contains("encore-cloud: deploying commit abc to a/prod"),
        "{}",
        e.stderr
    );
    assert!(e.stderr.contains("✓ roll_9 succeeded"), "{}", e.stderr);
}

#[test]
fn no_wait_and_status_report_running_with_exit_0() {
    let i = input(
        &[
            "deploy",
            "--app",
            "a",
            "--env",
            "p",
            "--branch",
            "main",
            "--no-wait",
        ],
        &[],
    );
    let (e, calls) = drive(i, |_, _| Ok(Answer::One(rollout("queued", "pending"))));
    assert_eq!((calls.len(), e.exit_code), (1, 0));
    assert_eq!(e.stdout, "roll_9 https://app.encore.dev/a/deploys/p/9\n");
    assert!(
        e.stderr
            .contains("follow it with: encore-cloud rollout wait --app a --env p roll_9"),
        "{}",
        e.stderr
    );

    let i = input(
        &[
            "rollout",
            "status",
            "--app",
            "a",
            "roll_9",
            "--json",
            "--api-url",
            "http://127.0.0.1:1",
        ],
        &[],
    );
    let (e, _) = drive(i, |_, _| Ok(Answer::One(rollout("completed", "failure"))));
    let v = json_of(&e);
    assert_eq!((v["outcome"].as_str(), e.exit_code), (Some("failure"), 0));
    assert_eq!(v["url"], J::Null);
}

#[test]
fn a_passed_deadline_gives_124_and_the_resume_command() {
    let i = input(
        &[
            "rollout", "wait", "--app", "a", "--env", "p", "roll_9", "--json",
        ],
        &[],
    );
    let (e, _) = drive(i, |_, run| {
        let _ = run.update(&rollout("running", "pending"), 1500.0);
        Err(Failure {
            name: "EncoreTimeoutError".into(),
            message: "rollout roll_9 did not complete within 5000 ms".into(),
            code: Some("deadline_exceeded".into()),
            ..Failure::default()
        })
    });
    assert_eq!(e.exit_code, 124);
    let v = json_of(&e);
    assert_eq!(v["outcome"], "timeout");
    assert_eq!(v["rollout"]["status"], "running");
    assert_eq!(v["error"]["name"], "EncoreTimeoutError");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(
        msg.ends_with("Resume with: encore-cloud rollout wait --app a --env p roll_9"),
        "{msg}"
    );
}

#[test]
fn usage_errors_end_before_any_call_in_every_mode() {
    let (e, calls) = drive(input(&["deploy", "--json"], &[]), |_, _| unreachable!());
    assert!(calls.is_empty());
    assert_eq!(e.exit_code, 2);
    let v = json_of(&e);
    assert_eq!(
        (v["outcome"].as_str(), v["error"]["name"].as_str()),
        (Some("error"), Some("UsageError"))
    );
    let (e, _) = drive(input(&["deploy"], &[]), |_, _| unreachable!());
    assert_eq!((e.exit_code, e.stdout.as_str()), (2, ""));
    assert!(e.stderr.starts_with("error: no app"), "{}", e.stderr);
    let (e, _) = drive(input(&["--version"], &[]), |_, _| unreachable!());
    assert_eq!(e.stdout, format!("encore-cloud {VERSION}\n"));
}

#[test]
fn github_actions_get_outputs_a_summary_and_an_error_annotation() {
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_OUTPUT", "/out"),
        ("GITHUB_STEP_SUMMARY", "/sum"),
        ("GITHUB_SHA", "c0ffee"),
    ];
    let i = input(&["deploy", "--app", "a", "--env", "p"], &env);
    let (e, _) = drive(i, |c, _| match c {
        Call::Trigger { trigger, .. } => {
            assert_eq!(trigger.target, Target::Sha("c0ffee".into()));
            Ok(Answer::One(rollout("queued", "pending")))
        }
        _ => Ok(Answer::One(json!({
            "id": "roll_9", "status": "completed", "conclusion": "canceled",
            "build": {"id": "b", "status": "completed", "conclusion": "canceled"},
            "infra": {"id": "i", "status": "pending", "conclusion": "unknown"},
            "deploy": {"id": "d", "status": "queued", "conclusion": "unknown"},
        }))),
    });
    assert_eq!(e.exit_code, 5);
    let (out, sum) = (&e.files[0], &e.files[1]);
    assert_eq!(out.0, "/out");
    assert_eq!(out.1, "rollout-id=roll_9\nurl=https://app.encore.dev/a/deploys/p/9\nstatus=completed\nconclusion=canceled\noutcome=canceled\n");
    assert_eq!(sum.0, "/sum");
    assert!(
        sum.1.contains("| build | completed | canceled |"),
        "{}",
        sum.1
    );
    assert!(
        e.stderr.contains("::error title=Rollout canceled::"),
        "{}",
        e.stderr
    );
}

#[test]
fn token_prints_the_token_alone_and_masks_it_under_github() {
    let tok = || {
        Ok(Answer::One(
            json!({"access_token": "tok_123", "expires_in": 3599.6, "actor": "o2c_x"}),
        ))
    };
    let (e, _) = drive(input(&["token"], &[("GITHUB_ACTIONS", "true")]), |_, _| {
        tok()
    });
    assert_eq!(e.stdout, "tok_123\n");
    assert_eq!(e.stderr, "::add-mask::tok_123\n");
    let (e, _) = drive(input(&["token", "--json"], &[]), |_, _| tok());
    let v = json_of(&e);
    assert_eq!(
        (v["access_token"].as_str(), v["expires_in"].as_i64()),
        (Some("tok_123"), Some(3600))
    );
    assert_eq!(e.stderr, "");
}

#[test]
fn members_commands_print_one_object() {
    let i = input(&["members", "list", "--app", "a", "--json"], &[]);
    let (e, calls) = drive(i, |_, _| {
        Ok(Answer::Many(vec![
            json!({"email": "x@y.z", "role": "owner"}),
        ]))
    });
    assert_eq!(calls, vec![Call::ListMembers { app: "a".into() }]);
    let v = json_of(&e);
    assert_eq!(
        (
            v["app"].as_str(),
            v["members"][0]["role"].as_str(),
            v["exit_code"].as_i64()
        ),
        (Some("a"), Some("owner"), Some(0))
    );
    let i = input(
        &[
            "members", "set-role", "--app", "a", "--email", "x@y.z", "--role", "reader",
        ],
        &[],
    );
    let (e, _) = drive(i, |_, _| Ok(Answer::Nothing));
    assert_eq!(
        e.stdout.split_whitespace().collect::<Vec<_>>(),
        ["x@y.z", "reader"]
    );
    let i = input(
        &[
            "members", "invite", "--app", "a", "--email", "x@y.z", "--role", "writer", "--json",
        ],
        &[],
    );
    let (e, _) = drive(i, |_, _| {
        Err(Failure {
            name: "EncoreApiError".into(),
            message: "not allowed".into(),
            status: Some(403),
            code: Some("permission_denied".into()),
            ..Failure::default()
        })
    });
    let v = json_of(&e);
    assert_eq!(
        (
            e.exit_code,
            v["member"].clone(),
            v["error"]["status"].as_i64()
        ),
        (3, J::Null, Some(403))
    );
}
