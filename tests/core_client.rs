//! Host-side tests of the sans-IO client core (`encore_cloud::core::client`), driven through a
//! fake `Env`: a scripted transport, a manual clock, settable randomness, a counting token
//! provider, controllable abort signals and a recording logger.

use encore_cloud::core::client::{Client, Config, Credentials, TokenAuthStyle};
use encore_cloud::core::endpoint::BaseUrl;
use encore_cloud::core::env::{AttemptEvent, Env, HttpRequest, HttpResponse, TransportError};
use encore_cloud::core::error::{Error, ErrorKind};
use encore_cloud::core::models::TriggerRollout;
use encore_cloud::core::retry::{Failure, RetryPolicy};
use futures::executor::block_on;
use futures::future::{join, join3};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const BASE: &str = "https://api.encore.cloud";
const CLIENT_ID: &str = "o2c_test_client_01";
const SECRET: &str = "cs_SUPERSECRET_9f8e7d6c";
const T1: &str = "at_TOKEN_ONE_a1b2c3d4";
const T2: &str = "at_TOKEN_TWO_e5f6a7b8";
const TOKEN_PATH: &str = "/api/oauth/token";
const APP: &str = "my-app";
const ENV_NAME: &str = "production";
const ROLL: &str = "roll_2bQ8xWv";
const GET_PATH: &str = "/api/apps/my-app/rollouts/roll_2bQ8xWv";
const TRIGGER_PATH: &str = "/api/apps/my-app/envs/production/rollouts";
const AMBIGUOUS: &str = "may or may not have been created";
/// 2026-03-18T09:41:07Z.
const T0: f64 = 1_773_826_867_000.0;
/// Just below 1, for "full" jitter.
const ALMOST_ONE: f64 = 0.999_999_9;

