use super::*;
use crate::core::cli::commands::{parse_args_table, FlagKind, FLAGS};

fn input(args: &[&str], env: &[(&str, &str)]) -> Input {
    // What parseArgs gives for these arguments (flags first, then positionals).
    let mut values = Vec::new();
    let mut positionals = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.strip_prefix("--") {
            Some(name) => {
                let flag = FLAGS.iter().find(|f| f.name == name).unwrap();
                let v = match flag.kind {
                    FlagKind::Text => Value::Text(it.next().unwrap().to_string()),
                    FlagKind::Switch => Value::On,
                };
                values.push((name.to_owned(), v));
            }
            None => positionals.push(a.to_string()),
        }
    }
    let mut env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if !env
        .iter()
        .any(|(k, _)| k.starts_with("ENCORE_CLIENT") || k == "ENCORE_ACCESS_TOKEN" || k == "NONE")
    {
        env.push(("ENCORE_CLIENT_ID".into(), "o2c_x".into()));
        env.push(("ENCORE_CLIENT_SECRET".into(), "s3cret-value".into()));
    }
    Input {
        argv: args.iter().map(|s| s.to_string()).collect(),
        values,
        positionals,
        env,
        ..Input::default()
    }
}

fn plan_of(args: &[&str], env: &[(&str, &str)]) -> Plan {
    match interpret(&input(args, env)) {
        Ok(Invocation::Run(p)) => *p,
        other => panic!("{args:?}: {other:?}"),
    }
}

fn usage_of(args: &[&str], env: &[(&str, &str)]) -> String {
    match interpret(&input(args, env)) {
        Err(u) => u.message,
        other => panic!("{args:?}: expected a usage error, got {other:?}"),
    }
}

#[test]
fn deploy_reads_flags_then_environment() {
    let p = plan_of(
        &[
            "deploy",
            "--app",
            "a",
            "--env",
            "prod",
            "--sha",
            "abc",
            "--skip-tests",
            "--timeout",
            "90s",
            "--interval",
            "2s",
        ],
        &[],
    );
    assert_eq!(p.command, Command::Deploy);
    assert_eq!((p.app.as_str(), p.env.as_deref()), ("a", Some("prod")));
    let t = p.trigger.unwrap();
    assert_eq!(
        t.target,
        crate::core::resources::rollouts::Target::Sha("abc".into())
    );
    assert!(t.skip_tests && !t.force_rebuild);
    assert_eq!(
        (p.timeout_ms, p.interval_ms, p.wait),
        (90_000.0, Some(2000.0), true)
    );

    let env = [
        ("ENCORE_APP_ID", "from-env"),
        ("ENCORE_ENV_NAME", "staging"),
        ("GITHUB_SHA", "f00d"),
    ];
    let p = plan_of(&["deploy", "--no-wait"], &env);
    assert_eq!(
        (p.app.as_str(), p.env.as_deref(), p.wait),
        ("from-env", Some("staging"), false)
    );
    assert_eq!(
        p.trigger.unwrap().target,
        crate::core::resources::rollouts::Target::Sha("f00d".into())
    );
    assert_eq!(p.timeout_ms, DEFAULT_TIMEOUT_MS);
    // Flags win over the environment; a branch wins over GITHUB_SHA.
    let p = plan_of(&["deploy", "--app", "flag", "--branch", "main"], &env);
    assert_eq!(p.app, "flag");
    assert_eq!(
        p.trigger.unwrap().target,
        crate::core::resources::rollouts::Target::Branch("main".into())
    );
    let p = plan_of(
        &["deploy"],
        &[
            ("ENCORE_APP_ID", "a"),
            ("ENCORE_ENV_NAME", "e"),
            ("CI_COMMIT_SHA", "c1"),
        ],
    );
    assert_eq!(
        p.trigger.unwrap().target,
        crate::core::resources::rollouts::Target::Sha("c1".into())
    );
}

