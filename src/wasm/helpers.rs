//! Pure helpers exported next to the client: `isRolloutDone` and `summarizeRollout`.

use crate::core::decode;
use crate::core::error::Error;
use crate::core::models::Rollout;
use crate::core::progress;
use crate::wasm::errors;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

/// A `Rollout` handed back by the caller (timestamps as `Date`s or strings).
fn read(r: &JsValue) -> Result<Rollout, Error> {
    decode::rollout(r).map_err(|why| Error::validation(format!("expected a Rollout: {why}")))
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
