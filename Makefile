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

.PHONY: demo test setup generate check-generated lint spec-lint test-repo test-rust package-check \
        python-dev test-python test-python-sdist node-build test-node test-validator bench clean

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

test: setup check-generated lint spec-lint test-repo test-rust package-check test-python test-python-sdist test-node test-validator
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

# --- Rust ----------------------------------------------------------------------

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -q --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test -q --workspace

package-check:
	$(CARGO) package -q -p enneo --allow-dirty

# --- the spec ------------------------------------------------------------------

spec-lint: setup
	$(VENV)/bin/openapi-spec-validator openapi.yaml
	cd tools && npx --no-install redocly lint ../openapi.yaml --format=stylish
	$(VENV)/bin/pytest -q tests/spec

# Checks of the repository itself (the Makefile, versions, workflows).
test-repo: setup
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/repo

# --- Python ----------------------------------------------------------------------

# The development install used by `make demo`.
python-dev: $(VENV)/.installed
	$(CARGO) build -q -p enneo-mock
	$(VENV)/bin/maturin develop -q -m bindings/python/Cargo.toml >/dev/null

# Builds the wheel, installs it into a fresh venv and tests the installed package.
test-python: $(VENV)/.installed
	$(CARGO) build -q -p enneo-mock
	rm -rf $(WHEEL_DIR) $(PY_TEST_VENV)
	$(VENV)/bin/maturin build -q -m bindings/python/Cargo.toml -o $(WHEEL_DIR)
	$(PYTHON) -m venv $(PY_TEST_VENV)
	$(PY_TEST_VENV)/bin/pip install -q --disable-pip-version-check $(WHEEL_DIR)/*.whl -r bindings/python/tests/requirements.txt
	cd bindings/python/tests && ENNEO_MOCK_BIN=$(MOCK_BIN) $(CURDIR)/$(PY_TEST_VENV)/bin/pytest -q -p no:cacheprovider

# `pip install ./bindings/python` from source, in a fresh venv, then one lookup.
test-python-sdist:
	$(CARGO) build -q -p enneo-mock
	rm -rf $(PY_SDIST_VENV)
	$(PYTHON) -m venv $(PY_SDIST_VENV)
	$(PY_SDIST_VENV)/bin/pip install -q --disable-pip-version-check ./bindings/python
	ENNEO_MOCK_BIN=$(MOCK_BIN) $(PY_SDIST_VENV)/bin/python bindings/python/examples/demo.py

# --- Node ------------------------------------------------------------------------

bindings/node/node_modules/.installed: bindings/node/package.json bindings/node/package-lock.json
	cd bindings/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Builds the addon (debug profile: the tests do not need optimised code).
node-build: bindings/node/node_modules/.installed
	$(CARGO) build -q -p enneo-mock
	cd bindings/node && npx --no-install napi build --platform --js native.js --dts native.d.ts >/dev/null

# npm pack, install the tarball into an empty project, run node --test there.
test-node: node-build
	rm -rf $(NODE_PROJECT) target/node-pack && mkdir -p $(NODE_PROJECT) target/node-pack
	cd bindings/node && npm pack --silent --pack-destination $(CURDIR)/target/node-pack >/dev/null
	cp -r bindings/node/test bindings/node/examples $(NODE_PROJECT)/
	printf '{"name":"enneo-test-project","private":true,"dependencies":{"enneo":"file:%s","@types/node":"^20.0.0","yaml":"2.9.1"}}\n' \
		"$$(ls $(CURDIR)/target/node-pack/enneo-*.tgz)" > $(NODE_PROJECT)/package.json
	cd $(NODE_PROJECT) && npm install --no-audit --no-fund --loglevel=error
	cd $(NODE_PROJECT) && ENNEO_REPO=$(CURDIR) ENNEO_MOCK_BIN=$(MOCK_BIN) ENNEO_TSC=$(CURDIR)/bindings/node/node_modules/.bin/tsc \
		node --test --test-concurrency=1 test/*.test.mjs

# --- third-party request validation ------------------------------------------------

# Prism, as a validating proxy built from openapi.yaml, in front of the mock:
# every client's requests (Rust, CLI, and the installed Python and Node
# packages from the two targets above) must pass it.
test-validator: tools/node_modules/.installed
	$(CARGO) build -q -p enneo-mock -p enneo-cli
	$(CARGO) build -q -p enneo --example fetch
	test -x $(PY_TEST_VENV)/bin/python && test -d $(NODE_PROJECT)/node_modules/enneo
	ENNEO_MOCK_BIN=$(MOCK_BIN) ENNEO_CLI_BIN=$(CURDIR)/target/debug/enneo \
	ENNEO_RUST_FETCH_BIN=$(CURDIR)/target/debug/examples/fetch ENNEO_NODE_PROJECT=$(CURDIR)/$(NODE_PROJECT) \
		$(PY_TEST_VENV)/bin/pytest -q -p no:cacheprovider tests/validator

# Benchmarks (not part of `make test`: speed is measured, not asserted).
bench:
	bench/run.sh

clean:
	rm -rf target $(VENV) tools/node_modules
