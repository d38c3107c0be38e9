//! The module's executor: runs each export's future and settles the promise the export
//! returned, without `wasm-bindgen-futures`.
//!
//! That crate wraps every export in `future_to_promise` (a JavaScript closure per call, each
//! registered with a `FinalizationRegistry`) and awaits every promise through `JsFuture` (two
//! more): its code and closure shims were about 8 % of the module, and the closures a tenth of a
//! `getRollout`'s own time (issue 12). Here a task is a slot in a table ([`Slots`]); `js/runtime.js` holds
//! its promise's `resolve`/`reject` under the slot's index (in an array this instance owns), and
//! calls back into two raw exports of this instance: `__encore_run` (a queued microtask: poll
//! what was woken) and `__encore_settle` ([`crate::wasm::settle`]: a promise the module awaits
//! has settled).
//!
//! A task is first polled in a microtask, never inside the export that started it, so no call
//! re-enters the core while a caller's callback (a custom `fetch`, `onUpdate`, the logger) is
//! running inside another call.

use crate::wasm::runtime;
use crate::wasm::slots::Slots;
use js_sys::{Array, Function, Promise};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Every export's future, boxed: one task type for the module.
pub type TaskFuture = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

struct Task {
    /// `None` while the task is being polled (taken out, so that polling may start or wake
    /// other tasks).
    future: Option<TaskFuture>,
    queued: bool,
    /// Made once per task: polling allocates nothing.
    waker: Waker,
}

thread_local! {
    static TASKS: RefCell<Slots<Task>> = const { RefCell::new(Slots::new()) };
    static QUEUE: RefCell<VecDeque<(u32, u32)>> = const { RefCell::new(VecDeque::new()) };
    /// A run is queued as a microtask, or running: a wake only queues its task.
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    static HOOKS: Hooks = Hooks::find();
}

/// What `js/runtime.js` needs to reach this instance, handed over with each call (the runtime
/// may serve two instances at once and keeps none's state): the two raw exports, found in this
/// instance's exports (a `Closure` would pull in wasm-bindgen's closure shims), and the array
/// holding its tasks' `resolve`/`reject`.
struct Hooks {
    run: Function,
    settle: Function,
    tasks: Array,
}

impl Hooks {
    fn find() -> Hooks {
        let exports = wasm_bindgen::exports();
        let get = |name: &str| {
            js_sys::Reflect::get(&exports, &JsValue::from_str(name))
                .unwrap_or(JsValue::UNDEFINED)
                .unchecked_into::<Function>()
        };
        Hooks {
            run: get("__encore_run"),
            settle: get("__encore_settle"),
            tasks: Array::new(),
        }
    }
}

/// Runs `f` with this instance's `settle` export, for a runtime call to report to.
pub(crate) fn with_settle<R>(f: impl FnOnce(&Function) -> R) -> R {
    HOOKS.with(|h| f(&h.settle))
}

/// Wakes a task: queues it for the next run.
struct TaskWaker {
    index: u32,
    generation: u32,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        schedule(self.index, self.generation);
    }
}

fn schedule(index: u32, generation: u32) {
    let queue = TASKS.with(|tasks| {
        let mut tasks = tasks.try_borrow_mut().ok()?;
        let task = tasks.get_mut(index, generation)?;
        (!std::mem::replace(&mut task.queued, true)).then_some(())
    });
    if queue.is_none() {
        return;
    }
    QUEUE.with(|q| q.borrow_mut().push_back((index, generation)));
    if !SCHEDULED.with(|s| s.replace(true)) {
        HOOKS.with(|h| runtime::queue_run(&h.run));
    }
}

/// Runs `future` as a task; the promise settles with its outcome.
pub fn spawn(future: TaskFuture) -> Promise {
    let (index, generation) = TASKS.with(|tasks| {
        tasks.borrow_mut().insert(|index, generation| Task {
            future: Some(future),
            queued: false,
            waker: Waker::from(Arc::new(TaskWaker { index, generation })),
        })
    });
    let promise = HOOKS.with(|h| runtime::new_task(&h.tasks, index));
    schedule(index, generation);
    promise
}

/// Runs `wake` (which wakes tasks), then the tasks it woke, at once: for a promise's outcome
/// reported at the top of the JavaScript stack, no extra microtask. When a run is already
/// queued, that run polls them.
pub(crate) fn wake_now(wake: impl FnOnce()) {
    let queued = SCHEDULED.with(|s| s.replace(true));
    wake();
    if !queued {
        run();
    }
}

/// Polls every queued task until none is left. Called by `js/runtime.js` only (a microtask, or
/// right after a settled promise woke a task).
#[doc(hidden)]
#[wasm_bindgen(js_name = __encore_run)]
pub fn run() {
    SCHEDULED.with(|s| s.set(true));
    while let Some((index, generation)) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
        poll_task(index, generation);
    }
    SCHEDULED.with(|s| s.set(false));
}

fn poll_task(index: u32, generation: u32) {
    let taken = TASKS.with(|tasks| {
        let mut tasks = tasks.borrow_mut();
        let task = tasks.get_mut(index, generation)?;
        task.queued = false;
        Some((task.future.take()?, task.waker.clone()))
    });
    let Some((mut future, waker)) = taken else {
        return;
    };
    match future.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Pending => TASKS.with(|tasks| {
            if let Some(task) = tasks.borrow_mut().get_mut(index, generation) {
                task.future = Some(future);
            }
        }),
        Poll::Ready(outcome) => {
            // Freed: a later wake for it is ignored, and the slot may serve a new task.
            TASKS.with(|tasks| tasks.borrow_mut().remove(index, generation));
            let (ok, value) = match outcome {
                Ok(v) => (true, v),
                Err(e) => (false, e),
            };
            HOOKS.with(|h| runtime::finish_task(&h.tasks, index, ok, &value));
        }
    }
}
