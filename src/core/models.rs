//! The API's resources as typed Rust values: [`Rollout`], [`RolloutPhase`], [`Token`], and the
//! body of a rollout trigger, [`TriggerRollout`].
//!
//! Field names are the wire names (`queued_at`, `skip_tests`, …). Unknown fields are ignored
//! here; the JavaScript layer hands the caller the object as sent, so they pass through there.

use crate::core::enums::*;
use crate::core::error::Error;
use crate::core::timestamp::Timestamp;
use std::fmt;

/// One phase of a rollout (build, infrastructure or deploy).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct RolloutPhase<S, C> {
    /// The phase's id.
    pub id: String,
    /// Where the phase stands.
    pub status: S,
    /// How it ended; `"unknown"` until `status` is `"completed"`.
    pub conclusion: C,
    /// When it was queued.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Date | null"))]
    pub queued_at: Option<Timestamp>,
    /// When it started.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Date | null"))]
    pub started_at: Option<Timestamp>,
    /// When it completed.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Date | null"))]
    pub completed_at: Option<Timestamp>,
}

/// A rollout: build, then infrastructure, then deploy.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Rollout {
    /// The rollout's id (`roll_…`).
    pub id: String,
    /// Where the rollout stands.
    pub status: RolloutStatus,
    /// How it ended; `"pending"` until `status` is `"completed"`.
    pub conclusion: RolloutConclusion,
    /// When it was queued.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Date | null"))]
    pub queued_at: Option<Timestamp>,
    /// When it started.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Date | null"))]
    pub started_at: Option<Timestamp>,
    /// When it completed.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Date | null"))]
    pub completed_at: Option<Timestamp>,
    /// The build phase.
    pub build: RolloutPhase<BuildStatus, BuildConclusion>,
    /// The infrastructure phase.
    pub infra: RolloutPhase<InfraStatus, InfraConclusion>,
    /// The deploy phase.
    pub deploy: RolloutPhase<DeployStatus, DeployConclusion>,
}

impl Rollout {
    /// Every timestamp of the rollout, in a fixed order that the JavaScript layer's `Date`
    /// conversion (`setRolloutDates` in `js/runtime.js`) follows: the rollout's queued,
    /// started, completed, then the same three for build, infra and deploy.
    pub fn timestamps(&self) -> [Option<Timestamp>; 12] {
        let (b, i, d) = (&self.build, &self.infra, &self.deploy);
        [
            self.queued_at,
            self.started_at,
            self.completed_at,
            b.queued_at,
            b.started_at,
            b.completed_at,
            i.queued_at,
            i.started_at,
            i.completed_at,
            d.queued_at,
            d.started_at,
            d.completed_at,
        ]
    }
}

/// An access token from `POST /api/oauth/token`.
///
/// `Debug` never prints the token itself.
#[derive(Clone, PartialEq)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(
        type = "{ access_token: string; expires_in: number; actor: string; token_type: \"Bearer\" }"
    )
)]
pub struct Token {
    /// The bearer token. Secret.
    pub access_token: String,
    /// Lifetime in seconds (3600 today; always read, never assumed).
    pub expires_in: f64,
    /// Who the token acts as: the OAuth client id (`o2c_…`).
    pub actor: String,
    /// Always `"Bearer"`.
    pub token_type: String,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .field("actor", &self.actor)
            .finish()
    }
}

impl Token {
    /// Checks what serde cannot: a usable token, a positive finite lifetime, a bearer type.
    pub fn validate(self) -> Result<Self, Error> {
        if self.access_token.is_empty() {
            return Err(Error::protocol("token response has an empty access_token"));
        }
        if !(self.expires_in.is_finite() && self.expires_in > 0.0) {
            return Err(Error::protocol("token response has no positive expires_in"));
        }
        if !self.token_type.eq_ignore_ascii_case("bearer") {
            return Err(Error::protocol(format!(
                "token response has token_type {}, expected \"Bearer\"",
                crate::core::error::quoted(&self.token_type)
            )));
        }
        Ok(self)
    }
}

/// What to roll out: a commit or the head of a branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A commit hash.
    Sha(String),
    /// A branch name.
    Branch(String),
}

