//! The `EncoreClient` JavaScript class: reads arguments, runs the core, converts the result.

use crate::core::client::{Client, Credentials};
use crate::core::config::{self, OptionsInput, TokenInput};
use crate::core::error::Error;
use crate::core::models::TriggerRollout;
use crate::core::progress::{self, WaitSettings};
use crate::wasm::env::{Call, WasmEnv};
use crate::wasm::read::{object, string_arg, Fields};
use crate::wasm::{errors, output, runtime};
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

const OPTION_KEYS: &[&str] = &[
    "clientId",
    "clientSecret",
    "accessToken",
    "baseUrl",
    "tokenAuthStyle",
    "timeoutMs",
    "maxRetries",
    "fetch",
    "userAgent",
    "logger",
    "dangerouslyAllowBrowser",
];

/// A client for the Encore Cloud API. Tokens, retries and encodings are handled for you.
#[wasm_bindgen]
pub struct EncoreClient {
    inner: Rc<Client<WasmEnv>>,
    timeout_ms: f64,
}

fn run<F>(fut: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    future_to_promise(async move { fut.await.map_err(errors::to_js) })
}

impl EncoreClient {
    fn call(&self, options: &JsValue) -> Result<Call, Error> {
        let f = Fields::new(options, "options", &["signal", "timeoutMs"])?;
        let timeout_ms = match f.number("timeoutMs")? {
            Some(v) => config::check_timeout("options.timeoutMs", v)?,
            None => self.timeout_ms,
        };
        Ok(Call {
            signal: f.signal("signal")?,
            timeout_ms,
        })
    }
}

#[wasm_bindgen]
impl EncoreClient {
    /// Creates a client. Throws `EncoreValidationError` for missing or contradictory options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EncoreClientOptions")] options: JsValue,
    ) -> Result<EncoreClient, JsValue> {
        Self::build(&options).map_err(errors::to_js)
    }

    fn build(options: &JsValue) -> Result<EncoreClient, Error> {
        if options.is_undefined() || options.is_null() {
            return Err(Error::validation(
                "new EncoreClient(options) needs options with clientId and clientSecret, or accessToken",
            ));
        }
        let f = Fields::new(options, "options", OPTION_KEYS)?;
        let (access_token, token_fn) = match f.raw("accessToken") {
            None => (None, None),
            Some(v) if v.is_function() => (Some(TokenInput::Function), Some(Function::from(v))),
            Some(v) => match v.as_string() {
                Some(s) => (Some(TokenInput::Static(s)), None),
                None => {
                    return Err(Error::validation(
                        "options.accessToken must be a string or a function returning one",
                    ))
                }
            },
        };
        let fetch = f.function("fetch")?;
        let settings = config::settle(OptionsInput {
            client_id: f.string("clientId")?,
            client_secret: f.string("clientSecret")?,
            access_token,
            base_url: f.string("baseUrl")?.map(|u| runtime::resolve_base_url(&u)),
            token_auth_style: f.string("tokenAuthStyle")?,
            timeout_ms: f.number("timeoutMs")?,
            max_retries: f.number("maxRetries")?,
            user_agent: f.string("userAgent")?,
            dangerously_allow_browser: f.boolean("dangerouslyAllowBrowser")?,
            in_browser: runtime::IN_BROWSER.with(|b| *b),
        })?;
        let env = WasmEnv {
            fetch: fetch.map_or(JsValue::UNDEFINED, JsValue::from),
            user_agent: settings.user_agent,
            logger: f.function("logger")?,
            token_fn,
        };
        Ok(EncoreClient {
            inner: Rc::new(Client::new(env, settings.config)),
            timeout_ms: settings.timeout_ms,
        })
    }

    /// An access token for the OAuth client: cached, renewed before it expires.
    /// `expires_in` is the number of seconds it has left.
    #[wasm_bindgen(js_name = getToken, unchecked_return_type = "Promise<Token>")]
    pub fn get_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let call = self.call(&options.unwrap_or_default());
        run(async move {
            let call = call?;
            let (t, remaining) = inner.get_token(&call).await?;
            Ok(output::token(&t, remaining))
        })
    }

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
        let inner = self.inner.clone();
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let env = string_arg(&env_name, "envName")?;
            let trigger = read_trigger(&request)?;
            Ok::<_, Error>((app, env, trigger, self.call(&options.unwrap_or_default())?))
        })();
        run(async move {
            let (app, env, trigger, call) = prepared?;
            let r = inner.trigger_rollout(&call, &app, &env, &trigger).await?;
            Ok(output::rollout(&r))
        })
    }

    /// The current state of a rollout.
    #[wasm_bindgen(js_name = getRollout, unchecked_return_type = "Promise<Rollout>")]
    pub fn get_rollout(
        &self,
        #[wasm_bindgen(js_name = appId, unchecked_param_type = "string")] app_id: JsValue,
        #[wasm_bindgen(js_name = rolloutId, unchecked_param_type = "string")] rollout_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let id = string_arg(&rollout_id, "rolloutId")?;
            Ok::<_, Error>((app, id, self.call(&options.unwrap_or_default())?))
        })();
        run(async move {
            let (app, id, call) = prepared?;
            let r = inner.get_rollout(&call, &app, &id).await?;
            Ok(output::rollout(&r))
        })
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
                &["intervalMs", "timeoutMs", "signal", "onUpdate"],
            )?;
            let settings = WaitSettings::new(f.number("intervalMs")?, f.number("timeoutMs")?)?;
            let call = Call {
                signal: f.signal("signal")?,
                timeout_ms,
            };
            Ok::<_, Error>((app, id, settings, call, f.function("onUpdate")?))
        })();
        future_to_promise(async move {
            let (app, id, settings, call, on_update) = prepared.map_err(errors::to_js)?;
            // The caller's own error from `onUpdate` (thrown, or a rejected promise) ends the
            // wait and is what the caller gets back, unchanged.
            let thrown: Rc<RefCell<Option<JsValue>>> = Rc::default();
            let result = progress::wait_for_rollout(&inner, &call, &app, &id, settings, |r| {
                let step = on_update
                    .as_ref()
                    .map(|f| f.call1(&JsValue::NULL, &output::rollout(r)));
                let thrown = thrown.clone();
                async move {
                    let failed = match step {
                        None => return Ok(()),
                        Some(Err(e)) => Some(e),
                        // An async onUpdate is awaited before the next poll.
                        Some(Ok(v)) if v.has_type::<Promise>() => {
                            JsFuture::from(Promise::from(v)).await.err()
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
                (Ok(r), None) => Ok(output::rollout(&r)),
                (Err(e), None) => Err(errors::to_js(e)),
            }
        })
    }

    /// A description without secrets.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        let cfg = self.inner.config();
        let auth = match &cfg.credentials {
            Credentials::Client { id, .. } => format!("client {id}"),
            Credentials::Static(_) => "access token".into(),
            Credentials::Provider => "access token function".into(),
        };
        format!("EncoreClient({}, {auth})", cfg.base_url.as_str())
    }

    /// What `JSON.stringify` shows: no secrets.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ baseUrl: string; clientId?: string }")]
    pub fn to_json(&self) -> JsValue {
        let cfg = self.inner.config();
        let base = ("baseUrl", JsValue::from(cfg.base_url.as_str()));
        match &cfg.credentials {
            Credentials::Client { id, .. } => object(&[base, ("clientId", id.as_str().into())]),
            _ => object(&[base]),
        }
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
