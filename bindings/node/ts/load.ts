// Loads the native addon, or says which platform lacks one and which have one.

import type * as Native from '../native'
import { EnneoError } from './errors'

export function loadNative(): typeof Native {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../native.js') as typeof Native
  } catch (cause) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { platformOf, currentPlatform } = require('../platforms.js') as {
      platformOf: (triple: string) => { suffix: string }
      currentPlatform: () => string
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { napi } = require('../package.json') as { napi: { targets: string[] } }
    const supported = napi.targets.map((t) => platformOf(t).suffix)
    const here = currentPlatform()
    const why = supported.includes(here)
      ? `its binary package enneo-${here} is not installed (was it skipped by --no-optional or --omit=optional?); reinstall enneo`
      : 'enneo ships no binary for it'
    throw new EnneoError(`enneo: cannot load the native addon for ${here}: ${why}. Binaries exist for: ${supported.join(', ')}.`, { cause })
  }
}
