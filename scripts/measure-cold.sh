#!/usr/bin/env bash
# Measures a make target as a new machine of this kind runs it: a fresh clone of HEAD, with the
# cargo home (crates, installed tools), the npm cache and the apt archives all empty, so that
# every tool is downloaded and compiled again (the Rust toolchain and Node, which a new machine
# has, stay). Prints the target's output and its wall time.
#
#   scripts/measure-cold.sh test        cold `make test`
#   scripts/measure-cold.sh demo        cold `make demo`, timed until the page answers
#
# Scratch space goes to ${COLD_DIR:-/tmp/encore-cloud-cold} (removed first). The apt packages
# are reinstalled from freshly downloaded archives (SETUP_REINSTALL_APT=1), not removed; the
# wasm32 target is removed from the toolchain first (setup adds it back).
set -euo pipefail
target=${1:?usage: scripts/measure-cold.sh test|demo}
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${COLD_DIR:-/tmp/encore-cloud-cold}
rm -rf "$dir" && mkdir -p "$dir/cargo-home/bin" "$dir/npm-cache"
git clone -q "$repo" "$dir/clone"
# rustup's proxies (cargo, rustc) stay reachable; everything cargo installs goes to the empty home.
export PATH="$dir/cargo-home/bin:$PATH"
export CARGO_HOME="$dir/cargo-home" npm_config_cache="$dir/npm-cache" SETUP_REINSTALL_APT=1
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}
rustup target remove wasm32-unknown-unknown >/dev/null 2>&1 || true
cd "$dir/clone"
start=$EPOCHREALTIME
case $target in
  test)
    make test
    ;;
  demo)
    port=${DEMO_PORT:-8080}
    make demo >"$dir/demo.log" 2>&1 &
    demo=$!
    until curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1; do
      kill -0 "$demo" 2>/dev/null || { cat "$dir/demo.log"; echo "make demo exited" >&2; exit 1; }
      sleep 1
    done
    cat "$dir/demo.log"
    pkill -P "$demo" 2>/dev/null || true
    kill "$demo" 2>/dev/null || true
    ;;
  *) echo "unknown target $target (test, demo)" >&2; exit 2 ;;
esac
awk -v a="$start" -v b="$EPOCHREALTIME" -v t="$target" 'BEGIN { printf "cold make %s: %.0f s\n", t, b - a }'
