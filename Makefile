# Two entry points: `make demo` and `make test`. Everything they need is
# installed by the targets below (a Python venv in .venv, npm packages in
# tools/ and bindings/node); nothing has to be installed by hand.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
export CARGO_TERM_COLOR ?= never
MOCK_BIN := $(CURDIR)/target/debug/enneo-mock
PY_TEST_VENV := target/py-test-venv
PY_SDIST_VENV := target/py-sdist-venv
WHEEL_DIR := target/wheels/test
NODE_PROJECT := target/node-test-project
DIST := dist
NODE_TARGET := x86_64-unknown-linux-gnu
ZIGBUILD := target/tools/bin/cargo-zigbuild
# The one version written by hand: the Cargo workspace's.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)

.PHONY: demo test setup generate check-generated lint spec-lint test-repo test-rust package-check \
        python-dev test-python test-python-sdist node-build node-project test-node test-runtimes test-generate test-validator dist dist-host dist-platforms test-dist test-platforms bench soak clean \
        test-conformance fuzz soak-leaks docs test-docs chromium test-limits test-engines

demo: $(VENV)/.installed
	@echo "== Rust (crates/enneo/examples/lookup.rs, embedded mock)"
	$(CARGO) run -q -p enneo --example lookup
	@echo "== CLI: enneo customer get 83771 --mock"
	$(CARGO) run -q -p enneo-cli -- customer get 83771 --mock
	@echo "== Python (bindings/python, against enneo-mock)"
	$(MAKE) -s python-dev
	ENNEO_MOCK_BIN=$(MOCK_BIN) $(VPY) bindings/python/examples/demo.py
	@echo "== Node (bindings/node, against enneo-mock)"
	$(MAKE) -s node-build
	ENNEO_MOCK_BIN=$(MOCK_BIN) node bindings/node/examples/demo.js

test: setup check-generated lint spec-lint test-repo test-rust test-conformance package-check test-python test-python-sdist test-node test-validator test-docs test-dist test-runtimes test-generate
	@echo "all suites passed"

# --- setup -------------------------------------------------------------------

setup: $(VENV)/.installed tools/node_modules/.installed

$(VENV)/.installed: tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --disable-pip-version-check -r tests/requirements.txt
	touch $@

tools/node_modules/.installed: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# --- generated code ----------------------------------------------------------

generate:
	$(CARGO) run -q -p enneo-codegen

check-generated:
	$(CARGO) run -q -p enneo-codegen -- --check

# Adds two operations to a scratch copy's spec, regenerates, and calls them
# from Rust, the CLI, Python and Node (tests/generate/run.sh).
test-generate: $(VENV)/.installed
	tests/generate/run.sh

# --- Rust ----------------------------------------------------------------------

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -q --workspace --all-targets --features enneo/opentelemetry -- -D warnings

test-rust:
	$(CARGO) test -q --workspace
	$(CARGO) test -q -p enneo --features opentelemetry --test tracing --test otel_metrics

# enneo with enneo-schema, which it depends on: packaged together, cargo
# resolves the one against the other before either is on crates.io.
# cargo verifies enneo against enneo-schema through a local registry. A
# registry crate is taken as immutable: its unpacked sources (in CARGO_HOME,
# by the registry's path) and its build (in target/) are reused for the same
# version, so those of an earlier run are dropped first.
package-check:
	rm -rf $${CARGO_HOME:-$$HOME/.cargo}/registry/src/-*/enneo-schema-*
	$(CARGO) clean -q -p enneo-schema
	$(CARGO) package -q -p enneo-schema -p enneo --allow-dirty

# --- the spec ------------------------------------------------------------------

spec-lint: setup
	$(VENV)/bin/openapi-spec-validator openapi.yaml
	cd tools && npx --no-install redocly lint ../openapi.yaml --format=stylish
	$(VENV)/bin/pytest -q tests/spec

# Checks of the repository itself (the Makefile, versions, workflows).
test-repo: setup
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/repo

# Schemathesis against the mock, from the spec alone (tests/conformance/run.sh).
test-conformance:
	$(CARGO) build -q -p enneo-mock
	ENNEO_MOCK_BIN=$(MOCK_BIN) tests/conformance/run.sh

