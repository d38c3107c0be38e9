#!/usr/bin/env bash
# Every test layer, in order: lint, host tests (with the fuzz-corpus replay), simulator tests,
# build, wasm-bindgen tests in Node / Chromium / Firefox, package tests (packed tarball, ESM,
# CJS, types), reliability, browser pages, demo end-to-end. `scripts/test.sh lint` runs the lint
# step only. Expects what `scripts/setup.sh build test` installs (`make test` runs both).
#
# A failing layer does not stop the run (the layers that need the package are skipped when the
# build fails); the run ends with one line per layer (its test count and time) and the whole
# run's `N passed, N failed`, and exits non-zero when anything failed. Each layer's output is
# also kept in test-output/<layer>.log.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export PATH="$PWD/node_modules/.bin:${CARGO_INSTALL_ROOT:-$cargo_home}/bin:$PATH:$cargo_home/bin"
export CARGO_TERM_COLOR=never
mkdir -p test-output
t0=$EPOCHREALTIME
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }'; }

declare -a summary=()
total_pass=0 total_fail=0
declare -a failed_layers=()

# record name passed failed seconds [note]
record() {
  local note=${5:-}
  summary+=("$(printf '%-34s %4s passed %3s failed %5ss%s' "$1" "$2" "$3" "$4" "${note:+  ($note)}")")
  total_pass=$((total_pass + $2))
  total_fail=$((total_fail + $3))
  [ "$3" = 0 ] || failed_layers+=("$1")
}

# Sums a runner's own summary lines in a log: cargo test / wasm-bindgen-test-runner
# (`test result: ok. 12 passed; 0 failed; …`) or node --test's TAP (`# pass 12`, `# fail 0`,
# `# cancelled 0`). Prints "passed failed".
count() { # kind log
  case $1 in
    cargo) awk '/^test result: /{ for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;?$/) p += $i; if ($(i+1) ~ /^failed;?$/) f += $i } }
                END { print p + 0, f + 0 }' "$2" ;;
    node) awk '/^# pass /{ p += $3 } /^# (fail|cancelled) /{ f += $3 } END { print p + 0, f + 0 }' "$2" ;;
  esac
}

# layer name kind command... — runs one layer, shows its output, records its counts. A layer
# that exits non-zero with no failure its runner counted (a compile error, a crash) counts as
# one failure; so does a layer whose output lacks the line `expect` (when set). Returns the
# command's status.
layer() {
  local name=$1 kind=$2; shift 2
  local slug; slug=$(printf '%s' "$name" | tr -c 'a-zA-Z0-9\n' '-' | sed 's/--*/-/g; s/-$//')
  local log=test-output/$slug.log s=$EPOCHREALTIME rc
  printf '\n=== %s ===\n' "$name"
  if [ "$kind" = node ]; then
    # spec for the reader, TAP into the log for counting.
    node --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$log" "$@"
    rc=$?
  else
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
  fi
  if [ "$rc" = 0 ] && [ -n "${expect:-}" ] && ! grep -q "$expect" "$log"; then
    echo "no \"$expect\" in the output" | tee -a "$log"
    rc=1
  fi
  local p f
  read -r p f < <(count "$kind" "$log")
  [ "$rc" = 0 ] || [ "$f" != 0 ] || f=1
  record "$name" "$p" "$f" "$(since "$s")" "$([ "$rc" = 0 ] || echo "exit $rc")"
  return "$rc"
}

skip() { # name reason
  summary+=("$(printf '%-34s %-22s    -  (skipped: %s)' "$1" "" "$2")")
}

# Lint: three checks, each counted as one.
lint() {
  local s=$EPOCHREALTIME p=0 f=0 bad=()
  printf '\n=== lint (fmt, clippy host + wasm32) ===\n'
  check() { # label command...
    if "${@:2}"; then p=$((p + 1)); else f=$((f + 1)); bad+=("$1"); fi
  }
  check fmt cargo fmt --check
  check "clippy host" cargo clippy --all-targets --features cli -q -- -D warnings
  check "clippy wasm32" cargo clippy --target wasm32-unknown-unknown --all-targets --features cli -q -- -D warnings
  record "lint (fmt, clippy host + wasm32)" "$p" "$f" "$(since "$s")" "$(IFS=,; echo "${bad[*]:+failed: ${bad[*]}}")"
}

finish() {
  printf '\n=== summary ===\n'
  printf '%s\n' "${summary[@]}"
  printf 'total %ss%s\n' "$(since "$t0")" "${failed_layers[*]:+; failed: ${failed_layers[*]}}"
  printf '%s passed, %s failed\n' "$total_pass" "$total_fail"
  [ "$total_fail" = 0 ]
}

lint
if [ "${1:-}" = lint ]; then finish; exit; fi

# Host tests include tests/fuzz_corpus.rs: the committed fuzz corpus replayed through every
# decoder with the fuzz targets' oracles (`make fuzz` fuzzes for real).
layer "host cargo test (+ fuzz corpus)" cargo cargo test -q --features cli
layer "simulator (node --test)" node tests/simulator/
build_ok=1
# The package is rebuilt when one of its sources changed (the Makefile's rule, as for make demo).
layer "build (pkg/)" cargo make --no-print-directory -s pkg/encore_cloud_bg.wasm || build_ok=0

# The wasm-bindgen tests call a simulator on a fixed local address (compiled in).
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export ENCORE_TEST_SERVER="http://127.0.0.1:$port"
node simulator/bin/encore-cloud-simulator.js --port "$port" --time-scale 0.01 > test-output/wasm-simulator.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT
node -e 'const u = process.argv[1]; (async () => { for (let i = 0; i < 100; i++) { try { if ((await fetch(u)).ok) return; } catch {} await new Promise((r) => setTimeout(r, 100)); } process.exit(1); })()' "$ENCORE_TEST_SERVER/__sim/config" ||
  echo "the simulator for the wasm tests did not start (test-output/wasm-simulator.log)"
# wasm-bindgen-test-runner (from wasm-bindgen-cli) runs the wasm32 test binary: in Node by
# default, in a headless browser through its WebDriver when WASM_BINDGEN_USE_BROWSER is set.
# The browser runs must say they ran there (else the runner quietly fell back to Node).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
wasm_test() { env "$@" cargo test --target wasm32-unknown-unknown --test wasm_boundary; }
layer "wasm-bindgen-test node" cargo wasm_test
expect="headless tests in Chrome" layer "wasm-bindgen-test chromium" cargo wasm_test \
  WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)"
expect="headless tests in Firefox" layer "wasm-bindgen-test firefox" cargo wasm_test \
  WASM_BINDGEN_USE_BROWSER=1 GECKODRIVER="$(command -v geckodriver)"
kill $sim 2>/dev/null || true

for l in "package + types:tests/package/" "cli (installed bin):tests/cli/" \
  "webhooks:tests/webhooks/" "runtimes (workerd, deno, bun):tests/runtimes/" "reliability (node + chromium):tests/reliability/" \
  "browser pages (playwright):tests/browser/" "demo end-to-end (playwright):tests/e2e/"; do
  if [ "$build_ok" = 1 ]; then
    layer "${l%%:*}" node --test-concurrency=1 "${l#*:}"
  else
    skip "${l%%:*}" "the build failed"
  fi
done

finish
