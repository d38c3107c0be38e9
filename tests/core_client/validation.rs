use crate::support::*;
use encore_cloud::core::client::{Credentials, TokenAuthStyle};
use encore_cloud::core::error::ErrorKind;
use encore_cloud::core::resources::rollouts::TriggerRollout;
use encore_cloud::core::retry::RetryPolicy;
use futures::executor::block_on;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_path_segments_fail_before_any_request() {
    for creds in [oauth(TokenAuthStyle::Body), Credentials::Provider] {
        let c = client_with(creds, RetryPolicy::default());
        for (app, id) in [
            ("", ROLL),
            (".", ROLL),
            ("..", ROLL),
            (APP, ""),
            (APP, "."),
            (APP, ".."),
        ] {
            let e = block_on(c.get_rollout(&Call::default(), app, id)).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation, "{app:?} {id:?}");
        }
        for (app, env) in [
            ("", ENV_NAME),
            ("..", ENV_NAME),
            (APP, ""),
            (APP, "."),
            (APP, ".."),
        ] {
            let e = block_on(c.trigger_rollout(&Call::default(), app, env, &sha_trigger()))
                .unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation, "{app:?} {env:?}");
        }
        assert!(c.env.all_sent().is_empty());
        assert_eq!(c.env.provide_calls.get(), 0);
        assert!(c.env.events().is_empty());
    }
}

#[test]
fn bad_triggers_are_refused_before_any_request() {
    for (sha, branch) in [
        (None, None),
        (Some("abc"), Some("main")),
        (Some(""), None),
        (None, Some("   ")),
    ] {
        let e = TriggerRollout::new(sha.map(Into::into), branch.map(Into::into), false, false)
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation, "{sha:?} {branch:?}");
    }
}

#[test]
fn path_segments_are_percent_encoded_whole() {
    let c = static_client(RetryPolicy::default());
    c.env.api_reply(answer(200, &rollout_json()));
    block_on(c.get_rollout(&Call::default(), "my app/../x", "roll?1#é")).unwrap();
    assert_eq!(
        c.env.api_requests()[0].url,
        format!("{BASE}/api/apps/my%20app%2F..%2Fx/rollouts/roll%3F1%23%C3%A9")
    );
}
