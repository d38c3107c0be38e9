//! The access-token cache: lifetime arithmetic (renew when less than `min(300 s, lifetime/2)`
//! remains) and single flight (concurrent callers share one token request and its outcome).

use crate::core::error::Error;
use crate::core::resources::token::Token;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// Renewal margin cap, milliseconds.
pub const MAX_RENEW_MARGIN_MS: f64 = 300_000.0;

/// Milliseconds before expiry at which a token with this lifetime is renewed.
pub fn renew_margin_ms(lifetime_ms: f64) -> f64 {
    MAX_RENEW_MARGIN_MS.min(lifetime_ms / 2.0)
}

/// A token and when it was obtained.
#[derive(Clone, Debug)]
pub struct CachedToken {
    /// The token as the server sent it.
    pub token: Token,
    /// Clock time (ms) when the response arrived.
    pub obtained_at_ms: f64,
}

impl CachedToken {
    /// Clock time (ms) when the token expires.
    pub fn expires_at_ms(&self) -> f64 {
        self.obtained_at_ms + self.token.expires_in * 1000.0
    }

    /// Whether it is time to renew at `now_ms`.
    pub fn needs_renewal(&self, now_ms: f64) -> bool {
        self.expires_at_ms() - now_ms < renew_margin_ms(self.token.expires_in * 1000.0)
    }

    /// Whole seconds left at `now_ms`.
    pub fn remaining_seconds(&self, now_ms: f64) -> f64 {
        ((self.expires_at_ms() - now_ms) / 1000.0).floor().max(0.0)
    }
}

type Outcome = Option<Result<CachedToken, Error>>;

/// One token request in flight, awaited by any number of callers.
#[derive(Default)]
struct Flight {
    /// `Some` once the leader finished; `Some(None)` when the leader was dropped mid-way.
    outcome: RefCell<Option<Outcome>>,
    wakers: RefCell<Vec<Waker>>,
}

enum Slot {
    Empty,
    Ready(CachedToken),
    Fetching(Rc<Flight>),
}

/// What a caller should do to get a token.
pub enum Acquire {
    /// Use this token.
    Ready(CachedToken),
    /// You lead: request a token, then call [`Leader::finish`].
    Lead(Leader),
    /// Another caller is requesting one: await this.
    Wait(FlightWait),
}

/// The cache. Single-threaded (the wasm world is), shared by `Rc`.
pub struct TokenCache {
    slot: RefCell<Slot>,
}

impl Default for TokenCache {
    fn default() -> Self {
        TokenCache {
            slot: RefCell::new(Slot::Empty),
        }
    }
}

impl TokenCache {
    /// Returns a fresh token, or tells the caller to lead or wait.
    pub fn acquire(self: &Rc<Self>, now_ms: f64) -> Acquire {
        let mut slot = self.slot.borrow_mut();
        match &*slot {
            Slot::Ready(t) if !t.needs_renewal(now_ms) => return Acquire::Ready(t.clone()),
            Slot::Fetching(f) => return Acquire::Wait(FlightWait { flight: f.clone() }),
            _ => {}
        }
        // A token inside its renewal margin but not expired stays usable if renewal fails.
        let previous = match &*slot {
            Slot::Ready(t) if t.expires_at_ms() > now_ms => Some(t.clone()),
            _ => None,
        };
        let flight = Rc::new(Flight::default());
        *slot = Slot::Fetching(flight.clone());
        Acquire::Lead(Leader {
            cache: self.clone(),
            flight,
            previous,
            finished: false,
        })
    }

    /// Forgets the cached token if it is still `access_token` (after a 401 with it).
    pub fn invalidate(&self, access_token: &str) {
        let mut slot = self.slot.borrow_mut();
        if matches!(&*slot, Slot::Ready(t) if t.token.access_token == access_token) {
            *slot = Slot::Empty;
        }
    }

    /// The cached token, if any (fresh or not).
    pub fn current(&self) -> Option<CachedToken> {
        match &*self.slot.borrow() {
            Slot::Ready(t) => Some(t.clone()),
            _ => None,
        }
    }
}

/// The caller that requests the token for everyone. Dropping it unfinished (its caller gave
/// up or aborted) releases the waiters, who then try again themselves.
pub struct Leader {
    cache: Rc<TokenCache>,
    flight: Rc<Flight>,
    /// The token being renewed, while it has not expired.
    previous: Option<CachedToken>,
    finished: bool,
}

impl Leader {
    /// The token being renewed, if it is still valid at `now_ms`: what to use when renewal
    /// fails.
    pub fn still_valid_previous(&self, now_ms: f64) -> Option<CachedToken> {
        self.previous
            .as_ref()
            .filter(|t| t.expires_at_ms() > now_ms)
            .cloned()
    }

    /// Stores the outcome (a failure is shared with every waiter, not cached) and wakes all.
    pub fn finish(mut self, outcome: Result<CachedToken, Error>) {
        self.finished = true;
        *self.cache.slot.borrow_mut() = match &outcome {
            Ok(t) => Slot::Ready(t.clone()),
            Err(_) => Slot::Empty,
        };
        self.release(Some(outcome));
    }

