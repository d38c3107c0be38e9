//! The client's generic call path, generic over its [`Env`]: credentials and token lifetime,
//! running any resource's [`Op`] (the retry loop, 401 renewal) and turning answers into typed
//! values or errors. It knows no resource by name; `crate::core::resources` builds the ops.

use crate::core::answer::{decode_error, Answer, Decoded};
pub use crate::core::credentials::{Config, Credentials, TokenAuthStyle};
use crate::core::env::{
    until_aborted, AttemptEvent, Env, HttpRequest, HttpResponse, TransportError,
};
use crate::core::error::{Error, ErrorKind};
use crate::core::resources::token::{self, Token};
use crate::core::retry::{outcome_is_ambiguous, parse_retry_after, Decision, Failure, Outcome};
use crate::core::token_cache::{Acquire, CachedToken, TokenCache};
use std::marker::PhantomData;
use std::rc::Rc;

/// A successful call: the typed value, plus the payload it came from (the JavaScript layer
/// hands the caller the payload as sent, so extra fields and unknown values pass through).
pub type Fetched<T, J> = Decoded<T, J>;

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
    fn erase(self) -> Op<()> {
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

/// The client. One per `EncoreClient`; concurrent calls share it.
pub struct Client<E: Env> {
    /// The host environment.
    pub env: E,
    config: Config,
    tokens: Rc<TokenCache>,
}

impl<E: Env> Client<E> {
    /// A client with this configuration.
    pub fn new(env: E, config: Config) -> Self {
        Client {
            env,
            config,
            tokens: Rc::new(TokenCache::default()),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Secrets to scrub from anything that leaves the client: the credentials, the cached
    /// token, and every token this call `sent` (a server may echo one back, and a concurrent
    /// renewal may already have replaced it in the cache).
    fn secrets(&self, sent: &[String]) -> Vec<String> {
        let mut s = sent.to_vec();
        match &self.config.credentials {
            Credentials::Client { secret, .. } => s.push(secret.clone()),
            Credentials::Static(t) => s.push(t.clone()),
            Credentials::Provider => {}
        }
        if let Some(t) = self.tokens.current() {
            s.push(t.token.access_token);
        }
        s
    }

    fn redact(&self, e: Error, sent: &[String]) -> Error {
        let secrets = self.secrets(sent);
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        e.redact(&refs)
    }

    /// A token for the OAuth client: cached, renewed before expiry, one request at a time.
    /// Returns the token and its remaining seconds.
    pub async fn get_token(&self, call: &E::Call) -> Result<(Token, f64), Error> {
        // Errors from the token request are redacted where they arise (execute, decoding).
        let t = self.client_token(call).await?;
        let remaining = t.remaining_seconds(self.env.now_ms());
        Ok((t.token, remaining))
    }

    async fn client_token(&self, call: &E::Call) -> Result<CachedToken, Error> {
        let Credentials::Client { id, secret, style } = &self.config.credentials else {
            return Err(Error::validation(
                "getToken needs clientId and clientSecret; this client was given an accessToken",
            ));
        };
        loop {
            match self.tokens.acquire(self.env.now_ms()) {
                Acquire::Ready(t) => return Ok(t),
                Acquire::Wait(w) => match until_aborted(w, self.env.aborted(call)).await {
                    None => return Err(Error::aborted()),
                    Some(Some(outcome)) => return outcome,
                    Some(None) => continue, // the leader gave up: try again
                },
                Acquire::Lead(leader) => {
                    let outcome = self.request_token(call, id, secret, *style).await;
                    match outcome {
                        // This caller's own abort is not the others' failure: released, the
                        // waiters try again themselves.
                        Err(e) if e.kind == ErrorKind::Aborted => {
                            drop(leader);
                            return Err(e);
                        }
                        // A failed renewal while the old token is still valid: keep using it
                        // (a later call tries to renew again).
                        Err(e) => match leader.still_valid_previous(self.env.now_ms()) {
                            Some(previous) => {
                                leader.finish(Ok(previous.clone()));
                                return Ok(previous);
                            }
                            None => {
                                leader.finish(Err(e.clone()));
                                return Err(e);
                            }
                        },
                        Ok(t) => {
                            leader.finish(Ok(t.clone()));
                            return Ok(t);
                        }
                    }
                }
            }
        }
    }

    async fn request_token(
        &self,
        call: &E::Call,
        id: &str,
        secret: &str,
        style: TokenAuthStyle,
    ) -> Result<CachedToken, Error> {
        let op = token::request(id, secret, style).erase();
        let (resp, _) = self
            .execute(call, op, || std::future::ready(Ok(None)))
            .await?;
        let token =
            token::decode(resp.status, resp.json.as_ref()).map_err(|e| self.redact(e, &[]))?;
        Ok(CachedToken {
            token,
            obtained_at_ms: self.env.now_ms(),
        })
    }

    /// The bearer token for an API call.
    async fn bearer(&self, call: &E::Call) -> Result<String, Error> {
        match &self.config.credentials {
            Credentials::Client { .. } => Ok(self.client_token(call).await?.token.access_token),
            Credentials::Static(t) => Ok(t.clone()),
            Credentials::Provider => {
                let t = self.env.provide_token(call).await?;
                if t.is_empty() {
                    return Err(Error::validation(
                        "the accessToken function returned an empty token",
                    ));
                }
                Ok(t)
            }
        }
    }

    /// Runs any resource's call: sends it (retries, 401 renewal) and decodes the answer.
    pub async fn run<T: Answer>(
        &self,
        call: &E::Call,
        op: Op<T>,
    ) -> Result<Fetched<T, E::Json>, Error> {
        let op = op.erase();
        let idempotent = op.idempotent;
        let taken = op.taken.clone();
        let (resp, sent) = self.send_authenticated(call, op).await?;
        T::decode(resp.status, resp.json.as_ref()).map_err(|e| {
            let e = self.redact(e, &sent);
            // A 2xx to a non-idempotent call means it was taken, even when its answer cannot
            // be read.
            if !idempotent && e.kind == ErrorKind::Protocol {
                e.outcome_unknown(&taken)
            } else {
                e
            }
        })
    }

    /// Sends an API call (one instance of the send loop for every answer type, so the wasm
    /// module carries it once).
    async fn send_authenticated(
        &self,
        call: &E::Call,
        op: Op<()>,
    ) -> Result<(HttpResponse<E::Json>, Vec<String>), Error> {
        self.execute(call, op, || async { self.bearer(call).await.map(Some) })
            .await
    }

    /// Sends `op` with retries and 401 renewal; returns a 2xx answer (with every token the
    /// call sent, for redacting what the caller decodes) or the error, already redacted.
    /// `bearer` supplies the token for each attempt (a closure, so that the token request,
    /// which runs through here too, does not make the future type recursive).
    async fn execute<F, Fut>(
        &self,
        call: &E::Call,
        op: Op<()>,
        bearer: F,
    ) -> Result<(HttpResponse<E::Json>, Vec<String>), Error>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<Option<String>, Error>>,
    {
        let mut retries = 0u32;
        let mut renewed = false;
        let mut attempt = 0u32;
        let mut sent_tokens: Vec<String> = Vec::new();
        loop {
            let bearer = if op.authenticated {
                bearer().await?
            } else {
                None
            };
            if let Some(t) = bearer.as_ref().filter(|t| !sent_tokens.contains(t)) {
                sent_tokens.push(t.clone());
            }
            let req = HttpRequest {
                method: op.method,
                url: format!("{}{}", self.config.base_url.as_str(), op.path),
                log_path: op.log_path.clone().unwrap_or_else(|| op.path.clone()),
                authorization: bearer.as_ref().map(|t| format!("Bearer {t}")),
                content_type: op.content_type,
                body: op.body.clone(),
            };
            attempt += 1;
            let started = self.env.now_ms();
            let result = self.env.send(call, &req).await;
            let now = self.env.now_ms();
            let outcome = match &result {
                Ok(r) => Outcome::Status {
                    status: r.status,
                    retry_after_ms: parse_retry_after(
                        r.retry_after.as_deref(),
                        r.retry_after_ms.as_deref(),
                        now,
                    ),
                },
                Err(t) => Outcome::Failed(t.failure),
            };
            let mut event = AttemptEvent {
                method: op.method,
                path: req.log_path.clone(),
                attempt,
                status: result.as_ref().ok().map(|r| r.status),
                failure: result.as_ref().err().map(|t| failure_name(t.failure)),
                duration_ms: (now - started).round(),
                retry_in_ms: None,
            };
            let status = result.as_ref().map_or(0, |r| r.status);
            // A 401 on an API call: the token was revoked or expired early. Renew once.
            if status == 401 && op.authenticated && !renewed && self.can_renew() {
                if let Some(t) = &bearer {
                    self.tokens.invalidate(t);
                }
                renewed = true;
                event.retry_in_ms = Some(0.0);
                self.env.log(event);
                continue;
            }
            let decision = if (200..300).contains(&status) {
                Decision::Finish
            } else {
                self.config
                    .retry
                    .decide(op.idempotent, retries, outcome, self.env.random())
            };
            if let Decision::RetryAfter(ms) = decision {
                event.retry_in_ms = Some(ms.round());
            }
            self.env.log(event);
            match decision {
                Decision::RetryAfter(ms) => {
                    self.env.sleep(call, ms).await?;
                    retries += 1;
                }
                Decision::Finish => {
                    let ambiguous = !op.idempotent && outcome_is_ambiguous(outcome);
                    let err = match result {
                        Ok(r) if (200..300).contains(&r.status) => return Ok((r, sent_tokens)),
                        Ok(r) => {
                            // Secrets go in before the body snippet is cut, so no part shows.
                            let secrets = self.secrets(&sent_tokens);
                            let known: Vec<&str> = secrets.iter().map(String::as_str).collect();
                            let mut e = decode_error(r.status, r.json.as_ref(), &r.text, &known);
                            if let Outcome::Status {
                                retry_after_ms: Some(ms),
                                ..
                            } = outcome
                            {
                                e.retry_after = Some(ms / 1000.0);
                            }
                            (op.explain)(e)
                        }
                        Err(t) => self.transport_error(&t),
                    };
                    let err = if ambiguous {
                        err.outcome_unknown(&op.ambiguity)
                    } else {
                        err
                    };
                    return Err(self.redact(err, &sent_tokens));
                }
            }
        }
    }

    fn can_renew(&self) -> bool {
        !matches!(self.config.credentials, Credentials::Static(_))
    }

    fn transport_error(&self, t: &TransportError) -> Error {
        let origin = self.config.base_url.origin();
        let detail = if t.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", t.detail)
        };
        match t.failure {
            Failure::NotSent => {
                Error::connection(format!("could not connect to {origin}{detail}."))
            }
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
        }
    }
}

fn failure_name(f: Failure) -> &'static str {
    match f {
        Failure::NotSent => "connection_refused",
        Failure::MaybeSent => "connection_failed",
        Failure::Timeout => "timeout",
        Failure::Aborted | Failure::AbortedUnsent => "aborted",
        Failure::TooLarge => "body_too_large",
    }
}
