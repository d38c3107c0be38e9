//! Any body, bare or enveloped, decodes to a rollout or a typed error; never a panic.
#![no_main]
use encore_cloud::core::decode::decode_success;
use encore_cloud::core::models::Rollout;
use encore_cloud::core::progress::summarize;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(d) = decode_success::<Rollout>(200, s) {
            // Whatever decoded must be summarisable and convertible.
            let _ = summarize(&d.value, 1.0e12);
            for (_, _, t) in d.value.timestamps() {
                let _ = t.map(|t| t.unix_millis());
            }
        }
    }
});
