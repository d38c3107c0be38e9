//! Pure helpers exported next to the client: `isRolloutDone` and `summarizeRollout`.

use crate::core::decode;
use crate::core::error::Error;
use crate::core::models::Rollout;
use crate::core::progress;
use crate::wasm::errors;
use crate::wasm::read::{get, object, or_null};
use wasm_bindgen::prelude::*;

/// A `Rollout` handed back by the caller (timestamps as `Date`s or strings).
fn read(r: &JsValue) -> Result<Rollout, Error> {
    decode::rollout(r).map_err(|why| Error::validation(format!("expected a Rollout: {why}")))
}

/// True once the rollout's status is `"completed"`, whatever its conclusion.
#[wasm_bindgen(js_name = isRolloutDone)]
pub fn is_rollout_done(#[wasm_bindgen(unchecked_param_type = "Rollout")] rollout: JsValue) -> bool {
    get(&rollout, "status")
        .as_string()
        .is_some_and(|s| progress::status_is_done(&s))
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
    Ok(object(&[
        ("phase", or_null(s.phase)),
        ("phaseStatus", s.phase_status.into()),
        ("status", r.status.as_str().into()),
        ("conclusion", r.conclusion.as_str().into()),
        ("done", s.done.into()),
        ("elapsedMs", or_null(s.elapsed_ms)),
        ("text", s.text.into()),
    ]))
}