# The stable-Rust fuzz target (crates/enneo/tests/fuzz.rs) for FUZZ_SECONDS
# (default 60): the id validator, the path encoder and the response decoder.
# A failing input is appended to tests/vectors/fuzz-corpus.json.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(CARGO) test -q -p enneo --release --test fuzz -- --ignored --nocapture

# --- Python ----------------------------------------------------------------------

# The development install used by `make demo`.
python-dev: $(VENV)/.installed
	$(CARGO) build -q -p enneo-mock
	$(VENV)/bin/maturin develop -q -m bindings/python/Cargo.toml >/dev/null

# $(call python_suite,VENV): the Python suite, run by the enneo installed in VENV.
python_suite = cd bindings/python/tests && ENNEO_MOCK_BIN=$(MOCK_BIN) $(CURDIR)/$(1)/bin/pytest -q -p no:cacheprovider

# The Python suite against the release wheel in `dist/`, in a fresh venv.
test-python: dist-host
	$(CARGO) build -q -p enneo-mock
	rm -rf $(PY_TEST_VENV)
	$(PYTHON) -m venv $(PY_TEST_VENV)
	$(PY_TEST_VENV)/bin/pip install -q --disable-pip-version-check $(DIST)/enneo-*-cp39-abi3-manylinux*_x86_64.whl -r bindings/python/tests/requirements.txt
	$(call python_suite,$(PY_TEST_VENV))

# The same suite against `pip install dist/enneo-*.tar.gz` (built from source)
# in a fresh venv.
test-python-sdist: dist-host
	$(CARGO) build -q -p enneo-mock
	rm -rf $(PY_SDIST_VENV)
	$(PYTHON) -m venv $(PY_SDIST_VENV)
	CARGO_TARGET_DIR=$(CURDIR)/target/sdist-build $(PY_SDIST_VENV)/bin/pip install -q --disable-pip-version-check \
		$(DIST)/enneo-*.tar.gz -r bindings/python/tests/requirements.txt
	$(call python_suite,$(PY_SDIST_VENV))

# --- Node ------------------------------------------------------------------------

bindings/node/node_modules/.installed: bindings/node/package.json bindings/node/package-lock.json
	cd bindings/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Builds the addon (debug profile: the tests do not need optimised code).
node-build: bindings/node/node_modules/.installed
	$(CARGO) build -q -p enneo-mock
	cd bindings/node && npx --no-install napi build --platform --no-js --dts native.d.ts >/dev/null \
		&& rm -rf lib && npx --no-install tsc -p tsconfig.json && node scripts/esm.mjs

# An empty project outside the repository that installs only the two
# tarballs from `dist/` (main and linux-x64-gnu), with copies of the files
# the tests read and of the mock binary: where the Node suites run.
node-project: dist-host
	$(CARGO) build -q -p enneo-mock
	rm -rf $(NODE_PROJECT) && mkdir -p $(NODE_PROJECT)/fixtures $(NODE_PROJECT)/bin
	cp -r bindings/node/test bindings/node/examples $(NODE_PROJECT)/
	cp openapi.yaml crates/enneo-mock/src/seed-customer.json $(NODE_PROJECT)/fixtures/
	cp -r tests/tls $(NODE_PROJECT)/fixtures/tls
	cp -r tests/vectors $(NODE_PROJECT)/fixtures/vectors
	cp $(MOCK_BIN) $(NODE_PROJECT)/bin/
	printf '{"name":"enneo-test-project","private":true}\n' > $(NODE_PROJECT)/package.json
	cd $(NODE_PROJECT) && npm install --no-audit --no-fund --loglevel=error \
		$(CURDIR)/$(DIST)/enneo-$(VERSION).tgz $(CURDIR)/$(DIST)/enneo-linux-x64-gnu-$(VERSION).tgz \
		@types/node@20 yaml@2.9.1 typescript@5.9.3 express@5.2.1 @types/express@5.0.6 \
		@opentelemetry/api@1.10.0 @opentelemetry/sdk-trace@3.1.1 @opentelemetry/sdk-metrics@3.1.1 \
		@opentelemetry/core@3.1.1 @opentelemetry/context-async-hooks@3.1.1 apache-arrow@21.2.0

