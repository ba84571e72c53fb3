#!/usr/bin/env bash
# make test-runtimes: the release artefacts in dist/ on every runtime users
# bring. The full Python and Node suites run on the default interpreters
# (make test-python, make test-node); here each other runtime runs a subset:
#
# - CPython 3.9 to 3.13: the wheel in a fresh venv, with the error, vector
#   and consistency suites (no optional dependencies needed);
# - Node 18, 22, 24 and 26: tests/runtimes/smoke.mjs, then the vector and
#   consistency suites under node:test;
# - Bun and Deno: smoke.mjs, which needs no test runner.
#
# Node, Bun and Deno come from the npm registry (tests/runtimes/package.json,
# locked). CPython comes from pyenv (~/.pyenv/versions), or python3.X on
# PATH; a missing one is installed with pyenv when it can be, and otherwise
# the run fails saying which, never skipping it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY_VERSIONS=${PY_VERSIONS:-"3.9 3.10 3.11 3.12 3.13"}
NODE_PROJECT=${NODE_PROJECT:-target/node-test-project}
MOCK_BIN=$ROOT/target/debug/enneo-mock
RT=$ROOT/tests/runtimes
OUT=$ROOT/target/runtimes

fail() { echo "test-runtimes: $*" >&2; exit 1; }

find_python() {
  local v=$1 d
  for d in "$HOME"/.pyenv/versions/"$v".*; do
    if [ -x "$d/bin/python3" ]; then echo "$d/bin/python3"; return 0; fi
  done
  if command -v "python$v" >/dev/null; then command -v "python$v"; return 0; fi
  if command -v pyenv >/dev/null && pyenv install --skip-existing "$v" >&2; then
    for d in "$(pyenv root)"/versions/"$v".*; do
      if [ -x "$d/bin/python3" ]; then echo "$d/bin/python3"; return 0; fi
    done
  fi
  return 1
}

wheel=$(ls dist/enneo-*-cp39-abi3-manylinux*_x86_64.whl 2>/dev/null | head -n1)
[ -n "$wheel" ] || fail "no wheel in dist/: run make dist first"
[ -d "$NODE_PROJECT/node_modules/enneo" ] || fail "no $NODE_PROJECT: run make node-project first"
mkdir -p "$OUT"

# Find every interpreter first, so that a missing one fails the run at once.
declare -A PY
for v in $PY_VERSIONS; do
  PY[$v]=$(find_python "$v") || fail "CPython $v is not installed and pyenv could not install it; install it under pyenv (~/.pyenv/versions/$v.*) or put python$v on PATH"
done

for v in $PY_VERSIONS; do
  venv=$OUT/py$v
  rm -rf "$venv"
  "${PY[$v]}" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "$wheel" pytest==8.4.2
  echo "== CPython $("$venv/bin/python" -c 'import platform; print(platform.python_version())'): errors, vectors, consistency"
  (cd bindings/python/tests && ENNEO_MOCK_BIN=$MOCK_BIN "$venv/bin/python" -m pytest -q -p no:cacheprovider \
    test_errors.py test_vectors.py test_consistency.py)
done

(cd "$RT" && npm ci --no-audit --no-fund --loglevel=error)
cp "$RT/smoke.mjs" "$NODE_PROJECT/smoke.mjs"
cd "$NODE_PROJECT"
export ENNEO_FIXTURES=$PWD/fixtures ENNEO_MOCK_BIN=$PWD/bin/enneo-mock
for n in node18 node22 node24 node26; do
  node=$RT/node_modules/$n/bin/node
  [ -x "$node" ] || fail "$n did not install from the npm registry ($node missing)"
  echo "== Node $("$node" --version): smoke, vectors, consistency"
  "$node" smoke.mjs
  for suite in test/vectors.test.mjs test/consistency.test.mjs; do
    "$node" --test "$suite"
  done
done
echo "== Bun $("$RT/node_modules/.bin/bun" --version): smoke"
"$RT/node_modules/.bin/bun" smoke.mjs
echo "== $("$RT/node_modules/.bin/deno" --version | head -n1): smoke"
"$RT/node_modules/.bin/deno" run --allow-all smoke.mjs
echo "test-runtimes: every runtime passed"
