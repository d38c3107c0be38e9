//! What the parsed flags and the environment mean: a [`Plan`], or a usage error (exit 2) found
//! before any request. The flags and commands themselves are in [`crate::core::cli::commands`].

pub use crate::core::cli::commands::Command;
use crate::core::cli::commands::{find, help, GLOBAL};
use crate::core::cli::{appfile, duration};
use crate::core::error::quoted;
use crate::core::resources::rollouts::TriggerRollout;

/// The environment variables the command reads (with the one `--secret-env` names: [`reads_env`]).
pub const ENV_KEYS: &[&str] = &[
    "ENCORE_CLIENT_ID",
    "ENCORE_CLIENT_SECRET",
    "ENCORE_ACCESS_TOKEN",
    "ENCORE_AUTH_KEY",
    "ENCORE_API_URL",
    "ENCORE_APP_ID",
    "ENCORE_ENV_NAME",
    "GITHUB_SHA",
    "CI_COMMIT_SHA",
    "GITHUB_ACTIONS",
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "CI",
    "NO_COLOR",
];

/// Whether the command reads variable `key`: one of [`ENV_KEYS`], or the one `--secret-env`
/// names (`values` are the parsed flags).
pub fn reads_env(key: &str, values: &[(String, Value)]) -> bool {
    ENV_KEYS.contains(&key)
        || values
            .iter()
            .any(|(k, v)| k == "secret-env" && *v == Value::Text(key.to_owned()))
}

/// The default `--timeout`.
pub const DEFAULT_TIMEOUT_MS: f64 = 30.0 * 60_000.0;

/// A parsed flag's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A text flag's value.
    Text(String),
    /// A switch that was given.
    On,
}

/// What the JavaScript entry read.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// The raw arguments (to spot `--json` when parsing failed).
    pub argv: Vec<String>,
    /// `parseArgs` values.
    pub values: Vec<(String, Value)>,
    /// `parseArgs` positionals.
    pub positionals: Vec<String>,
    /// `parseArgs`'s error message, when it refused the arguments.
    pub parse_error: Option<String>,
    /// The variables of [`ENV_KEYS`] that are set.
    pub env: Vec<(String, String)>,
    /// The text of `./encore.app`, when there is one.
    pub app_file: Option<String>,
    /// Whether stderr is a terminal.
    pub stderr_tty: bool,
}

impl Input {
    fn value(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// A text flag's value (a switch's is `None`).
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.value(name) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// Whether a switch was given.
    pub fn on(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// A variable, when set and not empty.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }
}

/// How output is shaped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// `--json`.
    pub json: bool,
    /// `--verbose`.
    pub verbose: bool,
    /// A live view (stderr is a terminal and `CI` is not set).
    pub live: bool,
    /// Colours (live, and neither `NO_COLOR` nor `--no-color`).
    pub color: bool,
    /// Running under GitHub Actions.
    pub github: bool,
    /// `$GITHUB_OUTPUT`, under GitHub Actions.
    pub github_output: Option<String>,
    /// `$GITHUB_STEP_SUMMARY`, under GitHub Actions.
    pub step_summary: Option<String>,
}

impl Output {
    /// The output shape; never fails.
    pub fn of(input: &Input) -> Output {
        let json = input.on("json")
            || (input.parse_error.is_some() && input.argv.iter().any(|a| a == "--json"));
        let live = input.stderr_tty && input.var("CI").is_none();
        let github = input.var("GITHUB_ACTIONS") == Some("true");
        let path = |k| input.var(k).filter(|_| github).map(str::to_owned);
        Output {
            json,
            verbose: input.on("verbose"),
            live,
            color: live && !input.on("no-color") && input.var("NO_COLOR").is_none(),
            github,
            github_output: path("GITHUB_OUTPUT"),
            step_summary: path("GITHUB_STEP_SUMMARY"),
        }
    }
}

/// The credentials, from the environment only.
#[derive(Clone, PartialEq)]
pub enum Credentials {
    /// `ENCORE_CLIENT_ID` + `ENCORE_CLIENT_SECRET`.
    Client {
        /// The id.
        id: String,
        /// The secret.
        secret: String,
    },
    /// `ENCORE_ACCESS_TOKEN`.
    Token(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Client { id, .. } => write!(f, "Client({id}, [redacted])"),
            Credentials::Token(_) => f.write_str("Token([redacted])"),
        }
    }
}

