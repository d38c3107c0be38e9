//! Token responses: a token or a protocol error that never quotes a value. To test the
//! latter, the body's `access_token` (when a string) is swapped for a marker that no message
//! can contain by itself.
#![no_main]
use encore_cloud::core::resources::token::decode as decode_token;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const MARKER: &str = "\u{1}marker\u{1}";

fuzz_target!(|data: &[u8]| {
    let mut body = serde_json::from_slice::<Value>(data).ok();
    if let Some(Value::Object(o)) = body.as_mut() {
        if let Some(t @ Value::String(_)) = o.get_mut("access_token") {
            *t = Value::String(MARKER.into());
        }
    }
    if let Err(e) = decode_token(200, body.as_ref()) {
        assert!(!e.message.contains(MARKER), "a token value was quoted: {}", e.message);
    }
});
