//! The JavaScript boundary, run by `wasm-bindgen-test` in Node, headless Chromium and headless
//! Firefox against the simulator (`make test` starts it on `ENCORE_TEST_SERVER`, default
//! `http://127.0.0.1:4010`; from a browser page that is another origin, so CORS is exercised).
#![cfg(target_arch = "wasm32")]

use encore_cloud::wasm::client::EncoreClient;
use encore_cloud::wasm::resources::rollouts::{is_rollout_done, summarize_rollout};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const SERVER: &str = match option_env!("ENCORE_TEST_SERVER") {
    Some(s) => s,
    None => "http://127.0.0.1:4010",
};
const CLIENT_ID: &str = "o2c_demo_client";
const SECRET: &str = "demo-secret-do-not-use";

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn in_browser() -> bool {
    encore_cloud::wasm::runtime::IN_BROWSER.with(|b| *b)
}

fn client_with(extra: &[(&str, JsValue)]) -> EncoreClient {
    let mut pairs = vec![
        ("baseUrl", JsValue::from(SERVER)),
        ("clientId", CLIENT_ID.into()),
        ("clientSecret", SECRET.into()),
        ("dangerouslyAllowBrowser", true.into()),
    ];
    pairs.extend(extra.iter().cloned());
    EncoreClient::new(obj(&pairs)).unwrap()
}

async fn ok(p: Promise) -> JsValue {
    JsFuture::from(p).await.expect("promise should resolve")
}

async fn err(p: Promise) -> JsValue {
    JsFuture::from(p).await.expect_err("promise should reject")
}

fn name(e: &JsValue) -> String {
    get(e, "name").as_string().unwrap_or_default()
}

fn is_error_instance(e: &JsValue) -> bool {
    e.is_instance_of::<js_sys::Error>()
}

#[wasm_bindgen_test]
async fn rollout_timestamps_are_dates_and_nulls_stay_null() {
    let c = client_with(&[]);
    let r = ok(c.trigger_rollout(
        "my-app".into(),
        "prod".into(),
        obj(&[("branch", "main".into())]),
        None,
    ))
    .await;
    assert!(get(&r, "id").as_string().unwrap().starts_with("roll_"));
    let queued = get(&r, "queued_at");
    assert!(
        queued.is_instance_of::<js_sys::Date>(),
        "queued_at is a Date"
    );
    assert!(queued.unchecked_ref::<js_sys::Date>().get_time() > 1.0e12);
    assert!(get(&r, "completed_at").is_null());
    assert!(get(&get(&r, "deploy"), "completed_at").is_null());
    assert!(!is_rollout_done(r.clone()));
    let s = summarize_rollout(r.clone(), None, None).unwrap();
    assert!(get(&s, "text").as_string().unwrap().contains(" · "));
    assert!(get(&s, "elapsedMs").as_f64().is_some_and(|ms| ms >= 0.0));
    assert_eq!(get(&s, "done").as_bool(), Some(false));
    let again = ok(c.get_rollout("my-app".into(), get(&r, "id"), None)).await;
    assert_eq!(get(&again, "id"), get(&r, "id"));
}

#[wasm_bindgen_test]
async fn api_errors_are_encore_api_errors_with_fields() {
    let c = client_with(&[]);
    let e = err(c.get_rollout("my-app".into(), "roll_missing".into(), None)).await;
    assert!(is_error_instance(&e));
    assert_eq!(name(&e), "EncoreApiError");
    assert_eq!(get(&e, "status").as_f64(), Some(404.0));
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("not_found"));
    assert!(Reflect::has(&e, &"details".into()).unwrap());
}

#[wasm_bindgen_test]
async fn oauth_errors_and_no_secret_in_them() {
    let secret = "not-the-right-secret-123";
    let c = EncoreClient::new(obj(&[
        ("baseUrl", SERVER.into()),
        ("clientId", CLIENT_ID.into()),
        ("clientSecret", secret.into()),
        ("tokenAuthStyle", "query".into()),
        ("dangerouslyAllowBrowser", true.into()),
    ]))
    .unwrap();
    let e = err(c.get_token(None)).await;
    assert_eq!(name(&e), "EncoreApiError");
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("invalid_client")
    );
    assert_eq!(get(&e, "status").as_f64(), Some(401.0));
    let everything = format!(
        "{:?} {:?} {:?}",
        get(&e, "message"),
        get(&e, "stack"),
        js_sys::JSON::stringify(&e).ok()
    );
    assert!(!everything.contains(secret), "{everything}");
    assert!(!c.to_string_js().contains(secret));
    assert!(!format!("{:?}", js_sys::JSON::stringify(&c.to_json())).contains(secret));
}

