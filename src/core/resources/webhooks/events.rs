//! Webhook events: the envelope `{id, webhook_id, sequence_id, type, data}` and the typed data
//! of the rollout events.
//!
//! The rollout in a webhook is not the API's `Rollout`: its infra phase is `infra_provision`,
//! phases are `null` before they start, the build carries `commit_hash`, the infra status says
//! `awaiting_approval` where the API says `proposed`, and a deploy may be `pending`. Statuses
//! and conclusions are kept as sent (the vendor adds values). An event type this version does
//! not know is not an error: its `data` is returned as sent.
//!
//! Decoded and patched through the core's model mechanism ([`Field`], [`Patches`]): which
//! fields are timestamps is said once, by name ([`PHASE_TIMES`], [`PHASES`], [`CREATED_AT`]),
//! and [`WebhookEvent::patches`] lists them by field path for the layer that turns them into
//! host dates. (Not `model!`: `type` is a keyword, and the event's data depends on its type.)

use super::error::{WebhookError, WebhookErrorCode};
use crate::core::json::{Json, Kind};
use crate::core::model::{expect_object, patch_at, read_field, Field, Patches, Path};
use crate::core::timestamp::Timestamp;

/// The timestamps of a rollout and of each of its phases.
pub const PHASE_TIMES: [&str; 3] = ["queued_at", "started_at", "completed_at"];
/// A webhook rollout's phases, as named in webhook payloads.
pub const PHASES: [&str; 3] = ["build", "infra_provision", "deploy"];
/// The timestamp of an environment and of an app.
pub const CREATED_AT: &str = "created_at";

/// The event types this version types. Others are returned as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RolloutEventType {
    /// `rollout.created`.
    Created,
    /// `rollout.awaiting_infra_approval`.
    AwaitingInfraApproval,
    /// `rollout.infra_approval_resolved` (with `data.resolution`).
    InfraApprovalResolved,
    /// `rollout.completed`.
    Completed,
}

impl RolloutEventType {
    /// Every known type, in the order above.
    pub const ALL: [RolloutEventType; 4] = [
        Self::Created,
        Self::AwaitingInfraApproval,
        Self::InfraApprovalResolved,
        Self::Completed,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "rollout.created",
            Self::AwaitingInfraApproval => "rollout.awaiting_infra_approval",
            Self::InfraApprovalResolved => "rollout.infra_approval_resolved",
            Self::Completed => "rollout.completed",
        }
    }

    /// The known type of this name, if any.
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One phase of a webhook rollout (infra provisioning or deploy; the build adds a commit).
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookPhase {
    /// The phase's id.
    pub id: String,
    /// Its status as sent (`pending`, `awaiting_approval`, `queued`, `running`, `completed`, …).
    pub status: String,
    /// Its conclusion as sent (empty until completed).
    pub conclusion: String,
    /// `queued_at`, `started_at`, `completed_at`, in [`PHASE_TIMES`] order.
    pub times: [Option<Timestamp>; 3],
}

/// The build of a webhook rollout.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookBuild {
    /// Id, status, conclusion and times.
    pub phase: WebhookPhase,
    /// The commit being built.
    pub commit_hash: String,
}

/// A rollout as webhooks send it.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookRollout {
    /// The rollout's id.
    pub id: String,
    /// Its status as sent.
    pub status: String,
    /// Its conclusion as sent (empty until completed).
    pub conclusion: String,
    /// `queued_at`, `started_at`, `completed_at`, in [`PHASE_TIMES`] order.
    pub times: [Option<Timestamp>; 3],
    /// The build (always present: Encore may reuse one that is under way or done).
    pub build: WebhookBuild,
    /// The infrastructure change; `None` until that phase starts.
    pub infra_provision: Option<WebhookPhase>,
    /// The deploy; `None` until that phase starts.
    pub deploy: Option<WebhookPhase>,
}

/// The environment a rollout targets.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEnv {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `production`, `development` or `preview` (kept as sent).
    pub env_type: String,
    /// Where its API is served.
    pub api_base_url: String,
    /// When it was created.
    pub created_at: Timestamp,
}

/// The app an event is about.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookApp {
    /// Its id.
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// When it was created.
    pub created_at: Timestamp,
}

