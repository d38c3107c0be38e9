//! Pure helpers exported next to the client: `isRolloutDone` and `summarizeRollout`.

use crate::core::enums::*;
use crate::core::error::Error;
use crate::core::models::{Rollout, RolloutPhase};
use crate::core::progress;
use crate::core::timestamp::Timestamp;
use crate::wasm::errors;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn text(v: &JsValue, k: &str) -> Result<String, Error> {
    get(v, k)
        .as_string()
        .ok_or_else(|| Error::validation(format!("rollout.{k} must be a string")))
}

fn time(v: &JsValue, k: &str) -> Result<Option<Timestamp>, Error> {
    let t = get(v, k);
    if t.is_null() || t.is_undefined() {
        return Ok(None);
    }
    let ms = if let Some(s) = t.as_string() {
        Timestamp::parse(&s).ok().map(|t| t.unix_millis())
    } else {
        t.dyn_ref::<js_sys::Date>().map(|d| d.get_time())
    };
    ms.and_then(Timestamp::from_unix_millis)
        .map(Some)
        .ok_or_else(|| Error::validation(format!("rollout.{k} must be a Date or null")))
}

fn phase<S, C>(
    r: &JsValue,
    name: &str,
    s: impl Fn(&str) -> S,
    c: impl Fn(&str) -> C,
) -> Result<RolloutPhase<S, C>, Error> {
    let p = get(r, name);
    if !p.is_object() {
        return Err(Error::validation(format!(
            "rollout.{name} must be an object"
        )));
    }
    Ok(RolloutPhase {
        id: get(&p, "id").as_string().unwrap_or_default(),
        status: s(&text(&p, "status")?),
        conclusion: c(&text(&p, "conclusion")?),
        queued_at: time(&p, "queued_at")?,
        started_at: time(&p, "started_at")?,
        completed_at: time(&p, "completed_at")?,
    })
}

fn read(r: &JsValue) -> Result<Rollout, Error> {
    if !r.is_object() {
        return Err(Error::validation("expected a Rollout object"));
    }
    Ok(Rollout {
        id: get(r, "id").as_string().unwrap_or_default(),
        status: RolloutStatus::from_wire(&text(r, "status")?),
        conclusion: RolloutConclusion::from_wire(&text(r, "conclusion")?),
        queued_at: time(r, "queued_at")?,
        started_at: time(r, "started_at")?,
        completed_at: time(r, "completed_at")?,
        build: phase(
            r,
            "build",
            BuildStatus::from_wire,
            BuildConclusion::from_wire,
        )?,
        infra: phase(
            r,
            "infra",
            InfraStatus::from_wire,
            InfraConclusion::from_wire,
        )?,
        deploy: phase(
            r,
            "deploy",
            DeployStatus::from_wire,
            DeployConclusion::from_wire,
        )?,
    })
}

/// True once the rollout's status is `"completed"`, whatever its conclusion.
#[wasm_bindgen(js_name = isRolloutDone)]
pub fn is_rollout_done(#[wasm_bindgen(unchecked_param_type = "Rollout")] rollout: JsValue) -> bool {
    get(&rollout, "status").as_string().as_deref() == Some("completed")
}

/// Where a rollout stands: the current phase, its status, the elapsed time, and one line of
/// text such as `build running · 1m 12s`. `now` defaults to the current time.
#[wasm_bindgen(js_name = summarizeRollout, unchecked_return_type = "RolloutSummary")]
pub fn summarize_rollout(
    #[wasm_bindgen(unchecked_param_type = "Rollout")] rollout: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Date")] now: Option<js_sys::Date>,
) -> Result<JsValue, JsValue> {
    let r = read(&rollout).map_err(errors::to_js)?;
    let now_ms = now.map_or_else(js_sys::Date::now, |d| d.get_time());
    let s = progress::summarize(&r, now_ms);
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("phase", s.phase.map_or(JsValue::NULL, JsValue::from));
    set("phaseStatus", s.phase_status.into());
    set("status", r.status.as_str().into());
    set("conclusion", r.conclusion.as_str().into());
    set("done", s.done.into());
    set(
        "elapsedMs",
        s.elapsed_ms.map_or(JsValue::NULL, JsValue::from),
    );
    set("text", s.text.into());
    Ok(o.into())
}
