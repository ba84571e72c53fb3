#!/usr/bin/env bash
# Release builds for the bench and soak runs: the mock and CLI, the Python
# wheel installed into VENV (with any extra pip arguments), and the Node
# addon with its TypeScript facade.
#
#   tools/release-build.sh VENV [pip install arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$1
shift
cargo build -q --release -p enneo-mock -p enneo-cli
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --disable-pip-version-check maturin==1.16.0 "$@"
wheels="target/wheels/$(basename "$VENV")"
rm -rf "$wheels"
"$VENV/bin/maturin" build -q --release -m bindings/python/Cargo.toml -o "$wheels" 2>/dev/null
"$VENV/bin/pip" install -q --force-reinstall --no-deps "$wheels"/*.whl
(cd bindings/node && npm ci --no-audit --no-fund --loglevel=error \
  && npx --no-install napi build --platform --release --no-js --dts native.d.ts >/dev/null \
  && rm -rf lib && npx --no-install tsc -p tsconfig.json && node scripts/esm.mjs)
