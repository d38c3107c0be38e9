//! `verifyWebhook` and `webhookFromRequest`: read the arguments, let the core verify and
//! decode, hand back the payload as sent with `Date`s for its timestamps.

use crate::core::error::Error;
use crate::core::resources::webhooks::signature::{Verifier, HEADER};
use crate::core::resources::webhooks::WebhookError;
use crate::core::resources::webhooks::{self, events};
use crate::wasm::client::promise;
use crate::wasm::read::Fields;
use crate::wasm::settle::Pending;
use crate::wasm::{errors, runtime};
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A webhook refusal as a JavaScript `EncoreWebhookError` with its `code`.
fn to_js(e: WebhookError) -> JsValue {
    errors::to_js(Error::from(e))
}

/// The secrets and options, checked before any body is read.
fn settings(secret: &JsValue, options: &JsValue) -> Result<(Verifier, Option<f64>), Error> {
    let secrets = if let Some(s) = secret.as_string() {
        vec![s]
    } else if Array::is_array(secret) {
        Array::from(secret)
            .iter()
            .map(|s| {
                s.as_string()
                    .ok_or_else(|| Error::validation("every webhook secret must be a string"))
            })
            .collect::<Result<Vec<_>, _>>()?
    } else {
        return Err(Error::validation(
            "the webhook secret must be a string or an array of strings",
        ));
    };
    let f = Fields::new(options, "options", &["toleranceSeconds", "now"])?;
    let now = match f.raw("now") {
        None => None,
        Some(v) => {
            let ms = v.dyn_ref::<js_sys::Date>().map(|d| d.get_time());
            Some(
                ms.filter(|ms| ms.is_finite())
                    .ok_or_else(|| Error::validation("options.now must be a valid Date"))?,
            )
        }
    };
    Ok((Verifier::new(secrets, f.number("toleranceSeconds")?)?, now))
}

/// The raw body: a string (taken as UTF-8) or bytes. Parsed JSON is refused: it cannot be
/// verified.
fn body_bytes(payload: &JsValue) -> Result<Vec<u8>, Error> {
    if let Some(s) = payload.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(bytes) = payload.dyn_ref::<Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    Err(Error::validation(
        "the webhook payload must be the raw body as received, a string or a Uint8Array (a Buffer); parsed JSON cannot be verified",
    ))
}

fn header_value(header: &JsValue) -> Result<Option<String>, Error> {
    if header.is_undefined() || header.is_null() {
        return Ok(None);
    }
    header
        .as_string()
        .map(Some)
        .ok_or_else(|| Error::validation("the signature header must be a string (or null)"))
}

/// Verifies, parses and decodes; `Err` is the JavaScript error to throw.
fn verify(
    body: &[u8],
    header: Option<&str>,
    verifier: &Verifier,
    now: Option<f64>,
) -> Result<JsValue, JsValue> {
    let now_ms = now.unwrap_or_else(js_sys::Date::now);
    verifier.verify(body, header, now_ms).map_err(to_js)?;
    let text = events::body_text(body).map_err(to_js)?;
    // The engine parses (no JSON parser in the wasm module); the core reads the result.
    let json =
        js_sys::JSON::parse(text).map_err(|_| to_js(events::not_json("JSON.parse failed")))?;
    let event = events::decode(&json).map_err(to_js)?;
    let p = event.patches();
    Ok(runtime::apply_patches(
        &json,
        &p.date_paths,
        &p.date_millis,
        &p.empty_strings,
    ))
}

/// Verifies a webhook delivery and returns its event. `payload` is the raw body exactly as
/// received (a string is taken as UTF-8; never re-serialised JSON), `signatureHeader` the
/// `X-Encore-Signature` header, `secret` the webhook's secret or a list of them. Throws an
/// `EncoreWebhookError` (with `code`) for a delivery to refuse, an `EncoreValidationError`
/// for bad arguments.
#[wasm_bindgen(js_name = verifyWebhook, unchecked_return_type = "WebhookEvent")]
pub fn verify_webhook(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] payload: JsValue,
    #[wasm_bindgen(js_name = signatureHeader, unchecked_param_type = "string | null | undefined")]
    header: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | string[]")] secret: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VerifyWebhookOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (verifier, now) = settings(&secret, &options).map_err(errors::to_js)?;
    let body = body_bytes(&payload).map_err(errors::to_js)?;
    let header = header_value(&header).map_err(errors::to_js)?;
    verify(&body, header.as_deref(), &verifier, now)
}

