//! The `EncoreClient` JavaScript class: its construction and description. Each resource adds
//! its methods in its own `#[wasm_bindgen] impl EncoreClient` block (`crate::wasm::resources`).

use crate::core::client::{Answered, Client, Credentials, Op};
use crate::core::error::Error;
use crate::core::options::{self, OptionsInput, TokenInput};
use crate::wasm::env::{Call, WasmEnv};
use crate::wasm::executor::{self, TaskFuture};
use crate::wasm::read::{object, Fields};
use crate::wasm::{errors, runtime};
use js_sys::{Function, Promise};
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

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
    pub(crate) inner: Rc<Client<WasmEnv>>,
    pub(crate) timeout_ms: f64,
}

/// Runs any resource's call as a promise: the inputs (`prepared`, checked before anything is
/// sent), then the request, then `finish` on the 2xx answer. Every resource shares this one
/// future type, so the wasm module carries the send loop once.
#[inline(never)]
pub(crate) fn run_op(
    inner: &Rc<Client<WasmEnv>>,
    prepared: Result<(Op<()>, Call), Error>,
    finish: fn(&Client<WasmEnv>, Answered<JsValue>) -> Result<JsValue, Error>,
) -> Promise {
    let inner = inner.clone();
    run(async move {
        let (op, call) = prepared?;
        let answered = inner.send(&call, op).await?;
        finish(&inner, answered)
    })
}

/// Runs a call's future as a promise, its error as the package's error class.
pub(crate) fn run<F>(fut: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    promise(Box::pin(async move { fut.await.map_err(errors::to_js) }))
}

/// A boxed future as a promise, run by the module's executor.
#[inline(never)]
pub(crate) fn promise(fut: TaskFuture) -> Promise {
    executor::spawn(fut)
}

impl EncoreClient {
    /// The per-call context from a call's `options` (`signal`, `timeoutMs`).
    #[inline(never)]
    pub(crate) fn call(&self, options: &JsValue) -> Result<Call, Error> {
        let f = Fields::new(options, "options", &["signal", "timeoutMs"])?;
        let timeout_ms = match f.number("timeoutMs")? {
            Some(v) => options::check_timeout("options.timeoutMs", v)?,
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
        let settings = options::settle(OptionsInput {
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
