//! Why a webhook was refused: a machine-readable [`WebhookErrorCode`] and a message that never
//! contains a secret or an expected mac.

use crate::core::error::{Error, ErrorKind};
use std::fmt;

/// What is wrong with a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookErrorCode {
    /// No `X-Encore-Signature` header (or an empty one).
    MissingSignature,
    /// The header is not `t=<seconds>,v1=<mac>…`.
    InvalidSignatureHeader,
    /// No `v1` signature matches the body with any of the secrets.
    NoValidSignature,
    /// Signed longer ago than the tolerance.
    TooOld,
    /// Signed further in the future than the tolerance.
    TooNew,
    /// Correctly signed, but not an event of the documented shape.
    InvalidPayload,
    /// A request body over [`BODY_LIMIT_BYTES`](super::BODY_LIMIT_BYTES), refused unread.
    TooLarge,
}

impl WebhookErrorCode {
    /// Every code, in the order above.
    pub const ALL: [WebhookErrorCode; 7] = [
        Self::MissingSignature,
        Self::InvalidSignatureHeader,
        Self::NoValidSignature,
        Self::TooOld,
        Self::TooNew,
        Self::InvalidPayload,
        Self::TooLarge,
    ];

    /// The code as JavaScript sees it (`error.code`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingSignature => "missing_signature",
            Self::InvalidSignatureHeader => "invalid_signature_header",
            Self::NoValidSignature => "no_valid_signature",
            Self::TooOld => "too_old",
            Self::TooNew => "too_new",
            Self::InvalidPayload => "invalid_payload",
            Self::TooLarge => "too_large",
        }
    }
}

/// A refused webhook delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookError {
    /// The reason, for code.
    pub code: WebhookErrorCode,
    /// The reason, for people. Never contains a secret or a mac.
    pub message: String,
}

impl WebhookError {
    /// An error with this code and message.
    pub fn new(code: WebhookErrorCode, message: impl Into<String>) -> Self {
        WebhookError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            ErrorKind::Webhook.class_name(),
            self.code.as_str(),
            self.message
        )
    }
}

/// As the client's one error type: kind [`ErrorKind::Webhook`] (`EncoreWebhookError`), with
/// the code.
impl From<WebhookError> for Error {
    fn from(e: WebhookError) -> Self {
        let mut out = Error::validation(e.message);
        out.kind = ErrorKind::Webhook;
        out.code = Some(e.code.as_str().to_owned());
        out
    }
}

impl std::error::Error for WebhookError {}
