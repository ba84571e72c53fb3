'use strict'
// The platform packages of napi-rs naming: which one holds the binary for a
// Rust target, and which one this process needs. Shared by the package (for
// its error on an unsupported platform) and by the release staging script.

const ARCH = { x86_64: 'x64', aarch64: 'arm64' }
const OS = { linux: 'linux', darwin: 'darwin', windows: 'win32' }

/** `x86_64-unknown-linux-gnu` -> { suffix: 'linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc' } */
function platformOf(triple) {
  const [arch, , system, abi] = triple.split('-')
  const os = OS[system]
  const cpu = ARCH[arch]
  if (!os || !cpu) throw new Error(`no npm platform for Rust target ${triple}`)
  const suffix = [os, cpu, os === 'darwin' ? undefined : abi].filter(Boolean).join('-')
  const libc = os === 'linux' ? (abi === 'musl' ? 'musl' : 'glibc') : undefined
  return { suffix, os, cpu, libc }
}

/**
 * The C library of this process, from what it has mapped: musl's loader (which
 * is musl's libc) or glibc's libc.so.6. A guess from the file system (is there
 * an /usr/bin/ldd, what does it print?) is wrong in a glibc container with
 * musl tools, or a musl runtime started on a glibc host. Node's report header
 * is the fallback where /proc is not mounted.
 */
function linuxLibc() {
  try {
    const maps = require('fs').readFileSync('/proc/self/maps', 'utf8')
    // Alpine maps /lib/ld-musl-<arch>.so.1; Debian's musl, <arch>-linux-musl/libc.so.
    if (/\/(ld-musl-[^/\s]*\.so\.1|libc\.musl-[^/\s]*\.so\.1|[^/\s]*-linux-musl\/libc\.so)$/m.test(maps)) return 'musl'
    if (/\/libc(\.so\.6|-2\.\d+\.so)$/m.test(maps)) return 'gnu'
  } catch {
    // No /proc: fall through.
  }
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
  return report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'
}

/** The suffix this process would load, such as `linux-x64-musl`. */
function currentPlatform() {
  let abi = ''
  if (process.platform === 'linux') abi = `-${linuxLibc()}`
  else if (process.platform === 'win32') abi = '-msvc'
  return `${process.platform}-${process.arch}${abi}`
}

module.exports = { platformOf, currentPlatform, linuxLibc }