/// A realistic rollout, as API.md describes it (Go nanosecond timestamps, nulls, `proposed`).
fn rollout_json() -> String {
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

fn token_json(token: &str, expires_in: u32) -> String {
    format!(
        r#"{{"access_token":"{token}","expires_in":{expires_in},"actor":"{CLIENT_ID}","token_type":"Bearer"}}"#
    )
}

fn sha_trigger() -> TriggerRollout {
    TriggerRollout::new(Some("9f2c1e7a".into()), None, false, false).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The fake Env
// ---------------------------------------------------------------------------------------------

/// One scripted outcome of a `send`.
#[derive(Clone, Debug)]
enum Reply {
    Answer(HttpResponse),
    Fail(TransportError),
}

fn answer(status: u16, body: &str) -> Reply {
    Reply::Answer(HttpResponse {
        status,
        retry_after: None,
        retry_after_ms: None,
        body: body.to_owned(),
    })
}

fn answer_retry(status: u16, retry_after: Option<&str>, retry_after_ms: Option<&str>) -> Reply {
    Reply::Answer(HttpResponse {
        status,
        retry_after: retry_after.map(str::to_owned),
        retry_after_ms: retry_after_ms.map(str::to_owned),
        body: String::new(),
    })
}

fn fail(failure: Failure) -> Reply {
    let detail = match failure {
        Failure::NotSent => "ECONNREFUSED",
        Failure::MaybeSent => "ECONNRESET",
        Failure::Timeout => "timed out",
        Failure::Aborted => "aborted",
        Failure::TooLarge => "body over limit",
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
struct Call {
    abort: Rc<AbortSignal>,
}

impl Call {
    fn aborted_already() -> Call {
        let c = Call::default();
        c.fire();
        c
    }

    fn fire(&self) {
        self.abort.fired.set(true);
        for w in self.abort.wakers.borrow_mut().drain(..) {
            w.wake();
        }
    }
}

/// A request as it was sent, with the clock time.
#[derive(Clone, Debug)]
struct Sent {
    at_ms: f64,
    req: HttpRequest,
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
struct Fake {
    clock: Cell<f64>,
    rand: Cell<f64>,
    /// Clock advance per `send`.
    latency_ms: Cell<f64>,
    /// Whether `send` yields once (so concurrent calls interleave).
    yield_in_send: Cell<bool>,
    token_replies: RefCell<VecDeque<Reply>>,
    api_replies: RefCell<VecDeque<Reply>>,
    sent: RefCell<Vec<Sent>>,
    sleeps: RefCell<Vec<f64>>,
    provided: RefCell<VecDeque<Result<String, Error>>>,
    provide_calls: Cell<u32>,
    events: RefCell<Vec<AttemptEvent>>,
}

impl Fake {
    fn token_reply(&self, r: Reply) {
        self.token_replies.borrow_mut().push_back(r);
    }
    fn api_reply(&self, r: Reply) {
        self.api_replies.borrow_mut().push_back(r);
    }
    fn provide(&self, t: &str) {
        self.provided.borrow_mut().push_back(Ok(t.to_owned()));
    }
    fn all_sent(&self) -> Vec<Sent> {
        self.sent.borrow().clone()
    }
    fn token_requests(&self) -> Vec<HttpRequest> {
        self.sent
            .borrow()
            .iter()
            .filter(|s| is_token_url(&s.req.url))
            .map(|s| s.req.clone())
            .collect()
    }
    fn api_requests(&self) -> Vec<HttpRequest> {
        self.sent
            .borrow()
            .iter()
            .filter(|s| !is_token_url(&s.req.url))
            .map(|s| s.req.clone())
            .collect()
    }
    fn api_times(&self) -> Vec<f64> {
        self.sent
            .borrow()
            .iter()
            .filter(|s| !is_token_url(&s.req.url))
            .map(|s| s.at_ms)
            .collect()
    }
    fn sleeps(&self) -> Vec<f64> {
        self.sleeps.borrow().clone()
    }
    fn events(&self) -> Vec<AttemptEvent> {
        self.events.borrow().clone()
    }
    fn set_clock(&self, ms: f64) {
        self.clock.set(ms);
    }
    fn unused_replies(&self) -> usize {
        self.token_replies.borrow().len() + self.api_replies.borrow().len()
    }
}

fn is_token_url(url: &str) -> bool {
    url.starts_with(&format!("{BASE}{TOKEN_PATH}"))
}

impl Env for Fake {
    type Call = Call;

    async fn send(&self, _call: &Call, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
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

fn client_with(credentials: Credentials, retry: RetryPolicy) -> Client<Fake> {
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

fn oauth(style: TokenAuthStyle) -> Credentials {
    Credentials::Client {
        id: CLIENT_ID.into(),
        secret: SECRET.into(),
        style,
    }
}

/// An OAuth client (body style) with the default retry policy.
fn oauth_client() -> Client<Fake> {
    client_with(oauth(TokenAuthStyle::Body), RetryPolicy::default())
}

/// An OAuth client whose token T1 (1 h) is already cached.
fn oauth_client_with_token() -> Client<Fake> {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    block_on(c.get_token(&Call::default())).unwrap();
    c
}

fn static_client(retry: RetryPolicy) -> Client<Fake> {
    client_with(Credentials::Static(T1.into()), retry)
}

fn get(
    c: &Client<Fake>,
) -> Result<encore_cloud::core::client::Fetched<encore_cloud::core::models::Rollout>, Error> {
    block_on(c.get_rollout(&Call::default(), APP, ROLL))
}

fn trigger(
    c: &Client<Fake>,
) -> Result<encore_cloud::core::client::Fetched<encore_cloud::core::models::Rollout>, Error> {
    block_on(c.trigger_rollout(&Call::default(), APP, ENV_NAME, &sha_trigger()))
}

/// Asserts that neither the Debug nor the Display form of `e` contains any of `secrets`.
fn assert_clean(e: &Error, secrets: &[&str]) {
    let debug = format!("{e:?}");
    let display = e.to_string();
    for s in secrets {
        assert!(!debug.contains(s), "error leaks {s:?}: {debug}");
        assert!(!display.contains(s), "error leaks {s:?}: {display}");
    }
}

fn assert_close(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() < 0.01, "{actual:?} vs {expected:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Token requests
// ---------------------------------------------------------------------------------------------

#[test]
fn token_body_style_sends_form_body_without_query() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (token, remaining) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(token.access_token, T1);
    assert_eq!(remaining, 3600.0);

    let reqs = c.env.token_requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, format!("{BASE}{TOKEN_PATH}"));
    assert!(!r.url.contains('?'), "{}", r.url);
    assert_eq!(r.log_path, TOKEN_PATH);
    assert_eq!(r.content_type, Some("application/x-www-form-urlencoded"));
    assert_eq!(
        r.body.as_deref(),
        Some(
            format!("grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={SECRET}")
                .as_str()
        )
    );
    assert_eq!(r.authorization, None);
    for e in c.env.events() {
        assert!(!e.path.contains(SECRET));
    }
}

#[test]
fn token_body_style_form_encodes_credentials() {
    let c = client_with(
        Credentials::Client {
            id: "o2c_a b".into(),
            secret: "s3c r&t=+/?é".into(),
            style: TokenAuthStyle::Body,
        },
        RetryPolicy::default(),
    );
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    block_on(c.get_token(&Call::default())).unwrap();
    let r = &c.env.token_requests()[0];
    assert_eq!(
        r.body.as_deref(),
        Some("grant_type=client_credentials&client_id=o2c_a+b&client_secret=s3c+r%26t%3D%2B%2F%3F%C3%A9")
    );
    assert_eq!(r.url, format!("{BASE}{TOKEN_PATH}"));
}

#[test]
fn token_query_style_puts_credentials_in_query_and_redacts_log_path() {
    let c = client_with(oauth(TokenAuthStyle::Query), RetryPolicy::default());
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    block_on(c.get_token(&Call::default())).unwrap();
    let reqs = c.env.token_requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.url,
        format!("{BASE}{TOKEN_PATH}?client_id={CLIENT_ID}&client_secret={SECRET}")
    );
    assert_eq!(r.body, None);
    assert_eq!(r.authorization, None);
    assert_eq!(
        r.log_path,
        format!("{TOKEN_PATH}?client_id={CLIENT_ID}&client_secret=[redacted]")
    );
    let events = c.env.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].path, r.log_path);
    assert!(!events[0].path.contains(SECRET));
}

#[test]
fn api_calls_carry_the_cached_bearer_token() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.api_reply(answer(200, &rollout_json()));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    get(&c).unwrap();
    assert_eq!(c.env.token_requests().len(), 1);
    let api = c.env.api_requests();
    assert_eq!(api.len(), 2);
    for r in &api {
        assert_eq!(r.method, "GET");
        assert_eq!(r.url, format!("{BASE}{GET_PATH}"));
        assert_eq!(r.log_path, GET_PATH);
        assert_eq!(
            r.authorization.as_deref(),
            Some(format!("Bearer {T1}").as_str())
        );
        assert_eq!(r.body, None);
    }
}

// ---------------------------------------------------------------------------------------------
// Token lifetime
// ---------------------------------------------------------------------------------------------

#[test]
fn token_with_3600s_lifetime_renews_when_less_than_300s_remain() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (t, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!((t.access_token.as_str(), left), (T1, 3600.0));

    c.env.set_clock(T0 + 1_000_000.0);
    let (t, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!((t.access_token.as_str(), left), (T1, 2600.0));

    // Exactly 300 s left: still fresh.
    c.env.set_clock(T0 + 3_300_000.0);
    let (t, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!((t.access_token.as_str(), left), (T1, 300.0));
    assert_eq!(c.env.token_requests().len(), 1);

    // Less than 300 s left: renewed.
    c.env.set_clock(T0 + 3_300_001.0);
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    let (t, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!((t.access_token.as_str(), left), (T2, 3600.0));
    assert_eq!(c.env.token_requests().len(), 2);
}

#[test]
fn token_with_60s_lifetime_renews_at_half_life() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 60)));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();

    // 30 s left = lifetime/2: still used (a fixed 300 s margin would renew here).
    c.env.set_clock(T0 + 30_000.0);
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    let (_, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(left, 30.0);
    assert_eq!(c.env.token_requests().len(), 1);

    // Less than lifetime/2 left: renewed before the API call.
    c.env.set_clock(T0 + 30_001.0);
    c.env.token_reply(answer(200, &token_json(T2, 60)));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    assert_eq!(c.env.token_requests().len(), 2);
    let api = c.env.api_requests();
    let auth: Vec<_> = api
        .iter()
        .map(|r| r.authorization.clone().unwrap())
        .collect();
    assert_eq!(
        auth,
        [
            format!("Bearer {T1}"),
            format!("Bearer {T1}"),
            format!("Bearer {T2}")
        ]
    );
}

#[test]
fn get_token_reports_whole_remaining_seconds() {
    let c = oauth_client();
    c.env.latency_ms.set(250.0); // obtained when the answer arrives
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (_, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(left, 3600.0);
    c.env.set_clock(T0 + 250.0 + 1_234_567.0);
    let (_, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(left, 2365.0); // floor(2365.433)
}

#[test]
fn get_token_with_static_credentials_is_a_validation_error() {
    let c = static_client(RetryPolicy::default());
    let e = block_on(c.get_token(&Call::default())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(c.env.all_sent().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Single flight
// ---------------------------------------------------------------------------------------------

#[test]
fn three_concurrent_calls_share_one_token_request() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    for _ in 0..3 {
        c.env.api_reply(answer(200, &rollout_json()));
    }
    let (a, b, d) = (Call::default(), Call::default(), Call::default());
    let (ra, rb, rd) = block_on(join3(
        c.get_rollout(&a, APP, ROLL),
        c.get_rollout(&b, APP, ROLL),
        c.get_rollout(&d, APP, ROLL),
    ));
    ra.unwrap();
    rb.unwrap();
    rd.unwrap();
    assert_eq!(c.env.token_requests().len(), 1);
    let api = c.env.api_requests();
    assert_eq!(api.len(), 3);
    assert!(api
        .iter()
        .all(|r| r.authorization.as_deref() == Some(format!("Bearer {T1}").as_str())));
}

#[test]
fn three_concurrent_get_token_calls_share_one_request() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (a, b, d) = (Call::default(), Call::default(), Call::default());
    let (ra, rb, rd) = block_on(join3(c.get_token(&a), c.get_token(&b), c.get_token(&d)));
    for r in [ra, rb, rd] {
        assert_eq!(r.unwrap().0.access_token, T1);
    }
    assert_eq!(c.env.token_requests().len(), 1);
}

#[test]
fn a_failed_token_request_is_shared_by_all_waiters_and_not_cached() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(
        400,
        r#"{"error":"invalid_client","error_description":"client authentication failed"}"#,
    ));
    let (a, b, d) = (Call::default(), Call::default(), Call::default());
    let (ra, rb, rd) = block_on(join3(
        c.get_rollout(&a, APP, ROLL),
        c.get_rollout(&b, APP, ROLL),
        c.get_token(&d),
    ));
    for e in [ra.unwrap_err(), rb.unwrap_err(), rd.unwrap_err()] {
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.status, Some(400));
        assert_eq!(e.code.as_deref(), Some("invalid_client"));
        assert_clean(&e, &[SECRET]);
    }
    assert_eq!(c.env.token_requests().len(), 1);
    assert!(c.env.api_requests().is_empty());

    // The next call tries again.
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.api_reply(answer(200, &rollout_json()));
    block_on(c.get_rollout(&Call::default(), APP, ROLL)).unwrap();
    assert_eq!(c.env.token_requests().len(), 2);
}

#[test]
fn a_token_request_that_exhausts_retries_is_shared_once() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    for _ in 0..3 {
        c.env.token_reply(answer(503, ""));
    }
    let (a, b, d) = (Call::default(), Call::default(), Call::default());
    let (ra, rb, rd) = block_on(join3(c.get_token(&a), c.get_token(&b), c.get_token(&d)));
    for e in [ra.unwrap_err(), rb.unwrap_err(), rd.unwrap_err()] {
        assert_eq!(e.status, Some(503));
    }
    // One flight: the first attempt plus two retries, not three flights.
    assert_eq!(c.env.token_requests().len(), 3);
}

#[test]
fn an_aborted_waiter_gives_up_while_the_leader_finishes() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.api_reply(answer(200, &rollout_json()));
    let leader = Call::default();
    let waiter = Call::aborted_already();
    let (rl, rw) = block_on(join(
        c.get_rollout(&leader, APP, ROLL),
        c.get_rollout(&waiter, APP, ROLL),
    ));
    rl.unwrap();
    assert_eq!(rw.unwrap_err().kind, ErrorKind::Aborted);
    assert_eq!(c.env.token_requests().len(), 1);
    assert_eq!(c.env.api_requests().len(), 1);
}

#[test]
fn an_abort_during_backoff_stops_the_call() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(503, ""));
    let e = block_on(c.get_rollout(&Call::aborted_already(), APP, ROLL)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Aborted);
    assert_eq!(c.env.api_requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 401 renewal
// ---------------------------------------------------------------------------------------------

#[test]
fn a_401_discards_the_token_fetches_a_new_one_and_retries_once() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    c.env.api_reply(answer(
        401,
        r#"{"code":"unauthenticated","message":"token revoked"}"#,
    ));
    c.env.api_reply(answer(200, &rollout_json()));
    let r = get(&c).unwrap();
    assert_eq!(r.value.id, ROLL);

    let seq: Vec<(bool, Option<String>)> = c
        .env
        .all_sent()
        .iter()
        .map(|s| (is_token_url(&s.req.url), s.req.authorization.clone()))
        .collect();
    assert_eq!(
        seq,
        [
            (true, None),
            (false, Some(format!("Bearer {T1}"))),
            (true, None),
            (false, Some(format!("Bearer {T2}"))),
        ]
    );
    assert!(c.env.sleeps().is_empty());
    // The new token stays cached.
    let (t, _) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(t.access_token, T2);
    assert_eq!(c.env.token_requests().len(), 2);
}

