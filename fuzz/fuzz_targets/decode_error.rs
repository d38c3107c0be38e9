//! Every error body format (Encore, envelope, OAuth, anything else) with any status.
#![no_main]
use encore_cloud::core::answer::decode_error;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = u16::from_le_bytes(*head);
    let body = serde_json::from_slice::<Value>(rest).ok();
    let text = String::from_utf8_lossy(rest);
    let e = decode_error(status, body.as_ref(), if body.is_some() { "" } else { &text }, &[]);
    assert_eq!(e.status, Some(status));
    assert!(e.code.as_deref().is_some_and(|c| !c.is_empty()));
});
