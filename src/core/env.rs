//! The boundary between the sans-IO core and the world: HTTP, time, randomness, abort signals
//! and logging. The wasm layer implements it with `fetch` and timers; host tests implement it
//! with a scripted transport and a manual clock.

use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::retry::Failure;
use std::future::Future;

/// One HTTP request, fully built. Its `url` may carry secrets (query-style token requests);
/// `log_path` never does.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    /// `GET`, `POST` or `PUT`.
    pub method: &'static str,
    /// Absolute URL.
    pub url: String,
    /// Path and query for logs and messages, secrets replaced by `[redacted]`.
    pub log_path: String,
    /// `Authorization` header value, when the request carries one.
    pub authorization: Option<String>,
    /// `Content-Type` of the body.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Option<String>,
}

/// An answer: status, the headers the core reads, and the body, parsed by the host.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse<J> {
    /// HTTP status.
    pub status: u16,
    /// `Retry-After` header.
    pub retry_after: Option<String>,
    /// `retry-after-ms` header.
    pub retry_after_ms: Option<String>,
    /// `Location` header (a redirect; visible in Node, hidden in browsers).
    pub location: Option<String>,
    /// A browser's opaque redirect (`redirect: "manual"`): a 3xx whose status and `Location`
    /// the platform hides (`status` is then 0).
    pub opaque_redirect: bool,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<J>,
    /// When the body is not JSON: its first few hundred characters, for error messages.
    pub text: String,
}

/// A failed attempt with no answer.
#[derive(Clone, Debug, PartialEq)]
pub struct TransportError {
    /// How it failed, for the retry policy.
    pub failure: Failure,
    /// A short description without URLs or secrets (`ECONNREFUSED`, …).
    pub detail: String,
}

/// One attempt, for the optional logger.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptEvent {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Path, secrets redacted.
    pub path: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The answer's status, if any.
    pub status: Option<u16>,
    /// How the attempt failed without an answer (`connection_refused`, `timeout`, …).
    pub failure: Option<&'static str>,
    /// Duration of the attempt, milliseconds.
    pub duration_ms: f64,
    /// The wait before the next attempt, when there is one.
    pub retry_in_ms: Option<f64>,
}

/// What the core needs from its host.
#[allow(async_fn_in_trait)]
pub trait Env {
    /// Per-call context (abort signal, time limit), opaque to the core.
    type Call;
    /// The host's parsed JSON values.
    type Json: Json;
    /// Sends one request and parses the answer's body; enforces the call's time limit and
    /// abort signal.
    async fn send(
        &self,
        call: &Self::Call,
        req: &HttpRequest,
    ) -> Result<HttpResponse<Self::Json>, TransportError>;
    /// Waits, or fails with an abort error when the call's signal fires.
    async fn sleep(&self, call: &Self::Call, ms: f64) -> Result<(), Error>;
    /// Resolves when the call's signal fires (never, without one).
    fn aborted(&self, call: &Self::Call) -> impl Future<Output = ()>;
    /// Clock, milliseconds since the epoch.
    fn now_ms(&self) -> f64;
    /// Uniform in [0, 1), for jitter.
    fn random(&self) -> f64;
    /// Asks the caller-supplied token function for a token.
    async fn provide_token(&self, call: &Self::Call) -> Result<String, Error>;
    /// Receives one event per attempt when logging is on.
    fn log(&self, event: AttemptEvent);
}

/// Runs `fut`, or returns `None` as soon as `abort` resolves.
pub async fn until_aborted<T>(
    fut: impl Future<Output = T>,
    abort: impl Future<Output = ()>,
) -> Option<T> {
    let mut fut = std::pin::pin!(fut);
    let mut abort = std::pin::pin!(abort);
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(v) = fut.as_mut().poll(cx) {
            return std::task::Poll::Ready(Some(v));
        }
        if abort.as_mut().poll(cx).is_ready() {
            return std::task::Poll::Ready(None);
        }
        std::task::Poll::Pending
    })
    .await
}