#[test]
fn a_second_401_is_returned_as_an_api_error() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    c.env
        .api_reply(answer(401, r#"{"code":"unauthenticated","message":"no"}"#));
    c.env.api_reply(answer(
        401,
        r#"{"code":"unauthenticated","message":"still no"}"#,
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Api);
    assert_eq!(e.status, Some(401));
    assert_eq!(e.code.as_deref(), Some("unauthenticated"));
    assert_eq!(c.env.api_requests().len(), 2);
    assert_eq!(c.env.token_requests().len(), 2);
    assert_eq!(c.env.unused_replies(), 0);
}

#[test]
fn a_401_on_a_trigger_is_renewed_too() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    c.env.api_reply(answer(401, ""));
    c.env.api_reply(answer(200, &rollout_json()));
    trigger(&c).unwrap();
    let api = c.env.api_requests();
    assert_eq!(api.len(), 2);
    assert_eq!(
        api[1].authorization.as_deref(),
        Some(format!("Bearer {T2}").as_str())
    );
}

#[test]
fn static_credentials_do_not_retry_a_401() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(
        401,
        r#"{"code":"unauthenticated","message":"bad token"}"#,
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Api);
    assert_eq!(e.status, Some(401));
    let api = c.env.api_requests();
    assert_eq!(api.len(), 1);
    assert_eq!(
        api[0].authorization.as_deref(),
        Some(format!("Bearer {T1}").as_str())
    );
}