# The Node suite against that project.
test-node: node-project tools/node_modules/.installed
	# The published types must resolve in every TypeScript mode, and the
	# package must lint clean, as packed.
	cd tools && npx --no-install attw $(CURDIR)/$(DIST)/enneo-$(VERSION).tgz \
		&& npx --no-install publint --strict $(CURDIR)/$(DIST)/enneo-$(VERSION).tgz
	cd $(NODE_PROJECT) && ENNEO_FIXTURES=$$PWD/fixtures ENNEO_MOCK_BIN=$$PWD/bin/enneo-mock ENNEO_TSC=$$PWD/node_modules/.bin/tsc \
		node --test --test-concurrency=1 test/*.test.mjs

# The artefacts on every runtime users bring: CPython 3.9 to 3.13, Node 18,
# 22, 24 and 26, Bun and Deno (tests/runtimes/run.sh says which suites).
test-runtimes: dist-host node-project
	$(CARGO) build -q -p enneo-mock
	NODE_PROJECT=$(NODE_PROJECT) tests/runtimes/run.sh

# --- release artefacts -------------------------------------------------------------

# What a release publishes, in dist/: this machine's artefacts (dist-host)
# and the other Linux platforms' (dist-platforms). The suites of make test
# need only the first.
dist: dist-host dist-platforms

# The abi3 manylinux2014 x86_64 wheel (glibc 2.17, through zig from PyPI),
# the sdist, and the npm main package with its linux-x64-gnu platform package
# (glibc 2.17, through cargo-zigbuild).
dist-host: $(VENV)/.installed $(ZIGBUILD) node-build
	rm -rf $(DIST) && mkdir -p $(DIST)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" maturin build -q --release --zig --compatibility manylinux2014 \
		-m bindings/python/Cargo.toml -o $(DIST)
	$(VENV)/bin/maturin sdist -m bindings/python/Cargo.toml -o $(DIST) >/dev/null
	PATH="$(CURDIR)/target/tools/bin:$(CURDIR)/$(VENV)/bin:$$PATH" $(CARGO) zigbuild -q --release \
		-p enneo-node --target $(NODE_TARGET).2.17
	cd bindings/node && node scripts/stage-npm.mjs --out $(CURDIR)/$(DIST) \
		--binary $(NODE_TARGET)=$(CURDIR)/target/$(NODE_TARGET)/release/libenneo_node.so

# aarch64 glibc, x86_64 and aarch64 musl, and free-threaded CPython 3.14
# (cp314t) wheels, and the linux-arm64-gnu, linux-x64-musl and
# linux-arm64-musl npm packages, with Debian's rustc and zig; the toolchains
# come from tools/platforms-setup.sh (cached in ~/.cache/enneo-platforms).
dist-platforms: $(VENV)/.installed $(ZIGBUILD)
	test -f $(DIST)/enneo-$(VERSION).tgz || $(MAKE) dist-host
	tools/dist-platforms.sh $(DIST)

$(ZIGBUILD):
	$(CARGO) install --locked --quiet --root target/tools cargo-zigbuild@0.24.1

# Checks of the artefacts themselves: glibc floor, one version, the
# unsupported-platform and missing-Rust messages.
test-dist: dist-host
	$(CARGO) build -q -p enneo-cli
	ENNEO_CLI_BIN=$(CURDIR)/target/debug/enneo $(VENV)/bin/pytest -q -p no:cacheprovider tests/dist

# Every artefact of dist-platforms on a runtime of its platform: arm64 under
# qemu, musl under Bun-musl, CPython 3.14 (tests/platforms/run.sh says which
# suites). About N minutes from a warm target/; not in make test.
test-platforms: dist
	$(CARGO) build -q -p enneo-mock
	tests/platforms/run.sh

# --- third-party request validation ------------------------------------------------

# Prism, as a validating proxy built from openapi.yaml, in front of the mock:
# every client's requests (Rust, CLI, and the installed Python and Node
# packages from the two targets above) must pass it.
test-validator: tools/node_modules/.installed
	$(CARGO) build -q -p enneo-mock -p enneo-cli
	$(CARGO) build -q -p enneo --example fetch
	@test -x $(PY_TEST_VENV)/bin/python && test -d $(NODE_PROJECT)/node_modules/enneo || \
		{ echo "test-validator uses the installs of test-python and test-node: run those first" >&2; exit 1; }
	ENNEO_MOCK_BIN=$(MOCK_BIN) ENNEO_CLI_BIN=$(CURDIR)/target/debug/enneo \
	ENNEO_RUST_FETCH_BIN=$(CURDIR)/target/debug/examples/fetch ENNEO_NODE_PROJECT=$(CURDIR)/$(NODE_PROJECT) \
		$(PY_TEST_VENV)/bin/pytest -q -p no:cacheprovider tests/validator

# --- documentation ----------------------------------------------------------------

$(VENV)/.docs-installed: $(VENV)/.installed docs/requirements.txt
	$(VPY) -m pip install -q --disable-pip-version-check -r docs/requirements.txt
	touch $@

# The site in site/: guides, the Python (mkdocstrings), Node (TypeDoc) and
# Rust (rustdoc) references, the benchmark chart; strict (tools/docs/build.sh).
docs: $(VENV)/.docs-installed node-build
	VPY=$(CURDIR)/$(VPY) tools/docs/build.sh

# Debian's Chromium for the site's browser test, installed when missing and
# this is a root shell with apt (as on CI machines).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "make test-docs needs Chromium: apt-get install chromium" >&2; exit 1; fi; }

# The site opened in headless Chromium (reference pages, search, a screenshot
# in target/docs/), and every Python, JS and TS sample of the README and the
# guides type-checked and run against the mock, with the packages that
# test-python and test-node installed.
test-docs: docs chromium tools/node_modules/.installed
	@test -x $(PY_TEST_VENV)/bin/python && test -d $(NODE_PROJECT)/node_modules/enneo || \
		{ echo "test-docs uses the installs of test-python and test-node: run those first" >&2; exit 1; }
	mkdir -p target/docs
	node tests/docs/browser.mjs site target/docs/search.png
	ENNEO_MOCK_BIN=$(MOCK_BIN) ENNEO_SNIPPET_PYTHON=$(CURDIR)/$(PY_TEST_VENV)/bin/python ENNEO_NODE_PROJECT=$(CURDIR)/$(NODE_PROJECT) \
		$(VENV)/bin/pytest -q -p no:cacheprovider tests/docs

# The longer runs against a server's rate limit (20 000 lookups at 2 000 a
# second, silent and announced; about a minute): `make test` runs the
# 3 000-at-300 ones. Run in ci.yml.
test-limits:
	$(CARGO) test -q -p enneo --test server_limit -- --include-ignored --nocapture

# Spark (local mode, mapInArrow) and Ray Data (map_batches) running the
# data-at-scale guide's code against the mock, with the built wheel. Not in
# `make test`: pyspark and ray are large downloads and their start-up slow.
# Spark needs a Java runtime; installed from Debian when missing (root).
ENGINES_VENV := target/engines-venv
test-engines: dist-host
	command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null)
	rm -rf $(ENGINES_VENV)
	$(PYTHON) -m venv $(ENGINES_VENV)
	$(ENGINES_VENV)/bin/pip install -q --disable-pip-version-check $(DIST)/enneo-*-cp39-abi3-manylinux*_x86_64.whl -r tests/engines/requirements.txt
	cd tests/engines && ../../$(ENGINES_VENV)/bin/python -m pytest -q -p no:cacheprovider test_engines.py

# Benchmarks (not part of `make test`: speed is measured, not asserted).
bench:
	bench/run.sh

# 1 000 000 streamed lookups in Python and Node; fails when RSS grows by
# more than 50 MB after the first 100 000. Not part of `make test`.
soak:
	tests/soak/run.sh

# 100 000 lookups with 10% injected faults in Python and Node; fails when
# file descriptors or threads grow. Part of `make soak`; not of `make test`.
soak-leaks:
	tests/soak/leaks.sh

clean:
	rm -rf target $(VENV) tools/node_modules $(DIST)
