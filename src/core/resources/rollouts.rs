//! The rollouts resource: `POST /api/apps/{app}/envs/{env}/rollouts` (trigger) and
//! `GET /api/apps/{app}/rollouts/{id}`: paths, the trigger body, the models, idempotency and
//! the wording of an ambiguous trigger.

use crate::core::client::{Client, Fetched, Op};
use crate::core::env::Env;
use crate::core::error::Error;
use crate::core::json::json_string;
use crate::core::timestamp::DateOrNull;
use crate::core::url::{path_segment, BaseUrl};

crate::string_enum!(
    /// Where a rollout as a whole stands.
    RolloutStatus, ts = "\"pending\" | \"queued\" | \"running\" | \"completed\"" {
        /// Created, not yet queued.
        Pending = "pending",
        /// Waiting for a runner.
        Queued = "queued",
        /// A phase is running.
        Running = "running",
        /// Finished; `conclusion` says how.
        Completed = "completed",
    }
);

crate::string_enum!(
    /// How a rollout ended; `pending` until its status is `completed`.
    RolloutConclusion, ts = "\"pending\" | \"canceled\" | \"failure\" | \"success\"" {
        /// Not finished yet.
        Pending = "pending",
        /// Canceled before it finished.
        Canceled = "canceled",
        /// A phase failed.
        Failure = "failure",
        /// Every phase succeeded.
        Success = "success",
    }
);

crate::string_enum!(
    /// Status of the build phase.
    BuildStatus, ts = "\"queued\" | \"running\" | \"completed\"" {
        /// Waiting to start.
        Queued = "queued",
        /// Building.
        Running = "running",
        /// Finished.
        Completed = "completed",
    }
);

crate::string_enum!(
    /// Conclusion of the build phase; `unknown` until completed.
    BuildConclusion, ts = "\"unknown\" | \"canceled\" | \"failure\" | \"success\"" {
        /// Not finished yet (the wire value `"unknown"`).
        NotYet = "unknown",
        /// Canceled.
        Canceled = "canceled",
        /// The build failed.
        Failure = "failure",
        /// The build succeeded.
        Success = "success",
    }
);

crate::string_enum!(
    /// Status of the infrastructure phase.
    InfraStatus, ts = "\"pending\" | \"proposed\" | \"queued\" | \"running\" | \"completed\"" {
        /// Waiting for the build.
        Pending = "pending",
        /// The infrastructure change awaits a human's approval.
        Proposed = "proposed",
        /// Waiting to start.
        Queued = "queued",
        /// Provisioning.
        Running = "running",
        /// Finished.
        Completed = "completed",
    }
);

crate::string_enum!(
    /// Conclusion of the infrastructure phase; `unknown` until completed.
    InfraConclusion, ts = "\"unknown\" | \"canceled\" | \"failure\" | \"rejected\" | \"success\"" {
        /// Not finished yet (the wire value `"unknown"`).
        NotYet = "unknown",
        /// Canceled.
        Canceled = "canceled",
        /// Provisioning failed.
        Failure = "failure",
        /// A human rejected the proposed change.
        Rejected = "rejected",
        /// Provisioned.
        Success = "success",
    }
);

crate::string_enum!(
    /// Status of the deploy phase.
    DeployStatus, ts = "\"queued\" | \"running\" | \"completed\"" {
        /// Waiting to start.
        Queued = "queued",
        /// Deploying.
        Running = "running",
        /// Finished.
        Completed = "completed",
    }
);

crate::string_enum!(
    /// Conclusion of the deploy phase; `unknown` until completed.
    DeployConclusion, ts = "\"unknown\" | \"canceled\" | \"failure\" | \"success\"" {
        /// Not finished yet (the wire value `"unknown"`).
        NotYet = "unknown",
        /// Canceled.
        Canceled = "canceled",
        /// The deploy failed.
        Failure = "failure",
        /// Deployed.
        Success = "success",
    }
);

crate::model! {
    /// One phase of a rollout (build, infrastructure or deploy).
    pub struct RolloutPhase<S, C> {
        /// The phase's id.
        id: String = required,
        /// Where the phase stands.
        status: S = required,
        /// How it ended; `"unknown"` until `status` is `"completed"`.
        conclusion: C = required,
        /// When it was queued.
        queued_at: DateOrNull = or_default,
        /// When it started.
        started_at: DateOrNull = or_default,
        /// When it completed.
        completed_at: DateOrNull = or_default,
    }
}

