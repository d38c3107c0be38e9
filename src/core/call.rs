//! One API call as a sans-IO state machine ([`Exchange`]): every decision — send this
//! request, wait N ms and retry, renew the token, give up with this error — is a pure function
//! of the call's state and the last outcome, in the spirit of the oauth2 crate's
//! prepare/parse split and quinn-proto's state machines. `Client` (`crate::core::client`) is
//! the thin async driver that does the I/O; host tests drive an `Exchange` by hand, with no
//! executor. [`Op`] is what a resource hands in: the request and how to judge a failure.

use crate::core::answer::decode_error;
use crate::core::env::{AttemptEvent, HttpRequest, HttpResponse, TransportError};
use crate::core::error::{num, Error};
use crate::core::redirect::redirect_error;
use crate::core::retry::{outcome_is_ambiguous, Decision, Failure, Outcome, RetryPolicy};
use crate::core::retry_after::parse_retry_after;
use std::marker::PhantomData;

/// What one API call does, as a resource describes it: the request, how to judge a failure,
/// and (by its type) how to decode the answer.
pub struct Op<T> {
    /// `GET`, `POST` or `PUT`.
    pub method: &'static str,
    /// Path and query, appended to the base URL.
    pub path: String,
    /// The path for logs and messages, when `path` carries a secret.
    pub log_path: Option<String>,
    /// The body.
    pub body: Option<String>,
    /// Its `Content-Type`.
    pub content_type: Option<&'static str>,
    /// Whether sending it twice does no harm (then it is retried after ambiguous failures).
    pub idempotent: bool,
    /// Whether it carries the bearer token.
    pub authenticated: bool,
    /// Appended to errors that leave a non-idempotent call's effect unknown.
    pub ambiguity: String,
    /// Appended when a non-idempotent call's 2xx answer cannot be read (it was taken).
    pub taken: String,
    /// Refines an error answer the resource knows more about (a 409 `last_owner`).
    pub explain: fn(Error) -> Error,
    answer: PhantomData<fn() -> T>,
}

/// Method and loggable path only: the body and a query may carry secrets.
impl<T> std::fmt::Debug for Op<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.log_path.as_deref().unwrap_or(&self.path);
        write!(f, "Op({} {path})", self.method)
    }
}

impl<T> Op<T> {
    fn new(method: &'static str, path: String, idempotent: bool) -> Self {
        Op {
            method,
            path,
            log_path: None,
            body: None,
            content_type: None,
            idempotent,
            authenticated: true,
            ambiguity: String::new(),
            taken: String::new(),
            explain: |e| e,
            answer: PhantomData,
        }
    }

    /// An authenticated `GET` (idempotent).
    pub fn get(path: String) -> Self {
        Self::new("GET", path, true)
    }

    /// An authenticated `POST` with a JSON body.
    pub fn post_json(path: String, body: String, idempotent: bool) -> Self {
        let mut op = Self::new("POST", path, idempotent);
        op.body = Some(body);
        op.content_type = Some("application/json");
        op
    }

    /// A `POST` with a form body (idempotent: the token request).
    pub fn post_form(path: String, body: String) -> Self {
        let mut op = Self::new("POST", path, true);
        op.body = Some(body);
        op.content_type = Some("application/x-www-form-urlencoded");
        op
    }

    /// An authenticated `PUT` with a JSON body (idempotent).
    pub fn put_json(path: String, body: String) -> Self {
        let mut op = Self::new("PUT", path, true);
        op.body = Some(body);
        op.content_type = Some("application/json");
        op
    }

    /// The same request, answered as another type.
    pub fn erase(self) -> Op<()> {
        Op {
            method: self.method,
            path: self.path,
            log_path: self.log_path,
            body: self.body,
            content_type: self.content_type,
            idempotent: self.idempotent,
            authenticated: self.authenticated,
            ambiguity: self.ambiguity,
            taken: self.taken,
            explain: self.explain,
            answer: PhantomData,
        }
    }
}