/// The body of `POST /api/apps/{app}/envs/{env}/rollouts`, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(
        type = "({ sha: string; branch?: never } | { branch: string; sha?: never }) & { skip_tests?: boolean; force_rebuild?: boolean }"
    )
)]
pub struct TriggerRollout {
    /// The commit or branch.
    pub target: Target,
    /// Skip the test step.
    pub skip_tests: bool,
    /// Rebuild even when a build of this commit exists.
    pub force_rebuild: bool,
}

impl TriggerRollout {
    /// Builds a trigger from the loosely typed fields a caller passed, refusing anything but
    /// exactly one non-empty `sha` or `branch`.
    pub fn new(
        sha: Option<String>,
        branch: Option<String>,
        skip_tests: bool,
        force_rebuild: bool,
    ) -> Result<Self, Error> {
        let target = match (sha, branch) {
            (Some(_), Some(_)) => {
                return Err(Error::validation(
                    "give either `sha` or `branch` to roll out, not both",
                ))
            }
            (None, None) => {
                return Err(Error::validation(
                    "give `sha` (a commit) or `branch` to roll out",
                ))
            }
            (Some(s), None) if s.trim().is_empty() => {
                return Err(Error::validation("`sha` is empty"))
            }
            (None, Some(b)) if b.trim().is_empty() => {
                return Err(Error::validation("`branch` is empty"))
            }
            (Some(s), None) => Target::Sha(s),
            (None, Some(b)) => Target::Branch(b),
        };
        Ok(TriggerRollout {
            target,
            skip_tests,
            force_rebuild,
        })
    }

    /// The JSON body; optional flags are omitted when false.
    pub fn to_json(&self) -> String {
        let (key, value) = match &self.target {
            Target::Sha(s) => ("sha", s),
            Target::Branch(b) => ("branch", b),
        };
        let mut out = String::with_capacity(value.len() + 48);
        out.push_str("{\"");
        out.push_str(key);
        out.push_str("\":");
        out.push_str(&json_string(value));
        if self.skip_tests {
            out.push_str(",\"skip_tests\":true");
        }
        if self.force_rebuild {
            out.push_str(",\"force_rebuild\":true");
        }
        out.push('}');
        out
    }
}

/// A JSON string literal for `s` (RFC 8259 escaping).
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let n = c as u32;
                let hex = |d: u32| char::from_digit(d, 16).unwrap_or('0');
                out.push_str("\\u00");
                out.push(hex(n >> 4));
                out.push(hex(n & 15));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_needs_exactly_one_target() {
        assert!(TriggerRollout::new(None, None, false, false).is_err());
        assert!(TriggerRollout::new(Some("a".into()), Some("b".into()), false, false).is_err());
        assert!(TriggerRollout::new(Some("".into()), None, false, false).is_err());
        assert!(TriggerRollout::new(None, Some("  ".into()), false, false).is_err());
        let t = TriggerRollout::new(None, Some("main".into()), false, false).unwrap();
        assert_eq!(t.to_json(), r#"{"branch":"main"}"#);
    }

    #[test]
    fn trigger_body_escapes_and_includes_flags() {
        let t = TriggerRollout::new(Some("ab\"c\\\n".into()), None, true, true).unwrap();
        assert_eq!(
            t.to_json(),
            r#"{"sha":"ab\"c\\\n","skip_tests":true,"force_rebuild":true}"#
        );
        let v: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
        assert_eq!(v["sha"], "ab\"c\\\n");
        for odd in ["\u{0}\u{1f}\u{7f}", "é😀", "\\\"", "\r\t"] {
            let v: serde_json::Value = serde_json::from_str(&json_string(odd)).unwrap();
            assert_eq!(v, odd);
        }
    }

    #[test]
    fn token_debug_is_redacted_and_validation_works() {
        let t = Token {
            access_token: "s3cr3t".into(),
            expires_in: 3600.0,
            actor: "o2c_x".into(),
            token_type: "Bearer".into(),
        };
        assert!(!format!("{t:?}").contains("s3cr3t"));
        assert!(t.clone().validate().is_ok());
        let mut bad = t.clone();
        bad.expires_in = 0.0;
        assert!(bad.validate().is_err());
        let mut bad = t;
        bad.token_type = "mac".into();
        assert!(bad.validate().is_err());
    }
}
