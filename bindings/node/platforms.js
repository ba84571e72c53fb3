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

/** The suffix this process would load, such as `linux-x64-musl`. */
function currentPlatform() {
  let abi = ''
  if (process.platform === 'linux') {
    const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
    abi = report?.header?.glibcVersionRuntime ? '-gnu' : '-musl'
  } else if (process.platform === 'win32') {
    abi = '-msvc'
  }
  return `${process.platform}-${process.arch}${abi}`
}

module.exports = { platformOf, currentPlatform }
