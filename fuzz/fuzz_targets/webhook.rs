//! Webhook deliveries: any header and body through signature verification and, when the body is
//! JSON, event decoding. Nothing may panic; a refusal has a code and never echoes the secret.
#![no_main]
use encore_cloud::core::resources::webhooks::{events, signature::Verifier};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const SECRET: &str = "whsec_fuzz_secret_value";

fuzz_target!(|data: &[u8]| {
    // First line: the header; the rest: the body.
    let (header, body) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let header = String::from_utf8_lossy(header);
    let v = Verifier::new(vec![SECRET.into(), "second".into()], Some(300.0)).unwrap();
    if let Err(e) = v.verify(body, Some(&header), 1_773_826_867_000.0) {
        assert!(!e.message.contains(SECRET));
    }
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        if let Ok(ev) = events::decode(&json) {
            for (path, _) in ev.timestamps() {
                assert!(path.starts_with("data."));
            }
        }
    }
});
