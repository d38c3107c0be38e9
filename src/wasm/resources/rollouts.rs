//! The rollouts resource's methods (`triggerRollout`, `getRollout`, `waitForRollout`) and the
//! pure functions exported next to the client (`isRolloutDone`, `summarizeRollout`).

use crate::core::client::{Answered, Client};
use crate::core::error::Error;
use crate::core::model::Field;
use crate::core::progress::{self, WaitSettings};
use crate::core::resources::rollouts::{self, Rollout, TriggerRollout};
use crate::core::url::{BaseUrl, DEFAULT_BASE_URL};
use crate::wasm::client::{promise, run_op, EncoreClient};
use crate::wasm::env::{Call, WasmEnv};
use crate::wasm::read::{get, object, or_null, string_arg, Fields};
use crate::wasm::settle::Pending;
use crate::wasm::{errors, output};
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn finish_rollout(c: &Client<WasmEnv>, a: Answered<JsValue>) -> Result<JsValue, Error> {
    Ok(output::patched(&c.decode::<Rollout>(a)?))
}

#[wasm_bindgen]
impl EncoreClient {
    /// Starts a rollout of a commit (`sha`) or a branch to an environment.
    /// A trigger is never retried when it may have been applied.
    #[wasm_bindgen(js_name = triggerRollout, unchecked_return_type = "Promise<Rollout>")]
    pub fn trigger_rollout(
        &self,
        #[wasm_bindgen(js_name = appId, unchecked_param_type = "string")] app_id: JsValue,
        #[wasm_bindgen(js_name = envName, unchecked_param_type = "string")] env_name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TriggerRollout")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let env = string_arg(&env_name, "envName")?;
            let trigger = read_trigger(&request)?;
            let op = rollouts::trigger(&self.inner.config().base_url, &app, &env, &trigger)?;
            Ok((op.erase(), self.call(&options.unwrap_or_default())?))
        })();
        run_op(&self.inner, prepared, finish_rollout)
    }

    /// The current state of a rollout.
    #[wasm_bindgen(js_name = getRollout, unchecked_return_type = "Promise<Rollout>")]
    pub fn get_rollout(
        &self,
        #[wasm_bindgen(js_name = appId, unchecked_param_type = "string")] app_id: JsValue,
        #[wasm_bindgen(js_name = rolloutId, unchecked_param_type = "string")] rollout_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let id = string_arg(&rollout_id, "rolloutId")?;
            let op = rollouts::get(&app, &id)?;
            Ok((op.erase(), self.call(&options.unwrap_or_default())?))
        })();
        run_op(&self.inner, prepared, finish_rollout)
    }

    /// Polls a rollout until its status is `completed` (whatever the conclusion) and resolves
    /// with its final state. `onUpdate` is called with each changed state.
    #[wasm_bindgen(js_name = waitForRollout, unchecked_return_type = "Promise<Rollout>")]
    pub fn wait_for_rollout(
        &self,
        #[wasm_bindgen(js_name = appId, unchecked_param_type = "string")] app_id: JsValue,
        #[wasm_bindgen(js_name = rolloutId, unchecked_param_type = "string")] rollout_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitForRolloutOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let timeout_ms = self.timeout_ms;
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let id = string_arg(&rollout_id, "rolloutId")?;
            let opts = options.unwrap_or_default();
            let f = Fields::new(
                &opts,
                "options",
                &[
                    "intervalMs",
                    "deadlineMs",
                    "timeoutMs",
                    "signal",
                    "onUpdate",
                ],
            )?;
            let deadline = match (f.number("deadlineMs")?, f.number("timeoutMs")?) {
                (Some(_), Some(_)) => {
                    return Err(Error::validation(
                        "give options.deadlineMs (timeoutMs is its deprecated alias), not both",
                    ))
                }
                (d, t) => d.or(t),
            };
            let settings = WaitSettings::new(f.number("intervalMs")?, deadline)?;
            let call = Call {
                signal: f.signal("signal")?,
                timeout_ms,
            };
            Ok::<_, Error>((app, id, settings, call, f.function("onUpdate")?))
        })();
        promise(Box::pin(async move {
            let (app, id, settings, call, on_update) = prepared.map_err(errors::to_js)?;
            // The caller's own error from `onUpdate` (thrown, or a rejected promise) ends the
            // wait and is what the caller gets back, unchanged.
            let thrown: Rc<RefCell<Option<JsValue>>> = Rc::default();
            let result = progress::wait_for_rollout(&inner, &call, &app, &id, settings, |r| {
                let step = on_update
                    .as_ref()
                    .map(|f| f.call1(&JsValue::NULL, &output::patched(r)));
                let thrown = thrown.clone();
                async move {
                    let failed = match step {
                        None => return Ok(()),
                        Some(Err(e)) => Some(e),
                        // An async onUpdate is awaited before the next poll.
                        Some(Ok(v)) if v.has_type::<Promise>() => {
                            Pending::of(&Promise::from(v)).await.err()
                        }
                        Some(Ok(_)) => None,
                    };
                    match failed {
                        Some(e) => {
                            thrown.replace(Some(e));
                            Err(Error::validation("onUpdate failed"))
                        }
                        None => Ok(()),
                    }
                }
            })
            .await;
            match (result, thrown.take()) {
                (_, Some(user_error)) => Err(user_error),
                (Ok(r), None) => Ok(output::patched(&r)),
                (Err(e), None) => Err(errors::to_js(e)),
            }
        }))
    }
}

