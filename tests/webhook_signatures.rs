//! Webhook signature rules against vectors computed by an independent implementation (Node's
//! `crypto.createHmac`, see `tests/webhooks/vectors.mjs`), plus event decoding.

#![cfg(not(target_arch = "wasm32"))]

use encore_cloud::core::resources::webhooks::events::{self, EventData, RolloutEventType};
use encore_cloud::core::resources::webhooks::signature::{self, Verifier};
use encore_cloud::core::resources::webhooks::WebhookErrorCode;
use serde_json::{json, Value};

const VECTORS: &str = include_str!("webhooks/vectors.json");

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn vectors() -> Value {
    serde_json::from_str(VECTORS).unwrap()
}

fn secrets_of(v: &Value) -> Vec<String> {
    v["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_vector_gives_the_expected_outcome() {
    let all = vectors();
    let list = all["vectors"].as_array().unwrap();
    assert!(list.len() >= 30, "vectors missing");
    let mut codes_seen = std::collections::BTreeSet::new();
    for v in list {
        let name = v["name"].as_str().unwrap();
        let body = hex(v["body_hex"].as_str().unwrap());
        let header = v["header"].as_str();
        let verifier = Verifier::new(secrets_of(v), v["tolerance"].as_f64()).unwrap();
        let got = verifier.verify(&body, header, v["now_ms"].as_f64().unwrap());
        let want = v["expect"].as_str().unwrap();
        match (&got, want) {
            (Ok(t), "ok") => {
                let header_t: i64 = header
                    .unwrap()
                    .split(['=', ','])
                    .skip_while(|p| p.trim() != "t")
                    .nth(1)
                    .unwrap()
                    .parse()
                    .unwrap();
                assert_eq!(*t, header_t, "{name}");
            }
            (Err(e), code) if e.code.as_str() == code => {
                codes_seen.insert(code);
                // Messages never carry a secret, nor any mac (expected or received).
                for s in all["secrets_used"].as_array().unwrap() {
                    assert!(
                        !e.message.contains(s.as_str().unwrap()),
                        "{name}: {}",
                        e.message
                    );
                }
                for s in secrets_of(v) {
                    let t = 1_773_826_857;
                    let expected = signature::compute(&s, t, &body).unwrap();
                    assert!(!e.message.contains(&b64(&expected)), "{name}");
                }
                if let Some(h) = header {
                    for part in h.split(',').filter_map(|p| p.trim().strip_prefix("v1=")) {
                        if part.len() > 8 {
                            assert!(!e.message.contains(part), "{name}: {}", e.message);
                        }
                    }
                }
            }
            _ => panic!("{name}: expected {want}, got {got:?}"),
        }
    }
    assert_eq!(
        codes_seen.len(),
        5,
        "every signature error code is exercised: {codes_seen:?}"
    );
}

/// Base64url for the "no mac in messages" check (independent of the decoder under test).
fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = c.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)) << (8 * (3 - c.len()));
        for i in 0..=c.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[test]
fn compute_matches_node() {
    let all = vectors();
    let v = &all["vectors"][0];
    assert_eq!(v["name"], "valid");
    let body = hex(v["body_hex"].as_str().unwrap());
    let header = v["header"].as_str().unwrap();
    let (t, mac) = header.split_once(",v1=").unwrap();
    let t: i64 = t.trim_start_matches("t=").parse().unwrap();
    let mine = signature::compute(secrets_of(v)[0].as_str(), t, &body).unwrap();
    assert_eq!(b64(&mine), mac);
}

#[test]
fn verifier_refuses_bad_options_and_hides_secrets() {
    assert!(Verifier::new(vec![], None).is_err());
    assert!(Verifier::new(vec!["".into()], None).is_err());
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        let e = Verifier::new(vec!["s3cr3t-value".into()], Some(bad)).unwrap_err();
        assert!(e.message.contains("toleranceSeconds"), "{}", e.message);
    }
    let v = Verifier::new(
        vec!["s3cr3t-value".into(), "other-s3cr3t".into()],
        Some(0.0),
    )
    .unwrap();
    let shown = format!("{v:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("2 redacted"), "{shown}");
}

#[test]
fn tolerance_zero_accepts_only_the_signing_second() {
    let body = b"{}";
    let t = 1_800_000_000;
    let mac = b64(&signature::compute("k3y-secret", t, body).unwrap());
    let header = format!("t={t},v1={mac}");
    let v = Verifier::new(vec!["k3y-secret".into()], Some(0.0)).unwrap();
    assert!(v.verify(body, Some(&header), t as f64 * 1000.0).is_ok());
    let old = v
        .verify(body, Some(&header), t as f64 * 1000.0 + 1.0)
        .unwrap_err();
    assert_eq!(old.code, WebhookErrorCode::TooOld);
    let new = v
        .verify(body, Some(&header), t as f64 * 1000.0 - 1.0)
        .unwrap_err();
    assert_eq!(new.code, WebhookErrorCode::TooNew);
}

#[test]
fn header_parsing_edges() {
    use signature::parse_header;
    let mac = "A".repeat(43);
    assert_eq!(
        parse_header(Some("   ")).unwrap_err().code,
        WebhookErrorCode::MissingSignature
    );
    assert_eq!(
        parse_header(None).unwrap_err().code,
        WebhookErrorCode::MissingSignature
    );
    let h = parse_header(Some(&format!("t=12,v1={mac},v1=%%,v9=x,v1={mac}"))).unwrap();
    assert_eq!(h.timestamp, 12);
    assert_eq!(h.macs.len(), 2);
    for bad in ["t=1e9", "t=+12", "t=", "t=9999999999999", "t= 12"] {
        let e = parse_header(Some(&format!("{bad},v1={mac}"))).unwrap_err();
        assert_eq!(e.code, WebhookErrorCode::InvalidSignatureHeader, "{bad}");
    }
}

