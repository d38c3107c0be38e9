use crate::support::*;
use encore_cloud::core::error::ErrorKind;
use encore_cloud::core::resources::rollouts::TriggerRollout;
use encore_cloud::core::retry::{Failure, RetryPolicy};
use futures::executor::block_on;

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[test]
fn get_is_retried_on_transport_failures_and_retryable_statuses() {
    let mut cases: Vec<(String, Reply)> = [Failure::NotSent, Failure::MaybeSent, Failure::Timeout]
        .into_iter()
        .map(|f| (format!("{f:?}"), fail(f)))
        .collect();
    for s in [408, 429, 500, 502, 503, 504] {
        cases.push((s.to_string(), answer(s, "")));
    }
    for (name, first) in cases {
        let c = static_client(RetryPolicy::default());
        c.env.api_reply(first);
        c.env.api_reply(answer(200, &rollout_json()));
        let r = get(&c);
        assert!(r.is_ok(), "{name}: {r:?}");
        assert_eq!(c.env.api_requests().len(), 2, "{name}");
        assert_eq!(c.env.sleeps().len(), 1, "{name}");
    }
}

#[test]
fn get_is_not_retried_on_other_statuses() {
    for s in [400, 403, 404, 409, 422, 501] {
        let c = static_client(RetryPolicy::default());
        c.env
            .api_reply(answer(s, r#"{"code":"x","message":"nope"}"#));
        let e = get(&c).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api, "{s}");
        assert_eq!(e.status, Some(s));
        assert_eq!(c.env.api_requests().len(), 1, "{s}");
        assert!(c.env.sleeps().is_empty(), "{s}");
    }
}

#[test]
fn get_gives_up_after_the_default_two_retries() {
    let c = static_client(RetryPolicy::default());
    for _ in 0..3 {
        c.env
            .api_reply(answer(503, r#"{"code":"unavailable","message":"down"}"#));
    }
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(503));
    assert_eq!(e.code.as_deref(), Some("unavailable"));
    assert_eq!(c.env.api_requests().len(), 3);
    assert_eq!(c.env.sleeps().len(), 2);
}

#[test]
fn token_requests_are_retried_like_idempotent_calls() {
    let c = oauth_client();
    c.env.token_reply(fail(Failure::MaybeSent));
    c.env.token_reply(answer(502, ""));
    c.env.token_reply(answer(200, &token_json(T1, 3600)));
    let (t, _) = block_on(c.get_token(&Call::default())).unwrap();
    assert_eq!(t.access_token, T1);
    assert_eq!(c.env.token_requests().len(), 3);
}

#[test]
fn max_retries_zero_makes_exactly_one_attempt() {
    let none = RetryPolicy { max_retries: 0 };
    for first in [
        answer(503, ""),
        answer(429, ""),
        fail(Failure::NotSent),
        fail(Failure::Timeout),
    ] {
        let c = static_client(none);
        c.env.api_reply(first.clone());
        assert!(get(&c).is_err());
        assert_eq!(c.env.api_requests().len(), 1, "{first:?}");
        assert!(c.env.sleeps().is_empty());

        let c = static_client(none);
        c.env.api_reply(first.clone());
        assert!(trigger(&c).is_err());
        assert_eq!(c.env.api_requests().len(), 1, "{first:?}");
    }
}

#[test]
fn trigger_sends_the_json_body() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(200, &rollout_json()));
    let t = TriggerRollout::new(None, Some("main".into()), true, false).unwrap();
    block_on(c.trigger_rollout(&Call::default(), APP, ENV_NAME, &t)).unwrap();
    let r = &c.env.api_requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, format!("{BASE}{TRIGGER_PATH}"));
    assert_eq!(r.content_type, Some("application/json"));
    assert_eq!(
        r.body.as_deref(),
        Some(r#"{"branch":"main","skip_tests":true}"#)
    );
    assert_eq!(
        r.authorization.as_deref(),
        Some(format!("Bearer {T1}").as_str())
    );
}

#[test]
fn trigger_is_retried_on_429_503_and_not_sent() {
    for first in [answer(429, ""), answer(503, ""), fail(Failure::NotSent)] {
        let c = static_client(RetryPolicy::default());
        c.env.api_reply(first.clone());
        c.env.api_reply(answer(200, &rollout_json()));
        let r = trigger(&c);
        assert!(r.is_ok(), "{first:?}: {r:?}");
        let api = c.env.api_requests();
        assert_eq!(api.len(), 2, "{first:?}");
        assert_eq!(api[0].body, api[1].body);
        assert_eq!(api[1].body.as_deref(), Some(r#"{"sha":"9f2c1e7a"}"#));
    }
}

#[test]
fn trigger_is_never_retried_when_the_outcome_is_unknown() {
    let cases = [
        (
            answer(500, r#"{"code":"internal","message":"boom"}"#),
            ErrorKind::Api,
        ),
        (answer(502, "<html>Bad gateway</html>"), ErrorKind::Api),
        (answer(504, ""), ErrorKind::Api),
        (fail(Failure::Timeout), ErrorKind::Timeout),
        (fail(Failure::MaybeSent), ErrorKind::Connection),
    ];
    for (first, kind) in cases {
        let c = static_client(RetryPolicy { max_retries: 5 });
        c.env.api_reply(first.clone());
        c.env.api_reply(answer(200, &rollout_json())); // must not be used
        let e = trigger(&c).unwrap_err();
        assert_eq!(e.kind, kind, "{first:?}");
        assert_eq!(c.env.api_requests().len(), 1, "{first:?}");
        assert!(c.env.sleeps().is_empty(), "{first:?}");
        assert!(e.message.contains(AMBIGUOUS), "{first:?}: {}", e.message);
    }
}

#[test]
fn trigger_is_not_retried_on_408() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(408, ""));
    c.env.api_reply(answer(200, &rollout_json()));
    let e = trigger(&c).unwrap_err();
    assert_eq!(e.status, Some(408));
    assert_eq!(c.env.api_requests().len(), 1);
}

#[test]
fn trigger_errors_that_prove_nothing_was_done_have_no_ambiguity_note() {
    // Refused three times: certainly not created.
    let c = static_client(RetryPolicy::default());
    for _ in 0..3 {
        c.env.api_reply(fail(Failure::NotSent));
    }
    let e = trigger(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Connection);
    assert_eq!(c.env.api_requests().len(), 3);
    assert!(!e.message.contains(AMBIGUOUS), "{}", e.message);

    // A plain rejection.
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(
        400,
        r#"{"code":"invalid_argument","message":"unknown branch"}"#,
    ));
    let e = trigger(&c).unwrap_err();
    assert_eq!(c.env.api_requests().len(), 1);
    assert!(!e.message.contains(AMBIGUOUS), "{}", e.message);

    // Rate limited until out of retries.
    let c = static_client(RetryPolicy::default());
    for _ in 0..3 {
        c.env.api_reply(answer(429, ""));
    }
    let e = trigger(&c).unwrap_err();
    assert_eq!(c.env.api_requests().len(), 3);
    assert!(!e.message.contains(AMBIGUOUS), "{}", e.message);
}

