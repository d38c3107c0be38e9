# encore-cloud — see README.md. Every target installs what it needs (scripts/setup.sh).
.PHONY: setup build test demo size lint fuzz bench clean

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build.sh

test: setup
	@bash scripts/test.sh

# The package, rebuilt when a source of it changed (so `make demo` never serves a stale one).
PKG_SOURCES := $(shell find src js pkg-template simulator -type f 2>/dev/null) Cargo.toml Cargo.lock \
	scripts/build.sh scripts/types.mjs scripts/cjs-shim.js README.md
pkg/encore_cloud_bg.wasm: $(PKG_SOURCES) | setup
	@bash scripts/build.sh

demo: setup pkg/encore_cloud_bg.wasm
	@node scripts/demo-server.mjs

bench: setup pkg/encore_cloud_bg.wasm
	@node bench/bench.mjs
	@node bench/cli.mjs

size: setup pkg/encore_cloud_bg.wasm
	@bash scripts/size.sh

fuzz: setup
	@bash scripts/fuzz.sh $${FUZZ_SECONDS:-60}

lint: setup
	@bash scripts/test.sh lint

clean:
	rm -rf pkg target test-output
