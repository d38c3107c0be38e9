use crate::support::*;
use encore_cloud::core::client::{Credentials, TokenAuthStyle};
use encore_cloud::core::error::ErrorKind;
use encore_cloud::core::retry::{Failure, RetryPolicy};
use futures::executor::block_on;
use futures::future::{join, join3};

// ---------------------------------------------------------------------------------------------
// Token requests
// ---------------------------------------------------------------------------------------------

#[test]
fn token_body_style_sends_form_body_without_query() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (token, remaining) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(token.access_token, T1);
    assert_eq!(remaining, 3600.0);

    let reqs = c.env.token_requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, format!("{BASE}{TOKEN_PATH}"));
    assert!(!r.url.contains('?'), "{}", r.url);
    assert_eq!(r.log_path, TOKEN_PATH);
    assert_eq!(r.content_type, Some("application/x-www-form-urlencoded"));
    assert_eq!(
        r.body.as_deref(),
        Some(
            format!("grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={SECRET}")
                .as_str()
        )
    );
    assert_eq!(r.authorization, None);
    for e in c.env.events() {
        assert!(!e.path.contains(SECRET));
    }
}

#[test]
fn token_body_style_form_encodes_credentials() {
    let c = client_with(
        Credentials::Client {
            id: "o2c_a b".into(),
            secret: "s3c r&t=+/?é".into(),
            style: TokenAuthStyle::Body,
        },
        RetryPolicy::default(),
    );
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    block_on(c.get_token(&Call::default())).unwrap();
    let r = &c.env.token_requests()[0];
    assert_eq!(
        r.body.as_deref(),
        Some("grant_type=client_credentials&client_id=o2c_a+b&client_secret=s3c+r%26t%3D%2B%2F%3F%C3%A9")
    );
    assert_eq!(r.url, format!("{BASE}{TOKEN_PATH}"));
}

#[test]
fn token_query_style_puts_credentials_in_query_and_redacts_log_path() {
    let c = client_with(oauth(TokenAuthStyle::Query), RetryPolicy::default());
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    block_on(c.get_token(&Call::default())).unwrap();
    let reqs = c.env.token_requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.url,
        format!("{BASE}{TOKEN_PATH}?client_id={CLIENT_ID}&client_secret={SECRET}")
    );
    assert_eq!(r.body, None);
    assert_eq!(r.authorization, None);
    assert_eq!(
        r.log_path,
        format!("{TOKEN_PATH}?client_id={CLIENT_ID}&client_secret=[redacted]")
    );
    let events = c.env.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].path, r.log_path);
    assert!(!events[0].path.contains(SECRET));
}

#[test]
fn api_calls_carry_the_cached_bearer_token() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.api_reply(answer(200, &rollout_json()));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    get(&c).unwrap();
    assert_eq!(c.env.token_requests().len(), 1);
    let api = c.env.api_requests();
    assert_eq!(api.len(), 2);
    for r in &api {
        assert_eq!(r.method, "GET");
        assert_eq!(r.url, format!("{BASE}{GET_PATH}"));
        assert_eq!(r.log_path, GET_PATH);
        assert_eq!(
            r.authorization.as_deref(),
            Some(format!("Bearer {T1}").as_str())
        );
        assert_eq!(r.body, None);
    }
}

// ---------------------------------------------------------------------------------------------
// Token lifetime
// ---------------------------------------------------------------------------------------------

#[test]
fn token_with_3600s_lifetime_renews_when_less_than_300s_remain() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (t, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!((t.access_token.as_str(), left), (T1, 3600.0));

    c.env.set_clock(T0 + 1_000_000.0);
    let (t, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!((t.access_token.as_str(), left), (T1, 2600.0));

    // Exactly 300 s left: still fresh.
    c.env.set_clock(T0 + 3_300_000.0);
    let (t, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!((t.access_token.as_str(), left), (T1, 300.0));
    assert_eq!(c.env.token_requests().len(), 1);

    // Less than 300 s left: renewed.
    c.env.set_clock(T0 + 3_300_001.0);
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    let (t, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!((t.access_token.as_str(), left), (T2, 3600.0));
    assert_eq!(c.env.token_requests().len(), 2);
}

#[test]
fn token_with_60s_lifetime_renews_at_half_life() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 60)));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();

    // 30 s left = lifetime/2: still used (a fixed 300 s margin would renew here).
    c.env.set_clock(T0 + 30_000.0);
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    let (_, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(left, 30.0);
    assert_eq!(c.env.token_requests().len(), 1);

    // Less than lifetime/2 left: renewed before the API call.
    c.env.set_clock(T0 + 30_001.0);
    c.env.token_reply(answer(200, &token_json(T2, 60)));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    assert_eq!(c.env.token_requests().len(), 2);
    let api = c.env.api_requests();
    let auth: Vec<_> = api
        .iter()
        .map(|r| r.authorization.clone().unwrap())
        .collect();
    assert_eq!(
        auth,
        [
            format!("Bearer {T1}"),
            format!("Bearer {T1}"),
            format!("Bearer {T2}")
        ]
    );
}