/// Reads a standard `Request`'s raw body once (`arrayBuffer()`) and its `X-Encore-Signature`
/// header, and verifies them as `verifyWebhook` does.
#[wasm_bindgen(js_name = webhookFromRequest, unchecked_return_type = "Promise<WebhookEvent>")]
pub fn webhook_from_request(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | string[]")] secret: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VerifyWebhookOptions")] options: JsValue,
) -> Promise {
    // Bad settings are refused before the body is consumed.
    let settings = settings(&secret, &options);
    promise(Box::pin(async move {
        let (verifier, now) = settings.map_err(errors::to_js)?;
        let limit = webhooks::BODY_LIMIT_BYTES as f64;
        let read = Pending::of(&runtime::read_webhook_request(&request, HEADER, limit)).await?;
        let parts = Array::from(&read);
        let header = parts.get(0).as_string();
        let body = parts.get(1);
        if body.is_undefined() {
            return Err(errors::to_js(webhooks::too_large().into()));
        }
        let body = Uint8Array::new(&body).to_vec();
        verify(&body, header.as_deref(), &verifier, now)
    }))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_WEBHOOKS: &str = r#"
/** Options of `verifyWebhook` and `webhookFromRequest`. */
export interface VerifyWebhookOptions {
  /** How far the signing time may be from now, past or future, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The time to check against; default the current time. */
  now?: Date;
}

/** One phase of a rollout as webhooks send it; `conclusion` is "" until it completes. */
export interface WebhookPhase<Status extends string, Conclusion extends string> {
  id: string;
  status: Status;
  conclusion: Conclusion | "";
  queued_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
}
/** The build of a webhook rollout (Encore may reuse one already under way or done). */
export interface WebhookBuild extends WebhookPhase<"queued" | "running" | "completed", "success" | "failure" | "canceled"> {
  commit_hash: string;
}
/** The infrastructure change; `awaiting_approval` where the API says `proposed`. */
export type WebhookInfraChange = WebhookPhase<
  "pending" | "awaiting_approval" | "queued" | "running" | "completed",
  "success" | "failure" | "canceled" | "rejected"
>;
/** The deploy phase. */
export type WebhookDeploy = WebhookPhase<"pending" | "queued" | "running" | "completed", "success" | "failure" | "canceled">;
/** A rollout as webhooks send it: not the API's `Rollout` (see the field docs). */
export interface WebhookRollout {
  id: string;
  status: "pending" | "queued" | "running" | "completed";
  conclusion: "success" | "failure" | "canceled" | "";
  build: WebhookBuild;
  /** `null` until infrastructure provisioning starts. */
  infra_provision: WebhookInfraChange | null;
  /** `null` until the deploy starts. */
  deploy: WebhookDeploy | null;
  queued_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
}
/** The environment a rollout targets. */
export interface WebhookEnv {
  id: string;
  name: string;
  type: "production" | "development" | "preview";
  api_base_url: string;
  created_at: Date;
}
/** The app an event is about. */
export interface WebhookApp {
  id: string;
  slug: string;
  created_at: Date;
}
/** The data of every rollout event. */
export interface RolloutEventData {
  rollout: WebhookRollout;
  env: WebhookEnv;
  app: WebhookApp;
}
/** The envelope every event shares. */
export interface WebhookEventOf<Type extends string, Data> {
  /** The event's unique id (also in `X-Encore-Event-Id`). */
  id: string;
  /** The webhook that received it. */
  webhook_id: string;
  /** Increments per webhook (also in `X-Encore-Sequence-Id`): a gap means a missed event. */
  sequence_id: number;
  type: Type;
  data: Data;
}
export type RolloutCreatedEvent = WebhookEventOf<"rollout.created", RolloutEventData>;
export type RolloutAwaitingInfraApprovalEvent = WebhookEventOf<"rollout.awaiting_infra_approval", RolloutEventData>;
export type RolloutInfraApprovalResolvedEvent = WebhookEventOf<
  "rollout.infra_approval_resolved",
  RolloutEventData & { resolution: "approved" | "rejected" }
>;
export type RolloutCompletedEvent = WebhookEventOf<"rollout.completed", RolloutEventData>;
/** The event types this version knows and types. */
export type KnownWebhookEvent =
  | RolloutCreatedEvent
  | RolloutAwaitingInfraApprovalEvent
  | RolloutInfraApprovalResolvedEvent
  | RolloutCompletedEvent;
/**
 * An event of a type this version does not know (Encore adds types): returned as sent, its
 * timestamps left as strings. TypeScript cannot subtract the known names from `string`, so
 * `data` is typed `never` to keep `event.type === "rollout.completed"` narrowing exact; read an
 * unknown event's data as `unknown` (`const raw: unknown = event.data`).
 */
export type UnknownWebhookEvent = WebhookEventOf<string, never>;
/** A verified webhook event; narrow on `type`. */
export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;
"#;
