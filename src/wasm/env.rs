//! [`WasmEnv`]: the core's [`Env`] on top of `fetch`, JavaScript timers, `Date.now`,
//! `Math.random`, the caller's token function and logger.

use crate::core::env::{
    until_aborted, AttemptEvent, Env, HttpRequest, HttpResponse, TransportError,
};
use crate::core::error::{quoted, Error};
use crate::core::retry::Failure;
use crate::wasm::read::{get, object, or_null};
use crate::wasm::runtime;
use crate::wasm::settle::Pending;
use js_sys::Function;
use std::future::Future;
use wasm_bindgen::JsValue;

/// Bodies larger than this are refused (an error, not an out-of-memory).
pub const BODY_LIMIT_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// The host side of a client.
pub struct WasmEnv {
    /// The caller's `fetch`, or `undefined` for the global one.
    pub fetch: JsValue,
    /// `User-Agent` (sent from Node only).
    pub user_agent: String,
    /// The caller's logger.
    pub logger: Option<Function>,
    /// The caller's token function.
    pub token_fn: Option<Function>,
}

/// One call's abort signal and per-attempt time limit.
pub struct Call {
    /// An `AbortSignal` or `undefined`.
    pub signal: JsValue,
    /// Per-attempt limit, milliseconds.
    pub timeout_ms: f64,
}

impl Env for WasmEnv {
    type Call = Call;
    type Json = JsValue;

    async fn send(
        &self,
        call: &Call,
        req: &HttpRequest,
    ) -> Result<HttpResponse<JsValue>, TransportError> {
        let pending = Pending::start(|settle, index, generation| {
            runtime::send(
                &self.fetch,
                &req.url,
                req.method,
                req.authorization.as_deref(),
                req.content_type,
                req.body.as_deref(),
                Some(&self.user_agent),
                &call.signal,
                call.timeout_ms,
                BODY_LIMIT_BYTES,
                crate::core::answer::SNIPPET_KEPT_CHARS as u32,
                settle,
                index,
                generation,
            )
        });
        match pending.await {
            Ok(v) => {
                let status = get(&v, "status").as_f64().unwrap_or(0.0);
                let status = if (0.0..=999.0).contains(&status) {
                    status as u16
                } else {
                    0
                };
                Ok(HttpResponse {
                    status,
                    retry_after: get(&v, "retryAfter").as_string(),
                    retry_after_ms: get(&v, "retryAfterMs").as_string(),
                    location: get(&v, "location").as_string(),
                    opaque_redirect: get(&v, "opaqueRedirect").as_bool().unwrap_or(false),
                    json: Some(get(&v, "json")).filter(|j| !j.is_undefined()),
                    text: get(&v, "text").as_string().unwrap_or_default(),
                })
            }
            Err(e) => {
                let name = get(&e, "failure").as_string();
                let detail = get(&e, "detail").as_string().unwrap_or_default();
                // A name the core does not know is a bug in the transport: said loudly, never
                // mistaken for an ordinary failure.
                match name.as_deref().and_then(Failure::from_transport_name) {
                    Some(failure) => Err(TransportError { failure, detail }),
                    None => Err(TransportError {
                        failure: Failure::Internal,
                        detail: match name {
                            Some(n) => format!("unknown transport outcome {}", quoted(&n)),
                            None => format!(
                                "the transport threw {}",
                                quoted(&get(&e, "message").as_string().unwrap_or_default())
                            ),
                        },
                    }),
                }
            }
        }
    }

    async fn sleep(&self, call: &Call, ms: f64) -> Result<(), Error> {
        Pending::start(|settle, index, generation| {
            runtime::sleep(ms, &call.signal, settle, index, generation)
        })
        .await
        .map(|_| ())
        .map_err(|_| Error::aborted())
    }

    fn aborted(&self, call: &Call) -> impl Future<Output = ()> {
        let wait = Pending::start(|settle, index, generation| {
            runtime::when_aborted(&call.signal, settle, index, generation)
        });
        async move {
            let _ = wait.await;
        }
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    async fn provide_token(&self, call: &Call) -> Result<String, Error> {
        let Some(f) = &self.token_fn else {
            return Err(Error::validation("no accessToken function"));
        };
        let p = runtime::call_token_function(f);
        match until_aborted(Pending::of(&p), self.aborted(call)).await {
            None => Err(Error::aborted()),
            Some(Ok(v)) => Ok(v.as_string().unwrap_or_default()),
            Some(Err(e)) => {
                let msg = get(&e, "message")
                    .as_string()
                    .or_else(|| e.as_string())
                    .unwrap_or_else(|| "it threw".into());
                Err(Error::token_function(&msg))
            }
        }
    }

    fn log(&self, ev: AttemptEvent) {
        let Some(logger) = &self.logger else { return };
        let o = object(&[
            ("method", ev.method.into()),
            ("path", ev.path.into()),
            ("attempt", ev.attempt.into()),
            ("status", or_null(ev.status)),
            ("failure", or_null(ev.failure)),
            ("durationMs", ev.duration_ms.into()),
            ("retryInMs", or_null(ev.retry_in_ms)),
        ]);
        // A logger that throws must not break the call.
        let _ = logger.call1(&JsValue::NULL, &o);
    }
}
