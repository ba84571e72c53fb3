#!/usr/bin/env bash
# `make soak`: 1 000 000 streamed lookups from enneo-mock in Python and in
# Node (release builds), RSS every 100 000, and the CLI's --ids-from peak
# RSS for 100 000 and 1 000 000 ids; fails on growth above 50 MB. Then the
# leak check (tests/soak/leaks.sh): 100 000 lookups with 10% faults, file
# descriptors and threads before and after.
# Not part of `make test`. SOAK_N sets the count.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${SOAK_N:-1000000}
VENV=target/soak-venv
tools/release-build.sh "$VENV"

target/release/enneo-mock --port 0 > target/soak-mock.out &
MOCK=$!
trap 'kill $MOCK 2>/dev/null' EXIT
for _ in $(seq 50); do grep -q '^listening on ' target/soak-mock.out && break; sleep 0.1; done
BASE="$(head -1 target/soak-mock.out | awk '{print $3}')/api/mind"
status=0
"$VENV/bin/python" tests/soak/soak.py "$BASE" "$N" || status=1
node tests/soak/soak.mjs "$BASE" "$N" || status=1
python3 tests/soak/cli_rss.py target/release/enneo "$BASE" "$N" || status=1
"$VENV/bin/python" tests/soak/leaks.py "$BASE" "${SOAK_LEAK_N:-100000}" || status=1
node tests/soak/leaks.mjs "$BASE" "${SOAK_LEAK_N:-100000}" || status=1
exit $status
