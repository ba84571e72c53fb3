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

.PHONY: demo test setup generate check-generated lint spec-lint test-rust package-check \
        test-python test-node python-wheel node-build bench clean

demo: $(VENV)/.installed
	$(CARGO) build -q -p enneo-cli -p enneo --examples
	@echo "== Rust (crates/enneo/examples/lookup.rs, embedded mock)"
	$(CARGO) run -q -p enneo --example lookup
	@echo "== CLI: enneo customer get 83771 --mock"
	./target/debug/enneo customer get 83771 --mock

test: setup check-generated lint spec-lint test-rust package-check
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

clean:
	rm -rf target $(VENV) tools/node_modules