fn read_trigger(v: &JsValue) -> Result<TriggerRollout, Error> {
    if v.is_undefined() || v.is_null() {
        return Err(Error::validation(
            "triggerRollout needs a request: { sha } or { branch }",
        ));
    }
    let f = Fields::new(
        v,
        "request",
        &["sha", "branch", "skip_tests", "force_rebuild"],
    )?;
    TriggerRollout::new(
        f.string("sha")?,
        f.string("branch")?,
        f.boolean("skip_tests")?,
        f.boolean("force_rebuild")?,
    )
}

/// A `Rollout` handed back by the caller (timestamps as `Date`s or strings).
fn read(r: &JsValue) -> Result<Rollout, Error> {
    Rollout::from_json(r, &crate::core::model::Path::Root)
        .map_err(|why| Error::validation(format!("expected a Rollout: {why}")))
}

/// True once the rollout's status is `"completed"`, whatever its conclusion.
#[wasm_bindgen(js_name = isRolloutDone)]
pub fn is_rollout_done(#[wasm_bindgen(unchecked_param_type = "Rollout")] rollout: JsValue) -> bool {
    get(&rollout, "status")
        .as_string()
        .is_some_and(|s| progress::status_is_done(&s))
}

/// Where a rollout stands: the current phase, its status, the elapsed time, and one line of
/// text such as `build running · 1m 12s`. `now` defaults to the current time. Given the app
/// and environment (`context`), a rollout awaiting infrastructure approval also says where to
/// approve it (`dashboardUrl`), when the base URL (default the real API) is the real API.
#[wasm_bindgen(js_name = summarizeRollout, unchecked_return_type = "RolloutSummary")]
pub fn summarize_rollout(
    #[wasm_bindgen(unchecked_param_type = "Rollout")] rollout: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Date")] now: Option<js_sys::Date>,
    #[wasm_bindgen(unchecked_param_type = "SummaryContext")] context: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let r = read(&rollout).map_err(errors::to_js)?;
    let dashboard = dashboard(&context.unwrap_or_default()).map_err(errors::to_js)?;
    let now_ms = now.map_or_else(js_sys::Date::now, |d| d.get_time());
    let s = progress::summarize(&r, now_ms, dashboard);
    Ok(object(&[
        ("phase", or_null(s.phase)),
        ("phaseStatus", s.phase_status.into()),
        ("status", r.status.as_str().into()),
        ("conclusion", r.conclusion.as_str().into()),
        ("done", s.done.into()),
        ("elapsedMs", or_null(s.elapsed_ms)),
        ("dashboardUrl", or_null(s.dashboard_url)),
        ("text", s.text.into()),
    ]))
}

/// The dashboard page for `{appId, envName, baseUrl?}`, when the base URL is the real API.
fn dashboard(v: &JsValue) -> Result<Option<String>, Error> {
    let f = Fields::new(v, "context", &["appId", "envName", "baseUrl"])?;
    let (Some(app), Some(env)) = (f.string("appId")?, f.string("envName")?) else {
        return Ok(None);
    };
    let base = BaseUrl::parse(f.string("baseUrl")?.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
    Ok(rollouts::dashboard_deploys_url(&base, &app, &env))
}
