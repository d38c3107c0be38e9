//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/*`, seeds and every input the
//! fuzzer ever kept or crashed on) through the decoders on the host, with the very oracles the
//! libFuzzer targets check (`fuzz/oracles.rs`). This is `make test`'s guard against a
//! regression on a known input; `make fuzz` searches for new ones.

#![cfg(not(target_arch = "wasm32"))]

use std::cell::Cell;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;

#[path = "../fuzz/oracles.rs"]
mod oracles;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every input of `dir`, sorted by name.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `oracle` on every file of `dir`; returns how many ran and the files whose oracle
/// panicked (with the panic's message).
fn replay(dir: &Path, oracle: oracles::Oracle) -> (usize, Vec<String>) {
    let files = inputs(dir);
    let mut failures = Vec::new();
    for f in &files {
        let data = fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| oracle(&data))) {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{}: {msg}", f.display()));
        }
    }
    (files.len(), failures)
}

#[test]
fn every_corpus_input_passes_its_targets_oracle() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (name, oracle) in oracles::TARGETS {
        let (n, mut failed) = replay(&fuzz_dir().join("corpus").join(name), *oracle);
        assert!(n > 0, "fuzz/corpus/{name} is empty");
        report.push(format!("{name}: {n}"));
        failures.append(&mut failed);
    }
    eprintln!("replayed {}", report.join(", "));
    assert!(
        failures.is_empty(),
        "{} input(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Each `[[bin]]` of `fuzz/Cargo.toml` has an oracle here (so a new target cannot be left out of
/// the replay), and each oracle a target.
#[test]
fn the_replay_covers_every_fuzz_target() {
    let manifest = fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut bins: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|section| {
            let line = section
                .lines()
                .find(|l| l.trim_start().starts_with("name"))?;
            line.split('"').nth(1)
        })
        .collect();
    let mut covered: Vec<&str> = oracles::TARGETS.iter().map(|(n, _)| *n).collect();
    bins.sort_unstable();
    covered.sort_unstable();
    assert_eq!(bins, covered);
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with panics on this thread kept off stderr (they are expected and reported
/// otherwise); other threads' panics print as usual.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let out = f();
    QUIET.with(|q| q.set(false));
    out
}

/// The replay reports an input whose oracle panics, by file name (so it can fail).
#[test]
fn a_failing_input_is_reported_by_name() {
    let dir = std::env::temp_dir().join(format!("encore-fuzz-replay-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("scratch dir");
    fs::write(dir.join("fine"), b"ok").expect("write");
    fs::write(dir.join("bad"), b"boom").expect("write");
    let (n, failures) = quietly(|| replay(&dir, |d| assert!(d != b"boom", "oracle saw boom")));
    fs::remove_dir_all(&dir).ok();
    assert_eq!(n, 2);
    assert_eq!(failures.len(), 1);
    assert!(
        failures[0].contains("bad") && failures[0].contains("oracle saw boom"),
        "{failures:?}"
    );
}