#[test]
fn provider_credentials_ask_for_a_new_token_after_a_401() {
    let c = client_with(Credentials::Provider, RetryPolicy::default());
    c.env.provide("pt_provided_one");
    c.env.provide("pt_provided_two");
    c.env.api_reply(answer(401, ""));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    assert_eq!(c.env.provide_calls.get(), 2);
    let auth: Vec<_> = c
        .env
        .api_requests()
        .iter()
        .map(|r| r.authorization.clone().unwrap())
        .collect();
    assert_eq!(auth, ["Bearer pt_provided_one", "Bearer pt_provided_two"]);
}

#[test]
fn provider_returning_an_empty_token_is_a_validation_error_before_sending() {
    let c = client_with(Credentials::Provider, RetryPolicy::default());
    c.env.provide("");
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(c.env.all_sent().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[test]
fn get_is_retried_on_transport_failures_and_retryable_statuses() {
    let mut cases: Vec<(String, Reply)> = [Failure::NotSent, Failure::MaybeSent, Failure::Timeout]
        .into_iter()
        .map(|f| (format!("{f:?}"), fail(f)))
        .collect();
    for s in [408, 429, 500, 502, 503, 504] {
        cases.push((s.to_string(), answer(s, "")));
    }
    for (name, first) in cases {
        let c = static_client(RetryPolicy::default());
        c.env.api_reply(first);
        c.env.api_reply(answer(200, &rollout_json()));
        let r = get(&c);
        assert!(r.is_ok(), "{name}: {r:?}");
        assert_eq!(c.env.api_requests().len(), 2, "{name}");
        assert_eq!(c.env.sleeps().len(), 1, "{name}");
    }
}

#[test]
fn get_is_not_retried_on_other_statuses() {
    for s in [400, 403, 404, 409, 422, 501] {
        let c = static_client(RetryPolicy::default());
        c.env
            .api_reply(answer(s, r#"{"code":"x","message":"nope"}"#));
        let e = get(&c).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api, "{s}");
        assert_eq!(e.status, Some(s));
        assert_eq!(c.env.api_requests().len(), 1, "{s}");
        assert!(c.env.sleeps().is_empty(), "{s}");
    }
}

#[test]
fn get_gives_up_after_the_default_two_retries() {
    let c = static_client(RetryPolicy::default());
    for _ in 0..3 {
        c.env
            .api_reply(answer(503, r#"{"code":"unavailable","message":"down"}"#));
    }
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(503));
    assert_eq!(e.code.as_deref(), Some("unavailable"));
    assert_eq!(c.env.api_requests().len(), 3);
    assert_eq!(c.env.sleeps().len(), 2);
}

#[test]
fn token_requests_are_retried_like_idempotent_calls() {
    let c = oauth_client();
    c.env.token_reply(fail(Failure::MaybeSent));
    c.env.token_reply(answer(502, ""));
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (t, _) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(t.access_token, T1);
    assert_eq!(c.env.token_requests().len(), 3);
}

#[test]
fn max_retries_zero_makes_exactly_one_attempt() {
    let none = RetryPolicy { max_retries: 0 };
    for first in [
        answer(503, ""),
        answer(429, ""),
        fail(Failure::NotSent),
        fail(Failure::Timeout),
    ] {
        let c = static_client(none);
        c.env.api_reply(first.clone());
        assert!(get(&c).is_err());
        assert_eq!(c.env.api_requests().len(), 1, "{first:?}");
        assert!(c.env.sleeps().is_empty());

        let c = static_client(none);
        c.env.api_reply(first.clone());
        assert!(trigger(&c).is_err());
        assert_eq!(c.env.api_requests().len(), 1, "{first:?}");
    }
}

#[test]
fn trigger_sends_the_json_body() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(200, &rollout_json()));
    let t = TriggerRollout::new(None, Some("main".into()), true, false).unwrap();
    block_on(c.trigger_rollout(&Call::default(), APP, ENV_NAME, &t)).unwrap();
    let r = &c.env.api_requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, format!("{BASE}{TRIGGER_PATH}"));
    assert_eq!(r.content_type, Some("application/json"));
    assert_eq!(
        r.body.as_deref(),
        Some(r#"{"branch":"main","skip_tests":true}"#)
    );
    assert_eq!(
        r.authorization.as_deref(),
        Some(format!("Bearer {T1}").as_str())
    );
}

#[test]
fn trigger_is_retried_on_429_503_and_not_sent() {
    for first in [answer(429, ""), answer(503, ""), fail(Failure::NotSent)] {
        let c = static_client(RetryPolicy::default());
        c.env.api_reply(first.clone());
        c.env.api_reply(answer(200, &rollout_json()));
        let r = trigger(&c);
        assert!(r.is_ok(), "{first:?}: {r:?}");
        let api = c.env.api_requests();
        assert_eq!(api.len(), 2, "{first:?}");
        assert_eq!(api[0].body, api[1].body);
        assert_eq!(api[1].body.as_deref(), Some(r#"{"sha":"9f2c1e7a"}"#));
    }
}

#[test]
fn trigger_is_never_retried_when_the_outcome_is_unknown() {
    let cases = [
        (
            answer(500, r#"{"code":"internal","message":"boom"}"#),
            ErrorKind::Api,
        ),
        (answer(502, "<html>Bad gateway</html>"), ErrorKind::Api),
        (answer(504, ""), ErrorKind::Api),
        (fail(Failure::Timeout), ErrorKind::Timeout),
        (fail(Failure::MaybeSent), ErrorKind::Connection),
    ];
    for (first, kind) in cases {
        let c = static_client(RetryPolicy { max_retries: 5 });
        c.env.api_reply(first.clone());
        c.env.api_reply(answer(200, &rollout_json())); // must not be used
        let e = trigger(&c).unwrap_err();
        assert_eq!(e.kind, kind, "{first:?}");
        assert_eq!(c.env.api_requests().len(), 1, "{first:?}");
        assert!(c.env.sleeps().is_empty(), "{first:?}");
        assert!(e.message.contains(AMBIGUOUS), "{first:?}: {}", e.message);
    }
}

#[test]
fn trigger_is_not_retried_on_408() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(408, ""));
    c.env.api_reply(answer(200, &rollout_json()));
    let e = trigger(&c).unwrap_err();
    assert_eq!(e.status, Some(408));
    assert_eq!(c.env.api_requests().len(), 1);
}

#[test]
fn trigger_errors_that_prove_nothing_was_done_have_no_ambiguity_note() {
    // Refused three times: certainly not created.
    let c = static_client(RetryPolicy::default());
    for _ in 0..3 {
        c.env.api_reply(fail(Failure::NotSent));
    }
    let e = trigger(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Connection);
    assert_eq!(c.env.api_requests().len(), 3);
    assert!(!e.message.contains(AMBIGUOUS), "{}", e.message);

    // A plain rejection.
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(
        400,
        r#"{"code":"invalid_argument","message":"unknown branch"}"#,
    ));
    let e = trigger(&c).unwrap_err();
    assert_eq!(c.env.api_requests().len(), 1);
    assert!(!e.message.contains(AMBIGUOUS), "{}", e.message);

    // Rate limited until out of retries.
    let c = static_client(RetryPolicy::default());
    for _ in 0..3 {
        c.env.api_reply(answer(429, ""));
    }
    let e = trigger(&c).unwrap_err();
    assert_eq!(c.env.api_requests().len(), 3);
    assert!(!e.message.contains(AMBIGUOUS), "{}", e.message);
}

// ---------------------------------------------------------------------------------------------
// Backoff and Retry-After
// ---------------------------------------------------------------------------------------------

#[test]
fn backoff_is_full_jitter_exponential_base_500_cap_8000() {
    let c = static_client(RetryPolicy { max_retries: 6 });
    c.env.rand.set(ALMOST_ONE);
    for _ in 0..7 {
        c.env.api_reply(answer(503, ""));
    }
    get(&c).unwrap_err();
    assert_close(
        &c.env.sleeps(),
        &[500.0, 1000.0, 2000.0, 4000.0, 8000.0, 8000.0],
    );
    // The clock really waited between attempts.
    let times = c.env.api_times();
    let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert_close(&gaps, &[500.0, 1000.0, 2000.0, 4000.0, 8000.0, 8000.0]);
}

#[test]
fn backoff_scales_with_random() {
    for (r, expected) in [
        (0.5, [250.0, 500.0]),
        (0.0, [0.0, 0.0]),
        (0.25, [125.0, 250.0]),
    ] {
        let c = static_client(RetryPolicy::default());
        c.env.rand.set(r);
        for _ in 0..3 {
            c.env.api_reply(fail(Failure::NotSent));
        }
        get(&c).unwrap_err();
        assert_close(&c.env.sleeps(), &expected);
    }
}

#[test]
fn retry_after_seconds_is_honoured_exactly() {
    let c = static_client(RetryPolicy::default());
    c.env.rand.set(ALMOST_ONE);
    c.env.api_reply(answer_retry(503, Some("3"), None));
    c.env.api_reply(answer_retry(429, Some("60"), None)); // 60 s is still waited
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    assert_eq!(c.env.sleeps(), [3000.0, 60_000.0]);
    assert_eq!(c.env.api_times(), [T0, T0 + 3000.0, T0 + 63_000.0]);
}

#[test]
fn retry_after_http_date_is_honoured_exactly() {
    let c = static_client(RetryPolicy::default());
    c.env.set_clock(784_111_777_000.0); // Sun, 06 Nov 1994 08:49:37 GMT
    c.env.api_reply(answer_retry(
        503,
        Some("Sun, 06 Nov 1994 08:49:47 GMT"),
        None,
    ));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    assert_eq!(c.env.sleeps(), [10_000.0]);
}

#[test]
fn retry_after_ms_is_honoured_exactly_and_wins() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer_retry(429, Some("5"), Some("250")));
    c.env.api_reply(answer_retry(429, None, Some("1234")));
    c.env.api_reply(answer(200, &rollout_json()));
    trigger(&c).unwrap();
    assert_eq!(c.env.sleeps(), [250.0, 1234.0]);
}

