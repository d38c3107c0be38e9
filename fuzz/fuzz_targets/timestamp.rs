//! RFC 3339 parsing: never panics; what parses converts to milliseconds and back.
#![no_main]
use encore_cloud::core::timestamp::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = Timestamp::parse(s) {
            assert!(t.nanos < 1_000_000_000);
            let ms = t.unix_millis();
            assert!(ms.is_finite());
        }
    }
});
