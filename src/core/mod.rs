//! The sans-IO core: models, validation, URL building, response decoding, error mapping,
//! token lifetime and retry policy, as plain Rust. Everything here runs and is tested on the
//! host; the world (HTTP, clock, randomness) comes in through [`env::Env`].

pub mod cli;
pub mod client;
pub mod config;
pub mod credentials;
pub mod decode;
pub mod endpoint;
pub mod enums;
pub mod env;
pub mod error;
pub mod json;
pub mod models;
pub mod progress;
pub mod retry;
pub mod timestamp;
pub mod token;