#[test]
fn the_app_falls_back_to_encore_app() {
    let mut i = input(&["rollout", "status", "roll_1"], &[]);
    i.app_file = Some("// app\n{\"id\": \"file-app\",}\n".into());
    match interpret(&i) {
        Ok(Invocation::Run(p)) => assert_eq!(
            (p.app.as_str(), p.rollout_id.as_deref()),
            ("file-app", Some("roll_1"))
        ),
        other => panic!("{other:?}"),
    }
    i.env.push(("ENCORE_APP_ID".into(), "env-app".into()));
    match interpret(&i) {
        Ok(Invocation::Run(p)) => assert_eq!(p.app, "env-app"),
        other => panic!("{other:?}"),
    }
    let mut broken = input(&["rollout", "status", "roll_1"], &[]);
    broken.app_file = Some("{\"id\": }".into());
    assert!(interpret(&broken)
        .unwrap_err()
        .message
        .contains("encore.app is not valid HuJSON"));
}

#[test]
fn usage_errors_say_what_is_missing() {
    let e = [("ENCORE_APP_ID", "a"), ("ENCORE_ENV_NAME", "e")];
    assert!(usage_of(&["deploy"], &e).contains("--sha or --branch"));
    assert!(usage_of(&["deploy", "--sha", "a", "--branch", "b"], &e).contains("not both"));
    assert!(usage_of(&["deploy", "--sha", " "], &e).contains("--sha is empty"));
    assert!(usage_of(&["deploy", "--sha", "x"], &[("ENCORE_APP_ID", "a")]).contains("--env"));
    assert!(usage_of(&["deploy", "--env", "e", "--sha", "x"], &[]).contains("no app"));
    assert!(usage_of(&["deploy", "--sha", "x", "--timeout", "soon"], &e)
        .contains("--timeout \"soon\" is not a duration"));
    assert!(usage_of(&["deploy", "--sha", "x", "--timeout", "0"], &e).contains("longer than 0"));
    assert!(usage_of(&["rollout", "status"], &e).contains("needs a ROLLOUT_ID"));
    assert!(usage_of(&["rollout", "status", "a", "b"], &e).contains("unexpected argument \"b\""));
    assert!(usage_of(&["rollout", "status", "r", "--sha", "x"], &e).contains("does not take --sha"));
    assert!(usage_of(&["frobnicate"], &e).contains("unknown command \"frobnicate\""));
    assert!(usage_of(&["members", "invite", "--email", "a@b.c"], &e).contains("--role is required"));
    let mut bad = input(&["deploy"], &e);
    bad.parse_error = Some("Unknown option '--bogus'".into());
    assert_eq!(
        interpret(&bad).unwrap_err().message,
        "Unknown option '--bogus'"
    );
    assert_eq!(interpret(&bad).unwrap_err().command, Some(Command::Deploy));
}

#[test]
fn credentials_come_from_the_environment_only() {
    let e = |extra: &[(&'static str, &'static str)]| {
        let mut v = vec![("ENCORE_APP_ID", "a"), ("NONE", "")];
        v.extend_from_slice(extra);
        v
    };
    let args = ["rollout", "status", "r"];
    assert!(usage_of(&args, &e(&[]))
        .starts_with("no credentials: set ENCORE_CLIENT_ID and ENCORE_CLIENT_SECRET"));
    let hint = usage_of(&args, &e(&[("ENCORE_AUTH_KEY", "ak_1")]));
    assert!(
        hint.contains("ENCORE_AUTH_KEY is the Encore CLI's auth key, not an OAuth client"),
        "{hint}"
    );
    assert!(
        hint.contains("OAuth Clients") && !hint.contains("ak_1"),
        "{hint}"
    );
    assert!(
        usage_of(&args, &e(&[("ENCORE_CLIENT_ID", "o2c")])).contains("ENCORE_CLIENT_SECRET is not")
    );
    let p = plan_of(&args, &e(&[("ENCORE_ACCESS_TOKEN", "tok")]));
    assert_eq!(p.credentials, Some(Credentials::Token("tok".into())));
    assert_eq!(format!("{:?}", p.credentials), "Some(Token([redacted]))");
    let p = plan_of(
        &args,
        &e(&[
            ("ENCORE_CLIENT_ID", "o2c"),
            ("ENCORE_CLIENT_SECRET", "sec"),
            ("ENCORE_ACCESS_TOKEN", "t"),
        ]),
    );
    assert!(matches!(p.credentials, Some(Credentials::Client { .. })));
    assert!(!format!("{p:?}").contains("sec\""), "{p:?}");
}

