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
