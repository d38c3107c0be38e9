//! libFuzzer target `decode_error`: its oracle is `oracles::error` (fuzz/oracles.rs), the same one
//! `tests/fuzz_corpus.rs` applies to the committed corpus in every `make test`.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../oracles.rs"]
#[allow(dead_code)] // each target uses one oracle of the shared module
mod oracles;

fuzz_target!(|data: &[u8]| oracles::error(data));
