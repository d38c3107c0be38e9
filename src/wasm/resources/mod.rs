//! One file per API resource, each with its own `#[wasm_bindgen] impl EncoreClient` block
//! (or free functions, for webhooks).

pub mod members;
pub mod rollouts;
pub mod token;
#[cfg(feature = "webhooks")]
pub mod webhooks;