#[wasm_bindgen_test]
async fn validation_errors_before_any_request() {
    let c = client_with(&[]);
    for (req, what) in [
        (obj(&[]), "neither"),
        (obj(&[("sha", "a".into()), ("branch", "b".into())]), "both"),
        (obj(&[("branch", "".into())]), "empty"),
        (
            obj(&[("branch", "main".into()), ("skipTests", true.into())]),
            "unknown field",
        ),
        (obj(&[("branch", 3.into())]), "wrong type"),
    ] {
        let e = err(c.trigger_rollout("my-app".into(), "prod".into(), req, None)).await;
        assert_eq!(name(&e), "EncoreValidationError", "{what}");
    }
    for (app, env) in [("..", "prod"), ("my-app", "."), ("", "prod")] {
        let e =
            err(c.trigger_rollout(app.into(), env.into(), obj(&[("sha", "x".into())]), None)).await;
        assert_eq!(name(&e), "EncoreValidationError");
    }
    let e = err(c.get_rollout(JsValue::from(5), "roll_1".into(), None)).await;
    assert_eq!(name(&e), "EncoreValidationError");
}

#[wasm_bindgen_test]
fn options_are_checked_in_the_constructor() {
    let bad = [
        obj(&[]),
        obj(&[("clientId", "o2c_x".into())]),
        obj(&[("accessToken", 5.into())]),
        obj(&[("accessToken", "t".into()), ("timeout", 5.into())]),
        obj(&[("accessToken", "t".into()), ("maxRetries", (-1).into())]),
        obj(&[
            ("accessToken", "t".into()),
            ("baseUrl", "api.encore.cloud".into()),
        ]),
        obj(&[
            ("accessToken", "t".into()),
            ("tokenAuthStyle", "header".into()),
        ]),
    ];
    for o in bad {
        let e = EncoreClient::new(o).err().expect("constructor must throw");
        assert_eq!(name(&e), "EncoreValidationError");
    }
    let e = EncoreClient::new(JsValue::UNDEFINED).err().unwrap();
    assert!(get(&e, "message").as_string().unwrap().contains("clientId"));
}

#[wasm_bindgen_test]
fn browsers_refuse_a_client_secret_without_opt_in() {
    let r = EncoreClient::new(obj(&[
        ("baseUrl", SERVER.into()),
        ("clientId", CLIENT_ID.into()),
        ("clientSecret", SECRET.into()),
    ]));
    if in_browser() {
        let e = r.err().expect("a browser must refuse");
        assert_eq!(name(&e), "EncoreValidationError");
        assert!(get(&e, "message")
            .as_string()
            .unwrap()
            .contains("dangerouslyAllowBrowser"));
    } else {
        assert!(r.is_ok(), "Node allows client secrets");
    }
}

#[wasm_bindgen_test]
async fn access_token_function_is_used() {
    let bootstrap = client_with(&[]);
    let token = get(&ok(bootstrap.get_token(None)).await, "access_token");
    let f = js_sys::Function::new_with_args(
        "",
        &format!("return Promise.resolve({:?})", token.as_string().unwrap()),
    );
    let c = EncoreClient::new(obj(&[
        ("baseUrl", SERVER.into()),
        ("accessToken", f.into()),
    ]))
    .unwrap();
    let r = ok(c.trigger_rollout(
        "my-app".into(),
        "staging".into(),
        obj(&[("sha", "abc123".into())]),
        None,
    ))
    .await;
    assert_eq!(get(&r, "status").as_string().as_deref(), Some("queued"));
}

#[wasm_bindgen_test]
async fn abort_rejects_with_abort_error() {
    let c = client_with(&[]);
    let controller = web_abort_controller();
    let abort: js_sys::Function = get(&controller, "abort").unchecked_into();
    abort.call0(&controller).unwrap();
    let e = err(c.get_rollout(
        "my-app".into(),
        "roll_x".into(),
        Some(obj(&[("signal", get(&controller, "signal"))])),
    ))
    .await;
    assert_eq!(name(&e), "AbortError");
    assert!(is_error_instance(&e));
}

#[wasm_bindgen_test]
async fn connection_errors_are_typed() {
    let c = EncoreClient::new(obj(&[
        ("baseUrl", "http://127.0.0.1:9".into()),
        ("accessToken", "t0ken-value".into()),
        ("maxRetries", 0.into()),
    ]))
    .unwrap();
    let e = err(c.get_rollout("my-app".into(), "roll_x".into(), None)).await;
    assert_eq!(name(&e), "EncoreConnectionError");
    assert!(!get(&e, "message")
        .as_string()
        .unwrap()
        .contains("t0ken-value"));
}