/// The data of a rollout event.
#[derive(Clone, Debug, PartialEq)]
pub struct RolloutEventData {
    /// The rollout's state when the event was sent.
    pub rollout: WebhookRollout,
    /// The environment.
    pub env: WebhookEnv,
    /// The app.
    pub app: WebhookApp,
    /// `approved` or `rejected`, for `rollout.infra_approval_resolved` only.
    pub resolution: Option<String>,
}

/// An event's data: typed for the known types, untouched otherwise.
#[derive(Clone, Debug, PartialEq)]
pub enum EventData {
    /// A known rollout event.
    Rollout(RolloutEventType, Box<RolloutEventData>),
    /// A type this version does not know: `data` is returned as sent.
    Unknown,
}

/// A verified webhook event.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
    /// The event's unique id.
    pub id: String,
    /// The webhook that received it.
    pub webhook_id: String,
    /// Increments per webhook: a gap means a missed delivery.
    pub sequence_id: f64,
    /// The event type as sent.
    pub event_type: String,
    /// The data.
    pub data: EventData,
}

fn invalid(why: impl AsRef<str>) -> WebhookError {
    WebhookError::new(
        WebhookErrorCode::InvalidPayload,
        format!(
            "the webhook body is signed but not an event of the documented shape: {}",
            why.as_ref()
        ),
    )
}

/// The body could not be read as JSON (not UTF-8, or not valid JSON).
pub fn not_json(why: &str) -> WebhookError {
    invalid(format!("the body is not valid JSON ({why})"))
}

/// The body as text: JSON is UTF-8 (RFC 8259). Verification itself works on the bytes.
pub fn body_text(body: &[u8]) -> Result<&str, WebhookError> {
    std::str::from_utf8(body).map_err(|_| not_json("it is not UTF-8"))
}

/// `queued_at`, `started_at`, `completed_at` of the object at `path` (absent or `null`: `None`).
fn times<J: Json>(v: &J, path: &Path<'_>) -> Result<[Option<Timestamp>; 3], String> {
    Ok([
        read_field(v, path, PHASE_TIMES[0], true)?,
        read_field(v, path, PHASE_TIMES[1], true)?,
        read_field(v, path, PHASE_TIMES[2], true)?,
    ])
}

fn patch_times(times: &[Option<Timestamp>; 3], path: &mut String, out: &mut Patches) {
    for (name, t) in PHASE_TIMES.iter().zip(times) {
        patch_at(t, path, name, true, out);
    }
}

impl Field for WebhookPhase {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        expect_object(v, path)?;
        Ok(WebhookPhase {
            id: read_field(v, path, "id", false)?,
            status: read_field(v, path, "status", false)?,
            conclusion: read_field(v, path, "conclusion", true)?,
            times: times(v, path)?,
        })
    }
    fn patch(&self, path: &mut String, _defaulted: bool, out: &mut Patches) {
        patch_at(&self.conclusion, path, "conclusion", true, out);
        patch_times(&self.times, path, out);
    }
}

/// A phase that is `null` (or absent) until it starts.
impl Field for Option<WebhookPhase> {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        match v.kind() {
            Kind::Null => Ok(None),
            _ => WebhookPhase::from_json(v, path).map(Some),
        }
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
    fn patch(&self, path: &mut String, defaulted: bool, out: &mut Patches) {
        if let Some(p) = self {
            p.patch(path, defaulted, out);
        }
    }
}

impl Field for WebhookBuild {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        Ok(WebhookBuild {
            phase: WebhookPhase::from_json(v, path)?,
            commit_hash: read_field(v, path, "commit_hash", true)?,
        })
    }
    fn patch(&self, path: &mut String, defaulted: bool, out: &mut Patches) {
        self.phase.patch(path, defaulted, out);
        patch_at(&self.commit_hash, path, "commit_hash", true, out);
    }
}

impl Field for WebhookRollout {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        expect_object(v, path)?;
        Ok(WebhookRollout {
            id: read_field(v, path, "id", false)?,
            status: read_field(v, path, "status", false)?,
            conclusion: read_field(v, path, "conclusion", true)?,
            times: times(v, path)?,
            build: read_field(v, path, PHASES[0], false)?,
            infra_provision: read_field(v, path, PHASES[1], true)?,
            deploy: read_field(v, path, PHASES[2], true)?,
        })
    }
    fn patch(&self, path: &mut String, _defaulted: bool, out: &mut Patches) {
        patch_at(&self.conclusion, path, "conclusion", true, out);
        patch_times(&self.times, path, out);
        patch_at(&self.build, path, PHASES[0], false, out);
        patch_at(&self.infra_provision, path, PHASES[1], true, out);
        patch_at(&self.deploy, path, PHASES[2], true, out);
    }
}

