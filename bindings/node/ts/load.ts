// Loads the native addon for this process's platform, or says which platform
// lacks one and which have one.
//
// The platform comes from platforms.js (musl or glibc by what the process has
// mapped, not by a look at the file system). The binary is the local build
// (`napi build --platform` writes enneo.<platform>.node beside package.json)
// or the platform package npm installed (enneo-<platform>).

import type * as Native from '../native'
import { EnneoError } from './errors'

interface Platforms {
  platformOf: (triple: string) => { suffix: string }
  currentPlatform: () => string
}

/* eslint-disable @typescript-eslint/no-require-imports */
export function loadNative(): typeof Native {
  const { platformOf, currentPlatform } = require('../platforms.js') as Platforms
  const { napi, version } = require('../package.json') as { napi: { targets: string[]; binaryName: string }; version: string }
  const here = currentPlatform()
  const supported = napi.targets.map((t) => platformOf(t).suffix)
  const local = `../${napi.binaryName}.${here}.node`
  const pkg = `enneo-${here}`
  const failures: unknown[] = []
  for (const load of [() => require(local), () => loadPackage(pkg, version)]) {
    try {
      return load() as typeof Native
    } catch (cause) {
      failures.push(cause)
    }
  }
  // A binary that was found but did not load says why; otherwise none was found.
  const found = failures.find((e) => (e as { code?: string })?.code !== 'MODULE_NOT_FOUND')
  const why = found
    ? `its binary did not load (${(found as Error).message})`
    : supported.includes(here)
      ? `its binary package ${pkg} is not installed (was it skipped by --no-optional or --omit=optional?); reinstall enneo`
      : 'enneo ships no binary for it'
  throw new EnneoError(`enneo: cannot load the native addon for ${here}: ${why}. Binaries exist for: ${supported.join(', ')}.`, {
    cause: found ?? failures.at(-1),
  })
}

function loadPackage(pkg: string, version: string): unknown {
  const own = (require(`${pkg}/package.json`) as { version: string }).version
  if (own !== version) {
    throw new Error(`${pkg} is version ${own}, enneo is ${version}: install the same version of both`)
  }
  return require(pkg)
}
