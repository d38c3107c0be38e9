//! Webhooks: Encore POSTs signed rollout events to a URL the app configures.
//!
//! - [`signature`]: the `X-Encore-Signature` header, HMAC-SHA256 over `"<t>.<raw body>"`, the
//!   time tolerance (past and future) and secret lists.
//! - [`events`]: the event envelope `{id, webhook_id, sequence_id, type, data}` and the typed
//!   data of the known event types (unknown types pass through as sent).
//! - [`error`]: the error codes a receiver can branch on.
//!
//! The body is verified as the exact bytes received; nothing here re-serialises JSON.

pub mod base64url;
pub mod error;
pub mod events;
pub mod signature;

pub use error::{WebhookError, WebhookErrorCode};

/// The largest request body `webhookFromRequest` reads: 1 MiB, hundreds of times an event's
/// size (a rollout with its app and environment is a few KB). A larger one is refused with
/// `too_large` without being held in memory, so a receiver cannot be made to buffer an
/// endless body.
pub const BODY_LIMIT_BYTES: usize = 1 << 20;
// The refusal's message says "1 MiB": it must change with the limit.
const _: () = assert!(BODY_LIMIT_BYTES == 1 << 20);

/// The refusal of a body over [`BODY_LIMIT_BYTES`].
pub fn too_large() -> WebhookError {
    WebhookError::new(
        WebhookErrorCode::TooLarge,
        "the request body is larger than 1 MiB, far more than any webhook event; it was not read",
    )
}
