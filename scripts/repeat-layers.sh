#!/usr/bin/env bash
# Flake hunt: runs node test layers again and again, each until its first failure, and prints
# per layer how many runs passed and their time. Two lanes run side by side, as in make test
# (the load a layer meets there). Needs a built pkg/ (make build) and the test tools.
#
#   scripts/repeat-layers.sh [N]     N runs of every node layer (default 20)
#
# A failing run's TAP output is kept in test-output/repeat/<layer>-<run>.tap.
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
export PATH="$PWD/node_modules/.bin:$PATH"
out=test-output/repeat
rm -rf "$out" && mkdir -p "$out"

# repeat dir — N runs (stops at the first failure); appends "dir passed-runs/N seconds" to the summary.
repeat() {
  local dir=$1 name; name=$(basename "$dir")
  local s=$EPOCHREALTIME ok=0 i
  for i in $(seq "$n"); do
    if node --test --test-concurrency=1 --test-reporter=tap "$dir" >"$out/$name-$i.tap" 2>&1; then
      ok=$((ok + 1))
      rm -f "$out/$name-$i.tap"
    else
      echo "FAILED: $dir run $i (see $out/$name-$i.tap)"
      grep -E "^not ok|^# (fail|cancelled)" "$out/$name-$i.tap" | head -10
      break
    fi
  done
  awk -v d="$dir" -v ok="$ok" -v n="$n" -v a="$s" -v b="$EPOCHREALTIME" \
    'BEGIN { printf "%-22s %2d/%d runs passed  %6.0f s\n", d, ok, n, b - a }' >>"$out/summary"
}

lane_a() { for d in tests/simulator tests/e2e tests/browser tests/webhooks; do repeat "$d"; done; }
lane_b() { for d in tests/package tests/cli tests/runtimes tests/reliability; do repeat "$d"; done; }
lane_a &
lane_b &
wait
sort "$out/summary"
! grep -q FAILED "$out/summary" && [ "$(awk '{ split($2, r, "/"); if (r[1] != r[2]) bad++ } END { print bad + 0 }' "$out/summary")" = 0 ]
