//! # encore-cloud
//!
//! A client for the Encore Cloud API: a sans-IO core ([`core`]) tested on the host, and a thin
//! wasm layer (`wasm`, built for `wasm32`) that ships as the `encore-cloud` npm package.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::panic,
        clippy::unreachable
    )
)]

pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

// Talc instead of std's dlmalloc: 2.5 KB gzip smaller (issue 12); single-threaded wasm only.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
