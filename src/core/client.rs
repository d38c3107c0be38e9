//! The client's generic call path, generic over its [`Env`]: credentials and token lifetime,
//! running any resource's [`Op`] (the retry loop, 401 renewal) and turning answers into typed
//! values or errors. It knows no resource by name; `crate::core::resources` builds the ops.

use crate::core::answer::{Answer, Decoded};
pub use crate::core::call::Op;
use crate::core::call::{Exchange, Step};
pub use crate::core::credentials::{Config, Credentials, TokenAuthStyle};
use crate::core::env::{until_aborted, Env, HttpResponse};
use crate::core::error::{Error, ErrorKind};
use crate::core::resources::token::{self, Token};
use crate::core::token_cache::{Acquire, CachedToken, TokenCache};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// A successful call: the typed value, plus the payload it came from (the JavaScript layer
/// hands the caller the payload as sent, so extra fields and unknown values pass through).
pub type Fetched<T, J> = Decoded<T, J>;

/// A 2xx answer not decoded yet, with what decoding needs to judge a failure.
pub struct Answered<J> {
    /// The answer.
    pub response: HttpResponse<J>,
    /// Every token the call sent (redacted from decoding errors).
    pub sent: Vec<String>,
    /// Whether the call was idempotent.
    pub idempotent: bool,
    /// The sentence for a non-idempotent call's unreadable 2xx.
    pub taken: String,
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
        // Boxed: the token request runs through the same driver that asks for tokens (one
        // driver in the module, not one per kind of call).
        let exchange: Pin<Box<dyn Future<Output = _> + '_>> = Box::pin(self.execute(call, op));
        let (resp, _) = exchange.await?;
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
        let answered = self.send(call, op.erase()).await?;
        self.decode(answered)
    }

    /// Sends a call whatever its answer type (one future type for every resource, so the wasm
    /// module carries the send loop once); [`Client::decode`] then reads the answer.
    pub async fn send(&self, call: &E::Call, op: Op<()>) -> Result<Answered<E::Json>, Error> {
        let idempotent = op.idempotent;
        let taken = op.taken.clone();
        let (response, sent) = self.send_authenticated(call, op).await?;
        Ok(Answered {
            response,
            sent,
            idempotent,
            taken,
        })
    }

    /// Decodes a 2xx answer of [`Client::send`] as `T`.
    pub fn decode<T: Answer>(&self, a: Answered<E::Json>) -> Result<Fetched<T, E::Json>, Error> {
        T::decode(a.response.status, a.response.json.as_ref()).map_err(|e| {
            let e = self.redact(e, &a.sent);
            // A 2xx to a non-idempotent call means it was taken, even when its answer cannot
            // be read.
            if !a.idempotent && e.kind == ErrorKind::Protocol {
                e.outcome_unknown(&a.taken)
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
        self.execute(call, op).await
    }

    /// The driver: runs `op`'s [`Exchange`], doing the I/O each step asks for (token,
    /// request, wait, log) and nothing else; every decision is the exchange's. The token
    /// request runs through here too (it asks for no token).
    async fn execute(
        &self,
        call: &E::Call,
        op: Op<()>,
    ) -> Result<(HttpResponse<E::Json>, Vec<String>), Error> {
        let mut x = Exchange::new(
            op,
            self.config.base_url.as_str(),
            self.config.base_url.origin(),
            self.config.retry,
            self.can_renew(),
            self.secrets(&[]),
        );
        let mut step = x.start();
        loop {
            step = match step {
                Step::NeedToken { refused } => {
                    if let Some(t) = refused {
                        self.tokens.invalidate(&t);
                    }
                    x.with_token(self.bearer(call).await?)
                }
                Step::Send(req) => {
                    let started = self.env.now_ms();
                    let result = self.env.send(call, &req).await;
                    let (event, next) =
                        x.answered(result, started, self.env.now_ms(), self.env.random());
                    self.env.log(event);
                    next
                }
                Step::Wait(ms) => {
                    self.env.sleep(call, ms).await?;
                    x.waited()
                }
                Step::Done(outcome) => return outcome,
            }
        }
    }

    fn can_renew(&self) -> bool {
        !matches!(self.config.credentials, Credentials::Static(_))
    }
}
