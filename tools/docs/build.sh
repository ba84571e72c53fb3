#!/usr/bin/env bash
# make docs: one static site in site/ with the guides, the three API
# references and the benchmark chart. Every step is strict: TypeDoc and
# rustdoc fail on any warning (undocumented export, broken link), the Python
# check fails on an undocumented public name, and mkdocs --strict fails on a
# broken link or a mkdocstrings warning.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SRC=$ROOT/target/docs-src
VPY=${VPY:-$ROOT/.venv/bin/python}

rm -rf "$SRC" site
cp -r docs "$SRC"
mkdir -p "$SRC/assets"   # (git keeps no empty directory)
cp bench/chart.svg "$SRC/assets/benchmarks.svg"

echo "== Python: every public name documented"
"$VPY" tools/docs/check_python_docs.py bindings/python/python

echo "== Node: TypeDoc"
(cd bindings/node && npx --no-install typedoc --options typedoc.json --out "$SRC/api/node" --logLevel Warn)

echo "== Rust: rustdoc"
rm -rf target/doc
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p enneo
mkdir -p "$SRC/api/rust" && cp -r target/doc/. "$SRC/api/rust/"

echo "== mkdocs build --strict"
# Not -q: strict mode counts the warnings it logs, so a quiet build passes them.
NO_MKDOCS_2_WARNING=1 "$VPY" -m mkdocs build --strict -f mkdocs.yml 2>&1 | { grep -v '^INFO' || true; }
echo "docs: site/ built"