    fn release(&self, outcome: Outcome) {
        *self.flight.outcome.borrow_mut() = Some(outcome);
        for w in self.flight.wakers.borrow_mut().drain(..) {
            w.wake();
        }
    }
}

impl Drop for Leader {
    fn drop(&mut self) {
        if !self.finished {
            let mut slot = self.cache.slot.borrow_mut();
            if matches!(&*slot, Slot::Fetching(f) if Rc::ptr_eq(f, &self.flight)) {
                *slot = match self.previous.take() {
                    Some(t) => Slot::Ready(t),
                    None => Slot::Empty,
                };
            }
            drop(slot);
            self.release(None);
        }
    }
}

/// Awaits another caller's token request. Resolves to `None` when that caller gave up.
pub struct FlightWait {
    flight: Rc<Flight>,
}

impl Future for FlightWait {
    type Output = Outcome;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        if let Some(o) = self.flight.outcome.borrow().as_ref() {
            return Poll::Ready(o.clone());
        }
        self.flight.wakers.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(s: &str, secs: f64) -> Token {
        Token {
            access_token: s.into(),
            expires_in: secs,
            actor: "o2c_t".into(),
            token_type: "Bearer".into(),
        }
    }

    #[test]
    fn renewal_margin_is_min_of_300s_and_half_life() {
        assert_eq!(renew_margin_ms(3_600_000.0), 300_000.0);
        assert_eq!(renew_margin_ms(60_000.0), 30_000.0);
        let t = CachedToken {
            token: token("a", 3600.0),
            obtained_at_ms: 1000.0,
        };
        assert!(!t.needs_renewal(1000.0 + 3_299_999.0));
        assert!(t.needs_renewal(1000.0 + 3_300_001.0));
        assert_eq!(t.remaining_seconds(1000.0 + 3_599_500.0), 0.0);
        let short = CachedToken {
            token: token("b", 10.0),
            obtained_at_ms: 0.0,
        };
        assert!(!short.needs_renewal(4_999.0));
        assert!(short.needs_renewal(5_001.0));
    }

    #[test]
    fn single_flight_and_shared_failure() {
        let cache = Rc::new(TokenCache::default());
        let Acquire::Lead(leader) = cache.acquire(0.0) else {
            panic!("first caller leads")
        };
        let Acquire::Wait(w1) = cache.acquire(0.0) else {
            panic!("second caller waits")
        };
        let Acquire::Wait(w2) = cache.acquire(0.0) else {
            panic!("third caller waits")
        };
        leader.finish(Err(Error::connection("down")));
        let r1 = futures::executor::block_on(w1).unwrap();
        let r2 = futures::executor::block_on(w2).unwrap();
        assert!(r1.is_err() && r2.is_err());
        // The failure is not cached: the next caller leads again.
        let Acquire::Lead(leader) = cache.acquire(0.0) else {
            panic!("next caller leads again")
        };
        leader.finish(Ok(CachedToken {
            token: token("t1", 3600.0),
            obtained_at_ms: 0.0,
        }));
        assert!(matches!(cache.acquire(1.0), Acquire::Ready(_)));
        cache.invalidate("other");
        assert!(matches!(cache.acquire(1.0), Acquire::Ready(_)));
        cache.invalidate("t1");
        assert!(matches!(cache.acquire(1.0), Acquire::Lead(_)));
    }

    #[test]
    fn renewal_keeps_the_previous_token_while_it_is_valid() {
        let cache = Rc::new(TokenCache::default());
        let Acquire::Lead(leader) = cache.acquire(0.0) else {
            panic!()
        };
        assert!(leader.still_valid_previous(0.0).is_none());
        leader.finish(Ok(CachedToken {
            token: token("old", 10.0),
            obtained_at_ms: 0.0,
        }));
        // Inside the margin (5 s before expiry at 10 s): renewal, with the old token kept.
        let Acquire::Lead(leader) = cache.acquire(6_000.0) else {
            panic!()
        };
        assert_eq!(
            leader
                .still_valid_previous(6_000.0)
                .map(|t| t.token.access_token),
            Some("old".to_owned())
        );
        assert!(leader.still_valid_previous(10_000.0).is_none());
        drop(leader);
        assert!(matches!(cache.current(), Some(t) if t.token.access_token == "old"));
    }

    #[test]
    fn a_dropped_leader_releases_waiters() {
        let cache = Rc::new(TokenCache::default());
        let Acquire::Lead(leader) = cache.acquire(0.0) else {
            panic!()
        };
        let Acquire::Wait(w) = cache.acquire(0.0) else {
            panic!()
        };
        drop(leader);
        assert!(futures::executor::block_on(w).is_none());
        assert!(matches!(cache.acquire(0.0), Acquire::Lead(_)));
    }
}