/// What the driver does next.
#[derive(Debug)]
pub enum Step<J> {
    /// Get a bearer token for the next attempt, then call [`Exchange::with_token`]. After a
    /// 401, `refused` is the token the API refused: forget it first (renewal).
    NeedToken {
        /// The token a 401 refused, to drop from the cache.
        refused: Option<String>,
    },
    /// Send this request, then call [`Exchange::answered`].
    Send(HttpRequest),
    /// Wait this many milliseconds, then call [`Exchange::waited`].
    Wait(f64),
    /// Finished: a 2xx answer with every token the call sent (to redact what the caller
    /// decodes), or the error, already redacted.
    Done(Result<(HttpResponse<J>, Vec<String>), Error>),
}

/// The state of one call: attempts and retries so far, whether the token was renewed, the
/// tokens sent. Built by [`Exchange::new`]; advanced only by the driver's reports.
#[derive(Debug)]
pub struct Exchange {
    op: Op<()>,
    base_url: String,
    origin: String,
    retry: RetryPolicy,
    can_renew: bool,
    secrets: Vec<String>,
    retries: u32,
    renewed: bool,
    attempt: u32,
    sent_tokens: Vec<String>,
    bearer: Option<String>,
}

impl Exchange {
    /// A call of `op` against `base_url` (`origin` names the server in messages). `secrets`
    /// (credentials, the cached token) are removed from every error; so is each token sent.
    /// `can_renew`: whether a 401 may be answered by asking for a new token once.
    pub fn new(
        op: Op<()>,
        base_url: &str,
        origin: &str,
        retry: RetryPolicy,
        can_renew: bool,
        secrets: Vec<String>,
    ) -> Self {
        Exchange {
            op,
            base_url: base_url.to_owned(),
            origin: origin.to_owned(),
            retry,
            can_renew,
            secrets,
            retries: 0,
            renewed: false,
            attempt: 0,
            sent_tokens: Vec::new(),
            bearer: None,
        }
    }

    /// The first step: a token (for authenticated calls) or the request.
    pub fn start<J>(&mut self) -> Step<J> {
        self.next_attempt(None)
    }

    fn next_attempt<J>(&mut self, refused: Option<String>) -> Step<J> {
        if self.op.authenticated {
            Step::NeedToken { refused }
        } else {
            Step::Send(self.request())
        }
    }

    /// The token for the next attempt has come: send.
    pub fn with_token<J>(&mut self, token: String) -> Step<J> {
        if !self.sent_tokens.contains(&token) {
            self.sent_tokens.push(token.clone());
        }
        self.bearer = Some(token);
        Step::Send(self.request())
    }

    fn request(&mut self) -> HttpRequest {
        self.attempt += 1;
        let op = &self.op;
        HttpRequest {
            method: op.method,
            url: [self.base_url.as_str(), &op.path].concat(),
            log_path: op.log_path.clone().unwrap_or_else(|| op.path.clone()),
            authorization: self.bearer.as_ref().map(|t| ["Bearer ", t].concat()),
            content_type: op.content_type,
            body: op.body.clone(),
        }
    }

    /// The wait is over: the next attempt.
    pub fn waited<J>(&mut self) -> Step<J> {
        self.retries += 1;
        self.next_attempt(None)
    }

    /// The attempt's outcome (sent at `started_ms`, over at `now_ms`; `random` in [0, 1) for
    /// jitter): the event to log and what to do next.
    pub fn answered<J: crate::core::json::Json>(
        &mut self,
        result: Result<HttpResponse<J>, TransportError>,
        started_ms: f64,
        now_ms: f64,
        random: f64,
    ) -> (AttemptEvent, Step<J>) {
        let outcome = match &result {
            Ok(r) => Outcome::Status {
                status: r.status,
                retry_after_ms: parse_retry_after(
                    r.retry_after.as_deref(),
                    r.retry_after_ms.as_deref(),
                    now_ms,
                ),
            },
            Err(t) => Outcome::Failed(t.failure),
        };
        let mut event = AttemptEvent {
            method: self.op.method,
            path: self
                .op
                .log_path
                .clone()
                .unwrap_or_else(|| self.op.path.clone()),
            attempt: self.attempt,
            status: result.as_ref().ok().map(|r| r.status),
            failure: result.as_ref().err().map(|t| t.failure.name()),
            duration_ms: (now_ms - started_ms).round(),
            retry_in_ms: None,
        };
        let status = result.as_ref().map_or(0, |r| r.status);
        let redirected = result
            .as_ref()
            .is_ok_and(|r| r.opaque_redirect || (300..400).contains(&r.status));
        // A 401 on an API call: the token was revoked or expired early. Renew once.
        if status == 401 && self.op.authenticated && !self.renewed && self.can_renew {
            self.renewed = true;
            event.retry_in_ms = Some(0.0);
            let refused = self.bearer.take();
            return (event, self.next_attempt(refused));
        }
        // A redirect is never followed nor retried: following one would turn a POST into a
        // GET without its body, or drop Authorization on another host.
        let decision = if (200..300).contains(&status) || redirected {
            Decision::Finish
        } else {
            self.retry
                .decide(self.op.idempotent, self.retries, outcome, random)
        };
        if let Decision::RetryAfter(ms) = decision {
            event.retry_in_ms = Some(ms.round());
            return (event, Step::Wait(ms));
        }
        (event, Step::Done(self.finish(result, outcome)))
    }

