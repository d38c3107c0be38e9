//! Any parsed body, bare or enveloped, decodes to a rollout or a typed error; never a panic.
#![no_main]
use encore_cloud::core::answer::Answer;
use encore_cloud::core::model::Patches;
use encore_cloud::core::resources::rollouts::Rollout;
use encore_cloud::core::progress::summarize;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let body = serde_json::from_slice::<Value>(data).ok();
    if let Ok(d) = Rollout::decode(200, body.as_ref()) {
        // Whatever decoded must be summarisable and convertible.
        let _ = summarize(&d.value, 1.0e12);
        let p = Patches::of(&d.value);
        assert_eq!(p.date_fields().len(), 12);
        assert_eq!(p.date_millis.len(), 12);
    }
});
