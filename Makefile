# encore-cloud — see README.md. Every target first installs what it needs, and only that
# (scripts/setup.sh, idempotent): `build` layer for build/demo/size/bench/lint, `test` layer
# (Chromium, ChromeDriver, Firefox) on top for test, cargo-fuzz for fuzz.
.PHONY: setup setup-build setup-test build test demo size lint fuzz bench clean

setup:
	@bash scripts/setup.sh build test

setup-build:
	@bash scripts/setup.sh build

setup-test:
	@bash scripts/setup.sh build test

build: setup-build
	@bash scripts/build.sh

test: setup-test
	@bash scripts/test.sh

# The package, rebuilt when a source of it changed (so `make demo` never serves a stale one).
PKG_SOURCES := $(shell find src js pkg-template simulator -type f 2>/dev/null) Cargo.toml Cargo.lock \
	scripts/build.sh scripts/wasm-release.env scripts/types.mjs scripts/cjs-shim.js README.md
pkg/encore_cloud_bg.wasm: $(PKG_SOURCES) | setup-build
	@bash scripts/build.sh

demo: setup-build pkg/encore_cloud_bg.wasm
	@node scripts/demo-server.mjs

bench: setup-build pkg/encore_cloud_bg.wasm
	@node bench/bench.mjs
	@node bench/cli.mjs

size: setup-build pkg/encore_cloud_bg.wasm
	@bash scripts/size.sh

# Real fuzzing (FUZZ_SECONDS per target, default 60); `make test` only replays the corpus.
fuzz:
	@bash scripts/setup.sh fuzz
	@bash scripts/fuzz.sh $${FUZZ_SECONDS:-60}

lint: setup-build
	@bash scripts/test.sh lint

clean:
	rm -rf pkg target test-output
