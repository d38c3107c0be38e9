//! The thin wasm layer: the `EncoreClient` class, the fetch transport and timers (through
//! `js/runtime.js`), JavaScript error classes and `Date` conversion. It adapts; the decisions
//! live in [`crate::core`]. Each resource's methods live in [`resources`].

#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
pub mod env;
pub mod errors;
pub mod executor;
pub mod json;
pub mod output;
pub mod read;
pub mod resources;
pub mod runtime;
pub mod settle;
pub mod slots;
pub mod types;