#[test]
fn retry_after_above_60s_is_not_waited() {
    type Case = (Reply, f64, bool);
    let cases: [Case; 4] = [
        (answer_retry(429, Some("61"), None), 61.0, true),
        (answer_retry(503, Some("3600"), None), 3600.0, false),
        (answer_retry(503, None, Some("90000")), 90.0, true),
        (
            answer_retry(429, Some("Sun, 06 Nov 1994 08:51:37 GMT"), None),
            120.0,
            false,
        ),
    ];
    for (first, seconds, is_trigger) in cases {
        let c = static_client(RetryPolicy::default());
        c.env.set_clock(784_111_777_000.0);
        c.env.api_reply(first.clone());
        c.env.api_reply(answer(200, &rollout_json())); // must not be used
        let e = if is_trigger { trigger(&c) } else { get(&c) }.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api, "{first:?}");
        assert_eq!(e.retry_after, Some(seconds), "{first:?}");
        assert_eq!(c.env.api_requests().len(), 1, "{first:?}");
        assert!(c.env.sleeps().is_empty(), "{first:?}");
        assert_eq!(c.env.clock.get(), 784_111_777_000.0);
    }
}

#[test]
fn retry_after_is_reported_when_retries_run_out() {
    let c = static_client(RetryPolicy { max_retries: 0 });
    c.env.api_reply(answer_retry(429, Some("7"), None));
    let e = get(&c).unwrap_err();
    assert_eq!(e.retry_after, Some(7.0));
}