fn event_body() -> Value {
    let all = vectors();
    serde_json::from_slice(&hex(all["event_body_hex"].as_str().unwrap())).unwrap()
}

#[test]
fn decodes_a_completed_rollout_event_with_every_timestamp() {
    let e = events::decode(&event_body()).unwrap();
    assert_eq!(e.id, "evt_2Qx9");
    assert_eq!(e.webhook_id, "wh_7Fk2");
    assert_eq!(e.sequence_id, 42.0);
    assert_eq!(e.event_type, "rollout.completed");
    let EventData::Rollout(ty, d) = &e.data else {
        panic!("typed data expected")
    };
    assert_eq!(*ty, RolloutEventType::Completed);
    assert_eq!(d.rollout.build.commit_hash, "4b6e1d0");
    assert_eq!(d.env.env_type, "production");
    assert_eq!(d.app.slug, "demo-app");
    let ts = e.timestamps();
    let paths: Vec<&str> = ts.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths.len(), 14, "{paths:?}");
    for p in [
        "data.rollout.queued_at",
        "data.rollout.build.started_at",
        "data.rollout.infra_provision.completed_at",
        "data.rollout.deploy.completed_at",
        "data.env.created_at",
        "data.app.created_at",
    ] {
        assert!(paths.contains(&p), "{p} in {paths:?}");
    }
    let (_, done) = ts
        .iter()
        .find(|(p, _)| p == "data.rollout.completed_at")
        .unwrap();
    assert_eq!(done.nanos, 123_456_789);
}

#[test]
fn null_phases_have_no_timestamps_and_resolution_is_required_where_it_belongs() {
    let mut b = event_body();
    b["type"] = json!("rollout.created");
    b["data"]["rollout"]["infra_provision"] = Value::Null;
    b["data"]["rollout"]["deploy"] = Value::Null;
    b["data"]["rollout"]["completed_at"] = Value::Null;
    let e = events::decode(&b).unwrap();
    let paths: Vec<String> = e.timestamps().into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths.len(), 7, "{paths:?}");
    assert!(!paths
        .iter()
        .any(|p| p.contains("deploy") || p.contains("infra")));

    b["type"] = json!("rollout.infra_approval_resolved");
    let err = events::decode(&b).unwrap_err();
    assert_eq!(err.code, WebhookErrorCode::InvalidPayload);
    assert!(err.message.contains("data.resolution"), "{}", err.message);
    b["data"]["resolution"] = json!("rejected");
    let EventData::Rollout(_, d) = events::decode(&b).unwrap().data else {
        panic!()
    };
    assert_eq!(d.resolution.as_deref(), Some("rejected"));
}

#[test]
fn unknown_types_pass_through_and_bad_shapes_are_invalid_payload() {
    let e = events::decode(&json!({
        "id": "evt_1", "webhook_id": "wh_1", "sequence_id": 1, "type": "app.renamed",
        "data": {"anything": [1, 2, "x"]}
    }))
    .unwrap();
    assert_eq!(e.event_type, "app.renamed");
    assert_eq!(e.data, EventData::Unknown);
    assert!(e.timestamps().is_empty());

    let mut b = event_body();
    b["data"]["rollout"]["build"]["queued_at"] = json!("yesterday");
    let err = events::decode(&b).unwrap_err();
    assert!(
        err.message.contains("data.rollout.build.queued_at"),
        "{}",
        err.message
    );
    assert!(!err.message.contains("yesterday"), "values are not quoted");

    for (field, value) in [
        ("sequence_id", json!(-1)),
        ("sequence_id", json!(1.5)),
        ("id", json!(7)),
    ] {
        let mut b = event_body();
        b[field] = value;
        assert_eq!(
            events::decode(&b).unwrap_err().code,
            WebhookErrorCode::InvalidPayload,
            "{field}"
        );
    }
    let mut b = event_body();
    b["data"]["env"]["created_at"] = Value::Null;
    assert!(events::decode(&b)
        .unwrap_err()
        .message
        .contains("data.env.created_at"));
    let mut b = event_body();
    b["data"]["rollout"]["build"] = Value::Null;
    assert!(events::decode(&b)
        .unwrap_err()
        .message
        .contains("data.rollout.build"));
    assert_eq!(
        events::decode(&json!([1])).unwrap_err().code,
        WebhookErrorCode::InvalidPayload
    );
}

#[test]
fn non_utf8_bodies_are_verified_as_bytes_then_refused_as_json() {
    let all = vectors();
    let v = all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "non-UTF-8 body verified as bytes")
        .unwrap()
        .clone();
    let body = hex(v["body_hex"].as_str().unwrap());
    let verifier = Verifier::new(secrets_of(&v), None).unwrap();
    assert!(verifier
        .verify(&body, v["header"].as_str(), v["now_ms"].as_f64().unwrap())
        .is_ok());
    let err = events::body_text(&body).unwrap_err();
    assert_eq!(err.code, WebhookErrorCode::InvalidPayload);
    assert!(err.message.contains("UTF-8"));
}
