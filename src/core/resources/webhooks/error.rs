//! Why a webhook was refused: a machine-readable [`WebhookErrorCode`] and a message that never
//! contains a secret or an expected mac.

use std::fmt;

/// The JavaScript class of a webhook error (`EncoreWebhookError extends EncoreError`).
pub const CLASS_NAME: &str = "EncoreWebhookError";

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
}

impl WebhookErrorCode {
    /// Every code, in the order above.
    pub const ALL: [WebhookErrorCode; 6] = [
        Self::MissingSignature,
        Self::InvalidSignatureHeader,
        Self::NoValidSignature,
        Self::TooOld,
        Self::TooNew,
        Self::InvalidPayload,
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
        write!(f, "{CLASS_NAME} ({}): {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for WebhookError {}
