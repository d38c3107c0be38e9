//! Answers: a parsed 2xx body into a typed value of any [`Answer`] type (bare or inside the
//! platform's `{"ok": true, "data": …}` envelope), and any non-2xx answer into one [`Error`].
//!
//! Bodies arrive parsed (see [`crate::core::json`]); a body that is not JSON arrives as a short
//! text snippet instead. Messages name fields, never quote values (a value may be a secret).

use crate::core::error::{code_for_status, redact_text, scrub_credentials, Error};
use crate::core::json::{Json, Kind};
use crate::core::model::Field;

/// A decoded 2xx body: the typed value, the payload it came from, and whether the payload sat
/// in an envelope's `data`.
#[derive(Debug)]
pub struct Decoded<T, J> {
    /// The typed value.
    pub value: T,
    /// The payload as parsed (extra fields and unknown values included); `None` for
    /// [`NoContent`].
    pub payload: Option<J>,
    /// True when the body was `{"ok": true, "data": <payload>}`.
    pub enveloped: bool,
}

pub(crate) fn protocol(status: u16, why: impl AsRef<str>) -> Error {
    let mut e = Error::protocol(format!(
        "the {status} answer is not the documented shape: {}",
        why.as_ref()
    ));
    e.status = Some(status);
    e
}

/// The payload of a 2xx body: the body itself, or the `data` of an `{"ok": true}` envelope.
/// An `{"ok": false}` envelope inside a 2xx is an API error.
pub(crate) fn payload<J: Json>(status: u16, body: Option<&J>) -> Result<(J, bool), Error> {
    let Some(body) = body else {
        return Err(protocol(status, "the body is not valid JSON"));
    };
    match body.get("ok").and_then(|ok| ok.as_bool()) {
        Some(true) if body.kind() == Kind::Object => match body.get("data") {
            Some(data) => Ok((data, true)),
            None => Err(protocol(status, "the envelope has no `data`")),
        },
        Some(false) => Err(decode_error(status, Some(body), "", &[])),
        _ => Ok((body.clone(), false)),
    }
}

/// Bytes of a non-JSON error body shown in a message.
pub const SNIPPET_SHOWN_BYTES: usize = 200;

/// Characters of a non-JSON body the host keeps for the core (the transport cuts there). It
/// must exceed what is shown by more than any secret's length: a secret the host cut in two is
/// then past what is shown, and the whole ones before it are redacted before the cut.
pub const SNIPPET_KEPT_CHARS: usize = 512;

const _: () = assert!(SNIPPET_KEPT_CHARS >= SNIPPET_SHOWN_BYTES + 256);

/// A 2xx answer's value: how a resource's answer type is decoded.
pub trait Answer: Sized {
    /// Decodes a 2xx body (bare or enveloped).
    fn decode<J: Json>(status: u16, body: Option<&J>) -> Result<Decoded<Self, J>, Error>;
}

/// Every model is an answer: its body is the model, bare or in the envelope.
impl<T: Field> Answer for T {
    fn decode<J: Json>(status: u16, body: Option<&J>) -> Result<Decoded<Self, J>, Error> {
        let (payload, enveloped) = payload(status, body)?;
        let value = T::from_json(&payload, &crate::core::model::Path::Root)
            .map_err(|why| protocol(status, why))?;
        Ok(Decoded {
            value,
            payload: Some(payload),
            enveloped,
        })
    }
}

/// An answer whose body does not matter (any body or none), unless it is an `{"ok": false}`
/// envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoContent;

impl Answer for NoContent {
    fn decode<J: Json>(status: u16, body: Option<&J>) -> Result<Decoded<Self, J>, Error> {
        if let Some(b) = body {
            if b.kind() == Kind::Object && b.get("ok").and_then(|ok| ok.as_bool()) == Some(false) {
                return Err(decode_error(status, Some(b), "", &[]));
            }
        }
        Ok(Decoded {
            value: NoContent,
            payload: None,
            enveloped: false,
        })
    }
}

