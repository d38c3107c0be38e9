//! The API's status and conclusion enums.
//!
//! The vendor documents that more values may be added (its webhooks already use others), so
//! every enum has an `Unknown` variant that keeps the value as sent: decoding never fails on an
//! unknown value and the caller sees it unchanged. TypeScript types list the documented values.

use std::fmt;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, ts = $ts:literal { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(type = $ts))]
        pub enum $name {
            $($(#[$vm])* $variant,)+
            /// A value this version does not know, kept exactly as the server sent it.
            Unknown(String),
        }

        impl $name {
            /// Every documented wire value, in order.
            pub const KNOWN: &'static [&'static str] = &[$($s),+];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $s,)+
                    Self::Unknown(s) => s,
                }
            }

            /// Maps a wire value, keeping unknown ones.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($s => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

    };
}

string_enum!(
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

string_enum!(
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

string_enum!(
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

string_enum!(
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

string_enum!(
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

string_enum!(
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

string_enum!(
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

string_enum!(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_values_round_trip() {
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
}
