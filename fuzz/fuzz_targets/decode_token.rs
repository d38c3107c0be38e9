//! Token responses: a token or a protocol error that never quotes the body.
#![no_main]
use encore_cloud::core::decode::decode_token;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let body = serde_json::from_slice::<Value>(data).ok();
    if let Err(e) = decode_token(200, body.as_ref()) {
        if let Some(Value::Object(o)) = &body {
            if let Some(Value::String(t)) = o.get("access_token") {
                if t.len() >= 8 {
                    assert!(!e.message.contains(t.as_str()), "a token value was quoted");
                }
            }
        }
    }
});
