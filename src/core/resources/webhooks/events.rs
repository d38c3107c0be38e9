//! Webhook events: the envelope `{id, webhook_id, sequence_id, type, data}` and the typed data
//! of the rollout events.
//!
//! The rollout in a webhook is not the API's `Rollout`: its infra phase is `infra_provision`,
//! phases are `null` before they start, the build carries `commit_hash`, the infra status says
//! `awaiting_approval` where the API says `proposed`, and a deploy may be `pending`. Statuses
//! and conclusions are kept as sent (the vendor adds values). An event type this version does
//! not know is not an error: its `data` is returned as sent.
//!
//! Which fields are timestamps is said once, by name ([`PHASE_TIMES`], [`PHASES`],
//! [`CREATED_AT`]); [`WebhookEvent::timestamps`] lists them as dotted paths for the layer
//! that turns them into host dates.

use super::error::{WebhookError, WebhookErrorCode};
use crate::core::json::{Json, Kind, Reader};
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

impl WebhookEvent {
    /// Every timestamp present in the event, as `(dotted path, value)`: the rollout's and its
    /// phases' (phases that are `null` have none), the env's and the app's `created_at`.
    /// Unknown events have none (their data is not interpreted).
    pub fn timestamps(&self) -> Vec<(String, Timestamp)> {
        let mut out = Vec::new();
        let EventData::Rollout(_, d) = &self.data else {
            return out;
        };
        let mut push = |prefix: &str, times: &[Option<Timestamp>; 3]| {
            for (name, t) in PHASE_TIMES.iter().zip(times) {
                if let Some(t) = t {
                    out.push((format!("{prefix}.{name}"), *t));
                }
            }
        };
        let r = &d.rollout;
        push("data.rollout", &r.times);
        let phases = [
            Some(&r.build.phase),
            r.infra_provision.as_ref(),
            r.deploy.as_ref(),
        ];
        for (name, phase) in PHASES.iter().zip(phases) {
            if let Some(p) = phase {
                push(&format!("data.rollout.{name}"), &p.times);
            }
        }
        out.push((format!("data.env.{CREATED_AT}"), d.env.created_at));
        out.push((format!("data.app.{CREATED_AT}"), d.app.created_at));
        out
    }
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

fn times<J: Json>(r: &Reader<'_, J>) -> Result<[Option<Timestamp>; 3], String> {
    Ok([
        r.opt_time(PHASE_TIMES[0])?,
        r.opt_time(PHASE_TIMES[1])?,
        r.opt_time(PHASE_TIMES[2])?,
    ])
}

fn required_time<J: Json>(r: &Reader<'_, J>, key: &'static str) -> Result<Timestamp, String> {
    r.required(key)?;
    r.opt_time(key)?
        .ok_or_else(|| format!("`{}` must be a timestamp, got null", r.name(key)))
}

/// A member that is an object, or `None` when it is `null` or absent.
fn opt_object<J: Json>(r: &Reader<'_, J>, key: &'static str) -> Option<J> {
    r.get(key).filter(|v| v.kind() != Kind::Null)
}

fn phase<J: Json>(v: &J, path: &str) -> Result<WebhookPhase, String> {
    let p = Reader::object(v, path)?;
    Ok(WebhookPhase {
        id: p.string("id")?,
        status: p.string("status")?,
        conclusion: p.opt_string("conclusion")?.unwrap_or_default(),
        times: times(&p)?,
    })
}

fn rollout<J: Json>(v: &J) -> Result<WebhookRollout, String> {
    let r = Reader::object(v, "data.rollout")?;
    let [build, infra, deploy] = PHASES.map(|name| opt_object(&r, name));
    let b = build.ok_or_else(|| "missing field `data.rollout.build`".to_owned())?;
    let build = WebhookBuild {
        phase: phase(&b, "data.rollout.build")?,
        commit_hash: Reader::object(&b, "data.rollout.build")?
            .opt_string("commit_hash")?
            .unwrap_or_default(),
    };
    Ok(WebhookRollout {
        id: r.string("id")?,
        status: r.string("status")?,
        conclusion: r.opt_string("conclusion")?.unwrap_or_default(),
        times: times(&r)?,
        build,
        infra_provision: infra
            .map(|p| phase(&p, "data.rollout.infra_provision"))
            .transpose()?,
        deploy: deploy
            .map(|p| phase(&p, "data.rollout.deploy"))
            .transpose()?,
    })
}

fn rollout_data<J: Json>(v: &J, ty: RolloutEventType) -> Result<RolloutEventData, String> {
    let d = Reader::object(v, "data")?;
    let env_v = d.required("env")?;
    let env = Reader::object(&env_v, "data.env")?;
    let app_v = d.required("app")?;
    let app = Reader::object(&app_v, "data.app")?;
    let resolution = if ty == RolloutEventType::InfraApprovalResolved {
        Some(d.string("resolution")?)
    } else {
        d.opt_string("resolution")?
    };
    Ok(RolloutEventData {
        rollout: rollout(&d.required("rollout")?)?,
        env: WebhookEnv {
            id: env.string("id")?,
            name: env.string("name")?,
            env_type: env.string("type")?,
            api_base_url: env.opt_string("api_base_url")?.unwrap_or_default(),
            created_at: required_time(&env, CREATED_AT)?,
        },
        app: WebhookApp {
            id: app.string("id")?,
            slug: app.string("slug")?,
            created_at: required_time(&app, CREATED_AT)?,
        },
        resolution,
    })
}

/// Decodes a parsed (already verified) body into an event. Messages name fields, never
/// quote values.
pub fn decode<J: Json>(body: &J) -> Result<WebhookEvent, WebhookError> {
    let e = Reader::object(body, "").map_err(invalid)?;
    let id = e.string("id").map_err(invalid)?;
    let webhook_id = e.string("webhook_id").map_err(invalid)?;
    let sequence_id = e.number("sequence_id").map_err(invalid)?;
    if !(sequence_id >= 0.0 && sequence_id.fract() == 0.0 && sequence_id <= 9_007_199_254_740_991.0)
    {
        return Err(invalid("`sequence_id` must be a whole number >= 0"));
    }
    let event_type = e.string("type").map_err(invalid)?;
    let raw = e.required("data").map_err(invalid)?;
    let data = match RolloutEventType::from_wire(&event_type) {
        Some(ty) => EventData::Rollout(ty, Box::new(rollout_data(&raw, ty).map_err(invalid)?)),
        None => EventData::Unknown,
    };
    Ok(WebhookEvent {
        id,
        webhook_id,
        sequence_id,
        event_type,
        data,
    })
}
