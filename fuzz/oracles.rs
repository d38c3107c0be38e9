//! What each fuzz target checks, in one place: the libFuzzer targets (`fuzz_targets/*.rs`,
//! `make fuzz`) and the host test that replays the committed corpus (`tests/fuzz_corpus.rs`,
//! `make test`) both call these functions, so the two can never check different things.
//! Each function takes the raw input and panics when an oracle fails.

use encore_cloud::core::answer::{decode_error, Answer};
use encore_cloud::core::model::Patches;
use encore_cloud::core::progress::summarize;
use encore_cloud::core::resources::members::Member;
use encore_cloud::core::resources::rollouts::Rollout;
use encore_cloud::core::resources::token::decode as decode_token;
use encore_cloud::core::resources::webhooks::{events, signature::Verifier};
use encore_cloud::core::retry_after::parse_retry_after;
use encore_cloud::core::timestamp::Timestamp;
use serde_json::Value;

/// An oracle: takes one raw input, panics when a property fails.
pub type Oracle = fn(&[u8]);

/// Every target: its name (a `[[bin]]` of `fuzz/Cargo.toml`, a folder of `fuzz/corpus/`) and
/// its oracle.
pub const TARGETS: &[(&str, Oracle)] = &[
    ("decode_rollout", rollout),
    ("decode_members", members),
    ("decode_token", token),
    ("decode_error", error),
    ("timestamp", timestamp),
    ("retry_after", retry_after),
    ("webhook", webhook),
];

/// Any parsed body, bare or enveloped, decodes to a rollout or a typed error; never a panic.
/// Whatever decoded must be summarisable, and its patches name its twelve timestamps.
pub fn rollout(data: &[u8]) {
    let body = serde_json::from_slice::<Value>(data).ok();
    if let Ok(d) = Rollout::decode(200, body.as_ref()) {
        let _ = summarize(&d.value, 1.0e12, None);
        let p = Patches::of(&d.value);
        assert_eq!(p.date_fields().len(), 12);
        assert_eq!(p.date_millis.len(), 12);
    }
}

/// Any parsed body decodes to a member list (or one member) or a typed protocol error; never a
/// panic; the patches name one path per timestamp (three per member) and are consistent.
pub fn members(data: &[u8]) {
    let body = serde_json::from_slice::<Value>(data).ok();
    if let Ok(d) = <Vec<Member>>::decode(200, body.as_ref()) {
        let p = Patches::of(&d.value);
        assert_eq!(p.date_fields().len(), 3 * d.value.len());
        assert_eq!(p.date_millis.len(), 3 * d.value.len());
    }
    if let Ok(d) = Member::decode(200, body.as_ref()) {
        let _ = Patches::of(&d.value);
    }
}

/// The webhook secret of the [`webhook`] oracle.
const WEBHOOK_SECRET: &str = "whsec_fuzz_secret_value";

/// Webhook deliveries (first line the signature header, the rest the body): verification and,
/// when the body is JSON, event decoding never panic; a refusal never echoes the secret; every
/// timestamp patch lies under `data.`.
pub fn webhook(data: &[u8]) {
    let (header, body) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => data.split_at(i),
        None => (data, &[][..]),
    };
    let body = body.get(1..).unwrap_or_default();
    let header = String::from_utf8_lossy(header);
    let v = Verifier::new(vec![WEBHOOK_SECRET.into(), "second".into()], Some(300.0))
        .expect("a valid verifier");
    if let Err(e) = v.verify(body, Some(&header), 1_773_826_867_000.0) {
        assert!(!e.message.contains(WEBHOOK_SECRET));
    }
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        if let Ok(ev) = events::decode(&json) {
            for path in ev.patches().date_fields() {
                assert!(path.starts_with("data."));
            }
        }
    }
}

/// A marker no error message can contain by itself (see [`token`]).
const MARKER: &str = "\u{1}marker\u{1}";

/// Token responses: a token or a protocol error that never quotes a value. To test the
/// latter, the body's `access_token` (when a string) is swapped for [`MARKER`].
pub fn token(data: &[u8]) {
    let mut body = serde_json::from_slice::<Value>(data).ok();
    if let Some(Value::Object(o)) = body.as_mut() {
        if let Some(t @ Value::String(_)) = o.get_mut("access_token") {
            *t = Value::String(MARKER.into());
        }
    }
    if let Err(e) = decode_token(200, body.as_ref()) {
        assert!(
            !e.message.contains(MARKER),
            "a token value was quoted: {}",
            e.message
        );
    }
}

/// Every error body format (Encore, envelope, OAuth, anything else) with any status (the
/// input's first two bytes, little-endian): the status is kept and the code is never empty.
pub fn error(data: &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = u16::from_le_bytes(*head);
    let body = serde_json::from_slice::<Value>(rest).ok();
    let text = String::from_utf8_lossy(rest);
    let e = decode_error(
        status,
        body.as_ref(),
        if body.is_some() { "" } else { &text },
        &[],
    );
    assert_eq!(e.status, Some(status));
    assert!(e.code.as_deref().is_some_and(|c| !c.is_empty()));
}

/// RFC 3339 parsing: never panics; what parses has nanoseconds below one second and converts
/// to a finite number of milliseconds.
pub fn timestamp(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = Timestamp::parse(s) {
            assert!(t.nanos < 1_000_000_000);
            assert!(t.unix_millis().is_finite());
        }
    }
}

/// `Retry-After` (seconds or HTTP date) and `retry-after-ms`, alone and together: a wait ≥ 0
/// (never NaN) or nothing.
pub fn retry_after(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        let mid = s
            .char_indices()
            .nth(s.chars().count() / 2)
            .map_or(s.len(), |(i, _)| i);
        let (a, b) = s.split_at(mid);
        let waits = [
            parse_retry_after(Some(s), None, 1.7e12),
            parse_retry_after(None, Some(s), 1.7e12),
            parse_retry_after(Some(a), Some(b), 0.0),
        ];
        for ms in waits.into_iter().flatten() {
            assert!(ms >= 0.0 && !ms.is_nan());
        }
    }
}
