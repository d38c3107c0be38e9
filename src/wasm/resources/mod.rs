//! One file per API resource in the wasm layer. (Only webhooks on this branch; the others
//! live where they were until the resource restructuring lands.)

pub mod webhooks;