/// A timestamp that must be there (`created_at` of an env or an app).
fn required_time<J: Json>(v: &J, path: &Path<'_>, key: &'static str) -> Result<Timestamp, String> {
    let t: Option<Timestamp> = read_field(v, path, key, false)?;
    t.ok_or_else(|| format!("`{}` must be a timestamp, got null", Path::Key(path, key)))
}

impl Field for WebhookEnv {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        expect_object(v, path)?;
        Ok(WebhookEnv {
            id: read_field(v, path, "id", false)?,
            name: read_field(v, path, "name", false)?,
            env_type: read_field(v, path, "type", false)?,
            api_base_url: read_field(v, path, "api_base_url", true)?,
            created_at: required_time(v, path, CREATED_AT)?,
        })
    }
    fn patch(&self, path: &mut String, _defaulted: bool, out: &mut Patches) {
        patch_at(&self.api_base_url, path, "api_base_url", true, out);
        patch_at(&Some(self.created_at), path, CREATED_AT, false, out);
    }
}

impl Field for WebhookApp {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        expect_object(v, path)?;
        Ok(WebhookApp {
            id: read_field(v, path, "id", false)?,
            slug: read_field(v, path, "slug", false)?,
            created_at: required_time(v, path, CREATED_AT)?,
        })
    }
    fn patch(&self, path: &mut String, _defaulted: bool, out: &mut Patches) {
        patch_at(&Some(self.created_at), path, CREATED_AT, false, out);
    }
}

impl RolloutEventData {
    fn read<J: Json>(v: &J, path: &Path<'_>, ty: RolloutEventType) -> Result<Self, String> {
        expect_object(v, path)?;
        let resolution: String = read_field(
            v,
            path,
            "resolution",
            ty != RolloutEventType::InfraApprovalResolved,
        )?;
        Ok(RolloutEventData {
            rollout: read_field(v, path, "rollout", false)?,
            env: read_field(v, path, "env", false)?,
            app: read_field(v, path, "app", false)?,
            resolution: (!resolution.is_empty()).then_some(resolution),
        })
    }
}

impl WebhookEvent {
    /// What the JavaScript layer changes in the payload: every timestamp of a known event
    /// becomes a `Date` (or `null`), by field path (`data.rollout.build.queued_at`); phases
    /// that are `null` have none; unknown events are left as sent.
    pub fn patches(&self) -> Patches {
        let mut out = Patches::default();
        if let EventData::Rollout(_, d) = &self.data {
            let mut path = String::from("data");
            patch_at(&d.rollout, &mut path, "rollout", false, &mut out);
            patch_at(&d.env, &mut path, "env", false, &mut out);
            patch_at(&d.app, &mut path, "app", false, &mut out);
        }
        out
    }
}

/// Decodes a parsed (already verified) body into an event. Messages name fields, never
/// quote values.
pub fn decode<J: Json>(body: &J) -> Result<WebhookEvent, WebhookError> {
    let root = Path::Root;
    expect_object(body, &root).map_err(invalid)?;
    let sequence_id: f64 = read_field(body, &root, "sequence_id", false).map_err(invalid)?;
    if !(sequence_id >= 0.0 && sequence_id.fract() == 0.0 && sequence_id <= 9_007_199_254_740_991.0)
    {
        return Err(invalid("`sequence_id` must be a whole number >= 0"));
    }
    let event_type: String = read_field(body, &root, "type", false).map_err(invalid)?;
    let raw = body
        .get("data")
        .ok_or_else(|| invalid("missing field `data`"))?;
    let data = match RolloutEventType::from_wire(&event_type) {
        Some(ty) => {
            let d = RolloutEventData::read(&raw, &Path::Key(&root, "data"), ty).map_err(invalid)?;
            EventData::Rollout(ty, Box::new(d))
        }
        None => EventData::Unknown,
    };
    Ok(WebhookEvent {
        id: read_field(body, &root, "id", false).map_err(invalid)?,
        webhook_id: read_field(body, &root, "webhook_id", false).map_err(invalid)?,
        sequence_id,
        event_type,
        data,
    })
}