crate::model! {
    /// A rollout: build, then infrastructure, then deploy.
    pub struct Rollout {
        /// The rollout's id (`roll_…`).
        id: String = required,
        /// Where the rollout stands.
        status: RolloutStatus = required,
        /// How it ended; `"pending"` until `status` is `"completed"`.
        conclusion: RolloutConclusion = required,
        /// When it was queued.
        queued_at: DateOrNull = or_default,
        /// When it started.
        started_at: DateOrNull = or_default,
        /// When it completed.
        completed_at: DateOrNull = or_default,
        /// The build phase.
        build: RolloutPhase<BuildStatus, BuildConclusion> = required,
        /// The infrastructure phase.
        infra: RolloutPhase<InfraStatus, InfraConclusion> = required,
        /// The deploy phase.
        deploy: RolloutPhase<DeployStatus, DeployConclusion> = required,
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

/// The environment's deploys page in the Encore dashboard, when the base URL is the real API
/// (`api.encore.dev` or `api.encore.cloud`): where a person sees every rollout of it.
pub fn dashboard_deploys_url(base: &BaseUrl, app_id: &str, env_name: &str) -> Option<String> {
    base.is_vendor_api().then(|| {
        format!(
            "https://app.encore.dev/{}/deploys/{}",
            crate::core::url::percent_encode(app_id, false),
            crate::core::url::percent_encode(env_name, false)
        )
    })
}

/// Where to look after a trigger whose outcome is unknown: the dashboard page when known.
fn where_to_look(base: &BaseUrl, app_id: &str, env_name: &str) -> String {
    match dashboard_deploys_url(base, app_id, env_name) {
        Some(url) => format!("look for it on the Encore dashboard ({url})"),
        None => format!("look for it on the Encore dashboard (the deploys page of {env_name})"),
    }
}

/// `POST /api/apps/{app}/envs/{env}/rollouts`: never retried once it may have been applied.
pub fn trigger(
    base: &BaseUrl,
    app_id: &str,
    env_name: &str,
    trigger: &TriggerRollout,
) -> Result<Op<Rollout>, Error> {
    let path = format!(
        "/api/apps/{}/envs/{}/rollouts",
        path_segment("appId", app_id)?,
        path_segment("envName", env_name)?
    );
    let look = where_to_look(base, app_id, env_name);
    let mut op = Op::post_json(path, trigger.to_json(), false);
    op.ambiguity = format!(
        "The rollout may or may not have been created: {look} before triggering again, which \
         may start a second rollout of the same commit."
    );
    op.taken = format!(
        "The rollout was probably created: {look} before triggering again, which may start a \
         second rollout of the same commit."
    );
    Ok(op)
}

/// `GET /api/apps/{app}/rollouts/{rollout}`.
pub fn get(app_id: &str, rollout_id: &str) -> Result<Op<Rollout>, Error> {
    Ok(Op::get(
        [
            "/api/apps/",
            &path_segment("appId", app_id)?,
            "/rollouts/",
            &path_segment("rolloutId", rollout_id)?,
        ]
        .concat(),
    ))
}

impl<E: Env> Client<E> {
    /// Triggers a rollout (see [`trigger`]).
    pub async fn trigger_rollout(
        &self,
        call: &E::Call,
        app_id: &str,
        env_name: &str,
        request: &TriggerRollout,
    ) -> Result<Fetched<Rollout, E::Json>, Error> {
        let op = trigger(&self.config().base_url, app_id, env_name, request)?;
        self.run(call, op).await
    }

    /// The current state of a rollout (see [`get`]).
    pub async fn get_rollout(
        &self,
        call: &E::Call,
        app_id: &str,
        rollout_id: &str,
    ) -> Result<Fetched<Rollout, E::Json>, Error> {
        self.run(call, get(app_id, rollout_id)?).await
    }
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
    fn enum_values_round_trip() {
        assert_eq!(InfraStatus::from_wire("proposed"), InfraStatus::Proposed);
        let c = RolloutConclusion::from_wire("awaiting_approval");
        assert_eq!(c, RolloutConclusion::Unknown("awaiting_approval".into()));
        assert_eq!(c.as_str(), "awaiting_approval");
        for v in InfraConclusion::KNOWN {
            assert_eq!(InfraConclusion::from_wire(v).as_str(), *v);
            assert!(!matches!(
                InfraConclusion::from_wire(v),
                InfraConclusion::Unknown(_)
            ));
        }
    }

    #[test]
    fn paths_and_dashboard_links() {
        let t = TriggerRollout::new(None, Some("main".into()), false, false).unwrap();
        let real = BaseUrl::parse("https://api.encore.dev").unwrap();
        let op = trigger(&real, "my app", "prod", &t).unwrap();
        assert_eq!(op.path, "/api/apps/my%20app/envs/prod/rollouts");
        assert!(!op.idempotent);
        assert!(
            op.ambiguity
                .contains("https://app.encore.dev/my%20app/deploys/prod"),
            "{}",
            op.ambiguity
        );
        assert!(op.ambiguity.contains("second rollout of the same commit"));
        assert!(!op.ambiguity.contains("getRollout"));
        let local = BaseUrl::parse("http://127.0.0.1:4000").unwrap();
        let op = trigger(&local, "a", "prod", &t).unwrap();
        assert!(
            !op.ambiguity.contains("https://app.encore.dev"),
            "{}",
            op.ambiguity
        );
        assert_eq!(
            get("a", "roll_1").unwrap().path,
            "/api/apps/a/rollouts/roll_1"
        );
        assert!(get("a", "..").is_err());
        assert!(trigger(&local, "a", "", &t).is_err());
        let old = BaseUrl::parse("https://api.encore.cloud/").unwrap();
        assert_eq!(
            dashboard_deploys_url(&old, "a", "e").as_deref(),
            Some("https://app.encore.dev/a/deploys/e")
        );
    }
}
