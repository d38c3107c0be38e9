//! Awaiting the promises of `js/runtime.js` without a pair of closures per await.
//!
//! `wasm_bindgen_futures::JsFuture` makes two JavaScript closures for every promise it awaits
//! (each registered with, then removed from, a `FinalizationRegistry`): about a tenth of a
//! `getRollout`'s own time (issue 12). Here a pending operation is a slot in a table instead;
//! ([`Slots`]); the runtime reports its outcome to a raw export, `__encore_settle(index, generation, ok)`
//! (the value handed over by `takeOutcome`), which wakes the task awaiting it and runs it at once
//! ([`crate::wasm::executor`]). A slot's generation changes whenever it is freed, so an outcome
//! reported for an operation nobody awaits any more (cancelled: a race it lost, a call that
//! ended) is ignored.

use crate::wasm::slots::Slots;
use crate::wasm::{executor, runtime};
use js_sys::Function;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

enum State {
    Waiting(Option<Waker>),
    Done(Result<JsValue, JsValue>),
}

thread_local! {
    static SLOTS: RefCell<Slots<State>> = const { RefCell::new(Slots::new()) };
}

/// Records an outcome (its value handed over by `takeOutcome`); wakes the future awaiting it,
/// if it still does. Called by `js/runtime.js` only.
#[doc(hidden)]
#[wasm_bindgen(js_name = __encore_settle)]
pub fn settle(index: u32, generation: u32, ok: bool) {
    let value = runtime::take_outcome();
    let waker = SLOTS.with(|slots| {
        let mut slots = slots.try_borrow_mut().ok()?;
        let state = slots.get_mut(index, generation)?;
        let State::Waiting(w) = state else {
            return None;
        };
        let w = w.take();
        *state = State::Done(if ok { Ok(value) } else { Err(value) });
        w
    });
    if let Some(w) = waker {
        executor::wake_now(|| w.wake());
    }
}

/// An operation of `js/runtime.js` in flight: resolves with its outcome. Dropped before that
/// (a race it lost, a call that ended), it calls the operation's `cancel`, so the timer,
/// listener or request behind it is cleared at once instead of outliving the call.
pub struct Pending {
    index: u32,
    generation: u32,
    cancel: Option<Function>,
    /// Its outcome was taken (the slot is already free).
    done: bool,
}

impl Pending {
    /// Starts an operation: `begin(settle, index, generation)` calls the runtime, which
    /// reports the outcome to this instance's `settle` under these two numbers and returns the
    /// operation's `cancel` function.
    pub fn start(begin: impl FnOnce(&Function, u32, u32) -> JsValue) -> Pending {
        let (index, generation) =
            SLOTS.with(|slots| slots.borrow_mut().insert(|_, _| State::Waiting(None)));
        let cancel = executor::with_settle(|settle| begin(settle, index, generation))
            .dyn_into::<Function>()
            .ok();
        Pending {
            index,
            generation,
            cancel,
            done: false,
        }
    }

    /// Awaits any promise (a caller's, or one of the runtime's that cannot be cancelled).
    pub fn of(promise: &js_sys::Promise) -> Pending {
        Pending::start(|settle, index, generation| {
            runtime::watch(promise, settle, index, generation);
            JsValue::UNDEFINED
        })
    }

    /// Frees the slot (a later report for it is ignored); returns its outcome if it had one.
    fn free(&self) -> Option<Result<JsValue, JsValue>> {
        match SLOTS.with(|slots| slots.borrow_mut().remove(self.index, self.generation))? {
            State::Done(r) => Some(r),
            State::Waiting(_) => None,
        }
    }
}

impl Future for Pending {
    type Output = Result<JsValue, JsValue>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let done =
            SLOTS.with(
                |slots| match slots.borrow_mut().get_mut(self.index, self.generation) {
                    Some(State::Waiting(w)) => {
                        *w = Some(cx.waker().clone());
                        false
                    }
                    _ => true,
                },
            );
        if !done {
            return Poll::Pending;
        }
        // Settled: nothing left to cancel.
        self.cancel = None;
        self.done = true;
        let outcome = self.free();
        Poll::Ready(outcome.unwrap_or(Err(JsValue::UNDEFINED)))
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // Given up before its outcome: the slot is freed (a late report is ignored) and the
        // operation cancelled.
        self.free();
        if let Some(cancel) = self.cancel.take() {
            let _ = cancel.call0(&JsValue::NULL);
        }
    }
}
