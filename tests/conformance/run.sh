#!/usr/bin/env bash
# `make test-conformance`: schemathesis against enneo-mock, every phase
# (examples, coverage, fuzzing, stateful), positive and negative cases, every
# check, with a fixed seed so a failure reproduces. The mock must give no
# failure: invalid ids get 400/404 with an error body the spec describes,
# responses conform, other methods get 405 with Allow.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv="$repo/target/st-venv"
mock="${ENNEO_MOCK_BIN:-$repo/target/debug/enneo-mock}"
if [ ! -x "$venv/bin/st" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.requirements"
fi
token=conformance-token
out=$(mktemp)
"$mock" --port 0 --token "$token" > "$out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out")
cd "$repo/target"
"$venv/bin/st" run "$repo/openapi.yaml" --url "$url/api/mind" -H "Authorization: Bearer $token" \
  --mode all --checks all --seed 20261128 --no-color