/// Decodes any non-2xx answer into an API error with `status`, `code`, `message`, `details`.
/// `text` is the body when it is not JSON (a snippet of it); `secrets` are removed from a
/// snippet before it is cut, so no part of one survives.
pub fn decode_error<J: Json>(status: u16, body: Option<&J>, text: &str, secrets: &[&str]) -> Error {
    let fallback = code_for_status(status);
    let string = |v: Option<J>| v.and_then(|v| v.as_str()).filter(|s| !s.is_empty());
    let details = |v: Option<J>| {
        v.filter(|d| d.kind() != Kind::Null)
            .map(|d| d.to_json_text())
    };
    if let Some(b) = body.filter(|b| b.kind() == Kind::Object) {
        if let Some(err) = b.get("error") {
            match err.kind() {
                // OAuth (RFC 6749 §5.2): {"error": "invalid_client", "error_description": "…"}
                Kind::String => {
                    let code = string(Some(err)).unwrap_or_else(|| fallback.to_owned());
                    let message =
                        string(b.get("error_description")).unwrap_or_else(|| code.clone());
                    return Error::api(status, code, message, None);
                }
                // The platform envelope: {"ok": false, "error": {"code", "detail"}}
                Kind::Object => {
                    let code = string(err.get("code")).unwrap_or_else(|| fallback.to_owned());
                    let detail = err.get("detail");
                    let message = string(err.get("message"))
                        .or_else(|| string(detail.clone()))
                        .unwrap_or_else(|| code.replace('_', " "));
                    return Error::api(status, code, message, details(detail));
                }
                _ => {}
            }
        }
        // Encore: {"code": "not_found", "message": "…", "details": …}
        if b.get("code").is_some() || b.get("message").is_some() {
            let code = string(b.get("code")).unwrap_or_else(|| fallback.to_owned());
            let message = string(b.get("message")).unwrap_or_else(|| code.replace('_', " "));
            return Error::api(status, code, message, details(b.get("details")));
        }
    }
    // Not a known format: keep a short, printable snippet.
    let shown = scrub_credentials(&redact_text(
        &match body {
            Some(b) => b.to_json_text(),
            None => text.to_owned(),
        },
        secrets,
    ));
    let snippet: String = truncate(
        shown.trim_matches(|c: char| c.is_ascii_whitespace()),
        SNIPPET_SHOWN_BYTES,
    )
    .chars()
    .map(|c| if c.is_ascii_control() { ' ' } else { c })
    .collect();
    let message = if snippet.is_empty() {
        format!("HTTP {status} with an empty body")
    } else {
        format!("HTTP {status}: {snippet}")
    };
    Error::api(status, fallback.to_owned(), message, None)
}

