//! The members resource through the whole client (fake Env): wire requests, decoding,
//! retries per idempotency, the last-owner message, redaction.

use crate::support::*;
use encore_cloud::core::error::ErrorKind;
use encore_cloud::core::resources::members::{MemberChange, MemberRole};
use encore_cloud::core::retry::{Failure, RetryPolicy};
use futures::executor::block_on;

const MEMBERS: &str = r#"[{"email":"o@x.io","role":"owner","invited":"0001-01-01T00:00:00Z",
  "accepted":"2026-03-18T09:41:07Z","expires":"0001-01-01T00:00:00Z","username":"o","full_name":"O",
  "picture_url":""},{"email":"i@x.io","role":"writer","invited":"2026-03-18T09:41:07Z",
  "accepted":"0001-01-01T00:00:00Z","expires":"2026-03-25T09:41:07Z"}]"#;

fn change(role: &str) -> MemberChange {
    MemberChange::new("test", Some("i@x.io".into()), Some(role.into())).unwrap()
}

#[test]
fn list_sends_a_get_and_decodes_go_zero_times_as_none() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(200, MEMBERS));
    let m = block_on(c.list_members(&Call::default(), APP))
        .unwrap()
        .value;
    let sent = c.env.api_requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "GET");
    assert_eq!(sent[0].url, format!("{BASE}/api/apps/{APP}/members"));
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].invited, m[0].expires), (None, None));
    assert!(m[0].accepted.is_some());
    assert_eq!(m[1].accepted, None);
    assert_eq!(m[1].username, "");
}

#[test]
fn invite_posts_to_the_singular_path_and_is_not_retried_after_a_500() {
    let c = static_client(RetryPolicy::default());
    c.env
        .api_reply(answer(500, r#"{"code":"internal","message":"db down"}"#));
    let e = block_on(c.invite_member(&Call::default(), APP, &change("writer"))).unwrap_err();
    let sent = c.env.api_requests();
    assert_eq!(sent.len(), 1, "not retried");
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].url, format!("{BASE}/api/apps/{APP}/member"));
    assert_eq!(
        sent[0].body.as_deref(),
        Some(r#"{"email":"i@x.io","role":"writer"}"#)
    );
    assert!(e.outcome_unknown);
    assert!(
        e.message
            .contains("invitation may or may not have been sent"),
        "{}",
        e.message
    );
    // A 503 proves nothing was done: retried, then the member comes back.
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(503, ""));
    c.env.api_reply(answer(
        200,
        r#"{"email":"i@x.io","role":"writer","invited":"2026-03-18T09:41:07Z"}"#,
    ));
    let m = block_on(c.invite_member(&Call::default(), APP, &change("writer"))).unwrap();
    assert_eq!(m.value.role, MemberRole::Writer);
    assert_eq!(c.env.api_requests().len(), 2);
}

#[test]
fn an_unreadable_2xx_to_an_invite_says_it_was_probably_sent() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(200, "<html>ok</html>"));
    let e = block_on(c.invite_member(&Call::default(), APP, &change("reader"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert!(e.outcome_unknown);
    assert!(e.message.contains("probably sent"), "{}", e.message);
}

#[test]
fn role_changes_are_puts_retried_like_gets_and_take_any_2xx_body() {
    for body in ["", "{}", r#"{"email":"i@x.io","role":"none"}"#, "not json"] {
        let c = static_client(RetryPolicy::default());
        c.env.api_reply(fail(Failure::MaybeSent));
        c.env.api_reply(answer(204, body));
        block_on(c.update_member_role(&Call::default(), APP, &change("none"))).unwrap();
        let sent = c.env.api_requests();
        assert_eq!(sent.len(), 2, "{body:?}: retried");
        assert_eq!(sent[1].method, "PUT");
        assert_eq!(sent[1].url, format!("{BASE}/api/apps/{APP}/members"));
        assert_eq!(sent[1].content_type, Some("application/json"));
    }
}

#[test]
fn last_owner_and_forbidden_answers() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(
        409,
        r#"{"ok":false,"error":{"code":"aborted","detail":"last_owner"},"data":null}"#,
    ));
    let e = block_on(c.update_member_role(&Call::default(), APP, &change("reader"))).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Api, Some(409)));
    assert_eq!(e.details_json.as_deref(), Some("\"last_owner\""));
    assert!(
        e.message
            .contains("last owner of an app cannot be removed or demoted"),
        "{}",
        e.message
    );
    assert_eq!(c.env.api_requests().len(), 1, "a 409 is not retried");
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(
        403,
        r#"{"code":"permission_denied","message":"not an owner"}"#,
    ));
    let e = block_on(c.list_members(&Call::default(), APP)).unwrap_err();
    assert_eq!(
        (e.status, e.code.as_deref()),
        (Some(403), Some("permission_denied"))
    );
    assert_clean(&e, &[T1]);
}
