//! The call state machine (`core::call::Exchange`) driven by hand, with no executor and no
//! fake environment: each step's decision as a pure function of the state and the last
//! outcome.

use encore_cloud::core::call::{Exchange, Op, Step};
use encore_cloud::core::env::{HttpResponse, TransportError};
use encore_cloud::core::error::ErrorKind;
use encore_cloud::core::resources::{members, rollouts};
use encore_cloud::core::retry::{Failure, RetryPolicy};
use encore_cloud::core::url::BaseUrl;
use serde_json::{json, Value};

const BASE: &str = "https://api.encore.dev";

fn exchange(op: Op<()>, max_retries: u32, can_renew: bool) -> Exchange {
    Exchange::new(
        op,
        BASE,
        BASE,
        RetryPolicy { max_retries },
        can_renew,
        vec!["s3cr3t-credential".into()],
    )
}

fn status(s: u16, body: Option<Value>) -> Result<HttpResponse<Value>, TransportError> {
    Ok(HttpResponse {
        status: s,
        retry_after: None,
        retry_after_ms: None,
        location: None,
        opaque_redirect: false,
        json: body,
        text: String::new(),
    })
}

fn failed(f: Failure) -> Result<HttpResponse<Value>, TransportError> {
    Err(TransportError {
        failure: f,
        detail: String::new(),
    })
}

fn get_op() -> Op<()> {
    rollouts::get("my-app", "roll_1").unwrap().erase()
}

fn invite_op() -> Op<()> {
    let c = members::MemberChange::new("inviteMember", Some("a@b.c".into()), Some("writer".into()))
        .unwrap();
    members::invite("my-app", &c).unwrap().erase()
}

#[test]
fn an_authenticated_call_asks_for_a_token_then_sends_it() {
    let mut x = exchange(get_op(), 2, true);
    let Step::<Value>::NeedToken { refused: None } = x.start() else {
        panic!("a token first")
    };
    let Step::<Value>::Send(req) = x.with_token("tok_1".into()) else {
        panic!("then the request")
    };
    assert_eq!(req.method, "GET");
    assert_eq!(req.url, format!("{BASE}/api/apps/my-app/rollouts/roll_1"));
    assert_eq!(req.authorization.as_deref(), Some("Bearer tok_1"));
    let (ev, step) = x.answered(status(200, Some(json!({}))), 0.0, 12.4, 0.5);
    assert_eq!(
        (ev.attempt, ev.status, ev.duration_ms),
        (1, Some(200), 12.0)
    );
    let Step::Done(Ok((resp, sent))) = step else {
        panic!("a 2xx finishes")
    };
    assert_eq!(resp.status, 200);
    assert_eq!(sent, ["tok_1"]);
}

#[test]
fn retries_wait_then_resend_until_the_policy_gives_up() {
    let mut x = exchange(get_op(), 2, true);
    let _ = x.start::<Value>();
    let _ = x.with_token::<Value>("t".into());
    let (ev, step) = x.answered(status(503, None), 0.0, 1.0, 0.5);
    let Step::Wait(ms) = step else { panic!("wait") };
    assert_eq!(ms, 250.0, "full jitter: 0.5 × 500 ms");
    assert_eq!(ev.retry_in_ms, Some(250.0));
    assert!(matches!(
        x.waited::<Value>(),
        Step::NeedToken { refused: None }
    ));
    let _ = x.with_token::<Value>("t".into());
    let (_, step) = x.answered(failed(Failure::Timeout), 0.0, 1.0, 1.0);
    let Step::Wait(ms) = step else { panic!("wait") };
    assert_eq!(ms, 1000.0, "second step doubles");
    let _ = x.waited::<Value>();
    let Step::<Value>::Send(req) = x.with_token("t".into()) else {
        panic!()
    };
    assert!(req.authorization.is_some());
    let (ev, step) = x.answered(status(503, None), 0.0, 1.0, 0.5);
    assert_eq!(ev.attempt, 3);
    let Step::Done(Err(e)) = step else {
        panic!("gives up after two retries")
    };
    assert_eq!(e.status, Some(503));
}

#[test]
fn a_401_renews_the_token_once_and_names_the_refused_one() {
    let mut x = exchange(get_op(), 0, true);
    let _ = x.start::<Value>();
    let _ = x.with_token::<Value>("old".into());
    let (ev, step) = x.answered(status(401, None), 0.0, 1.0, 0.5);
    assert_eq!(ev.retry_in_ms, Some(0.0));
    let Step::NeedToken {
        refused: Some(refused),
    } = step
    else {
        panic!("renew")
    };
    assert_eq!(refused, "old");
    let _ = x.with_token::<Value>("new".into());
    let (_, step) = x.answered(
        status(401, Some(json!({"message": "bad new"}))),
        0.0,
        1.0,
        0.5,
    );
    let Step::Done(Err(e)) = step else {
        panic!("a second 401 is final")
    };
    assert_eq!(e.status, Some(401));
    // A static token cannot be renewed.
    let mut x = exchange(get_op(), 2, false);
    let _ = x.start::<Value>();
    let _ = x.with_token::<Value>("static".into());
    assert!(matches!(
        x.answered(status(401, None), 0.0, 1.0, 0.5).1,
        Step::Done(Err(_))
    ));
}

