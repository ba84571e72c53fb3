#!/usr/bin/env bash
# make dist-platforms: the release artefacts of the Linux platforms beside
# x86_64 glibc, built on this x86_64 machine into DIST (default dist/):
#
# - wheels: manylinux2014 aarch64 abi3; musllinux_1_2 x86_64 and aarch64
#   abi3; cp314t (free-threaded CPython 3.14) for x86_64 and aarch64 glibc;
# - npm platform packages: linux-arm64-gnu, linux-x64-musl, linux-arm64-musl.
#
# They are built with Debian's rustc 1.96 (tools/platforms-setup.sh), which
# has aarch64's std and the library source that musl's std is built from
# (-Zbuild-std), driven by rustup's cargo and linked by zig: glibc targets
# against glibc 2.17, musl ones against musl. The release workflow builds
# the same code with rustup's targets on native runners instead.
#
#   tools/dist-platforms.sh [DIST]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIST=$(mkdir -p "${1:-dist}" && cd "${1:-dist}" && pwd)
eval "$(tools/platforms-setup.sh)"
# Debian's compiler gets its own target directory: rustup's builds stay warm.
export CARGO_TARGET_DIR=$ROOT/target/cross RUSTC=/usr/bin/rustc
export PATH=$ROOT/.venv/bin:$ROOT/target/tools/bin:$PATH
log() { echo "dist-platforms: $*" >&2; }

# musl's std is built from source. A cdylib on musl links musl dynamically
# (-crt-static), and zig brings the C runtime objects (no self-contained ones).
musl_env() {
  local triple=$1 var
  var=CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_RUSTFLAGS
  export RUSTC_BOOTSTRAP=1 "$var=-C target-feature=-crt-static -C link-self-contained=no"
}
BUILD_STD=(-Zbuild-std=std,panic_abort)

wheel() { # wheel TRIPLE COMPATIBILITY [maturin arguments...]
  local triple=$1 compat=$2; shift 2
  log "wheel $triple $compat $*"
  maturin build -q --release --zig --target "$triple" --compatibility "$compat" \
    -m bindings/python/Cargo.toml -o "$DIST" "$@"
}
addon() { # addon TRIPLE ZIG_TARGET [cargo arguments...]
  local triple=$1 zig_target=$2; shift 2
  log "npm addon $triple"
  cargo zigbuild -q --release -p enneo-node --target "$zig_target" "$@"
  NODE_BINARIES+=(--binary "$triple=$CARGO_TARGET_DIR/$triple/release/libenneo_node.so")
}
NODE_BINARIES=()

# aarch64 glibc (2.17, as the x86_64 artefacts).
wheel aarch64-unknown-linux-gnu manylinux2014
addon aarch64-unknown-linux-gnu aarch64-unknown-linux-gnu.2.17

# Free-threaded CPython 3.14: no limited API there, so no abi3. maturin
# takes the interpreter's configuration from its own table (no 3.14t is
# installed here).
for triple in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu; do
  wheel "$triple" manylinux2014 --no-default-features -i python3.14t
done

# musl, x86_64 and aarch64.
for arch in x86_64 aarch64; do
  triple=$arch-unknown-linux-musl
  (
    musl_env "$triple"
    wheel "$triple" musllinux_1_2 "${BUILD_STD[@]}"
  )
  musl_env "$triple"
  addon "$triple" "$triple" "${BUILD_STD[@]}"
  unset RUSTC_BOOTSTRAP
done

# The npm platform packages (and the main package again, the same bytes as
# make dist-host's; linux-x64-gnu is kept from there).
log "npm platform packages"
(cd bindings/node && node scripts/stage-npm.mjs --out "$DIST" "${NODE_BINARIES[@]}")
ls -1 "$DIST" >&2