#[test]
fn get_token_reports_whole_remaining_seconds() {
    let c = oauth_client();
    c.env.latency_ms.set(250.0); // obtained when the answer arrives
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (_, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(left, 3600.0);
    c.env.set_clock(T0 + 250.0 + 1_234_567.0);
    let (_, left) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(left, 2365.0); // floor(2365.433)
}

#[test]
fn get_token_with_static_credentials_is_a_validation_error() {
    let c = static_client(RetryPolicy::default());
    let e = block_on(c.get_token(&Call::default())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(c.env.all_sent().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Single flight
// ---------------------------------------------------------------------------------------------

#[test]
fn three_concurrent_calls_share_one_token_request() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    for _ in 0..3 {
        c.env.api_reply(answer(200, &rollout_json()));
    }
    let (a, b, d) = (Call::default(), Call::default(), Call::default());
    let (ra, rb, rd) = block_on(join3(
        c.get_rollout(&a, APP, ROLL),
        c.get_rollout(&b, APP, ROLL),
        c.get_rollout(&d, APP, ROLL),
    ));
    ra.unwrap();
    rb.unwrap();
    rd.unwrap();
    assert_eq!(c.env.token_requests().len(), 1);
    let api = c.env.api_requests();
    assert_eq!(api.len(), 3);
    assert!(api
        .iter()
        .all(|r| r.authorization.as_deref() == Some(format!("Bearer {T1}").as_str())));
}

#[test]
fn three_concurrent_get_token_calls_share_one_request() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (a, b, d) = (Call::default(), Call::default(), Call::default());
    let (ra, rb, rd) = block_on(join3(c.get_token(&a), c.get_token(&b), c.get_token(&d)));
    for r in [ra, rb, rd] {
        assert_eq!(r.unwrap().0.access_token, T1);
    }
    assert_eq!(c.env.token_requests().len(), 1);
}

#[test]
fn a_failed_token_request_is_shared_by_all_waiters_and_not_cached() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(
        400,
        r#"{"error":"invalid_client","error_description":"client authentication failed"}"#,
    ));
    let (a, b, d) = (Call::default(), Call::default(), Call::default());
    let (ra, rb, rd) = block_on(join3(
        c.get_rollout(&a, APP, ROLL),
        c.get_rollout(&b, APP, ROLL),
        c.get_token(&d),
    ));
    for e in [ra.unwrap_err(), rb.unwrap_err(), rd.unwrap_err()] {
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.status, Some(400));
        assert_eq!(e.code.as_deref(), Some("invalid_client"));
        assert_clean(&e, &[SECRET]);
    }
    assert_eq!(c.env.token_requests().len(), 1);
    assert!(c.env.api_requests().is_empty());

    // The next call tries again.
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.api_reply(answer(200, &rollout_json()));
    block_on(c.get_rollout(&Call::default(), APP, ROLL)).unwrap();
    assert_eq!(c.env.token_requests().len(), 2);
}

#[test]
fn a_token_request_that_exhausts_retries_is_shared_once() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    for _ in 0..3 {
        c.env.token_reply(answer(503, ""));
    }
    let (a, b, d) = (Call::default(), Call::default(), Call::default());
    let (ra, rb, rd) = block_on(join3(c.get_token(&a), c.get_token(&b), c.get_token(&d)));
    for e in [ra.unwrap_err(), rb.unwrap_err(), rd.unwrap_err()] {
        assert_eq!(e.status, Some(503));
    }
    // One flight: the first attempt plus two retries, not three flights.
    assert_eq!(c.env.token_requests().len(), 3);
}

#[test]
fn an_aborted_waiter_gives_up_while_the_leader_finishes() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.api_reply(answer(200, &rollout_json()));
    let leader = Call::default();
    let waiter = Call::aborted_already();
    let (rl, rw) = block_on(join(
        c.get_rollout(&leader, APP, ROLL),
        c.get_rollout(&waiter, APP, ROLL),
    ));
    rl.unwrap();
    assert_eq!(rw.unwrap_err().kind, ErrorKind::Aborted);
    assert_eq!(c.env.token_requests().len(), 1);
    assert_eq!(c.env.api_requests().len(), 1);
}

#[test]
fn an_abort_during_backoff_stops_the_call() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(503, ""));
    let e = block_on(c.get_rollout(&Call::aborted_already(), APP, ROLL)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Aborted);
    assert_eq!(c.env.api_requests().len(), 1);
}

#[test]
fn a_leaders_abort_is_not_shared_with_waiters() {
    let c = oauth_client();
    c.env.yield_in_send.set(true);
    // The leader's own request is aborted; the waiter then asks for itself.
    c.env.token_reply(fail(Failure::Aborted));
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (a, b) = (Call::default(), Call::default());
    let (ra, rb) = block_on(join(c.get_token(&a), c.get_token(&b)));
    assert_eq!(ra.unwrap_err().kind, ErrorKind::Aborted);
    assert_eq!(rb.unwrap().0.access_token, T1);
    assert_eq!(c.env.token_requests().len(), 2);
}

#[test]
fn a_failed_renewal_keeps_using_the_still_valid_token() {
    let c = client_with(oauth(TokenAuthStyle::Body), RetryPolicy { max_retries: 0 });
    c.env.set_clock(T0);
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    // 200 s left: inside the renewal margin; the token endpoint is down.
    c.env.set_clock(T0 + 3_400_000.0);
    c.env.token_reply(answer(503, ""));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    let api = c.env.api_requests();
    assert_eq!(
        api[1].authorization.as_deref(),
        Some(format!("Bearer {T1}").as_str())
    );
    assert_eq!(c.env.token_requests().len(), 2);
    // Once it has expired, a failed renewal is the caller's error.
    c.env.set_clock(T0 + 3_601_000.0);
    c.env.token_reply(answer(503, ""));
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(503));
    assert_eq!(c.env.api_requests().len(), 2);
}
