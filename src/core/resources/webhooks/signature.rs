//! The `X-Encore-Signature` header and its verification.
//!
//! `X-Encore-Signature: t=<unix seconds>,v1=<mac>[,v1=<mac>…]`, where each mac is
//! HMAC-SHA256 keyed with the webhook secret over `"<t>.<raw body bytes>"`, base64url without
//! padding. A delivery is accepted when any `v1` matches under any of the receiver's secrets
//! (compared in constant time) and `t` is within the tolerance of now, in the past or the
//! future. Other schemes (`v0`, `v2`, …) are ignored, so a header cannot downgrade the check;
//! `v1` values that are not base64url are ignored too (several appear while Encore rotates a
//! secret).

use super::base64url;
use super::error::{WebhookError, WebhookErrorCode as Code};
use crate::core::error::{num, Error};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header's name, as Encore sends it.
pub const HEADER: &str = "X-Encore-Signature";

/// How far `t` may be from now, in seconds, unless told otherwise (Encore's library: 5 min).
pub const DEFAULT_TOLERANCE_SECONDS: f64 = 300.0;

/// The largest `t` accepted (year 9999), so that `t * 1000` stays exact in an `f64`.
const MAX_T: i64 = 253_402_300_799;

type HmacSha256 = Hmac<Sha256>;

/// A parsed header: the signing time and the `v1` macs that decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHeader {
    /// `t`, seconds since the Unix epoch.
    pub timestamp: i64,
    /// Every well-formed `v1` mac, in header order.
    pub macs: Vec<Vec<u8>>,
}

fn header_error(why: &str) -> WebhookError {
    WebhookError::new(
        Code::InvalidSignatureHeader,
        format!("the {HEADER} header is malformed: {why}"),
    )
}

/// Parses the header. `None` or an empty (blank) header is `missing_signature`.
pub fn parse_header(header: Option<&str>) -> Result<SignatureHeader, WebhookError> {
    let header = header.map(str::trim).unwrap_or_default();
    if header.is_empty() {
        return Err(WebhookError::new(
            Code::MissingSignature,
            format!(
                "no {HEADER} header: the request was not signed by Encore, or the header was not passed on"
            ),
        ));
    }
    let mut timestamp = None;
    let mut macs = Vec::new();
    let mut v1_seen = false;
    for part in header.split(',') {
        let Some((key, value)) = part.trim().split_once('=') else {
            return Err(header_error("every part must be `key=value`"));
        };
        match key {
            "t" => {
                if timestamp.is_some() {
                    return Err(header_error("more than one `t`"));
                }
                timestamp = Some(parse_seconds(value).ok_or_else(|| {
                    header_error("`t` must be a whole number of seconds since 1970")
                })?);
            }
            "v1" => {
                v1_seen = true;
                // Not base64url: ignored; another v1 may still match.
                if let Some(mac) = base64url::decode(value) {
                    macs.push(mac);
                }
            }
            // Other schemes are ignored: only v1 is ever trusted.
            _ => {}
        }
    }
    if macs.is_empty() {
        let why = if v1_seen {
            "no `v1` signature in the header is valid base64url"
        } else {
            "the header has no `v1` signature (other schemes are ignored)"
        };
        return Err(WebhookError::new(
            Code::NoValidSignature,
            format!("{why}; nothing to verify"),
        ));
    }
    let Some(timestamp) = timestamp else {
        return Err(header_error("no `t=` timestamp"));
    };
    Ok(SignatureHeader { timestamp, macs })
}

/// A non-negative decimal integer of at most 12 digits, up to [`MAX_T`].
fn parse_seconds(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok().filter(|t| *t <= MAX_T)
}

/// A keyed HMAC-SHA256 state with `"<t>."` and the body already fed in.
fn signed(secret: &str, timestamp: i64, body: &[u8]) -> Result<HmacSha256, Error> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .map_err(|_| Error::validation("the webhook secret cannot be used as an HMAC key"))?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(mac)
}

