// The app's version as the package declares it; shown to people and sent in adverts and offers.
import { readFileSync } from 'node:fs'

function readVersion (): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'swarmdrop' && typeof pkg.version === 'string') return pkg.version
    } catch { /* try the next layout (source vs dist) */ }
  }
  return '0.0.0'
}

export const APP_VERSION = readVersion()
export const CREATED_BY = `Swarmdrop/${APP_VERSION}`
