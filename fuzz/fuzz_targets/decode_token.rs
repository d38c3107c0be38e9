//! Token responses: a token or a protocol error that never quotes the body.
#![no_main]
use encore_cloud::core::decode::decode_token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = decode_token(200, s);
    }
});
