//! Bindings to `js/runtime.js`: the fetch transport, timers, error classes.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/runtime.js")]
extern "C" {
    /// Queues a microtask that calls `run` (the instance's `__encore_run`).
    #[wasm_bindgen(js_name = queueRun)]
    pub fn queue_run(run: &js_sys::Function);

    /// A new promise for the task in slot `index`, its `resolve`/`reject` kept in `tasks`
    /// (the instance's array), settled by `finish_task`.
    #[wasm_bindgen(js_name = newTask)]
    pub fn new_task(tasks: &js_sys::Array, index: u32) -> js_sys::Promise;

    /// Settles the promise of the task in slot `index`: resolved with `value` when `ok`,
    /// rejected with it otherwise.
    #[wasm_bindgen(js_name = finishTask)]
    pub fn finish_task(tasks: &js_sys::Array, index: u32, ok: bool, value: &JsValue);

    /// The value of the outcome being reported (once).
    #[wasm_bindgen(js_name = takeOutcome)]
    pub fn take_outcome() -> JsValue;

    /// Reports `promise`'s outcome to `settle` (the instance's `__encore_settle`) under `index`
    /// and `generation`.
    pub fn watch(promise: &js_sys::Promise, settle: &js_sys::Function, index: u32, generation: u32);

    /// One HTTP attempt reported to the completion callback under `index` and `generation`;
    /// returns its `cancel`. See `send` in `js/runtime.js`.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = send)]
    pub fn send(
        fetch: &JsValue,
        url: &str,
        method: &str,
        authorization: Option<&str>,
        content_type: Option<&str>,
        body: Option<&str>,
        user_agent: Option<&str>,
        signal: &JsValue,
        timeout_ms: f64,
        limit: f64,
        snippet_chars: u32,
        settle: &js_sys::Function,
        index: u32,
        generation: u32,
    ) -> JsValue;

    /// Reports after `ms` unless `signal` fires (then a failure); returns `cancel` (clears the
    /// timer).
    pub fn sleep(
        ms: f64,
        signal: &JsValue,
        settle: &js_sys::Function,
        index: u32,
        generation: u32,
    ) -> JsValue;

    /// Reports when `signal` fires; returns `cancel` (removes the listener).
    #[wasm_bindgen(js_name = whenAborted)]
    pub fn when_aborted(
        signal: &JsValue,
        settle: &js_sys::Function,
        index: u32,
        generation: u32,
    ) -> JsValue;

    /// Resolves a relative base URL against the page (browsers); others pass unchanged.
    #[wasm_bindgen(js_name = resolveBaseUrl)]
    pub fn resolve_base_url(url: &str) -> String;

    /// Calls the caller's token function.
    #[wasm_bindgen(js_name = callTokenFunction)]
    pub fn call_token_function(f: &js_sys::Function) -> js_sys::Promise;

    /// Builds an error of the named class.
    #[wasm_bindgen(js_name = makeError)]
    pub fn make_error(
        name: &str,
        message: &str,
        status: Option<u16>,
        code: Option<String>,
        details_json: Option<String>,
        retry_after: Option<f64>,
        outcome_unknown: bool,
    ) -> JsValue;

    /// Applies the core's patches to a payload: `Date`s (NaN = null) at the newline-separated
    /// `date_paths`, `""` at `empty_strings`; returns the payload.
    #[wasm_bindgen(js_name = applyPatches)]
    pub fn apply_patches(
        value: &JsValue,
        date_paths: &str,
        date_millis: &[f64],
        empty_strings: &str,
    ) -> JsValue;

    /// `[header value | undefined, Uint8Array | undefined]` of a standard `Request`, its body
    /// read once; `undefined` for a body over `limit` bytes (not held).
    #[wasm_bindgen(js_name = readWebhookRequest)]
    pub fn read_webhook_request(request: &JsValue, header: &str, limit: f64) -> js_sys::Promise;

    /// `o[key]`, `undefined` when `o` is not an object or the read throws (one crossing).
    pub fn field(o: &JsValue, key: &JsValue) -> JsValue;

    /// The index of `v`'s kind in `core::json::Kind::ALL` (one crossing).
    #[wasm_bindgen(js_name = kindOf)]
    pub fn kind_of(v: &JsValue) -> u8;

    /// Whether this runs in a page or a worker.
    #[wasm_bindgen(thread_local_v2, js_name = inBrowser)]
    pub static IN_BROWSER: bool;
}
