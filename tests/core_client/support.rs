//! The fake `Env`, reply helpers, fixtures and shared assertions used by every test module.

use encore_cloud::core::client::{Client, Config, Credentials, TokenAuthStyle};
use encore_cloud::core::env::{AttemptEvent, Env, HttpRequest, HttpResponse, TransportError};
use encore_cloud::core::error::Error;
use encore_cloud::core::resources::rollouts::TriggerRollout;
use encore_cloud::core::retry::{Failure, RetryPolicy};
use encore_cloud::core::url::BaseUrl;
use futures::executor::block_on;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

pub(crate) const BASE: &str = "https://api.encore.cloud";
pub(crate) const CLIENT_ID: &str = "o2c_test_client_01";
pub(crate) const SECRET: &str = "cs_SUPERSECRET_9f8e7d6c";
pub(crate) const T1: &str = "at_TOKEN_ONE_a1b2c3d4";
pub(crate) const T2: &str = "at_TOKEN_TWO_e5f6a7b8";
pub(crate) const TOKEN_PATH: &str = "/api/oauth/token";
pub(crate) const APP: &str = "my-app";
pub(crate) const ENV_NAME: &str = "production";
pub(crate) const ROLL: &str = "roll_2bQ8xWv";
pub(crate) const GET_PATH: &str = "/api/apps/my-app/rollouts/roll_2bQ8xWv";
pub(crate) const TRIGGER_PATH: &str = "/api/apps/my-app/envs/production/rollouts";
pub(crate) const AMBIGUOUS: &str = "may or may not have been created";
/// 2026-03-18T09:41:07Z.
pub(crate) const T0: f64 = 1_773_826_867_000.0;
/// Just below 1, for "full" jitter.
pub(crate) const ALMOST_ONE: f64 = 0.999_999_9;

/// A realistic rollout, as API.md describes it (Go nanosecond timestamps, nulls, `proposed`).
pub(crate) fn rollout_json() -> String {
    r#"{"id":"roll_2bQ8xWv","status":"running","conclusion":"pending",
"queued_at":"2026-03-18T09:41:07.123456789Z","started_at":"2026-03-18T09:41:08Z","completed_at":null,
"build":{"id":"build_7Ykq","status":"completed","conclusion":"success",
  "queued_at":"2026-03-18T09:41:07.2Z","started_at":"2026-03-18T09:41:08Z","completed_at":"2026-03-18T09:44:59.999+00:00"},
"infra":{"id":"infra_3Lmn","status":"proposed","conclusion":"unknown",
  "queued_at":"2026-03-18T09:45:00Z","started_at":null,"completed_at":null},
"deploy":{"id":"deploy_9Qzr","status":"queued","conclusion":"unknown",
  "queued_at":null,"started_at":null,"completed_at":null}}"#
        .to_owned()
}

pub(crate) fn token_json(token: &str, expires_in: u32) -> String {
    format!(
        r#"{{"access_token":"{token}","expires_in":{expires_in},"actor":"{CLIENT_ID}","token_type":"Bearer"}}"#
    )
}

