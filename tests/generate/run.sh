#!/usr/bin/env bash
# make test-generate: the spec is the single source of every operation.
#
# Copies the repository into a scratch directory, adds three GET operations
# to the copy's openapi.yaml (tests/generate/add-operations.py: one returning
# Customer, one returning Contract with a response example and an optional
# query parameter, one returning a new schema that uses every schema form),
# runs `make generate` there and builds, then calls them
# from Rust (typed methods), the CLI (`enneo call`), Python (sync, async,
# raw) and Node (with withResponse(), and a tsc --strict type check), against
# the mock. Only the spec is edited; the callers are test files dropped in.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SCRATCH=$ROOT/target/generate-check
PY=${PYTHON_VENV:-$ROOT/.venv}/bin/python
# A target directory of its own: the copy's binaries and libraries have the
# repository's names, and a shared directory would leave the copy's in
# target/debug (cargo does not link a fresh unit's output there again).
export CARGO_TARGET_DIR=$ROOT/target/generate-check-target

rm -rf "$SCRATCH" "$CARGO_TARGET_DIR" && mkdir -p "$SCRATCH" "$CARGO_TARGET_DIR"
# Seeded with the repository's compiled dependencies, so that only the
# copy's own crates compile here: cargo hashes a registry crate the same in
# both workspaces. The workspace's own crates (enneo*) are left out, since
# they hash by their path inside the workspace, the same in the copy. The
# libraries are hard links (rustc replaces an output, never writes into it);
# the fingerprints and build-script outputs, which cargo rewrites, are copies.
# (napi builds with an explicit --target, into target/<host>/debug.)
host=$(rustc -vV | sed -n 's/^host: //p')
for profile in debug "$host/debug"; do
  from=$ROOT/target/$profile to=$CARGO_TARGET_DIR/$profile
  [ -d "$from/deps" ] || continue
  mkdir -p "$to"
  cp -al "$from/deps" "$to/"
  cp -a "$from/build" "$from/.fingerprint" "$to/"
  find "$to/deps" "$to/build" "$to/.fingerprint" -mindepth 1 -maxdepth 1 -name '*enneo*' -exec rm -rf {} +
done
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$SCRATCH"/
cd "$SCRATCH"
"$PY" "$ROOT/tests/generate/add-operations.py" openapi.yaml
make -s generate >/dev/null
# What the generator writes into hand-written files stays rustfmt-clean.
cargo fmt --all -- --check
if cmp -s "$ROOT/bindings/node/ts/operations.ts" "$SCRATCH/bindings/node/ts/operations.ts"; then
  echo "test-generate: make generate changed nothing" >&2; exit 1
fi

echo "== Rust: the typed methods"
cp "$ROOT/tests/generate/calls.rs" crates/enneo/tests/generated_operations.rs
cargo test -q -p enneo --test generated_operations

echo "== CLI: enneo call"
cargo build -q -p enneo-cli
cli="$CARGO_TARGET_DIR/debug/enneo"
out=$("$cli" call getContract contractId=746839 --mock)
[ "$out" = '{"id":12345678901234567890,"status":"active","productName":"Ökostrom Flex","unpaidDebt":12.5,"vatRate":0.19}' ] \
  || { echo "test-generate: enneo call getContract printed $out" >&2; exit 1; }
"$cli" call getCustomerByEmail email=tom@example.com --mock | grep -q '"firstname":"Tom"'
set +e
"$cli" call getContract --mock 2>/dev/null; code=$?
set -e
[ "$code" = 2 ] || { echo "test-generate: a missing parameter exited $code, not 2" >&2; exit 1; }
# Typed parameters from text: checked by the core, as in every language.
"$cli" call getReading readingId=1 withHistory=true kinds=actual,estimated limit=5 --mock | grep -q '"kind":"smart"'
set +e
err=$("$cli" call getReading readingId=1 withHistory=maybe --mock 2>&1); code=$?
set -e
[ "$code" = 2 ] && [[ "$err" == *'withHistory must be a boolean, got "maybe"'* ]] \
  || { echo "test-generate: a bad boolean exited $code: $err" >&2; exit 1; }

# A body from the command line: checked by the core, sent exact.
out=$("$cli" call createReading --body '{"meterId":123456789012345678901234567890,"kind":"actual","value":1}' --mock)
[[ "$out" == *'"values":[7.25]'* ]] || { echo "test-generate: enneo call createReading printed $out" >&2; exit 1; }
set +e
err=$("$cli" call createReading --body '{"meterId":1,"kind":"smart","value":1}' --mock 2>&1); code=$?
set -e
[ "$code" = 2 ] && [[ "$err" == *'body.kind must be one of "actual", "estimated", got "smart"'* ]] \
  || { echo "test-generate: a bad body exited $code: $err" >&2; exit 1; }
"$cli" call deleteReading readingId=2 --mock | grep -q '"kind":"actual"'

echo "== Python: sync, async, raw"
rm -rf "$SCRATCH/venv" && "$PY" -m venv "$SCRATCH/venv"
"$ROOT/.venv/bin/maturin" build -q -m bindings/python/Cargo.toml -o "$SCRATCH/wheels" >/dev/null 2>&1
"$SCRATCH/venv/bin/pip" install -q --disable-pip-version-check "$SCRATCH"/wheels/enneo-*.whl
"$SCRATCH/venv/bin/python" "$ROOT/tests/generate/calls.py"

echo "== Node: methods, withResponse, types"
cd bindings/node
npm ci --no-audit --no-fund --loglevel=error
npx --no-install napi build --platform --no-js --dts native.d.ts >/dev/null
npx --no-install tsc -p tsconfig.json && node scripts/esm.mjs
cp "$ROOT/tests/generate/calls.mjs" "$ROOT/tests/generate/calls.ts" .
node calls.mjs
npx --no-install tsc --strict --noEmit --module nodenext --moduleResolution nodenext --skipLibCheck false calls.ts
echo "test-generate: the added operations and schema work in Rust, the CLI, Python and Node"