#[test]
fn an_invitation_is_never_resent_after_an_ambiguous_failure() {
    for outcome in [
        status(500, None),
        status(502, None),
        failed(Failure::MaybeSent),
        failed(Failure::Timeout),
    ] {
        let mut x = exchange(invite_op(), 2, true);
        let _ = x.start::<Value>();
        let Step::<Value>::Send(req) = x.with_token("t".into()) else {
            panic!()
        };
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"email":"a@b.c","role":"writer"}"#)
        );
        let Step::Done(Err(e)) = x.answered(outcome, 0.0, 1.0, 0.5).1 else {
            panic!("finished")
        };
        assert!(e.outcome_unknown);
        assert!(
            e.message
                .contains("invitation may or may not have been sent"),
            "{}",
            e.message
        );
    }
    // Refused before sending, or a 503/429: nothing was done, so it is retried.
    for outcome in [
        failed(Failure::NotSent),
        status(503, None),
        status(429, None),
    ] {
        let mut x = exchange(invite_op(), 2, true);
        let _ = x.start::<Value>();
        let _ = x.with_token::<Value>("t".into());
        assert!(matches!(
            x.answered(outcome, 0.0, 1.0, 0.5).1,
            Step::Wait(_)
        ));
    }
}

#[test]
fn members_list_and_role_changes_are_retried_like_gets() {
    let c = members::MemberChange::new("x", Some("a@b.c".into()), Some("none".into())).unwrap();
    for op in [
        members::list("my-app").unwrap().erase(),
        members::update_role("my-app", &c).unwrap().erase(),
    ] {
        for outcome in [
            status(500, None),
            failed(Failure::MaybeSent),
            failed(Failure::Timeout),
        ] {
            let mut x = exchange(op_clone(&op), 2, true);
            let _ = x.start::<Value>();
            let _ = x.with_token::<Value>("t".into());
            assert!(matches!(
                x.answered(outcome, 0.0, 1.0, 0.5).1,
                Step::Wait(_)
            ));
        }
    }
}

fn op_clone(op: &Op<()>) -> Op<()> {
    let mut o = if op.method == "GET" {
        Op::get(op.path.clone())
    } else {
        Op::put_json(op.path.clone(), op.body.clone().unwrap_or_default())
    };
    o.explain = op.explain;
    o
}

#[test]
fn redirects_finish_at_once_with_the_location_and_are_never_retried() {
    let base = BaseUrl::parse(BASE).unwrap();
    let t = rollouts::TriggerRollout::new(None, Some("main".into()), false, false).unwrap();
    for (s, location, opaque) in [
        (
            307,
            Some("https://new.example/api/apps/a/envs/e/rollouts"),
            false,
        ),
        (301, None, false),
        (0, None, true),
    ] {
        let mut x = exchange(
            rollouts::trigger(&base, "a", "e", &t).unwrap().erase(),
            5,
            true,
        );
        let _ = x.start::<Value>();
        let _ = x.with_token::<Value>("t".into());
        let resp = Ok(HttpResponse {
            status: s,
            retry_after: Some("1".into()),
            retry_after_ms: None,
            location: location.map(str::to_owned),
            opaque_redirect: opaque,
            json: None,
            text: String::new(),
        });
        let Step::Done(Err(e)) = x.answered::<Value>(resp, 0.0, 1.0, 0.5).1 else {
            panic!("{s}: a redirect finishes")
        };
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.status, Some(s));
        assert!(!e.outcome_unknown);
        if let Some(l) = location {
            assert!(e.message.contains(l), "{}", e.message);
            assert!(
                e.message.contains("set baseUrl to https://new.example"),
                "{}",
                e.message
            );
        }
    }
}

#[test]
fn errors_leaving_the_exchange_are_redacted_and_429_says_how_long_to_wait() {
    let mut x = exchange(get_op(), 0, true);
    let _ = x.start::<Value>();
    let _ = x.with_token::<Value>("tok_sent_123".into());
    let body = json!({"message": "bad tok_sent_123 and s3cr3t-credential"});
    let Step::Done(Err(e)) = x.answered(status(400, Some(body)), 0.0, 1.0, 0.5).1 else {
        panic!()
    };
    assert!(
        !e.message.contains("tok_sent_123") && !e.message.contains("s3cr3t"),
        "{}",
        e.message
    );
    let mut x = exchange(get_op(), 0, true);
    let _ = x.start::<Value>();
    let _ = x.with_token::<Value>("t".into());
    let resp = Ok(HttpResponse {
        status: 429,
        retry_after: Some("42".into()),
        retry_after_ms: None,
        location: None,
        opaque_redirect: false,
        json: None,
        text: String::new(),
    });
    let Step::Done(Err(e)) = x.answered::<Value>(resp, 0.0, 1.0, 0.5).1 else {
        panic!()
    };
    assert_eq!(e.retry_after, Some(42.0));
    assert!(
        e.message.contains("wait 42 s before trying again"),
        "{}",
        e.message
    );
}

#[test]
fn an_unknown_transport_outcome_is_loud_and_never_retried() {
    let mut x = exchange(get_op(), 3, true);
    let _ = x.start::<Value>();
    let _ = x.with_token::<Value>("t".into());
    let Step::Done(Err(e)) = x.answered(failed(Failure::Internal), 0.0, 1.0, 0.5).1 else {
        panic!("not retried")
    };
    assert!(e.message.contains("internal error"), "{}", e.message);
}
