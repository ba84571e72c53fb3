#!/usr/bin/env bash
# `make bench`: release builds, one mock, every client measured in one run.
# Results go to stdout; bench/RESULTS.md records a run with its command.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/bench-venv

cargo build -q --release -p enneo-mock
cargo build -q --release -p enneo --example bench_vs_reqwest
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --disable-pip-version-check maturin==1.16.0 -r bench/requirements.txt
rm -rf target/wheels/bench
"$VENV/bin/maturin" build -q --release -m bindings/python/Cargo.toml -o target/wheels/bench 2>/dev/null
"$VENV/bin/pip" install -q --force-reinstall --no-deps target/wheels/bench/*.whl
(cd bindings/node && npm ci --no-audit --no-fund --loglevel=error && npx --no-install napi build --platform --release --js native.js --dts native.d.ts >/dev/null)

target/release/enneo-mock --port 0 > target/bench-mock.out &
MOCK=$!
trap 'kill $MOCK 2>/dev/null' EXIT
sleep 0.3
URL=$(head -1 target/bench-mock.out | awk '{print $3}')
BASE="$URL/api/mind"
echo "mock: $BASE  (machine: $(nproc) cores; client and mock share them)"

echo; echo "### Rust"; target/release/examples/bench_vs_reqwest "$BASE" 2000 10000 32 5
echo; echo "### Python"; "$VENV/bin/python" bench/python_bench.py "$BASE" --n 1000 --bulk 5000 --concurrency 32 --rounds 5
echo; echo "### Node"; node bench/node_bench.mjs "$BASE" 1000 5000 32 5

if [ "${BENCH_MOCK:-1}" = 1 ]; then bench/mock_vs_nginx.sh; fi
