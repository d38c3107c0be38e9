//! Any parsed body, bare or enveloped, decodes to a rollout or a typed error; never a panic.
#![no_main]
use encore_cloud::core::decode::decode_rollout;
use encore_cloud::core::progress::summarize;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let body = serde_json::from_slice::<Value>(data).ok();
    if let Ok(d) = decode_rollout(200, body.as_ref()) {
        // Whatever decoded must be summarisable and convertible.
        let _ = summarize(&d.value, 1.0e12);
        for t in d.value.timestamps() {
            let _ = t.map(|t| t.unix_millis());
        }
    }
});