fn web_abort_controller() -> JsValue {
    let ctor = get(&js_sys::global(), "AbortController");
    let ctor: js_sys::Function = ctor.unchecked_into();
    Reflect::construct(&ctor, &js_sys::Array::new()).unwrap()
}

/// Injects a simulator fault (`POST /__sim/faults`) from JavaScript.
async fn inject_fault(spec: &str) {
    let f = js_sys::Function::new_with_args(
        "url, spec",
        "return fetch(url + '/__sim/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: spec }).then((r) => { if (!r.ok) throw new Error('fault refused'); });",
    );
    let p = f
        .call2(&JsValue::NULL, &SERVER.into(), &spec.into())
        .unwrap();
    JsFuture::from(Promise::from(p)).await.unwrap();
}

fn member(email: &str, role: &str) -> JsValue {
    obj(&[("email", email.into()), ("role", role.into())])
}

#[wasm_bindgen_test]
async fn members_have_dates_and_a_never_accepted_invitation_is_null() {
    let c = client_with(&[]);
    // Node, Chromium and Firefox share one simulator: a fresh address each run.
    let app = "demo-app";
    let email = format!(
        "ada-{}@example.com",
        js_sys::Math::random().to_bits() % 1_000_000_007
    );
    let m = ok(c.invite_member(app.into(), member(&email, "writer"), None)).await;
    assert_eq!(get(&m, "email").as_string(), Some(email.clone()));
    assert!(get(&m, "invited").is_instance_of::<js_sys::Date>());
    assert!(get(&m, "expires").is_instance_of::<js_sys::Date>());
    assert!(get(&m, "accepted").is_null());
    let list = ok(c.list_members(app.into(), None)).await;
    let list = js_sys::Array::from(&list);
    assert!(list.length() >= 2);
    let owner = list
        .iter()
        .find(|m| get(m, "role").as_string().as_deref() == Some("owner"));
    assert!(get(&owner.unwrap(), "accepted").is_instance_of::<js_sys::Date>());
    let done = ok(c.update_member_role(app.into(), member(&email, "none"), None)).await;
    assert!(done.is_undefined());
}

#[wasm_bindgen_test]
async fn go_zero_time_becomes_null_and_absent_strings_empty() {
    let c = client_with(&[]);
    inject_fault(
        r#"{"status":200,"path":"/api/apps/zero-app/members","body":[{"email":"z@example.com","role":"billing","invited":"2026-03-18T09:41:07.5Z","accepted":"0001-01-01T00:00:00Z","expires":"0001-01-01T00:00:00Z","extra":{"kept":true}}]}"#,
    )
    .await;
    let list = js_sys::Array::from(&ok(c.list_members("zero-app".into(), None)).await);
    let m = list.get(0);
    assert!(get(&m, "accepted").is_null(), "Go's zero time is null");
    assert!(get(&m, "expires").is_null());
    let invited = get(&m, "invited");
    assert_eq!(
        invited.unchecked_ref::<js_sys::Date>().get_time(),
        1_773_826_867_500.0
    );
    assert_eq!(
        get(&m, "role").as_string().as_deref(),
        Some("billing"),
        "unknown roles pass"
    );
    for k in ["username", "full_name", "picture_url"] {
        assert_eq!(get(&m, k).as_string().as_deref(), Some(""), "{k}");
    }
    assert!(
        get(&get(&m, "extra"), "kept").as_bool().unwrap(),
        "extra fields pass"
    );
}

#[wasm_bindgen_test]
async fn member_input_is_checked_before_sending() {
    let c = client_with(&[]);
    for m in [
        member("no-at", "writer"),
        member("a@b", "admin"),
        obj(&[
            ("email", "a@b".into()),
            ("role", "writer".into()),
            ("x", 1.into()),
        ]),
        JsValue::UNDEFINED,
    ] {
        let e = err(c.invite_member("my-app".into(), m, None)).await;
        assert_eq!(name(&e), "EncoreValidationError");
    }
}

#[wasm_bindgen_test]
fn the_allocator_keeps_blocks_apart_across_sizes() {
    // Many sizes (and a large one), filled with distinct bytes, half freed and reallocated,
    // grown in place and across classes: every block keeps its own contents.
    let mut blocks: Vec<Vec<u8>> = (0..600usize)
        .map(|i| vec![(i % 251) as u8; (i * 37) % 5000 + 1])
        .collect();
    let large = vec![7u8; 3 << 20];
    for (i, b) in blocks.iter_mut().enumerate().filter(|(i, _)| i % 2 == 0) {
        *b = vec![(i % 251) as u8; (i * 53) % 9000 + 1];
    }
    for (i, b) in blocks.iter_mut().enumerate().filter(|(i, _)| i % 3 == 0) {
        b.extend(std::iter::repeat((i % 251) as u8).take(b.len() + 17));
    }
    for (i, b) in blocks.iter().enumerate() {
        assert!(b.iter().all(|&x| x == (i % 251) as u8), "block {i}");
    }
    assert!(large.iter().all(|&x| x == 7));
    let aligned = Box::new([0u64; 3]);
    assert_eq!((aligned.as_ptr() as usize) % 8, 0);
}

