//! `Retry-After` (seconds or HTTP date) and `retry-after-ms`: a wait ≥ 0 or nothing.
#![no_main]
use encore_cloud::core::retry_after::parse_retry_after;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let mid = s
            .char_indices()
            .nth(s.chars().count() / 2)
            .map_or(s.len(), |(i, _)| i);
        let (a, b) = s.split_at(mid);
        for r in [
            parse_retry_after(Some(s), None, 1.7e12),
            parse_retry_after(None, Some(s), 1.7e12),
            parse_retry_after(Some(a), Some(b), 0.0),
        ] {
            if let Some(ms) = r {
                assert!(ms >= 0.0 && !ms.is_nan());
            }
        }
    }
});