pub(crate) fn sha_trigger() -> TriggerRollout {
    TriggerRollout::new(Some("9f2c1e7a".into()), None, false, false).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The fake Env
// ---------------------------------------------------------------------------------------------

/// One scripted outcome of a `send`.
#[derive(Clone, Debug)]
pub(crate) enum Reply {
    Answer(HttpResponse<Value>),
    Fail(TransportError),
}

/// An answer as the host hands it over: parsed when the body is JSON, else a text snippet.
pub(crate) fn answer(status: u16, body: &str) -> Reply {
    let json = serde_json::from_str::<Value>(body).ok();
    Reply::Answer(HttpResponse {
        status,
        retry_after: None,
        retry_after_ms: None,
        location: None,
        opaque_redirect: false,
        text: if json.is_some() {
            String::new()
        } else {
            body.to_owned()
        },
        json,
    })
}

pub(crate) fn answer_retry(
    status: u16,
    retry_after: Option<&str>,
    retry_after_ms: Option<&str>,
) -> Reply {
    Reply::Answer(HttpResponse {
        status,
        retry_after: retry_after.map(str::to_owned),
        retry_after_ms: retry_after_ms.map(str::to_owned),
        location: None,
        opaque_redirect: false,
        json: None,
        text: String::new(),
    })
}

pub(crate) fn fail(failure: Failure) -> Reply {
    let detail = match failure {
        Failure::NotSent => "ECONNREFUSED",
        Failure::MaybeSent => "ECONNRESET",
        Failure::Timeout => "timed out",
        Failure::Aborted | Failure::AbortedUnsent => "aborted",
        Failure::TooLarge => "body over limit",
        Failure::Internal => "unknown outcome",
    };
    Reply::Fail(TransportError {
        failure,
        detail: detail.to_owned(),
    })
}

/// An abort signal the test controls.
#[derive(Default)]
struct AbortSignal {
    fired: Cell<bool>,
    wakers: RefCell<Vec<Waker>>,
}

/// The per-call context.
#[derive(Clone, Default)]
pub(crate) struct Call {
    abort: Rc<AbortSignal>,
}

impl Call {
    pub(crate) fn aborted_already() -> Call {
        let c = Call::default();
        c.fire();
        c
    }

    pub(crate) fn fire(&self) {
        self.abort.fired.set(true);
        for w in self.abort.wakers.borrow_mut().drain(..) {
            w.wake();
        }
    }
}

/// A request as it was sent, with the clock time.
#[derive(Clone, Debug)]
pub(crate) struct Sent {
    at_ms: f64,
    pub(crate) req: HttpRequest,
}

/// Yields to the executor once.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[derive(Default)]
pub(crate) struct Fake {
    pub(crate) clock: Cell<f64>,
    pub(crate) rand: Cell<f64>,
    /// Clock advance per `send`.
    pub(crate) latency_ms: Cell<f64>,
    /// Whether `send` yields once (so concurrent calls interleave).
    pub(crate) yield_in_send: Cell<bool>,
    token_replies: RefCell<VecDeque<Reply>>,
    api_replies: RefCell<VecDeque<Reply>>,
    sent: RefCell<Vec<Sent>>,
    sleeps: RefCell<Vec<f64>>,
    provided: RefCell<VecDeque<Result<String, Error>>>,
    pub(crate) provide_calls: Cell<u32>,
    events: RefCell<Vec<AttemptEvent>>,
}

impl Fake {
    pub(crate) fn token_reply(&self, r: Reply) {
        self.token_replies.borrow_mut().push_back(r);
    }
    pub(crate) fn api_reply(&self, r: Reply) {
        self.api_replies.borrow_mut().push_back(r);
    }
    pub(crate) fn provide(&self, t: &str) {
        self.provided.borrow_mut().push_back(Ok(t.to_owned()));
    }
    pub(crate) fn all_sent(&self) -> Vec<Sent> {
        self.sent.borrow().clone()
    }
    pub(crate) fn token_requests(&self) -> Vec<HttpRequest> {
        self.sent
            .borrow()
            .iter()
            .filter(|s| is_token_url(&s.req.url))
            .map(|s| s.req.clone())
            .collect()
    }
    pub(crate) fn api_requests(&self) -> Vec<HttpRequest> {
        self.sent
            .borrow()
            .iter()
            .filter(|s| !is_token_url(&s.req.url))
            .map(|s| s.req.clone())
            .collect()
    }
    pub(crate) fn api_times(&self) -> Vec<f64> {
        self.sent
            .borrow()
            .iter()
            .filter(|s| !is_token_url(&s.req.url))
            .map(|s| s.at_ms)
            .collect()
    }
    pub(crate) fn sleeps(&self) -> Vec<f64> {
        self.sleeps.borrow().clone()
    }
    pub(crate) fn events(&self) -> Vec<AttemptEvent> {
        self.events.borrow().clone()
    }
    pub(crate) fn set_clock(&self, ms: f64) {
        self.clock.set(ms);
    }
    pub(crate) fn unused_replies(&self) -> usize {
        self.token_replies.borrow().len() + self.api_replies.borrow().len()
    }
}

pub(crate) fn is_token_url(url: &str) -> bool {
    url.starts_with(&format!("{BASE}{TOKEN_PATH}"))
}

impl Env for Fake {
    type Json = Value;
    type Call = Call;

    async fn send(
        &self,
        _call: &Call,
        req: &HttpRequest,
    ) -> Result<HttpResponse<Value>, TransportError> {
        self.sent.borrow_mut().push(Sent {
            at_ms: self.clock.get(),
            req: req.clone(),
        });
        let queue = if is_token_url(&req.url) {
            &self.token_replies
        } else {
            &self.api_replies
        };
        let reply = queue.borrow_mut().pop_front();
        let reply =
            reply.unwrap_or_else(|| panic!("unscripted request: {} {}", req.method, req.log_path));
        if self.yield_in_send.get() {
            YieldOnce(false).await;
        }
        self.clock.set(self.clock.get() + self.latency_ms.get());
        match reply {
            Reply::Answer(r) => Ok(r),
            Reply::Fail(t) => Err(t),
        }
    }

    async fn sleep(&self, call: &Call, ms: f64) -> Result<(), Error> {
        self.sleeps.borrow_mut().push(ms);
        if call.abort.fired.get() {
            return Err(Error::aborted());
        }
        self.clock.set(self.clock.get() + ms);
        Ok(())
    }

    fn aborted(&self, call: &Call) -> impl Future<Output = ()> {
        let signal = call.abort.clone();
        std::future::poll_fn(move |cx| {
            if signal.fired.get() {
                Poll::Ready(())
            } else {
                signal.wakers.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
    }

    fn now_ms(&self) -> f64 {
        self.clock.get()
    }

    fn random(&self) -> f64 {
        self.rand.get()
    }

    async fn provide_token(&self, _call: &Call) -> Result<String, Error> {
        self.provide_calls.set(self.provide_calls.get() + 1);
        let next = self.provided.borrow_mut().pop_front();
        next.unwrap_or_else(|| panic!("unscripted provide_token call"))
    }

    fn log(&self, event: AttemptEvent) {
        self.events.borrow_mut().push(event);
    }
}

pub(crate) fn client_with(credentials: Credentials, retry: RetryPolicy) -> Client<Fake> {
    let env = Fake::default();
    env.clock.set(T0);
    env.rand.set(0.5);
    Client::new(
        env,
        Config {
            base_url: BaseUrl::parse(BASE).unwrap(),
            credentials,
            retry,
        },
    )
}

pub(crate) fn oauth(style: TokenAuthStyle) -> Credentials {
    Credentials::Client {
        id: CLIENT_ID.into(),
        secret: SECRET.into(),
        style,
    }
}

/// An OAuth client (body style) with the default retry policy.
pub(crate) fn oauth_client() -> Client<Fake> {
    client_with(oauth(TokenAuthStyle::Body), RetryPolicy::default())
}

/// An OAuth client whose token T1 (1 h) is already cached.
pub(crate) fn oauth_client_with_token() -> Client<Fake> {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    block_on(c.get_token(&Call::default())).unwrap();
    c
}

pub(crate) fn static_client(retry: RetryPolicy) -> Client<Fake> {
    client_with(Credentials::Static(T1.into()), retry)
}

pub(crate) fn get(
    c: &Client<Fake>,
) -> Result<
    encore_cloud::core::client::Fetched<encore_cloud::core::resources::rollouts::Rollout, Value>,
    Error,
> {
    block_on(c.get_rollout(&Call::default(), APP, ROLL))
}

pub(crate) fn trigger(
    c: &Client<Fake>,
) -> Result<
    encore_cloud::core::client::Fetched<encore_cloud::core::resources::rollouts::Rollout, Value>,
    Error,
> {
    block_on(c.trigger_rollout(&Call::default(), APP, ENV_NAME, &sha_trigger()))
}

/// Asserts that neither the Debug nor the Display form of `e` contains any of `secrets`.
pub(crate) fn assert_clean(e: &Error, secrets: &[&str]) {
    let debug = format!("{e:?}");
    let display = e.to_string();
    for s in secrets {
        assert!(!debug.contains(s), "error leaks {s:?}: {debug}");
        assert!(!display.contains(s), "error leaks {s:?}: {display}");
    }
}

pub(crate) fn assert_close(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() < 0.01, "{actual:?} vs {expected:?}");
    }
}