    fn finish<J: crate::core::json::Json>(
        &mut self,
        result: Result<HttpResponse<J>, TransportError>,
        outcome: Outcome,
    ) -> Result<(HttpResponse<J>, Vec<String>), Error> {
        let ambiguous = !self.op.idempotent && outcome_is_ambiguous(outcome);
        let err = match result {
            Ok(r) if (200..300).contains(&r.status) && !r.opaque_redirect => {
                return Ok((r, std::mem::take(&mut self.sent_tokens)))
            }
            Ok(r) if r.opaque_redirect || (300..400).contains(&r.status) => {
                redirect_error(r.status, r.location.as_deref(), &self.op.path)
            }
            Ok(r) => {
                // Secrets go in before the body snippet is cut, so no part shows.
                let secrets = self.all_secrets();
                let known: Vec<&str> = secrets.iter().map(String::as_str).collect();
                let mut e = decode_error(r.status, r.json.as_ref(), &r.text, &known);
                if let Outcome::Status {
                    retry_after_ms: Some(ms),
                    ..
                } = outcome
                {
                    e.retry_after = Some(ms / 1000.0);
                }
                if r.status == 429 {
                    e = explain_rate_limit(e);
                }
                (self.op.explain)(e)
            }
            Err(t) => transport_error(&self.origin, &t),
        };
        let err = if ambiguous {
            err.outcome_unknown(&self.op.ambiguity)
        } else {
            err
        };
        let secrets = self.all_secrets();
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        Err(err.redact(&refs))
    }

    fn all_secrets(&self) -> Vec<String> {
        let mut s = self.secrets.clone();
        s.extend(self.sent_tokens.iter().cloned());
        s
    }
}

/// A 429 says how long to wait: the server's `Retry-After` when it sent one.
fn explain_rate_limit(mut e: Error) -> Error {
    let m = e.message.trim_end().trim_end_matches('.').to_owned();
    e.message = match e.retry_after {
        Some(s) => format!(
            "{m}. The API limits requests: wait {} s before trying again (retryAfter).",
            num(s.ceil())
        ),
        None => format!(
            "{m}. The API limits requests and did not say for how long: wait a minute before \
             trying again."
        ),
    };
    e
}

/// The error for an attempt that got no answer.
pub fn transport_error(origin: &str, t: &TransportError) -> Error {
    let detail = if t.detail.is_empty() {
        String::new()
    } else {
        format!(" ({})", t.detail)
    };
    match t.failure {
        Failure::NotSent => Error::connection(format!("could not connect to {origin}{detail}.")),
        Failure::MaybeSent => {
            Error::connection(format!("the connection to {origin} failed{detail}."))
        }
        Failure::Timeout => {
            Error::timeout(format!("no complete answer from {origin} in time{detail}."))
        }
        Failure::Aborted | Failure::AbortedUnsent => Error::aborted(),
        Failure::TooLarge => {
            Error::protocol(format!("the answer from {origin} is too large{detail}."))
        }
        Failure::Internal => Error::connection(format!(
            "internal error in encore-cloud's transport{detail}: please report it; the request \
             to {origin} may or may not have been sent."
        )),
    }
}