/// A command ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The command.
    pub command: Command,
    /// The app (empty for `token`).
    pub app: String,
    /// The environment, when given.
    pub env: Option<String>,
    /// The rollout of `rollout status|wait`.
    pub rollout_id: Option<String>,
    /// What `deploy` rolls out.
    pub trigger: Option<TriggerRollout>,
    /// Whether to wait for the rollout to finish.
    pub wait: bool,
    /// The overall deadline of the command.
    pub timeout_ms: f64,
    /// The base poll interval (the client floors it).
    pub interval_ms: Option<f64>,
    /// `--email`.
    pub email: Option<String>,
    /// `--role`.
    pub role: Option<String>,
    /// The credentials (none for `webhook verify`, which calls no API).
    pub credentials: Option<Credentials>,
    /// `webhook verify`: the variable holding the secret, and the signature header.
    pub webhook: Option<(String, String)>,
    /// `--api-url`, then `ENCORE_API_URL`.
    pub api_url: Option<String>,
}

/// What the arguments ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum Invocation {
    /// Print this help text.
    Help(String),
    /// Print the version.
    Version,
    /// Run a command.
    Run(Box<Plan>),
}

/// A usage error, with the command it concerns when that is known.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    /// The command, when the words named one.
    pub command: Option<Command>,
    /// What is wrong.
    pub message: String,
}

/// Reads the arguments and the environment.
pub fn interpret(input: &Input) -> Result<Invocation, Usage> {
    let spec = find(&input.positionals);
    let usage = |message: String| Usage {
        command: spec.map(|(s, _)| s.command),
        message,
    };
    if let Some(e) = &input.parse_error {
        return Err(usage(e.clone()));
    }
    if input.on("version") {
        return Ok(Invocation::Version);
    }
    let Some((spec, used)) = spec else {
        if input.on("help") || input.positionals.is_empty() {
            return Ok(Invocation::Help(help(None)));
        }
        return Err(usage(format!(
            "unknown command {}; run `encore-cloud --help`",
            quoted(&input.positionals.join(" "))
        )));
    };
    if input.on("help") {
        return Ok(Invocation::Help(help(Some(spec.command))));
    }
    if let Some((name, _)) = input
        .values
        .iter()
        .find(|(k, _)| !spec.flags.contains(&k.as_str()) && !GLOBAL.contains(&k.as_str()))
    {
        return Err(usage(format!("`{}` does not take --{name}", spec.words)));
    }
    let rest = input.positionals.get(used..).unwrap_or_default();
    let takes_id = matches!(spec.command, Command::RolloutStatus | Command::RolloutWait);
    let rollout_id = match (takes_id, rest) {
        (true, [id]) => Some(id.clone()),
        (true, []) => return Err(usage(format!("`{}` needs a ROLLOUT_ID", spec.words))),
        (_, []) => None,
        (_, extra) => {
            let skip = usize::from(takes_id);
            return Err(usage(format!(
                "unexpected argument {}",
                quoted(extra.get(skip).map_or("", String::as_str))
            )));
        }
    };
    plan(input, spec.command, rollout_id).map_err(usage)
}

