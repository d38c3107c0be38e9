#!/usr/bin/env bash
# Every test layer: lint, host tests (with the fuzz-corpus replay), simulator tests, build,
# wasm-bindgen tests in Node / Chromium / Firefox, package tests (packed tarball, ESM, CJS,
# types), CLI, webhooks, runtimes, reliability, browser pages, demo end-to-end.
# `scripts/test.sh lint` runs the lint step only. Expects what `scripts/setup.sh build test`
# installs (`make test` runs both).
#
# What can overlap does (2 cores; the node layers mostly wait on timers and child processes):
# the simulator layer runs beside lint, host tests and the build; after the build, two lanes run
# side by side — the browser lane (wasm-bindgen tests, demo end-to-end, browser pages,
# webhooks) and the package lane (package + types, CLI, runtimes, reliability); each about
# 150 s cold. A layer that runs
# beside another keeps its output in test-output/<layer>.log and prints it whole when it ends,
# so the two never interleave.
#
# A failing layer does not stop the run (the layers that need the package are skipped when the
# build fails); the run ends with one line per layer (its test count and time) and the whole
# run's `N passed, N failed`, and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export PATH="$PWD/node_modules/.bin:${CARGO_INSTALL_ROOT:-$cargo_home}/bin:$PATH:$cargo_home/bin"
export CARGO_TERM_COLOR=never
mkdir -p test-output
results=test-output/results
rm -rf "$results" && mkdir -p "$results"
t0=$EPOCHREALTIME
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }'; }

# record order name passed failed seconds [note] — one result file per layer (lanes run in
# subshells, so results go through files); `finish` reads them in `order`.
record() {
  printf '%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$4" "$5" "${6:-}" >"$results/$1"
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

# layer order name kind command... — runs one layer, records its counts. A layer that exits
# non-zero with no failure its runner counted (a compile error, a crash) counts as one failure;
# so does a layer whose output lacks the line `expect` (when set). With QUIET=1 (a layer beside
# another) its output is kept and printed whole at its end; with SKIP=reason it is only listed
# as skipped. Returns the command's status.
layer() {
  local order=$1 name=$2 kind=$3; shift 3
  if [ -n "${SKIP:-}" ]; then
    skip "$order" "$name" "$SKIP"
    return 0
  fi
  local slug; slug=$(printf '%s' "$name" | tr -c 'a-zA-Z0-9\n' '-' | sed 's/--*/-/g; s/-$//')
  local log=test-output/$slug.log out=test-output/$slug.out s=$EPOCHREALTIME rc
  [ "${QUIET:-0}" = 1 ] || printf '\n=== %s ===\n' "$name"
  if [ "$kind" = node ]; then
    # spec for the reader, TAP into the log for counting.
    node --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$log" "$@" >"$out" 2>&1 &
  else
    "$@" >"$out" 2>&1 &
  fi
  local pid=$!
  [ "${QUIET:-0}" = 1 ] || tail -s 0.2 -n +1 -f --pid="$pid" "$out" 2>/dev/null
  wait "$pid"
  rc=$?
  [ "$kind" = node ] || cp "$out" "$log"
  if [ "$rc" = 0 ] && [ -n "${expect:-}" ] && ! grep -q "$expect" "$log"; then
    echo "no \"$expect\" in the output" | tee -a "$log" >>"$out"
    rc=1
  fi
  local p f
  read -r p f < <(count "$kind" "$log")
  [ "$rc" = 0 ] || [ "$f" != 0 ] || f=1
  local secs; secs=$(since "$s")
  [ "${QUIET:-0}" = 0 ] || { printf '\n=== %s (%ss) ===\n' "$name" "$secs"; cat "$out"; }
  record "$order" "$name" "$p" "$f" "$secs" "$([ "$rc" = 0 ] || echo "exit $rc")"
  return "$rc"
}

skip() { # order name reason
  printf '%s\t-\t-\t-\t%s\n' "$2" "skipped: $3" >"$results/$1"
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
  record 00 "lint (fmt, clippy host + wasm32)" "$p" "$f" "$(since "$s")" "$(IFS=,; echo "${bad[*]:+failed: ${bad[*]}}")"
}

finish() {
  printf '\n=== summary ===\n'
  local total_pass=0 total_fail=0 failed=() name p f secs note r
  for r in $(ls "$results" | sort); do
    IFS=$'\t' read -r name p f secs note <"$results/$r"
    if [ "$p" = - ]; then
      printf '%-34s %-22s    -  (%s)\n' "$name" "" "$note"
      continue
    fi
    printf '%-34s %4s passed %3s failed %5ss%s\n' "$name" "$p" "$f" "$secs" "${note:+  ($note)}"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    [ "$f" = 0 ] || failed+=("$name")
  done
  printf 'total %ss%s\n' "$(since "$t0")" "${failed[*]:+; failed: ${failed[*]}}"
  printf '%s passed, %s failed\n' "$total_pass" "$total_fail"
  [ "$total_fail" = 0 ]
}

lint
if [ "${1:-}" = lint ]; then finish; exit; fi

# The simulator's own tests need no build: they run beside the cargo steps.
QUIET=1 layer 02 "simulator (node --test)" node tests/simulator/ &
sim_layer=$!
# Host tests include tests/fuzz_corpus.rs: the committed fuzz corpus replayed through every
# decoder with the fuzz targets' oracles (`make fuzz` fuzzes for real).
layer 01 "host cargo test (+ fuzz corpus)" cargo cargo test -q --features cli
build_ok=1
# The package is rebuilt when one of its sources changed (the Makefile's rule, as for make demo).
layer 03 "build (pkg/)" cargo make --no-print-directory -s pkg/encore_cloud_bg.wasm || build_ok=0
wait "$sim_layer"

# The browser lane: wasm-bindgen tests (against a simulator of their own), the demo end to end,
# the browser pages, webhooks.
browser_lane() {
  if [ -z "${SKIP:-}" ]; then wasm_services; fi
  layer 10 "wasm-bindgen-test node" cargo wasm_test
  expect="headless tests in Chrome" layer 11 "wasm-bindgen-test chromium" cargo wasm_test \
    WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)"
  # Firefox through scripts/firefox-webdriver.mjs (puppeteer-core over WebDriver BiDi): the
  # runner's own headless flow, without a geckodriver to compile.
  expect="headless tests in Firefox" layer 12 "wasm-bindgen-test firefox" cargo wasm_test \
    WASM_BINDGEN_USE_BROWSER=1 GECKODRIVER_REMOTE="http://127.0.0.1:${wd_port:-9}"
  kill "${WEBDRIVER_PID:-}" "${sim:-}" 2>/dev/null || true
  layer 13 "demo end-to-end (playwright)" node --test-concurrency=1 tests/e2e/
  layer 14 "browser pages (playwright)" node --test-concurrency=1 tests/browser/
  layer 15 "webhooks" node --test-concurrency=1 tests/webhooks/
}

