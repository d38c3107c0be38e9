use crate::support::*;
use encore_cloud::core::client::{Credentials, TokenAuthStyle};
use encore_cloud::core::env::TransportError;
use encore_cloud::core::error::ErrorKind;
use encore_cloud::core::retry::{Failure, RetryPolicy};
use futures::executor::block_on;
use futures::future::join;

// ---------------------------------------------------------------------------------------------
// Secrets never leak
// ---------------------------------------------------------------------------------------------

#[test]
fn token_endpoint_errors_never_contain_the_client_secret() {
    for style in [TokenAuthStyle::Body, TokenAuthStyle::Query] {
        let c = client_with(oauth(style), RetryPolicy::default());
        assert!(!format!("{:?}", c.config()).contains(SECRET));

        // OAuth error echoing the secret.
        c.env.token_reply(answer(
            401,
            &format!(r#"{{"error":"invalid_client","error_description":"bad secret {SECRET} for {CLIENT_ID}"}}"#),
        ));
        let e = block_on(c.get_token(&Call::default())).unwrap_err();
        assert_eq!(e.status, Some(401));
        assert_clean(&e, &[SECRET]);

        // Encore error echoing it in message, code and details, through an API call.
        c.env.token_reply(answer(
            400,
            &format!(
                r#"{{"code":"bad_{SECRET}","message":"client_secret={SECRET}","details":{{"client_secret":"{SECRET}"}}}}"#
            ),
        ));
        let e = get(&c).unwrap_err();
        assert_eq!(e.status, Some(400));
        assert_clean(&e, &[SECRET]);

        // A proxy page quoting the request URL, until retries run out.
        for _ in 0..3 {
            c.env.token_reply(answer(
                502,
                &format!("<html>upstream failed for {BASE}{TOKEN_PATH}?client_id={CLIENT_ID}&client_secret={SECRET}</html>"),
            ));
        }
        let e = block_on(c.get_token(&Call::default())).unwrap_err();
        assert_eq!(e.status, Some(502));
        assert_clean(&e, &[SECRET]);

        // A 2xx that is not a token, quoting the secret in wrongly typed fields.
        c.env.token_reply(answer(
            200,
            &format!(
                r#"{{"access_token":"{SECRET}","expires_in":"{SECRET}","token_type":"Bearer"}}"#
            ),
        ));
        let e = block_on(c.get_token(&Call::default())).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Protocol);
        assert_clean(&e, &[SECRET]);

        // Transport failures.
        for f in [Failure::NotSent, Failure::MaybeSent, Failure::Timeout] {
            for _ in 0..3 {
                c.env.token_reply(Reply::Fail(TransportError {
                    failure: f,
                    detail: format!("reset while sending client_secret={SECRET}"),
                }));
            }
            let e = block_on(c.get_token(&Call::default())).unwrap_err();
            assert_clean(&e, &[SECRET]);
        }
        for ev in c.env.events() {
            assert!(!ev.path.contains(SECRET), "{ev:?}");
        }
    }
}

#[test]
fn api_errors_never_contain_the_cached_access_token() {
    let c = oauth_client_with_token();

    // Encore error echoing the token in message, code and details.
    c.env.api_reply(answer(
        403,
        &format!(r#"{{"code":"denied_{T1}","message":"token {T1} lacks the Deployer role","details":{{"token":"{T1}"}}}}"#),
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(403));
    assert_clean(&e, &[T1, SECRET]);

    // The platform envelope, on a trigger that failed ambiguously.
    c.env.api_reply(answer(
        500,
        &format!(r#"{{"ok":false,"error":{{"code":"internal","detail":"Authorization: Bearer {T1}"}},"data":null}}"#),
    ));
    let e = trigger(&c).unwrap_err();
    assert!(e.message.contains(AMBIGUOUS));
    assert_clean(&e, &[T1, SECRET]);

    // A 2xx whose body quotes the token where a phase should be.
    let garbage = rollout_json().replacen(r#""build":{"#, &format!(r#""build":"{T1}","x":{{"#), 1);
    c.env.api_reply(answer(200, &garbage));
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert_clean(&e, &[T1, SECRET]);

    // Unknown body format, echoed as a snippet.
    c.env
        .api_reply(answer(404, &format!("no such rollout (auth {T1})")));
    let e = get(&c).unwrap_err();
    assert_clean(&e, &[T1, SECRET]);

    // Two 401s, each echoing the token it was sent.
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    c.env.api_reply(answer(
        401,
        &format!(r#"{{"code":"unauthenticated","message":"revoked {T1}"}}"#),
    ));
    c.env.api_reply(answer(
        401,
        &format!(r#"{{"code":"unauthenticated","message":"revoked {T2}"}}"#),
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(401));
    assert_clean(&e, &[T1, T2, SECRET]);
}

#[test]
fn static_token_is_never_in_errors() {
    let c = static_client(RetryPolicy::default());
    assert!(!format!("{:?}", c.config()).contains(T1));
    c.env.api_reply(answer(
        401,
        &format!(r#"{{"code":"unauthenticated","message":"bad token {T1}"}}"#),
    ));
    let e = get(&c).unwrap_err();
    assert_clean(&e, &[T1]);
}

/// The token from an `accessToken` function is as secret as any other.
#[test]
fn provider_token_echoed_by_the_server_is_redacted() {
    const PT: &str = "pt_PROVIDED_SECRET_77aa";
    let c = client_with(Credentials::Provider, RetryPolicy::default());
    c.env.provide(PT);
    c.env.api_reply(answer(
        403,
        &format!(
            r#"{{"code":"permission_denied","message":"token {PT} lacks the Deployer role"}}"#
        ),
    ));
    let e = get(&c).unwrap_err();
    assert_eq!(e.status, Some(403));
    assert_clean(&e, &[PT]);
}

/// Same, when the token is quoted by a 2xx body that fails to decode (serde quotes the value).
#[test]
fn provider_token_echoed_in_a_malformed_2xx_is_redacted() {
    const PT: &str = "pt_PROVIDED_SECRET_77aa";
    let c = client_with(Credentials::Provider, RetryPolicy::default());
    c.env.provide(PT);
    let garbage = rollout_json().replacen(r#""build":{"#, &format!(r#""build":"{PT}","x":{{"#), 1);
    c.env.api_reply(answer(200, &garbage));
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert_clean(&e, &[PT]);
}

/// A call whose answer quotes the token it carried must not leak it because another call
/// meanwhile discarded that token after a 401.
#[test]
fn token_rotated_by_a_concurrent_401_is_still_redacted() {
    let c = oauth_client_with_token();
    c.env.yield_in_send.set(true);
    c.env.token_reply(answer(200, &token_json(T2, 3600)));
    // Sent in this order: A (T1), B (T1), token, A again (T2).
    c.env.api_reply(answer(401, ""));
    c.env.api_reply(answer(
        403,
        &format!(r#"{{"code":"permission_denied","message":"token {T1} may not read this app"}}"#),
    ));
    c.env.api_reply(answer(200, &rollout_json()));
    let (a, b) = (Call::default(), Call::default());
    let (ra, rb) = block_on(join(
        c.get_rollout(&a, APP, ROLL),
        c.get_rollout(&b, APP, ROLL),
    ));
    ra.unwrap();
    let e = rb.unwrap_err();
    assert_eq!(e.status, Some(403));
    assert_clean(&e, &[T1, T2, SECRET]);
}
