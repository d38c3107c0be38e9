# encore-cloud — see README.md. Every target installs what it needs (scripts/setup.sh).
.PHONY: setup build test demo size lint fuzz bench clean

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build.sh

test: setup
	@bash scripts/test.sh

demo: setup
	@test -f pkg/encore_cloud_bg.wasm || bash scripts/build.sh
	@node scripts/demo-server.mjs

bench: setup
	@test -f pkg/encore_cloud_bg.wasm || bash scripts/build.sh
	@node bench/bench.mjs

size: setup
	@test -f pkg/encore_cloud_bg.wasm || bash scripts/build.sh
	@bash scripts/size.sh

fuzz: setup
	@bash scripts/fuzz.sh $${FUZZ_SECONDS:-60}

lint: setup
	@bash scripts/test.sh lint

clean:
	rm -rf pkg target test-output
