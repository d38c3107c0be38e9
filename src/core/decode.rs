//! Response decoding: a 2xx body into a typed value (bare or inside the platform's
//! `{"ok": true, "data": …}` envelope), and any non-2xx body into one [`Error`].

use crate::core::error::{code_for_status, Error};
use crate::core::models::Token;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

/// A decoded 2xx body: the value, and whether the payload sat in an envelope's `data`.
#[derive(Debug)]
pub struct Decoded<T> {
    /// The typed value.
    pub value: T,
    /// True when the body was `{"ok": true, "data": <payload>}`.
    pub enveloped: bool,
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    ok: Option<OkFlag>,
}

/// The envelope's `ok` member: a boolean, or anything else (kept as `Other`).
enum OkFlag {
    Bool(bool),
    Other,
}

impl<'de> Deserialize<'de> for OkFlag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OkFlag;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_bool<E>(self, b: bool) -> Result<OkFlag, E> {
                Ok(OkFlag::Bool(b))
            }
            fn visit_i64<E>(self, _: i64) -> Result<OkFlag, E> {
                Ok(OkFlag::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<OkFlag, E> {
                Ok(OkFlag::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<OkFlag, E> {
                Ok(OkFlag::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<OkFlag, E> {
                Ok(OkFlag::Other)
            }
            fn visit_unit<E>(self) -> Result<OkFlag, E> {
                Ok(OkFlag::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<OkFlag, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(OkFlag::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<OkFlag, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(OkFlag::Other)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

/// Decodes a 2xx body. An envelope with `"ok": false` inside a 2xx is an API error.
pub fn decode_success<T: DeserializeOwned>(status: u16, body: &str) -> Result<Decoded<T>, Error> {
    let probe = serde_json::from_str::<Probe>(body);
    let shape = |e: serde_json::Error| {
        let mut e = Error::protocol(format!(
            "the {status} answer is not the documented shape: {}",
            describe_serde_error(&e)
        ));
        e.status = Some(status);
        e
    };
    match probe {
        Ok(Probe {
            ok: Some(OkFlag::Bool(true)),
        }) => serde_json::from_str::<Envelope<T>>(body)
            .map(|e| Decoded {
                value: e.data,
                enveloped: true,
            })
            .map_err(shape),
        Ok(Probe {
            ok: Some(OkFlag::Bool(false)),
        }) => Err(decode_error(status, body)),
        Ok(_) => serde_json::from_str::<T>(body)
            .map(|value| Decoded {
                value,
                enveloped: false,
            })
            .map_err(shape),
        Err(e) => Err(shape(e)),
    }
}

/// Decodes a token response. Messages never quote values, since a value may be the token.
pub fn decode_token(status: u16, body: &str) -> Result<Token, Error> {
    match decode_success::<Token>(status, body) {
        Ok(d) => d.value.validate(),
        Err(mut e) if e.kind == crate::core::error::ErrorKind::Protocol => {
            let field = e
                .message
                .find("missing field")
                .map(|i| e.message[i..].split(" at ").next().unwrap_or("").to_owned());
            e.message = match field {
                Some(f) => format!("the token response is not the documented shape: {f}"),
                None => "the token response is not the documented shape".to_owned(),
            };
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// serde_json's message without quoting more than a short value.
fn describe_serde_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => format!("not valid JSON ({e})"),
        _ => {
            let s = e.to_string();
            if s.len() > 200 {
                format!("{}…", truncate(&s, 200))
            } else {
                s
            }
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    // Encore API errors: {"code", "message", "details"}
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    details: Option<Box<RawValue>>,
    // The platform envelope: {"ok": false, "error": {"code", "detail"}}, or
    // OAuth (RFC 6749 §5.2): {"error": "invalid_client", "error_description": "…"}
    #[serde(default)]
    error: Option<Box<RawValue>>,
    #[serde(default)]
    error_description: Option<String>,
}

#[derive(Deserialize)]
struct EnvelopeError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    detail: Option<Box<RawValue>>,
    #[serde(default)]
    message: Option<String>,
}

/// Decodes any non-2xx body into an API error with `status`, `code`, `message`, `details`.
pub fn decode_error(status: u16, body: &str) -> Error {
    let fallback_code = code_for_status(status);
    if let Ok(b) = serde_json::from_str::<ErrorBody>(body) {
        let raw = |r: Option<Box<RawValue>>| r.map(|r| r.get().to_owned()).filter(|s| s != "null");
        if let Some(err) = b.error {
            let text = err.get();
            if text.starts_with('"') {
                // OAuth error.
                let code: String = serde_json::from_str(text).unwrap_or_default();
                let code = non_empty(code).unwrap_or_else(|| fallback_code.to_owned());
                let message = b.error_description.unwrap_or_else(|| code.clone());
                return Error::api(status, code, message, None);
            }
            if let Ok(env) = serde_json::from_str::<EnvelopeError>(text) {
                let code = env
                    .code
                    .and_then(non_empty)
                    .unwrap_or_else(|| fallback_code.to_owned());
                let detail = raw(env.detail);
                let message = env
                    .message
                    .or_else(|| {
                        detail
                            .as_deref()
                            .and_then(|d| serde_json::from_str::<String>(d).ok())
                    })
                    .unwrap_or_else(|| code.replace('_', " "));
                return Error::api(status, code, message, detail);
            }
        }
        if b.code.is_some() || b.message.is_some() {
            let code = b
                .code
                .and_then(non_empty)
                .unwrap_or_else(|| fallback_code.to_owned());
            let message = b.message.unwrap_or_else(|| code.replace('_', " "));
            return Error::api(status, code, message, raw(b.details));
        }
    }
    // Not a known format: keep a short, printable snippet.
    let snippet: String = truncate(body.trim(), 200)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let message = if snippet.is_empty() {
        format!("HTTP {status} with an empty body")
    } else {
        format!("HTTP {status}: {snippet}")
    };
    Error::api(status, fallback_code.to_owned(), message, None)
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// At most `max` bytes of `s`, cut on a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;
    use crate::core::models::Rollout;

    pub(crate) const ROLLOUT: &str = r#"{"id":"roll_1","status":"running","conclusion":"pending",
      "queued_at":"2026-03-18T09:41:07.123456789Z","started_at":"2026-03-18T09:41:08Z","completed_at":null,
      "build":{"id":"b1","status":"completed","conclusion":"success","queued_at":null,"started_at":null,"completed_at":"2026-03-18T09:45:00+01:00"},
      "infra":{"id":"i1","status":"proposed","conclusion":"unknown","queued_at":null,"started_at":null,"completed_at":null},
      "deploy":{"id":"d1","status":"queued","conclusion":"unknown","queued_at":null,"started_at":null,"completed_at":null}}"#;

    #[test]
    fn bare_and_enveloped_rollouts() {
        let d = decode_success::<Rollout>(200, ROLLOUT).unwrap();
        assert!(!d.enveloped);
        assert_eq!(d.value.id, "roll_1");
        let env = format!(r#"{{"ok":true,"data":{ROLLOUT}}}"#);
        let d2 = decode_success::<Rollout>(200, &env).unwrap();
        assert!(d2.enveloped);
        assert_eq!(d.value, d2.value);
    }

    #[test]
    fn extra_fields_and_unknown_values_pass() {
        let body = ROLLOUT
            .replace("\"running\"", "\"awaiting_approval\"")
            .replace(
                "{\"id\":\"roll_1\"",
                "{\"future\":{\"x\":[1]},\"id\":\"roll_1\"",
            );
        let d = decode_success::<Rollout>(200, &body).unwrap();
        assert_eq!(d.value.status.as_str(), "awaiting_approval");
    }

    #[test]
    fn bad_shapes_are_protocol_errors() {
        for body in [
            "",
            "<html>",
            "[]",
            "{}",
            r#"{"ok":true}"#,
            &ROLLOUT.replace("\"roll_1\"", "1"),
            &ROLLOUT.replace("2026-03-18T09:41:08Z", "yesterday"),
            &ROLLOUT.replace("\"status\":\"running\",", ""),
        ] {
            let e = decode_success::<Rollout>(200, body).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Protocol, "{body}");
            assert_eq!(e.status, Some(200));
        }
        let e =
            decode_success::<Rollout>(200, &ROLLOUT.replace("2026-03-18T09:41:08Z", "yesterday"))
                .unwrap_err();
        assert!(e.message.contains("RFC 3339"), "{}", e.message);
    }

    #[test]
    fn ok_false_in_a_2xx_is_an_api_error() {
        let e = decode_success::<Rollout>(
            200,
            r#"{"ok":false,"error":{"code":"not_found","detail":"no app"},"data":null}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.code.as_deref(), Some("not_found"));
    }

    #[test]
    fn encore_error_format() {
        let e = decode_error(
            404,
            r#"{"code":"not_found","message":"rollout not found","details":{"id":"roll_x"}}"#,
        );
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.status, Some(404));
        assert_eq!(e.code.as_deref(), Some("not_found"));
        assert_eq!(e.message, "rollout not found");
        assert_eq!(e.details_json.as_deref(), Some(r#"{"id":"roll_x"}"#));
        let e = decode_error(
            400,
            r#"{"code":"invalid_argument","message":"bad","details":null}"#,
        );
        assert_eq!(e.details_json, None);
    }

    #[test]
    fn envelope_error_format() {
        let e = decode_error(
            409,
            r#"{"ok":false,"error":{"code":"last_owner","detail":"cannot remove the last owner"},"data":null}"#,
        );
        assert_eq!(e.code.as_deref(), Some("last_owner"));
        assert_eq!(e.message, "cannot remove the last owner");
        let e = decode_error(
            403,
            r#"{"ok":false,"error":{"code":"forbidden","detail":{"a":1}}}"#,
        );
        assert_eq!(e.details_json.as_deref(), Some(r#"{"a":1}"#));
        assert_eq!(e.message, "forbidden");
    }

    #[test]
    fn oauth_error_format() {
        let e = decode_error(
            401,
            r#"{"error":"invalid_client","error_description":"unknown client"}"#,
        );
        assert_eq!(e.code.as_deref(), Some("invalid_client"));
        assert_eq!(e.message, "unknown client");
        let e = decode_error(400, r#"{"error":"unsupported_grant_type"}"#);
        assert_eq!(e.message, "unsupported_grant_type");
    }

    #[test]
    fn other_bodies_keep_a_snippet() {
        let e = decode_error(502, "<html><body>Bad gateway</body></html>");
        assert_eq!(e.code.as_deref(), Some("unavailable"));
        assert!(e.message.contains("Bad gateway"));
        let e = decode_error(500, "");
        assert_eq!(e.code.as_deref(), Some("internal"));
        assert!(e.message.contains("empty body"));
        let long = "é".repeat(1000);
        let e = decode_error(503, &long);
        assert!(e.message.len() < 260);
        let e = decode_error(429, r#"{"unrelated":true}"#);
        assert_eq!(e.code.as_deref(), Some("resource_exhausted"));
    }

    #[test]
    fn token_errors_never_quote_values() {
        let e = decode_token(200, r#"{"access_token":"sekrit","expires_in":"soon"}"#).unwrap_err();
        assert!(
            !e.message.contains("sekrit") && !e.message.contains("soon"),
            "{}",
            e.message
        );
        let e = decode_token(200, r#"{"expires_in":3600}"#).unwrap_err();
        assert!(e.message.contains("access_token"), "{}", e.message);
        let t = decode_token(
            200,
            r#"{"ok":true,"data":{"access_token":"a","expires_in":60,"actor":"o2c_1","token_type":"bearer"}}"#,
        )
        .unwrap();
        assert_eq!(t.expires_in, 60.0);
    }
}
