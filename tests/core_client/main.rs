//! Host-side tests of the sans-IO client core (`encore_cloud::core::client`), driven through a
//! fake `Env`: a scripted transport, a manual clock, settable randomness, a counting token
//! provider, controllable abort signals and a recording logger.

#![cfg(not(target_arch = "wasm32"))]

mod support;

mod decoding;
mod exchange;
mod logging;
mod members;
mod renewal;
mod retries;
mod secrets;
mod tokens;
mod validation;