# What the wasm-bindgen tests need: a simulator on a fixed local address (compiled into the test
# binary) and the Firefox WebDriver endpoint; sets `sim`, `wd_port` and WEBDRIVER_PID.
wasm_services() {
  local port
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  export ENCORE_TEST_SERVER="http://127.0.0.1:$port"
  node simulator/bin/encore-cloud-simulator.js --port "$port" --time-scale 0.01 >test-output/wasm-simulator.log 2>&1 &
  sim=$!
  trap 'kill "${WEBDRIVER_PID:-}" "$sim" 2>/dev/null || true' EXIT
  node -e 'const u = process.argv[1]; (async () => { for (let i = 0; i < 100; i++) { try { if ((await fetch(u)).ok) return; } catch {} await new Promise((r) => setTimeout(r, 100)); } process.exit(1); })()' "$ENCORE_TEST_SERVER/__sim/config" ||
    echo "the simulator for the wasm tests did not start (test-output/wasm-simulator.log)"
  # wasm-bindgen-test-runner (from wasm-bindgen-cli) runs the wasm32 test binary: in Node by
  # default, in a headless browser through its WebDriver when WASM_BINDGEN_USE_BROWSER is set.
  # The browser runs must say they ran there (else the runner quietly fell back to Node).
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  coproc WEBDRIVER { exec node scripts/firefox-webdriver.mjs 2>test-output/firefox-webdriver.log; }
  read -r -t 30 wd_port <&"${WEBDRIVER[0]}" || echo "the Firefox WebDriver endpoint did not start (test-output/firefox-webdriver.log)"
}
wasm_test() { env "$@" cargo test --target wasm32-unknown-unknown --test wasm_boundary; }

# The package lane: the packed tarball as users install it, and the reliability suite.
package_lane() {
  layer 20 "package + types" node --test-concurrency=1 tests/package/
  layer 21 "cli (installed bin)" node --test-concurrency=1 tests/cli/
  layer 22 "runtimes (workerd, deno, bun)" node --test-concurrency=1 tests/runtimes/
  layer 23 "reliability (node + chromium)" node --test-concurrency=1 tests/reliability/
}

if [ "$build_ok" = 1 ]; then
  (QUIET=1 browser_lane) &
  lane_a=$!
  (QUIET=1 package_lane) &
  lane_b=$!
  wait "$lane_a" "$lane_b"
else
  # Listed, not run: every layer after the build needs the package.
  SKIP="the build failed" browser_lane
  SKIP="the build failed" package_lane
fi

finish
