//! The command line's vocabulary: the flag table (which `node:util` `parseArgs` is given), the
//! commands and their flags, and the help text.

/// Whether a flag takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    /// `--app my-app`.
    Text,
    /// `--json`.
    Switch,
}

/// One flag.
#[derive(Clone, Copy, Debug)]
pub struct Flag {
    /// Its name, without `--`.
    pub name: &'static str,
    /// Text or switch.
    pub kind: FlagKind,
    /// One line of help (with the value's placeholder first, for text flags).
    pub help: &'static str,
}

const fn text(name: &'static str, help: &'static str) -> Flag {
    Flag {
        name,
        kind: FlagKind::Text,
        help,
    }
}

const fn switch(name: &'static str, help: &'static str) -> Flag {
    Flag {
        name,
        kind: FlagKind::Switch,
        help,
    }
}

/// Every flag of every command.
pub const FLAGS: &[Flag] = &[
    text(
        "app",
        "APP      app id (default $ENCORE_APP_ID, then the id in ./encore.app)",
    ),
    text("env", "ENV      environment (default $ENCORE_ENV_NAME)"),
    text(
        "sha",
        "SHA      commit to deploy (default $GITHUB_SHA or $CI_COMMIT_SHA)",
    ),
    text("branch", "BRANCH   deploy the head of a branch instead"),
    switch("skip-tests", "         skip the test step"),
    switch(
        "force-rebuild",
        "         rebuild even when a build of the commit exists",
    ),
    switch("no-wait", "         return once the rollout is triggered"),
    text(
        "timeout",
        "DUR      stop waiting after this long (default 30m; 90s, 5m, 1h30m, or seconds)",
    ),
    text(
        "interval",
        "DUR      time between polls (default 5s, never below 1s)",
    ),
    text("email", "EMAIL    the member's email"),
    text(
        "role",
        "ROLE     owner, writer, reader (or none, to revoke)",
    ),
    text(
        "secret-env",
        "NAME     the environment variable that holds the webhook secret",
    ),
    text(
        "header",
        "SIG      the X-Encore-Signature header of the delivery",
    ),
    switch(
        "json",
        "         print one JSON object on stdout, on success and on failure",
    ),
    text(
        "api-url",
        "URL      API base URL (default $ENCORE_API_URL, then the Encore Cloud API)",
    ),
    switch(
        "verbose",
        "         one line per HTTP attempt on stderr (secrets redacted)",
    ),
    switch("no-color", "         no colours (also: NO_COLOR set)"),
    switch("help", "         show help"),
    switch("version", "         show the version"),
];

/// The flags every command takes.
pub const GLOBAL: &[&str] = &["json", "api-url", "verbose", "no-color", "help"];

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// `deploy`.
    Deploy,
    /// `rollout status`.
    RolloutStatus,
    /// `rollout wait`.
    RolloutWait,
    /// `members list`.
    MembersList,
    /// `members invite`.
    MembersInvite,
    /// `members set-role`.
    MembersSetRole,
    /// `token`.
    Token,
    /// `webhook verify`.
    WebhookVerify,
}

/// One command: its words, usage line, summary and flags.
pub struct Spec {
    /// The command.
    pub command: Command,
    /// `rollout status`.
    pub words: &'static str,
    /// The usage line (after `encore-cloud `).
    pub usage: &'static str,
    /// One line for the command list.
    pub summary: &'static str,
    /// The flags it takes (besides the global ones).
    pub flags: &'static [&'static str],
}

const WAIT: &[&str] = &["app", "env", "timeout", "interval"];

