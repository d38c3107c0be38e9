//! The `encore-cloud` command's policy, as pure functions and one sans-IO state machine
//! ([`run::Run`]): what the arguments and the environment mean, durations, the outcome and
//! exit code of every ending, progress for terminals and for CI logs, the `--json` object,
//! advice for errors, the dashboard link, GitHub Actions' outputs and step summary, and the
//! app id of an `encore.app` file. The JavaScript entry only reads and writes.

pub mod appfile;
pub mod args;
pub mod commands;
pub mod duration;
pub mod github;
pub mod outcome;
pub mod report;
pub mod run;
pub mod view;

use crate::core::json::Json;
use crate::core::model::{Field, Path};
use crate::core::resources::rollouts::Rollout;

/// Reads a rollout the client handed back (timestamps as `Date`s or strings).
pub fn rollout<J: Json>(v: &J) -> Result<Rollout, String> {
    Rollout::from_json(v, &Path::Root)
}
