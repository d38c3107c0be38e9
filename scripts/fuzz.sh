#!/usr/bin/env bash
# Fuzzes the decoders with cargo fuzz (libFuzzer) on the host: each target for SECONDS
# (default 60), with the oracles of fuzz/oracles.rs. The committed corpus in fuzz/corpus/ seeds
# each run; new inputs go to a scratch folder unless KEEP_CORPUS=1. `make test` does not fuzz:
# tests/fuzz_corpus.rs replays the committed corpus with the same oracles. cargo-fuzz comes from
# `scripts/setup.sh fuzz` (`make fuzz` runs it). The machine's one stable toolchain runs cargo
# fuzz with RUSTC_BOOTSTRAP=1 (its flags are nightly-only).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export PATH="${CARGO_INSTALL_ROOT:-$cargo_home}/bin:$PATH:$cargo_home/bin"
secs=${1:-60}
export RUSTC_BOOTSTRAP=1
targets=(decode_rollout decode_members decode_token decode_error timestamp retry_after webhook)
mkdir -p test-output
cargo fuzz build -s none -O >test-output/fuzz-build.log 2>&1 || { tail -30 test-output/fuzz-build.log; exit 1; }
for t in "${targets[@]}"; do
  if [ "${KEEP_CORPUS:-0}" = 1 ]; then out="fuzz/corpus/$t"; seeds=(); else
    out=$(mktemp -d); seeds=("fuzz/corpus/$t"); fi
  printf '[fuzz] %-16s %ss ... ' "$t" "$secs"
  log=test-output/fuzz-$t.log; mkdir -p test-output
  if cargo fuzz run -s none -O "$t" "$out" "${seeds[@]}" -- -max_total_time="$secs" -seed="${FUZZ_SEED:-1}" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{print $2 " runs, no crash"}'
  else
    echo "CRASH (see $log)"; tail -30 "$log"; exit 1
  fi
done
