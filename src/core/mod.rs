//! The sans-IO core: models, validation, URL building, response decoding, error mapping,
//! token lifetime and retry policy, as plain Rust. Everything here runs and is tested on the
//! host; the world (HTTP, clock, randomness) comes in through [`env::Env`].
//!
//! Resources live in [`resources`], one module each; the other modules are mechanisms that
//! know no resource by name.

pub mod answer;
pub mod call;
pub mod cli;
pub mod client;
pub mod credentials;
pub mod env;
pub mod error;
pub mod json;
pub mod model;
pub mod options;
pub mod progress;
pub mod redirect;
pub mod resources;
pub mod retry;
pub mod retry_after;
pub mod text;
pub mod timestamp;
pub mod token_cache;
pub mod url;
pub mod wire_enum;