// ---------------------------------------------------------------------------------------------
// Secrets never leak
// ---------------------------------------------------------------------------------------------

#[test]
fn token_endpoint_errors_never_contain_the_client_secret() {
    for style in [TokenAuthStyle::Body, TokenAuthStyle::Query] {
        let c = client_with(oauth(style), RetryPolicy::default());
        assert!(!format!("{:?}", c.config()).contains(SECRET));

        // OAuth error echoing the secret.
        c.env.token_reply(answer(
            401,
            &format!(r#"{{"error":"invalid_client","error_description":"bad secret {SECRET} for {CLIENT_ID}"}}"#),
        ));
        let e = block_on(c.get_token(&Call::default())).unwrap_err();
        assert_eq!(e.status, Some(401));
        assert_clean(&e, &[SECRET]);

        // Encore error echoing it in message, code and details, through an API call.
        c.env.token_reply(answer(
            400,
            &format!(
                r#"{{"code":"bad_{SECRET}","message":"client_secret={SECRET}","details":{{"client_secret":"{SECRET}"}}}}"#
            ),
        ));
        let e = get(&c).unwrap_err();
        assert_eq!(e.status, Some(400));
        assert_clean(&e, &[SECRET]);

        // A proxy page quoting the request URL, until retries run out.
        for _ in 0..3 {
            c.env.token_reply(answer(
                502,
                &format!("<html>upstream failed for {BASE}{TOKEN_PATH}?client_id={CLIENT_ID}&client_secret={SECRET}</html>"),
            ));
        }
        let e = block_on(c.get_token(&Call::default())).unwrap_err();
        assert_eq!(e.status, Some(502));
        assert_clean(&e, &[SECRET]);

        // A 2xx that is not a token, quoting the secret in wrongly typed fields.
        c.env.token_reply(answer(
            200,
            &format!(
                r#"{{"access_token":"{SECRET}","expires_in":"{SECRET}","token_type":"Bearer"}}"#
            ),
        ));
        let e = block_on(c.get_token(&Call::default())).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Protocol);
        assert_clean(&e, &[SECRET]);

        // Transport failures.
        for f in [Failure::NotSent, Failure::MaybeSent, Failure::Timeout] {
            for _ in 0..3 {
                c.env.token_reply(Reply::Fail(TransportError {
                    failure: f,
                    detail: format!("reset while sending client_secret={SECRET}"),
                }));
            }
            let e = block_on(c.get_token(&Call::default())).unwrap_err();
            assert_clean(&e, &[SECRET]);
        }
        for ev in c.env.events() {
            assert!(!ev.path.contains(SECRET), "{ev:?}");
        }
    }
}

