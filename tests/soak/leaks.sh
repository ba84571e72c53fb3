#!/usr/bin/env bash
# `make soak-leaks`: 100 000 lookups with 10% injected faults in Python and
# in Node (release builds); file descriptors and threads before and after.
# SOAK_LEAK_N sets the count. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${SOAK_LEAK_N:-100000}
VENV=target/soak-venv
tools/release-build.sh "$VENV"
target/release/enneo-mock --port 0 > target/soak-leaks-mock.out &
MOCK=$!
trap 'kill $MOCK 2>/dev/null' EXIT
for _ in $(seq 50); do grep -q '^listening on ' target/soak-leaks-mock.out && break; sleep 0.1; done
BASE="$(head -1 target/soak-leaks-mock.out | awk '{print $3}')/api/mind"
status=0
"$VENV/bin/python" tests/soak/leaks.py "$BASE" "$N" || status=1
node tests/soak/leaks.mjs "$BASE" "$N" || status=1
exit $status
