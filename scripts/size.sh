#!/usr/bin/env bash
# `make size`: the browser bundle as a bundler ships it — esbuild --bundle --minify
# --format=esm --platform=browser of an entry importing the client, JS gzip + .wasm gzip — for
# raw fetch, the plain-JS baseline (bench/baseline.mjs) and the package (pkg/; the `browser`
# condition loads the browser module, without webhooks), then the full module's entry
# (index.js, what the other conditions load, webhooks included); then the raw pieces of pkg/. gzip -9 throughout. PKG=dir measures another build of the package.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
pkg=$(cd "${PKG:-pkg}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/node_modules"
ln -s "$pkg" "$tmp/node_modules/encore-cloud"
cp bench/size/package.mjs "$tmp/package.mjs"

gz() { gzip -9c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.2f KB", b / 1000 }'; }
bundle() { # name entry → prints one row
  local out="$tmp/$1.min.js"
  esbuild "$2" --bundle --minify --format=esm --platform=browser --log-level=error --outfile="$out"
  local js wasm=0
  js=$(gz "$out")
  # The .wasm ships beside the bundle (esbuild leaves `new URL("…wasm", import.meta.url)` as is):
  # the browser module for the `browser` condition, the full one (with webhooks) otherwise.
  if grep -q 'encore_cloud_browser_bg.wasm' "$out"; then wasm=$(gz "$pkg/encore_cloud_browser_bg.wasm");
  elif grep -q 'encore_cloud_bg.wasm' "$out"; then wasm=$(gz "$pkg/encore_cloud_bg.wasm"); fi
  printf '%-18s %10s %14s %14s %9d B min\n' "$1" "$(kb $((js + wasm)))" "$(kb "$js")" "$(kb "$wasm")" "$(wc -c < "$out")"
}
printf 'bundle (esbuild --bundle --minify --format=esm --platform=browser), gzip -9:\n'
printf '%-18s %10s %14s %14s %15s\n' "" "total" "JS gzip" ".wasm gzip" "JS minified"
bundle "raw fetch" bench/size/raw.mjs
bundle "plain-JS client" bench/size/baseline.mjs
(cd "$tmp" && bundle "encore-cloud" ./package.mjs)
# The full module (webhooks included) as Workers, Deno, Bun and `default` bundles get it.
printf 'export { EncoreClient } from "%s/index.js";\n' "$pkg" > "$tmp/full.mjs"
bundle "encore-cloud, full" "$tmp/full.mjs"

printf '\nraw pieces of %s:\n' "${PKG:-pkg}"
row() { printf '  %-48s %8d B raw %8d B gzip\n' "$1" "$(wc -c < "$pkg/$1")" "$(gz "$pkg/$1")"; }
row encore_cloud_browser_bg.wasm
row encore_cloud_browser.js
row encore_cloud_bg.wasm
row encore_cloud.js
for f in "$pkg"/snippets/*/js/runtime.js; do row "${f#"$pkg"/}"; done
row index.browser.js
row index.js
row index.node.js
row index.cjs
for glue in encore_cloud_browser encore_cloud; do
  esbuild "$pkg/$glue.js" --minify --format=esm --log-level=error --outfile="$tmp/glue.min.js"
  printf '  %-48s %8d B min %8d B gzip\n' "$glue.js, minified alone" "$(wc -c < "$tmp/glue.min.js")" "$(gz "$tmp/glue.min.js")"
done