/// A 3xx answer: never followed (a redirected POST loses its body, a cross-origin redirect
/// its `Authorization`). Names the `Location` when the platform shows it (Node, Deno, Bun) and
/// says to set `baseUrl` to it; a browser hides both status and location (`status` 0).
pub fn redirect_error(status: u16, location: Option<&str>, path: &str) -> Error {
    let why = "the client never follows redirects (a redirected POST loses its body and a \
               redirect to another host drops Authorization)";
    let message = match location.filter(|l| !l.is_empty()) {
        Some(loc) => {
            // No query or fragment in the message: a query may carry a secret.
            let loc = loc.split(['?', '#']).next().unwrap_or_default();
            let path = path.split('?').next().unwrap_or_default();
            let base = loc.strip_suffix(path).filter(|b| b.contains("://"));
            match base {
                Some(b) => format!(
                    "HTTP {status}: the API redirects to {loc}; {why}. If the API moved, set \
                     baseUrl to {b}"
                ),
                None => format!(
                    "HTTP {status}: the API redirects to {loc}; {why}. If the API moved, set \
                     baseUrl to where it lives now"
                ),
            }
        }
        None if status == 0 => format!(
            "the API answered with a redirect, which the browser hides (no status, no \
             location); {why}. Check baseUrl: it should point at the API itself"
        ),
        None => format!(
            "HTTP {status}: the API answered with a redirect without a location; {why}. Check \
             baseUrl"
        ),
    };
    Error::api(status, code_for_status(status).to_owned(), message, None)
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
    s.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;
    use crate::core::resources::rollouts::{InfraStatus, Rollout};
    use serde_json::Value;

    pub(crate) const ROLLOUT: &str = r#"{"id":"roll_1","status":"running","conclusion":"pending",
      "queued_at":"2026-03-18T09:41:07.123456789Z","started_at":"2026-03-18T09:41:08Z","completed_at":null,
      "build":{"id":"b1","status":"completed","conclusion":"success","queued_at":null,"started_at":null,"completed_at":"2026-03-18T09:45:00+01:00"},
      "infra":{"id":"i1","status":"proposed","conclusion":"unknown","queued_at":null,"started_at":null,"completed_at":null},
      "deploy":{"id":"d1","status":"queued","conclusion":"unknown","queued_at":null,"started_at":null,"completed_at":null}}"#;

    fn json(s: &str) -> Option<Value> {
        serde_json::from_str(s).ok()
    }

    fn rollout_of(s: &str) -> Result<Decoded<Rollout, Value>, Error> {
        Rollout::decode(200, json(s).as_ref())
    }

    fn error_of(status: u16, s: &str) -> Error {
        let parsed = json(s);
        decode_error(
            status,
            parsed.as_ref(),
            if parsed.is_some() { "" } else { s },
            &[],
        )
    }

    #[test]
    fn bare_and_enveloped_rollouts() {
        let d = rollout_of(ROLLOUT).unwrap();
        assert!(!d.enveloped);
        assert_eq!(d.value.id, "roll_1");
        assert_eq!(d.value.infra.status, InfraStatus::Proposed);
        assert_eq!(
            d.value.build.completed_at.unwrap().unix_seconds,
            1_773_823_500
        );
        let d2 = rollout_of(&format!(r#"{{"ok":true,"data":{ROLLOUT}}}"#)).unwrap();
        assert!(d2.enveloped);
        assert_eq!(d.value, d2.value);
        assert_eq!(d.payload, d2.payload);
    }

    #[test]
    fn extra_fields_and_unknown_values_pass() {
        let body = ROLLOUT
            .replace("\"running\"", "\"awaiting_approval\"")
            .replace(
                "{\"id\":\"roll_1\"",
                "{\"future\":{\"x\":[1]},\"id\":\"roll_1\"",
            );
        let d = rollout_of(&body).unwrap();
        assert_eq!(d.value.status.as_str(), "awaiting_approval");
        assert_eq!(d.payload.unwrap()["future"]["x"][0], 1);
    }

    #[test]
    fn absent_timestamps_are_null() {
        let body = ROLLOUT.replace("\"completed_at\":null,\n      \"build\"", "\"build\"");
        assert_eq!(rollout_of(&body).unwrap().value.completed_at, None);
    }

    #[test]
    fn bad_shapes_are_protocol_errors() {
        for body in [
            "",
            "<html>",
            "[]",
            "{}",
            "null",
            r#"{"ok":true}"#,
            &ROLLOUT.replace("\"roll_1\"", "1"),
            &ROLLOUT.replace("2026-03-18T09:41:08Z", "yesterday"),
            &ROLLOUT.replace("\"status\":\"running\",", ""),
            &ROLLOUT
                .replace("\"build\":{", "\"build\":[{")
                .replace("\"infra\"", "\"x\"}],\"infra\""),
        ] {
            let e = rollout_of(body).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Protocol, "{body}");
            assert_eq!(e.status, Some(200));
        }
        let e = rollout_of(&ROLLOUT.replace("2026-03-18T09:41:08Z", "yesterday")).unwrap_err();
        assert!(
            e.message.contains("`started_at`") && e.message.contains("RFC 3339"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("yesterday"));
        let e = rollout_of(&ROLLOUT.replace("\"conclusion\":\"success\",", "")).unwrap_err();
        assert!(
            e.message.contains("missing field `build.conclusion`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn ok_false_in_a_2xx_is_an_api_error() {
        let e = rollout_of(
            r#"{"ok":false,"error":{"code":"not_found","detail":"no app"},"data":null}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.code.as_deref(), Some("not_found"));
        assert_eq!(e.message, "no app");
    }

    #[test]
    fn encore_error_format() {
        let e = error_of(
            404,
            r#"{"code":"not_found","message":"rollout not found","details":{"id":"roll_x"}}"#,
        );
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.status, Some(404));
        assert_eq!(e.code.as_deref(), Some("not_found"));
        assert_eq!(e.message, "rollout not found");
        assert_eq!(e.details_json.as_deref(), Some(r#"{"id":"roll_x"}"#));
        let e = error_of(
            400,
            r#"{"code":"invalid_argument","message":"bad","details":null}"#,
        );
        assert_eq!(e.details_json, None);
        let e = error_of(418, r#"{"code":7}"#);
        assert_eq!(e.code.as_deref(), Some("unknown"));
    }

    #[test]
    fn envelope_error_format() {
        let e = error_of(
            409,
            r#"{"ok":false,"error":{"code":"last_owner","detail":"cannot remove the last owner"},"data":null}"#,
        );
        assert_eq!(e.code.as_deref(), Some("last_owner"));
        assert_eq!(e.message, "cannot remove the last owner");
        let e = error_of(
            403,
            r#"{"ok":false,"error":{"code":"forbidden","detail":{"a":1}}}"#,
        );
        assert_eq!(e.details_json.as_deref(), Some(r#"{"a":1}"#));
        assert_eq!(e.message, "forbidden");
    }

    #[test]
    fn oauth_error_format() {
        let e = error_of(
            401,
            r#"{"error":"invalid_client","error_description":"unknown client"}"#,
        );
        assert_eq!(e.code.as_deref(), Some("invalid_client"));
        assert_eq!(e.message, "unknown client");
        let e = error_of(400, r#"{"error":"unsupported_grant_type"}"#);
        assert_eq!(e.message, "unsupported_grant_type");
    }

    #[test]
    fn other_bodies_keep_a_snippet() {
        let e = error_of(502, "<html><body>Bad gateway</body></html>");
        assert_eq!(e.code.as_deref(), Some("unavailable"));
        assert!(e.message.contains("Bad gateway"));
        let e = error_of(500, "");
        assert_eq!(e.code.as_deref(), Some("internal"));
        assert!(e.message.contains("empty body"));
        let long = "é".repeat(1000);
        let e = error_of(503, &long);
        assert!(e.message.len() < 260);
        let e = error_of(429, r#"{"unrelated":true}"#);
        assert_eq!(e.code.as_deref(), Some("resource_exhausted"));
        assert!(e.message.contains("unrelated"));
    }

    #[test]
    fn a_secret_cut_by_the_snippet_is_not_shown() {
        let secret = "Zq81ABCDEFGHIJ";
        for pad in 180..200 {
            let body = format!("{}client_secret={secret}", "x".repeat(pad));
            let e = decode_error::<Value>(400, None, &body, &[secret]);
            assert!(!e.message.contains("Zq81"), "{pad}: {}", e.message);
        }
    }

    #[test]
    fn redirects_name_the_location_and_the_base_url_to_set() {
        let e = redirect_error(
            307,
            Some("https://api.encore.dev/api/apps/a/member?client_secret=x"),
            "/api/apps/a/member",
        );
        assert_eq!(e.status, Some(307));
        assert!(
            e.message
                .contains("redirects to https://api.encore.dev/api/apps/a/member;"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("set baseUrl to https://api.encore.dev"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("client_secret"));
        let e = redirect_error(301, Some("/elsewhere"), "/api/x");
        assert!(e.message.contains("/elsewhere") && e.message.contains("where it lives now"));
        let e = redirect_error(0, None, "/api/x");
        assert_eq!(e.status, Some(0));
        assert!(e.message.contains("browser hides"), "{}", e.message);
        assert!(redirect_error(302, None, "/x")
            .message
            .contains("without a location"));
    }

    #[test]
    fn no_content_takes_any_body_but_an_ok_false_envelope() {
        for body in [None, json("{}"), json("[1]"), json(r#"{"ok":true}"#)] {
            assert!(NoContent::decode(204, body.as_ref()).is_ok());
        }
        let e = NoContent::decode(200, json(r#"{"ok":false,"error":{"code":"x"}}"#).as_ref())
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api);
    }
}
