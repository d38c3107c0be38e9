//! One module per API resource: its paths, request bodies, response models, decoding,
//! idempotency and the wording of its ambiguous-outcome errors. The generic call path
//! ([`crate::core::client::Client::run`]) runs any of them.

pub mod members;
pub mod rollouts;
pub mod token;
#[cfg(feature = "webhooks")]
pub mod webhooks;
