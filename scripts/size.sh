#!/usr/bin/env bash
# Size of the shipped build: the .wasm raw and gzipped, and the JS glue.
set -euo pipefail
cd "$(dirname "$0")/../pkg"
row() { printf '%-34s %8d bytes raw %8d bytes gzip -9\n' "$1" "$(wc -c < "$1")" "$(gzip -9c "$1" | wc -c)"; }
row encore_cloud_bg.wasm
row encore_cloud.js
for f in snippets/*/js/runtime.js; do row "$f"; done
row index.browser.js
row index.node.js
row index.cjs
