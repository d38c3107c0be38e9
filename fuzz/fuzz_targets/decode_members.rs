//! Any parsed body decodes to a member list (or one member) or a typed protocol error; never
//! a panic; the patches name one path per timestamp and are consistent.
#![no_main]
use encore_cloud::core::answer::Answer;
use encore_cloud::core::model::Patches;
use encore_cloud::core::resources::members::Member;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let body = serde_json::from_slice::<Value>(data).ok();
    if let Ok(d) = <Vec<Member>>::decode(200, body.as_ref()) {
        let p = Patches::of(&d.value);
        assert_eq!(p.date_fields().len(), 3 * d.value.len());
        assert_eq!(p.date_millis.len(), 3 * d.value.len());
    }
    if let Ok(d) = Member::decode(200, body.as_ref()) {
        let _ = Patches::of(&d.value);
    }
});
