use crate::support::*;
use encore_cloud::core::env::AttemptEvent;
use encore_cloud::core::retry::{Failure, RetryPolicy};

// ---------------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------------

#[test]
fn one_event_per_attempt_with_status_failure_and_wait() {
    let c = static_client(RetryPolicy { max_retries: 3 });
    c.env.latency_ms.set(7.0);
    c.env.rand.set(0.5);
    c.env.api_reply(answer(503, ""));
    c.env.api_reply(fail(Failure::NotSent));
    c.env.api_reply(answer_retry(429, Some("2"), None));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    let ev = |attempt, status, failure, retry_in_ms| AttemptEvent {
        method: "GET",
        path: GET_PATH.into(),
        attempt,
        status,
        failure,
        duration_ms: 7.0,
        retry_in_ms,
    };
    assert_eq!(
        c.env.events(),
        [
            ev(1, Some(503), None, Some(250.0)),
            ev(2, None, Some("connection_refused"), Some(500.0)),
            ev(3, Some(429), None, Some(2000.0)),
            ev(4, Some(200), None, None),
        ]
    );
}

#[test]
fn failure_names_and_final_attempt_are_logged() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(fail(Failure::MaybeSent));
    c.env.api_reply(fail(Failure::Timeout));
    c.env.api_reply(answer(504, ""));
    get(&c).unwrap_err();
    let evs = c.env.events();
    assert_eq!(evs.len(), 3);
    assert_eq!(
        evs.iter()
            .map(|e| (e.attempt, e.status, e.failure))
            .collect::<Vec<_>>(),
        [
            (1, None, Some("connection_failed")),
            (2, None, Some("timeout")),
            (3, Some(504), None),
        ]
    );
    assert!(evs[0].retry_in_ms.is_some() && evs[1].retry_in_ms.is_some());
    assert_eq!(evs[2].retry_in_ms, None);

    let c = static_client(RetryPolicy::default());
    c.env.api_reply(fail(Failure::Timeout));
    trigger(&c).unwrap_err();
    let evs = c.env.events();
    assert_eq!(evs.len(), 1);
    assert_eq!(
        (evs[0].method, evs[0].path.as_str()),
        ("POST", TRIGGER_PATH)
    );
    assert_eq!(
        (evs[0].failure, evs[0].retry_in_ms),
        (Some("timeout"), None)
    );
}

#[test]
fn token_requests_and_401_renewals_are_logged() {
    let c = oauth_client();
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    c.env.api_reply(answer(401, ""));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    let seq: Vec<_> = c
        .env
        .events()
        .iter()
        .map(|e| (e.method, e.path.clone(), e.attempt, e.status, e.retry_in_ms))
        .collect();
    assert_eq!(
        seq,
        [
            ("POST", TOKEN_PATH.to_owned(), 1, Some(200), None),
            ("GET", GET_PATH.to_owned(), 1, Some(401), Some(0.0)),
            ("POST", TOKEN_PATH.to_owned(), 1, Some(200), None),
            ("GET", GET_PATH.to_owned(), 2, Some(200), None),
        ]
    );
}