const COMMANDS: &[Spec] = &[
    Spec {
        command: Command::Deploy,
        words: "deploy",
        usage: "deploy [--app APP] [--env ENV] [--sha SHA | --branch BRANCH] [--skip-tests] [--force-rebuild] [--no-wait] [--timeout 30m] [--interval 5s]",
        summary: "trigger a rollout and wait for it to finish",
        flags: &["app", "env", "sha", "branch", "skip-tests", "force-rebuild", "no-wait", "timeout", "interval"],
    },
    Spec {
        command: Command::RolloutStatus,
        words: "rollout status",
        usage: "rollout status --app APP [--env ENV] ROLLOUT_ID",
        summary: "print where a rollout stands",
        flags: &["app", "env"],
    },
    Spec {
        command: Command::RolloutWait,
        words: "rollout wait",
        usage: "rollout wait --app APP [--env ENV] ROLLOUT_ID [--timeout 30m] [--interval 5s]",
        summary: "wait for a rollout to finish",
        flags: WAIT,
    },
    Spec {
        command: Command::MembersList,
        words: "members list",
        usage: "members list --app APP",
        summary: "list the app's members",
        flags: &["app"],
    },
    Spec {
        command: Command::MembersInvite,
        words: "members invite",
        usage: "members invite --app APP --email EMAIL --role ROLE",
        summary: "invite a member",
        flags: &["app", "email", "role"],
    },
    Spec {
        command: Command::MembersSetRole,
        words: "members set-role",
        usage: "members set-role --app APP --email EMAIL --role ROLE",
        summary: "change a member's role (none revokes)",
        flags: &["app", "email", "role"],
    },
    Spec {
        command: Command::Token,
        words: "token",
        usage: "token",
        summary: "print an access token (for other tools)",
        flags: &[],
    },
    Spec {
        command: Command::WebhookVerify,
        words: "webhook verify",
        usage: "webhook verify --secret-env NAME --header SIG < body.json",
        summary: "verify a webhook delivery read from stdin and print its event",
        flags: &["secret-env", "header"],
    },
];

/// The `parseArgs` option table: `(name, is_text)` for every flag.
pub fn parse_args_table() -> impl Iterator<Item = (&'static str, bool)> {
    FLAGS.iter().map(|f| (f.name, f.kind == FlagKind::Text))
}

/// The command the leading words name, and how many words that took.
pub fn find(words: &[String]) -> Option<(&'static Spec, usize)> {
    COMMANDS.iter().find_map(|s| {
        let n = s.words.split(' ').count();
        let given = words.get(..n)?;
        s.words
            .split(' ')
            .eq(given.iter().map(String::as_str))
            .then_some((s, n))
    })
}

/// The help text: every command, or one command's flags.
pub fn help(command: Option<Command>) -> String {
    let mut out = String::new();
    let flag_lines = |out: &mut String, names: &[&str]| {
        for f in FLAGS.iter().filter(|f| names.contains(&f.name)) {
            out.push_str(&format!("  --{:<15}{}\n", f.name, f.help));
        }
    };
    match COMMANDS.iter().find(|s| Some(s.command) == command) {
        Some(s) => {
            out.push_str(&format!(
                "Usage: encore-cloud {}\n\n{}.\n\nOptions:\n",
                s.usage, s.summary
            ));
            flag_lines(&mut out, s.flags);
        }
        None => {
            out.push_str("Usage: encore-cloud COMMAND [options]\n\nDeploy to Encore Cloud from CI: trigger, wait, report.\n\nCommands:\n");
            for s in COMMANDS {
                out.push_str(&format!("  {:<18}{}\n", s.words, s.summary));
            }
            out.push_str("\nRun `encore-cloud COMMAND --help` for a command's options.\n");
        }
    }
    out.push_str("\nGlobal options:\n");
    flag_lines(&mut out, GLOBAL);
    out.push_str(concat!(
        "\nCredentials come from the environment only: ENCORE_CLIENT_ID and ENCORE_CLIENT_SECRET\n",
        "(an OAuth client), or ENCORE_ACCESS_TOKEN.\n",
        "Exit codes: 0 ok, 1 rollout failed, 2 usage, 3 auth, 4 not found or rejected input,\n",
        "5 canceled or rejected, 6 API unreachable or outcome unknown, 124 timeout, 130 interrupted.\n",
    ));
    out
}
