//! One file per API resource, each with its own `#[wasm_bindgen] impl EncoreClient` block.

pub mod members;
pub mod rollouts;
pub mod token;
pub mod webhooks;
