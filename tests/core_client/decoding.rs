use crate::support::*;
use encore_cloud::core::error::ErrorKind;
use futures::executor::block_on;
use serde_json::Value;

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
    assert_eq!(a.payload, serde_json::from_str::<Value>(&bare).ok());
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
    assert_eq!(b.payload, a.payload);
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
