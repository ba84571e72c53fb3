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
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p enneo --features arrow
mkdir -p "$SRC/api/rust" && cp -r target/doc/. "$SRC/api/rust/"
# rustdoc writes no index of its own for one crate (its help and settings
# pages link to one), and it copies the docs of the tracing crate's blanket
# `WithSubscriber` impl onto every type, with a link relative to tracing's
# own docs: both are mended here, and check_links.py below proves it.
cat > "$SRC/api/rust/index.html" <<'HTML'
<!DOCTYPE html><meta charset="utf-8"><title>enneo: Rust API</title>
<meta http-equiv="refresh" content="0; url=enneo/index.html"><a href="enneo/index.html">enneo</a>
HTML
find "$SRC/api/rust" -name '*.html' -exec sed -i \
  's|href="dispatcher#setting-the-default-subscriber"|href="https://docs.rs/tracing/0.1/tracing/dispatcher/index.html#setting-the-default-subscriber"|g' {} +

echo "== mkdocs build --strict"
# Not -q: strict mode counts the warnings it logs, so a quiet build passes them.
NO_MKDOCS_2_WARNING=1 "$VPY" -m mkdocs build --strict -f mkdocs.yml 2>&1 | { grep -v '^INFO' || true; }
echo "== links: the guides and the embedded API references"
SERVED_AT=$(sed -n 's|^site_url: https\?://[^/]*\(/.*\)$|\1|p' mkdocs.yml)
"$VPY" tools/docs/check_links.py site "${SERVED_AT:-/}"
echo "docs: site/ built"
