#!/usr/bin/env bash
# Installs what a make target needs, in layers; what is present is skipped, so a run with
# everything in place takes about a second.
#
#   scripts/setup.sh build   the wasm32 target, wasm-bindgen-cli (the version of the wasm-bindgen
#                            crate in Cargo.lock), the pinned npm dev tools (npm ci)
#                            — for make build / demo / size / bench
#   scripts/setup.sh test    Chromium + ChromeDriver + Firefox ESR (apt) — what make test needs
#                            on top of build (Firefox is driven by scripts/firefox-webdriver.mjs
#                            through puppeteer-core, an npm dev tool: no geckodriver to compile)
#   scripts/setup.sh fuzz    cargo-fuzz — for make fuzz only
#
# Layers combine (`scripts/setup.sh build test`, the default). Every missing piece starts at
# once and runs concurrently with the others (apt downloads while cargo compiles; no step waits
# for an unrelated one); each prints its time when done, its output goes to
# test-output/setup-<step>.log and is shown if it fails.
#
# The cargo-installed tools are looked for where cargo installs them (CARGO_INSTALL_ROOT/bin,
# default ~/.cargo/bin), the folder the scripts put first on PATH. SETUP_REINSTALL_APT=1 reinstalls the apt packages even when present,
# downloading them afresh (to measure a new machine).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
APT_PACKAGES=(chromium chromium-driver firefox-esr fonts-dejavu-core)

cargo_home=${CARGO_HOME:-$HOME/.cargo}
bin=${CARGO_INSTALL_ROOT:-$cargo_home}/bin # where cargo installs, so where the tools are looked for
export PATH="$bin:$PATH:$cargo_home/bin"
export CARGO_TERM_COLOR=never
mkdir -p test-output

layers=("$@")
[ ${#layers[@]} -gt 0 ] || layers=(build test)
for l in "${layers[@]}"; do
  case $l in build | test | fuzz) ;; *) echo "setup.sh: unknown layer '$l' (build, test, fuzz)" >&2; exit 2 ;; esac
done
has_layer() { [[ " ${layers[*]} " == *" $1 "* ]]; }

# --- the steps: each is a check (true when the step is needed) and an install ---------------

# True when a line of the command's output starts with the prefix. The output is read whole
# first: `cmd | grep -q` would close the pipe early, and a tool that panics on a broken pipe
# (some do) would fail the pipeline and look missing.
prints() { # prefix command...
  local out
  out=$("${@:2}" 2>/dev/null) || return 1
  [[ $'\n'$out == *$'\n'"$1"* ]]
}

need_target() { ! prints wasm32-unknown-unknown rustup target list --installed; }
# The project's own wasm32 release compiles (what scripts/build.sh starts with) need only the
# target, not the tools: it runs here beside their compiles, so build.sh finds it done. A compile
# error is not setup's to report (build.sh will), so it does not fail the step.
# Skipped when these sources compiled before (the three builds relink each other's output
# when their features switch, so even an unchanged tree costs ~17 s to ask cargo).
precompile_stamp=target/.setup-precompile
sources_digest() {
  { rustc --version; cat Cargo.toml Cargo.lock scripts/wasm-release.env; find src -type f | sort | xargs cat; } | sha256sum | cut -d' ' -f1
}
need_precompile() { need_target || [ "$(cat "$precompile_stamp" 2>/dev/null)" != "$(sources_digest)" ]; }
target_and_compile() {
  if need_target; then rustup target add wasm32-unknown-unknown; fi
  local digest; digest=$(sources_digest)
  # All three modules build.sh makes (full, browser, CLI): their LTO links are single-threaded,
  # so beside the tool compiles they use a core that would otherwise wait.
  if (. scripts/wasm-release.env &&
    cargo build --release --lib --target wasm32-unknown-unknown &&
    cargo build --release --lib --target wasm32-unknown-unknown --no-default-features &&
    cargo build --release --lib --target wasm32-unknown-unknown --features cli); then
    echo "$digest" > "$precompile_stamp"
  else
    echo "the wasm32 compile failed; scripts/build.sh will report it"
  fi
}

