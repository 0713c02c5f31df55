// This build as a front end names it before any device runs (`swarmdrop --version`, the title of
// its help); a running device says the same in AppState.self.version.
import { APP_VERSION } from '../version.js'

/** The app's version, as its package declares it. */
export function appVersion (): string {
  return APP_VERSION
}