// ---------------------------------------------------------------------------------------------
// Backoff and Retry-After
// ---------------------------------------------------------------------------------------------

#[test]
fn backoff_is_full_jitter_exponential_base_500_cap_8000() {
    let c = static_client(RetryPolicy { max_retries: 6 });
    c.env.rand.set(ALMOST_ONE);
    for _ in 0..7 {
        c.env.api_reply(answer(503, ""));
    }
    get(&c).unwrap_err();
    assert_close(
        &c.env.sleeps(),
        &[500.0, 1000.0, 2000.0, 4000.0, 8000.0, 8000.0],
    );
    // The clock really waited between attempts.
    let times = c.env.api_times();
    let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert_close(&gaps, &[500.0, 1000.0, 2000.0, 4000.0, 8000.0, 8000.0]);
}

#[test]
fn backoff_scales_with_random() {
    for (r, expected) in [
        (0.5, [250.0, 500.0]),
        (0.0, [0.0, 0.0]),
        (0.25, [125.0, 250.0]),
    ] {
        let c = static_client(RetryPolicy::default());
        c.env.rand.set(r);
        for _ in 0..3 {
            c.env.api_reply(fail(Failure::NotSent));
        }
        get(&c).unwrap_err();
        assert_close(&c.env.sleeps(), &expected);
    }
}

#[test]
fn retry_after_seconds_is_honoured_exactly() {
    let c = static_client(RetryPolicy::default());
    c.env.rand.set(ALMOST_ONE);
    c.env.api_reply(answer_retry(503, Some("3"), None));
    c.env.api_reply(answer_retry(429, Some("60"), None)); // 60 s is still waited
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    assert_eq!(c.env.sleeps(), [3000.0, 60_000.0]);
    assert_eq!(c.env.api_times(), [T0, T0 + 3000.0, T0 + 63_000.0]);
}

#[test]
fn retry_after_http_date_is_honoured_exactly() {
    let c = static_client(RetryPolicy::default());
    c.env.set_clock(784_111_777_000.0); // Sun, 06 Nov 1994 08:49:37 GMT
    c.env.api_reply(answer_retry(
        503,
        Some("Sun, 06 Nov 1994 08:49:47 GMT"),
        None,
    ));
    c.env.api_reply(answer(200, &rollout_json()));
    get(&c).unwrap();
    assert_eq!(c.env.sleeps(), [10_000.0]);
}

#[test]
fn retry_after_ms_is_honoured_exactly_and_wins() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer_retry(429, Some("5"), Some("250")));
    c.env.api_reply(answer_retry(429, None, Some("1234")));
    c.env.api_reply(answer(200, &rollout_json()));
    trigger(&c).unwrap();
    assert_eq!(c.env.sleeps(), [250.0, 1234.0]);
}

#[test]
fn retry_after_above_60s_is_not_waited() {
    type Case = (Reply, f64, bool);
    let cases: [Case; 4] = [
        (answer_retry(429, Some("61"), None), 61.0, true),
        (answer_retry(503, Some("3600"), None), 3600.0, false),
        (answer_retry(503, None, Some("90000")), 90.0, true),
        (
            answer_retry(429, Some("Sun, 06 Nov 1994 08:51:37 GMT"), None),
            120.0,
            false,
        ),
    ];
    for (first, seconds, is_trigger) in cases {
        let c = static_client(RetryPolicy::default());
        c.env.set_clock(784_111_777_000.0);
        c.env.api_reply(first.clone());
        c.env.api_reply(answer(200, &rollout_json())); // must not be used
        let e = if is_trigger { trigger(&c) } else { get(&c) }.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api, "{first:?}");
        assert_eq!(e.retry_after, Some(seconds), "{first:?}");
        assert_eq!(c.env.api_requests().len(), 1, "{first:?}");
        assert!(c.env.sleeps().is_empty(), "{first:?}");
        assert_eq!(c.env.clock.get(), 784_111_777_000.0);
    }
}

#[test]
fn retry_after_is_reported_when_retries_run_out() {
    let c = static_client(RetryPolicy { max_retries: 0 });
    c.env.api_reply(answer_retry(429, Some("7"), None));
    let e = get(&c).unwrap_err();
    assert_eq!(e.retry_after, Some(7.0));
}