/// The mac Encore computes for `body` signed at `timestamp` (for tests and simulators).
pub fn compute(secret: &str, timestamp: i64, body: &[u8]) -> Result<[u8; 32], Error> {
    Ok(signed(secret, timestamp, body)?
        .finalize()
        .into_bytes()
        .into())
}

/// What a receiver checks, validated before any body is looked at. `Debug` shows how many
/// secrets it holds, never the secrets.
#[derive(Clone, PartialEq)]
pub struct Verifier {
    secrets: Vec<String>,
    tolerance_seconds: f64,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field(
                "secrets",
                &format_args!("[{} redacted]", self.secrets.len()),
            )
            .field("tolerance_seconds", &self.tolerance_seconds)
            .finish()
    }
}

impl Verifier {
    /// A verifier for these secrets (any may match) and this tolerance in seconds (default
    /// [`DEFAULT_TOLERANCE_SECONDS`]). Refuses an empty list, an empty secret, and a tolerance
    /// that is negative or not finite, with a validation error.
    pub fn new(secrets: Vec<String>, tolerance_seconds: Option<f64>) -> Result<Self, Error> {
        if secrets.is_empty() {
            return Err(Error::validation(
                "give the webhook secret, or a non-empty list of secrets",
            ));
        }
        if secrets.iter().any(|s| s.is_empty()) {
            return Err(Error::validation("a webhook secret is empty"));
        }
        let tolerance_seconds = tolerance_seconds.unwrap_or(DEFAULT_TOLERANCE_SECONDS);
        if !(tolerance_seconds.is_finite() && tolerance_seconds >= 0.0) {
            return Err(Error::validation(format!(
                "toleranceSeconds must be a finite number >= 0, got {}",
                num(tolerance_seconds)
            )));
        }
        Ok(Verifier {
            secrets,
            tolerance_seconds,
        })
    }

    /// Checks `body` (the exact bytes received) against the header at `now_ms` (epoch ms).
    /// The macs are checked first, then the time: an unauthenticated `t` decides nothing.
    /// Returns the signing time `t`.
    pub fn verify(
        &self,
        body: &[u8],
        header: Option<&str>,
        now_ms: f64,
    ) -> Result<i64, WebhookError> {
        let sig = parse_header(header)?;
        let matched = self.secrets.iter().any(|secret| {
            signed(secret, sig.timestamp, body).is_ok_and(|state| {
                // verify_slice compares in constant time (the `subtle` crate).
                sig.macs
                    .iter()
                    .any(|candidate| state.clone().verify_slice(candidate).is_ok())
            })
        });
        if !matched {
            let n = self.secrets.len();
            let secrets = if n == 1 {
                "the secret".to_owned()
            } else {
                format!("any of the {n} secrets")
            };
            return Err(WebhookError::new(
                Code::NoValidSignature,
                format!(
                    "no signature in the {HEADER} header matches the body with {secrets}: check the secret, and verify the raw body exactly as received (never re-serialised JSON)"
                ),
            ));
        }
        let skew_ms = now_ms - sig.timestamp as f64 * 1000.0;
        let tolerance_ms = self.tolerance_seconds * 1000.0;
        if skew_ms > tolerance_ms {
            return Err(WebhookError::new(
                Code::TooOld,
                format!(
                    "the event was signed {} s ago, more than the tolerance of {} s (a replay, or a clock that is off)",
                    num((skew_ms / 1000.0).floor()),
                    num(self.tolerance_seconds)
                ),
            ));
        }
        if -skew_ms > tolerance_ms {
            return Err(WebhookError::new(
                Code::TooNew,
                format!(
                    "the event is signed {} s in the future, more than the tolerance of {} s (a clock that is off)",
                    num((-skew_ms / 1000.0).floor()),
                    num(self.tolerance_seconds)
                ),
            ));
        }
        Ok(sig.timestamp)
    }

    /// How many secrets it holds (never the secrets).
    pub fn secret_count(&self) -> usize {
        self.secrets.len()
    }
}
