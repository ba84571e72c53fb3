#!/usr/bin/env bash
# Release builds for the soak runs: the mock and CLI, the Python wheel in
# target/soak-venv, the Node addon with its TypeScript facade.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=target/soak-venv
cargo build -q --release -p enneo-mock -p enneo-cli
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --disable-pip-version-check maturin==1.16.0
rm -rf target/wheels/soak
"$VENV/bin/maturin" build -q --release -m bindings/python/Cargo.toml -o target/wheels/soak 2>/dev/null
"$VENV/bin/pip" install -q --force-reinstall --no-deps target/wheels/soak/*.whl
(cd bindings/node && npm ci --no-audit --no-fund --loglevel=error \
  && npx --no-install napi build --platform --release --js native.js --dts native.d.ts >/dev/null \
  && rm -rf lib && npx --no-install tsc -p tsconfig.json && node scripts/esm.mjs)
