#!/usr/bin/env bash
# Every test layer, in order: lint, host tests, simulator tests, build, wasm-bindgen tests in
# Node / Chromium / Firefox, package tests (packed tarball, ESM, CJS, types), browser pages,
# demo end-to-end. `scripts/test.sh lint` runs the lint step only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
mkdir -p test-output
t0=$(date +%s)
declare -a timings=()
layer() { # name, command...
  local name=$1; shift
  local s; s=$(date +%s)
  printf '\n=== %s ===\n' "$name"
  "$@"
  timings+=("$(printf '%-28s %4ss' "$name" $(( $(date +%s) - s )))")
}

lint() {
  cargo fmt --check
  cargo clippy --all-targets --features cli -q -- -D warnings
  cargo clippy --target wasm32-unknown-unknown --all-targets --features cli -q -- -D warnings
}

layer "lint (fmt, clippy)" lint
[ "${1:-}" = lint ] && exit 0

layer "host cargo test" cargo test -q --features cli
layer "fuzz smoke (10 s/target)" bash scripts/fuzz.sh 10
layer "simulator (node --test)" node --test --test-reporter=spec tests/simulator/
layer "build (pkg/)" bash scripts/build.sh

# The wasm-bindgen tests call a simulator on a fixed local address (compiled in).
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export ENCORE_TEST_SERVER="http://127.0.0.1:$port"
node simulator/bin/encore-cloud-simulator.js --port "$port" --time-scale 0.01 > test-output/wasm-simulator.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT
node -e 'const u = process.argv[1]; (async () => { for (let i = 0; i < 50; i++) { try { if ((await fetch(u)).ok) return; } catch {} await new Promise((r) => setTimeout(r, 100)); } process.exit(1); })()' "$ENCORE_TEST_SERVER/__sim/config"
# wasm-bindgen-test-runner (from wasm-bindgen-cli) runs the wasm32 test binary: in Node by
# default, in a headless browser through its WebDriver when WASM_BINDGEN_USE_BROWSER is set.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
wasm_test() { env "$@" cargo test --target wasm32-unknown-unknown --test wasm_boundary; }
layer "wasm-bindgen-test node" wasm_test
layer "wasm-bindgen-test chromium" wasm_test WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)"
layer "wasm-bindgen-test firefox" wasm_test WASM_BINDGEN_USE_BROWSER=1 GECKODRIVER="$(command -v geckodriver || true)"
kill $sim 2>/dev/null || true

layer "package + types (node --test)" node --test --test-concurrency=1 tests/package/
layer "cli (installed bin)" node --test --test-concurrency=1 tests/cli/
layer "webhooks (node --test)" node --test --test-concurrency=1 tests/webhooks/
layer "runtimes: workerd, deno, bun" node --test --test-concurrency=1 tests/runtimes/
layer "reliability (node + chromium)" node --test --test-concurrency=1 tests/reliability/
layer "browser pages (playwright)" node --test --test-concurrency=1 tests/browser/
layer "demo end-to-end (playwright)" node --test --test-concurrency=1 tests/e2e/

printf '\n=== timings ===\n'
printf '%s\n' "${timings[@]}"
printf 'total %ss\n' $(( $(date +%s) - t0 ))