#[wasm_bindgen_test]
fn the_json_view_reads_every_kind_and_never_throws() {
    use encore_cloud::core::json::{Json, Kind};
    // `kindOf` (js/runtime.js) answers with indices into Kind::ALL: each kind read back.
    let cases: Vec<(JsValue, Kind)> = vec![
        (JsValue::NULL, Kind::Null),
        (JsValue::UNDEFINED, Kind::Null),
        (JsValue::TRUE, Kind::Bool),
        (JsValue::from_f64(1.5), Kind::Number),
        (JsValue::from_str("x"), Kind::String),
        (js_sys::Array::of1(&JsValue::NULL).into(), Kind::Array),
        (obj(&[("a", JsValue::from_f64(1.0))]), Kind::Object),
        (js_sys::Function::new_no_args("return 1").into(), Kind::Null),
    ];
    for (v, kind) in &cases {
        assert_eq!(v.kind(), *kind, "{v:?}");
    }
    let o = obj(&[("status", "running".into()), ("gone", JsValue::UNDEFINED)]);
    assert_eq!(
        o.get("status").and_then(|v| v.as_str()).as_deref(),
        Some("running")
    );
    assert!(o.get("gone").is_none());
    assert!(o.get("absent").is_none());
    // Not an object: nothing to read.
    assert!(JsValue::from_str("status").get("length").is_none());
    assert!(JsValue::NULL.get("status").is_none());
    // A caller's object whose getter throws reads as absent, and the module stays usable.
    let throwing = js_sys::Function::new_no_args(
        "return Object.defineProperty({}, 'status', { get() { throw new Error('boom'); } })",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    assert!(throwing.get("status").is_none());
    assert!(!is_rollout_done(throwing));
    assert!(is_rollout_done(obj(&[("status", "completed".into())])));
}

#[wasm_bindgen_test]
async fn a_late_outcome_for_an_abandoned_wait_never_reaches_the_next_one() {
    use encore_cloud::wasm::settle::Pending;
    let mut resolve_first: Option<js_sys::Function> = None;
    let first = Promise::new(&mut |resolve, _| resolve_first = Some(resolve));
    let abandoned = Pending::of(&first);
    drop(abandoned);
    // The first promise settles after its wait was given up: its report is queued...
    resolve_first
        .take()
        .unwrap()
        .call1(&JsValue::NULL, &"first".into())
        .unwrap();
    // ...while a new wait takes the freed slot.
    let mut resolve_second: Option<js_sys::Function> = None;
    let second = Promise::new(&mut |resolve, _| resolve_second = Some(resolve));
    let next = Pending::of(&second);
    let later = resolve_second.take().unwrap();
    // Resolved a microtask later, after the first report was delivered.
    let cb = wasm_bindgen::closure::Closure::once(move |_: JsValue| {
        later.call1(&JsValue::NULL, &"second".into()).unwrap();
    });
    let resolve_later = Promise::resolve(&JsValue::NULL).then(&cb);
    assert_eq!(next.await.unwrap().as_string().as_deref(), Some("second"));
    let _ = JsFuture::from(resolve_later).await;
}

#[wasm_bindgen_test]
fn a_freed_slot_is_reused_and_its_old_handle_no_longer_matches() {
    use encore_cloud::wasm::slots::Slots;
    let mut slots = Slots::new();
    let a = slots.insert(|i, g| (i, g, "a"));
    let b = slots.insert(|_, _| (0, 0, "b"));
    assert_ne!(a.0, b.0);
    assert_eq!(slots.get_mut(a.0, a.1).map(|v| *v), Some((a.0, a.1, "a")));
    assert_eq!(slots.remove(a.0, a.1).map(|v| v.2), Some("a"));
    assert!(slots.remove(a.0, a.1).is_none());
    let c = slots.insert(|_, _| (0, 0, "c"));
    assert_eq!(c.0, a.0, "the freed slot is reused");
    assert_ne!(c.1, a.1, "with a new generation");
    assert!(slots.get_mut(a.0, a.1).is_none());
    assert_eq!(slots.get_mut(c.0, c.1).map(|v| v.2), Some("c"));
    assert_eq!(slots.get_mut(b.0, b.1).map(|v| v.2), Some("b"));
}
