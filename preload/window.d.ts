// `window.swarmdrop` for the renderer's types: present in the desktop app (the preload exposes it),
// absent in a browser, where the web bridge provides the same SwarmdropApi instead.
import type { SwarmdropApi } from '../common/api.js'

declare global {
  interface Window {
    readonly swarmdrop?: SwarmdropApi
  }
}

export {}