#[test]
fn help_version_and_output_shape() {
    assert!(
        matches!(interpret(&input(&[], &[])), Ok(Invocation::Help(h)) if h.contains("Commands:"))
    );
    assert!(
        matches!(interpret(&input(&["--help"], &[])), Ok(Invocation::Help(h)) if h.contains("rollout wait"))
    );
    match interpret(&input(&["deploy", "--help"], &[])) {
        Ok(Invocation::Help(h)) => {
            assert!(h.starts_with("Usage: encore-cloud deploy"), "{h}");
            assert!(h.contains("--no-wait") && !h.contains("--email"), "{h}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        interpret(&input(&["--version"], &[])),
        Ok(Invocation::Version)
    );

    let mut i = input(
        &["token", "--json"],
        &[("GITHUB_ACTIONS", "true"), ("GITHUB_OUTPUT", "/o")],
    );
    i.stderr_tty = true;
    let o = Output::of(&i);
    assert!(o.json && o.live && o.color && o.github);
    assert_eq!(o.github_output.as_deref(), Some("/o"));
    i.env.push(("NO_COLOR".into(), "1".into()));
    assert!(!Output::of(&i).color);
    i.env.push(("CI".into(), "true".into()));
    assert!(!Output::of(&i).live);
    // GITHUB_OUTPUT without GITHUB_ACTIONS=true is not written.
    let i = input(&["token"], &[("GITHUB_OUTPUT", "/o")]);
    assert_eq!(Output::of(&i).github_output, None);
    // --json is honoured even when parsing failed.
    let mut i = input(&["token"], &[]);
    i.argv.push("--json".into());
    i.parse_error = Some("bad".into());
    assert!(Output::of(&i).json);
    assert_eq!(
        parse_args_table().find(|(n, _)| *n == "timeout"),
        Some(("timeout", true))
    );
}

#[test]
fn webhook_verify_needs_a_secret_variable_and_no_credentials() {
    let none = [("NONE", "")];
    let p = plan_of(
        &[
            "webhook",
            "verify",
            "--secret-env",
            "HOOK_SECRET",
            "--header",
            "t=1,v1=x",
        ],
        &[("NONE", ""), ("HOOK_SECRET", "whsec")],
    );
    assert_eq!(p.command, Command::WebhookVerify);
    assert_eq!(p.credentials, None);
    assert_eq!(p.webhook, Some(("HOOK_SECRET".into(), "t=1,v1=x".into())));
    assert!(!format!("{p:?}").contains("whsec"));
    assert!(usage_of(&["webhook", "verify"], &none).contains("--secret-env NAME is required"));
    assert!(
        usage_of(&["webhook", "verify", "--secret-env", "NOPE"], &none)
            .contains("the variable NOPE (--secret-env) is not set")
    );
    // Only the variables the command reads cross into the core.
    let values = vec![("secret-env".to_owned(), Value::Text("HOOK_SECRET".into()))];
    assert!(reads_env("HOOK_SECRET", &values) && reads_env("GITHUB_SHA", &values));
    assert!(!reads_env("HOOK_SECRET", &[]) && !reads_env("AWS_SECRET_ACCESS_KEY", &values));
}