#[test]
fn api_errors_never_contain_the_cached_access_token() {
    let c = oauth_client_with_token();

    // Encore error echoing the token in message, code and details.
    c.env.api_reply(answer(
        403,
        &format!(r#"{{"code":"denied_{T1}","message":"token {T1} lacks the Deployer role","details":{{"token":"{T1}"}}}}"#),
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(403));
    assert_clean(&e, &[T1, SECRET]);

    // The platform envelope, on a trigger that failed ambiguously.
    c.env.api_reply(answer(
        500,
        &format!(r#"{{"ok":false,"error":{{"code":"internal","detail":"Authorization: Bearer {T1}"}},"data":null}}"#),
    ));
    let e = trigger(&c).unwrap_err();
    assert!(e.message.contains(AMBIGUOUS));
    assert_clean(&e, &[T1, SECRET]);

    // A 2xx whose body quotes the token where a phase should be.
    let garbage = rollout_json().replacen(r#""build":{"#, &format!(r#""build":"{T1}","x":{{"#), 1);
    c.env.api_reply(answer(200, &garbage));
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert_clean(&e, &[T1, SECRET]);

    // Unknown body format, echoed as a snippet.
    c.env
        .api_reply(answer(404, &format!("no such rollout (auth {T1})")));
    let e = get(&c).unwrap_err();
    assert_clean(&e, &[T1, SECRET]);

    // Two 401s, each echoing the token it was sent.
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    c.env.api_reply(answer(
        401,
        &format!(r#"{{"code":"unauthenticated","message":"revoked {T1}"}}"#),
    ));
    c.env.api_reply(answer(
        401,
        &format!(r#"{{"code":"unauthenticated","message":"revoked {T2}"}}"#),
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(401));
    assert_clean(&e, &[T1, T2, SECRET]);
}

#[test]
fn static_token_is_never_in_errors() {
    let c = static_client(RetryPolicy::default());
    assert!(!format!("{:?}", c.config()).contains(T1));
    c.env.api_reply(answer(
        401,
        &format!(r#"{{"code":"unauthenticated","message":"bad token {T1}"}}"#),
    ));
    let e = get(&c).unwrap_err();
    assert_clean(&e, &[T1]);
}

/// The token from an `accessToken` function is as secret as any other.
#[test]
fn provider_token_echoed_by_the_server_is_redacted() {
    const PT: &str = "pt_PROVIDED_SECRET_77aa";
    let c = client_with(Credentials::Provider, RetryPolicy::default());
    c.env.provide(PT);
    c.env.api_reply(answer(
        403,
        &format!(
            r#"{{"code":"permission_denied","message":"token {PT} lacks the Deployer role"}}"#
        ),
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(403));
    assert_clean(&e, &[PT]);
}

/// Same, when the token is quoted by a 2xx body that fails to decode (serde quotes the value).
#[test]
fn provider_token_echoed_in_a_malformed_2xx_is_redacted() {
    const PT: &str = "pt_PROVIDED_SECRET_77aa";
    let c = client_with(Credentials::Provider, RetryPolicy::default());
    c.env.provide(PT);
    let garbage = rollout_json().replacen(r#""build":{"#, &format!(r#""build":"{PT}","x":{{"#), 1);
    c.env.api_reply(answer(200, &garbage));
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert_clean(&e, &[PT]);
}

/// A call whose answer quotes the token it carried must not leak it because another call
/// meanwhile discarded that token after a 401.
#[test]
fn token_rotated_by_a_concurrent_401_is_still_redacted() {
    let c = oauth_client_with_token();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    // Sent in this order: A (T1), B (T1), token, A again (T2).
    c.env.api_reply(answer(401, ""));
    c.env.api_reply(answer(
        403,
        &format!(r#"{{"code":"permission_denied","message":"token {T1} may not read this app"}}"#),
    ));
    c.env.api_reply(answer(200, &rollout_json()));
    let (a, b) = (Call::default(), Call::default());
    let (ra, rb) = block_on(join(
        c.get_rollout(&a, APP, ROLL),
        c.get_rollout(&b, APP, ROLL),
    ));
    ra.unwrap();
    let e = rb.unwrap_err();
    assert_eq!(e.status, Some(403));
    assert_clean(&e, &[T1, T2, SECRET]);
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_path_segments_fail_before_any_request() {
    for creds in [oauth(TokenAuthStyle::Body), Credentials::Provider] {
        let c = client_with(creds, RetryPolicy::default());
        for (app, id) in [
            ("", ROLL),
            (".", ROLL),
            ("..", ROLL),
            (APP, ""),
            (APP, "."),
            (APP, ".."),
        ] {
            let e = block_on(c.get_rollout(&Call::default(), app, id)).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation, "{app:?} {id:?}");
        }
        for (app, env) in [
            ("", ENV_NAME),
            ("..", ENV_NAME),
            (APP, ""),
            (APP, "."),
            (APP, ".."),
        ] {
            let e = block_on(c.trigger_rollout(&Call::default(), app, env, &sha_trigger()))
                .unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation, "{app:?} {env:?}");
        }
        assert!(c.env.all_sent().is_empty());
        assert_eq!(c.env.provide_calls.get(), 0);
        assert!(c.env.events().is_empty());
    }
}

#[test]
fn bad_triggers_are_refused_before_any_request() {
    for (sha, branch) in [
        (None, None),
        (Some("abc"), Some("main")),
        (Some(""), None),
        (None, Some("   ")),
    ] {
        let e = TriggerRollout::new(sha.map(Into::into), branch.map(Into::into), false, false)
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation, "{sha:?} {branch:?}");
    }
}

#[test]
fn path_segments_are_percent_encoded_whole() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(200, &rollout_json()));
    block_on(c.get_rollout(&Call::default(), "my app/../x", "roll?1#é")).unwrap();
    assert_eq!(
        c.env.api_requests()[0].url,
        format!("{BASE}/api/apps/my%20app%2F..%2Fx/rollouts/roll%3F1%23%C3%A9")
    );
}

// ---------------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------------

#[test]
fn one_event_per_attempt_with_status_failure_and_wait() {
    let c = static_client(RetryPolicy { max_retries: 3 });
    c.env.latency_ms.set(7.0);
    c.env.rand.set(0.5);
    c.env.api_reply(answer(503, ""));
    c.env.api_reply(fail(Failure::NotSent));
    c.env.api_reply(answer_retry(429, Some("2"), None));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    let ev = |attempt, status, failure, retry_in_ms| AttemptEvent {
        method: "GET",
        path: GET_PATH.into(),
        attempt,
        status,
        failure,
        duration_ms: 7.0,
        retry_in_ms,
    };
    assert_eq!(
        c.env.events(),
        [
            ev(1, Some(503), None, Some(250.0)),
            ev(2, None, Some("connection_refused"), Some(500.0)),
            ev(3, Some(429), None, Some(2000.0)),
            ev(4, Some(200), None, None),
        ]
    );
}

#[test]
fn failure_names_and_final_attempt_are_logged() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(fail(Failure::MaybeSent));
    c.env.api_reply(fail(Failure::Timeout));
    c.env.api_reply(answer(504, ""));
    get(&c).unwrap_err();
    let evs = c.env.events();
    assert_eq!(evs.len(), 3);
    assert_eq!(
        evs.iter()
            .map(|e| (e.attempt, e.status, e.failure))
            .collect::<Vec<_>>(),
        [
            (1, None, Some("connection_failed")),
            (2, None, Some("timeout")),
            (3, Some(504), None),
        ]
    );
    assert!(evs[0].retry_in_ms.is_some() && evs[1].retry_in_ms.is_some());
    assert_eq!(evs[2].retry_in_ms, None);

    let c = static_client(RetryPolicy::default());
    c.env.api_reply(fail(Failure::Timeout));
    trigger(&c).unwrap_err();
    let evs = c.env.events();
    assert_eq!(evs.len(), 1);
    assert_eq!(
        (evs[0].method, evs[0].path.as_str()),
        ("POST", TRIGGER_PATH)
    );
    assert_eq!(
        (evs[0].failure, evs[0].retry_in_ms),
        (Some("timeout"), None)
    );
}

#[test]
fn token_requests_and_401_renewals_are_logged() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    c.env.api_reply(answer(401, ""));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    let seq: Vec<_> = c
        .env
        .events()
        .iter()
        .map(|e| (e.method, e.path.clone(), e.attempt, e.status, e.retry_in_ms))
        .collect();
    assert_eq!(
        seq,
        [
            ("POST", TOKEN_PATH.to_owned(), 1, Some(200), None),
            ("GET", GET_PATH.to_owned(), 1, Some(401), Some(0.0)),
            ("POST", TOKEN_PATH.to_owned(), 1, Some(200), None),
            ("GET", GET_PATH.to_owned(), 2, Some(200), None),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Decoding through the loop
// ---------------------------------------------------------------------------------------------

#[test]
fn bare_and_enveloped_rollouts_decode() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let bare = rollout_json();
    let enveloped = format!(r#"{{"ok":true,"data":{bare}}}"#);
    c.env.api_reply(answer(200, &bare));
    c.env.api_reply(answer(201, &enveloped));

    let a = get(&c).unwrap();
    assert!(!a.enveloped);
    assert_eq!(a.body, bare);
    assert_eq!(a.value.id, ROLL);
    assert_eq!(a.value.status.as_str(), "running");
    assert_eq!(a.value.conclusion.as_str(), "pending");
    assert_eq!(a.value.infra.status.as_str(), "proposed");
    assert_eq!(a.value.build.conclusion.as_str(), "success");
    assert_eq!(a.value.deploy.id, "deploy_9Qzr");
    assert_eq!(a.value.completed_at, None);
    assert_eq!(a.value.queued_at.unwrap().unix_millis().floor(), T0 + 123.0);

    let b = trigger(&c).unwrap();
    assert!(b.enveloped);
    assert_eq!(b.body, enveloped);
    assert_eq!(a.value, b.value);
}

#[test]
fn garbage_2xx_is_a_protocol_error_and_the_client_keeps_working() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env
        .api_reply(answer(200, "<html><body>maintenance</body></html>"));
    c.env.api_reply(answer(200, &rollout_json()));
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert_eq!(e.status, Some(200));
    assert_eq!(c.env.api_requests().len(), 1);

    let r = get(&c).unwrap();
    assert_eq!(r.value.id, ROLL);
    assert_eq!(c.env.api_requests().len(), 2);
    assert_eq!(c.env.token_requests().len(), 1);

    // A 2xx envelope with ok:false is an API error, also without retry.
    c.env.api_reply(answer(
        200,
        r#"{"ok":false,"error":{"code":"not_found","detail":"no such rollout"},"data":null}"#,
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Api);
    assert_eq!(e.code.as_deref(), Some("not_found"));
    assert_eq!(c.env.api_requests().len(), 3);
}

#[test]
fn a_garbage_token_response_is_a_protocol_error_and_is_not_cached() {
    let c = oauth_client();
    c.env.token_reply(answer(200, r#"{"token":"nope"}"#));
    let e = block_on(c.get_token(&Call::default())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    assert_eq!(c.env.token_requests().len(), 2);
}
