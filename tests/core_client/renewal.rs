use crate::support::*;
use encore_cloud::core::client::Credentials;
use encore_cloud::core::error::ErrorKind;
use encore_cloud::core::retry::RetryPolicy;
use futures::executor::block_on;

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
