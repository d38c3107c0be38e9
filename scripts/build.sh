#!/usr/bin/env bash
# Release build: cargo (wasm32) → wasm-bindgen (web target, ESM glue) → wasm-opt -Oz (npm binaryen) → pkg/, the
# complete npm package: generated bindings merged with the hand-owned files of pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo_home=${CARGO_HOME:-$HOME/.cargo}
# The tools setup.sh installed (CARGO_INSTALL_ROOT/bin, default ~/.cargo/bin) come first.
export PATH="$PWD/node_modules/.bin:${CARGO_INSTALL_ROOT:-$cargo_home}/bin:$PATH:$cargo_home/bin"
. scripts/wasm-release.env

out=target/wasm-bindgen/web
rm -rf "$out"
cargo build --release --lib --target wasm32-unknown-unknown -q
wasm-bindgen --target web --out-dir "$out" --out-name encore_cloud \
  target/wasm32-unknown-unknown/release/encore_cloud.wasm

# wasm-opt from npm binaryen (never a download); features match Rust's wasm32 defaults.
# --converge and the metadata strips save 0.3 KB gzip over -Oz alone (-Os, -O3: larger).
wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/encore_cloud_bg.wasm" -o "$out/encore_cloud_bg.opt.wasm"
mv "$out/encore_cloud_bg.opt.wasm" "$out/encore_cloud_bg.wasm"

# The browser module (index.browser.js, the `browser` condition only): the library without the
# `webhooks` feature (a page never verifies webhooks: that would put the secret in the page).
browser_out=target/wasm-bindgen/browser
rm -rf "$browser_out"
cargo build --release --lib --target wasm32-unknown-unknown --no-default-features -q
wasm-bindgen --target web --out-dir "$browser_out" --out-name encore_cloud_browser \
  target/wasm32-unknown-unknown/release/encore_cloud.wasm
wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$browser_out/encore_cloud_browser_bg.wasm" -o "$browser_out/encore_cloud_browser_bg.opt.wasm"
mv "$browser_out/encore_cloud_browser_bg.opt.wasm" "$browser_out/encore_cloud_browser_bg.wasm"
# Both glues import the same runtime snippet (pkg/snippets/, hence one errors.js identity).
diff -r "$out/snippets" "$browser_out/snippets" >/dev/null \
  || { echo "the browser module's runtime snippet differs from the full module's" >&2; exit 1; }

# The command's module (bin/encore-cloud.js): the same crate with the `cli` feature.
cli_out=target/wasm-bindgen/cli
rm -rf "$cli_out"
cargo build --release --lib --target wasm32-unknown-unknown --features cli -q
wasm-bindgen --target web --out-dir "$cli_out" --out-name encore_cloud_cli \
  target/wasm32-unknown-unknown/release/encore_cloud.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$cli_out/encore_cloud_cli_bg.wasm" -o "$cli_out/encore_cloud_cli_bg.wasm"

rm -rf pkg && mkdir -p pkg
cp -r pkg-template/. pkg/
cp LICENSE-MIT LICENSE-APACHE pkg/
cp -r simulator pkg/simulator
# The npm README: the repository's, without the parts about developing this repository.
[ -f pkg/README.md ] || node -e '
  const fs = require("fs");
  const text = fs.readFileSync("README.md", "utf8").replace(/<!-- repo-only:start -->[\s\S]*?<!-- repo-only:end -->\n?/g, "");
  fs.writeFileSync("pkg/README.md", text);
' 
cp "$out/encore_cloud.js" "$out/encore_cloud_bg.wasm" pkg/
cp -r "$out/snippets" pkg/snippets
cp "$browser_out/encore_cloud_browser.js" "$browser_out/encore_cloud_browser_bg.wasm" pkg/
mkdir -p pkg/cli
cp "$cli_out/encore_cloud_cli.js" "$cli_out/encore_cloud_cli_bg.wasm" pkg/cli/
cp -r "$cli_out/snippets" pkg/cli/snippets
runtime=$(cd pkg && find snippets -name runtime.js | head -1)
[ -n "$runtime" ] || { echo "runtime snippet missing" >&2; exit 1; }
cat > pkg/errors.js <<JS
// The error classes, re-exported from the one module the wasm glue uses (one identity).
export {
  EncoreError, EncoreApiError, EncoreConnectionError, EncoreTimeoutError,
  EncoreProtocolError, EncoreValidationError, EncoreAbortError, EncoreWebhookError,
} from "./$runtime";
JS

# Types: the generated declarations minus the init API the entries hide, minus members that
# need lib esnext (Symbol.dispose), plus the error classes; one self-contained file for
# import and one for require.
node scripts/types.mjs "$out/encore_cloud.d.ts" pkg-template/errors.d.ts > pkg/index.d.ts
cp pkg/index.d.ts pkg/index.d.cts
rm -f pkg/errors.d.ts

# CommonJS entry: the Node ESM entry bundled into one CJS file (same glue, same wasm).
esbuild pkg/index.node.js --bundle --platform=node --format=cjs --target=node20 \
  --define:import.meta.url=__import_meta_url --inject:scripts/cjs-shim.js \
  --log-level=warning --log-override:duplicate-object-key=silent --outfile=pkg/index.cjs

# The Node ESM entry as one file (glue, runtime, error classes and the free() guard inlined):
# each module Node loads at import costs start-up time (about 3.5 ms for these four, issue 12).
# The other entries keep importing the shared files (bundlers and browsers load them as they like).
esbuild pkg/index.node.js --bundle --platform=node --format=esm --target=node20 \
  --banner:js="// encore-cloud for Node (ESM): the glue, js/runtime.js, errors and the free() guard in one file." \
  --log-level=warning --log-override:duplicate-object-key=silent --allow-overwrite --outfile=pkg/index.node.js

# The simulator for CommonJS callers (Node < 20.19 cannot require ES modules).
esbuild pkg/simulator/node.js --bundle --platform=node --format=cjs --target=node20 \
  --log-level=warning --outfile=pkg/simulator/node.cjs
cp pkg/simulator/index.d.ts pkg/simulator/index.d.cts

version=$(awk -F'"' '/^version =/{print $2; exit}' Cargo.toml)
node -e '
  const fs = require("fs"); const p = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
  p.version = process.argv[1]; fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
' "$version"
echo "built pkg/ (encore-cloud $version)"
