//! Every error body format (Encore, envelope, OAuth, anything else) with any status.
#![no_main]
use encore_cloud::core::decode::decode_error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]);
    if let Ok(s) = std::str::from_utf8(&data[2..]) {
        let e = decode_error(status, s);
        assert!(e.message.len() <= s.len() + 64 || e.message.len() < 300);
    }
});
