// The light/dark choice survives a restart; without one the OS decides.
import type { Theme } from '../store/app-store.js'

const KEY = 'swarmdrop.theme'

/** Even reading `localStorage` may throw (storage disabled by policy). */
export function browserStorage (): Storage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

export function loadTheme (storage: Storage | undefined): Theme | null {
  try {
    const value = storage?.getItem(KEY)
    return value === 'light' || value === 'dark' ? value : null
  } catch {
    return null // storage refused (private mode, file:// quirks): follow the OS
  }
}

export function saveTheme (storage: Storage | undefined, theme: Theme | null): void {
  try {
    if (theme === null) storage?.removeItem(KEY)
    else storage?.setItem(KEY, theme)
  } catch {
    // Not remembered is fine: the OS setting applies next time.
  }
}