need_wasm_bindgen() {
  ! { prints "wasm-bindgen $WASM_BINDGEN_VERSION" "$bin/wasm-bindgen" --version &&
    prints "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" "$bin/wasm-bindgen-test-runner" --version; }
}
install_wasm_bindgen() {
  # Not --locked: one locked dependency of the CLI is missing from the reachable index.
  # --no-default-features drops rustls and ring (the test runner only speaks plain HTTP to a
  # local WebDriver). Unoptimised (opt-level 0), it compiles in about 100 s instead of about
  # 180–230 s (opt-level 1 or 3) on 2 cores; its only cost is speed where it barely counts:
  # processing the 18 MB wasm test binary takes about 10 s instead of 2.5 s (three runs in
  # make test), a release module 0.5 s instead of 0.15 s. Measured on this machine kind.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=64 CARGO_PROFILE_RELEASE_LTO=false \
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --no-default-features --force
}

npm_stamp=node_modules/.setup-stamp
need_npm() { [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$(sha256sum package-lock.json | cut -d' ' -f1)" ]; }
install_npm() {
  # binaryen's wasm-opt, typescript, esbuild, playwright-core, vite; pinned by the lock.
  npm ci --no-audit --no-fund --loglevel=error
  sha256sum package-lock.json | cut -d' ' -f1 > "$npm_stamp"
}

need_apt() {
  [ "${SETUP_REINSTALL_APT:-0}" = 1 ] && return 0
  ! { command -v chromium && command -v chromedriver && { command -v firefox-esr || command -v firefox; }; } >/dev/null
}
install_apt() {
  local sudo=() opts=(-y -q --no-install-recommends) archives=
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  if [ "${SETUP_REINSTALL_APT:-0}" = 1 ]; then
    archives=$(mktemp -d) && mkdir -p "$archives/partial"
    opts+=(--reinstall -o "Dir::Cache::Archives=$archives")
  fi
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install "${opts[@]}" "${APT_PACKAGES[@]}"
  [ -z "$archives" ] || rm -rf "$archives"
}

need_cargo_fuzz() { ! prints "cargo-fuzz $CARGO_FUZZ_VERSION" "$bin/cargo-fuzz" --version; }
install_cargo_fuzz() { cargo install --locked cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --force; }

# --- run every needed step concurrently ---------------------------------------------------

t0=$EPOCHREALTIME
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }'; }
declare -A pid_step=() pid_log=()
start() { # step-name check install
  local name=$1
  if ! "$2"; then
    printf '[setup] %-42s present\n' "$name"
    return
  fi
  local log="test-output/setup-${name%% *}.log"
  printf '[setup] %-42s started (log: %s)\n' "$name" "$log"
  ( s=$EPOCHREALTIME; "$3" >"$log" 2>&1; printf '[setup] %-42s done in %s\n' "$name" "$(elapsed "$s")" ) &
  pid_step[$!]=$name
  pid_log[$!]=$log
}

# The longest first: apt's downloads and the compiles overlap.
if has_layer test; then
  start "apt chromium firefox-esr + drivers" need_apt install_apt
fi
if has_layer build || has_layer test; then
  start "wasm-bindgen-cli $WASM_BINDGEN_VERSION" need_wasm_bindgen install_wasm_bindgen
fi
if has_layer fuzz; then
  start "cargo-fuzz $CARGO_FUZZ_VERSION" need_cargo_fuzz install_cargo_fuzz
fi
if has_layer build || has_layer test; then
  start "wasm32 target + release modules" need_precompile target_and_compile
  start "npm ci" need_npm install_npm
fi

failed=()
while [ ${#pid_step[@]} -gt 0 ]; do
  done_pid=
  if wait -n -p done_pid "${!pid_step[@]}"; then :; else
    failed+=("${pid_step[$done_pid]}")
    printf '[setup] %s FAILED; the end of %s:\n' "${pid_step[$done_pid]}" "${pid_log[$done_pid]}" >&2
    tail -25 "${pid_log[$done_pid]}" >&2
  fi
  unset "pid_step[$done_pid]" "pid_log[$done_pid]"
done
if [ ${#failed[@]} -gt 0 ]; then
  printf '[setup] failed: %s\n' "${failed[*]}" >&2
  exit 1
fi
printf '[setup] %s ready in %s\n' "${layers[*]}" "$(elapsed "$t0")"