fn plan(input: &Input, command: Command, rollout_id: Option<String>) -> Result<Invocation, String> {
    let needed = |v: Option<String>, what: &str| v.ok_or_else(|| what.to_owned());
    let webhook = match command {
        Command::WebhookVerify => {
            let name = needed(
                input.text("secret-env").map(str::to_owned),
                "--secret-env NAME is required (the secret comes from the environment only)",
            )?;
            if input.var(&name).is_none() {
                return Err(format!("the variable {name} (--secret-env) is not set"));
            }
            let header = input.text("header").unwrap_or_default().to_owned();
            Some((name, header))
        }
        _ => None,
    };
    let app = if matches!(command, Command::Token | Command::WebhookVerify) {
        String::new()
    } else {
        let from_file = match &input.app_file {
            Some(text) if input.text("app").is_none() && input.var("ENCORE_APP_ID").is_none() => {
                appfile::app_id(text)?
            }
            _ => None,
        };
        needed(
            input
                .text("app")
                .or(input.var("ENCORE_APP_ID"))
                .map(str::to_owned)
                .or(from_file),
            "no app: pass --app, set ENCORE_APP_ID, or run where an encore.app file has an id",
        )?
    };
    let env = input
        .text("env")
        .or(input.var("ENCORE_ENV_NAME"))
        .map(str::to_owned);
    let trigger = if command == Command::Deploy {
        let sha = input.text("sha").map(str::to_owned);
        let branch = input.text("branch").map(str::to_owned);
        if sha.is_some() && branch.is_some() {
            return Err("give --sha or --branch, not both".into());
        }
        let sha = match (&sha, &branch) {
            (None, None) => Some(needed(
                input
                    .var("GITHUB_SHA")
                    .or(input.var("CI_COMMIT_SHA"))
                    .map(str::to_owned),
                "nothing to deploy: pass --sha or --branch (GITHUB_SHA and CI_COMMIT_SHA are not set)",
            )?),
            _ => sha,
        };
        if env.is_none() {
            return Err("no environment: pass --env or set ENCORE_ENV_NAME".into());
        }
        for (flag, v) in [("--sha", &sha), ("--branch", &branch)] {
            if v.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(format!("{flag} is empty"));
            }
        }
        let t = TriggerRollout::new(
            sha,
            branch,
            input.on("skip-tests"),
            input.on("force-rebuild"),
        )
        .map_err(|e| e.message)?;
        Some(t)
    } else {
        None
    };
    let timeout_ms = match input.text("timeout") {
        Some(t) => match duration::parse("--timeout", t)? {
            ms if ms > 0.0 => ms,
            _ => return Err("--timeout must be longer than 0".into()),
        },
        None => DEFAULT_TIMEOUT_MS,
    };
    let interval_ms = input
        .text("interval")
        .map(|t| duration::parse("--interval", t))
        .transpose()?;
    let (email, role) = match command {
        Command::MembersInvite | Command::MembersSetRole => (
            Some(needed(
                input.text("email").map(str::to_owned),
                "--email is required",
            )?),
            Some(needed(
                input.text("role").map(str::to_owned),
                "--role is required",
            )?),
        ),
        _ => (None, None),
    };
    Ok(Invocation::Run(Box::new(Plan {
        command,
        app,
        env,
        rollout_id,
        trigger,
        wait: !input.on("no-wait"),
        timeout_ms,
        interval_ms,
        email,
        role,
        credentials: match command {
            Command::WebhookVerify => None,
            _ => Some(credentials(input)?),
        },
        webhook,
        api_url: input
            .text("api-url")
            .or(input.var("ENCORE_API_URL"))
            .map(str::to_owned),
    })))
}

fn credentials(input: &Input) -> Result<Credentials, String> {
    match (
        input.var("ENCORE_CLIENT_ID"),
        input.var("ENCORE_CLIENT_SECRET"),
        input.var("ENCORE_ACCESS_TOKEN"),
    ) {
        (Some(id), Some(secret), _) => Ok(Credentials::Client {
            id: id.into(),
            secret: secret.into(),
        }),
        (Some(_), None, _) => Err("ENCORE_CLIENT_ID is set but ENCORE_CLIENT_SECRET is not".into()),
        (None, Some(_), _) => Err("ENCORE_CLIENT_SECRET is set but ENCORE_CLIENT_ID is not".into()),
        (None, None, Some(token)) => Ok(Credentials::Token(token.into())),
        (None, None, None) => {
            let mut m = String::from(
                "no credentials: set ENCORE_CLIENT_ID and ENCORE_CLIENT_SECRET (an OAuth client), or ENCORE_ACCESS_TOKEN",
            );
            if input.var("ENCORE_AUTH_KEY").is_some() {
                m.push_str(concat!(
                    ". ENCORE_AUTH_KEY is the Encore CLI's auth key, not an OAuth client: an app owner",
                    " creates OAuth clients in the Encore Cloud dashboard (app Settings → OAuth Clients,",
                    " https://encore.dev/docs/platform/oauth-clients)"
                ));
            }
            Err(m)
        }
    }
}

#[cfg(test)]
#[path = "args_tests.rs"]
mod tests;
