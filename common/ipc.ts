// The Electron IPC channel names, shared by the main process (main/electron/ipc.ts) and the
// preload (preload/electron-preload.ts) so neither side can drift from the other.

/** Renderer → main, `ipcRenderer.invoke`: one Command in, one ApiResult out. */
export const IPC_COMMAND = 'swarmdrop:command'

/** Renderer → main, `ipcRenderer.invoke`: the current AppState as an ApiResult. */
export const IPC_GET_STATE = 'swarmdrop:get-state'

/** Main → renderer, `webContents.send`: the latest AppState, throttled by the AppService. */
export const IPC_STATE = 'swarmdrop:state'

/** Main → renderer: show one view because a notification or the tray was clicked. */
export const IPC_NAVIGATE = 'swarmdrop:navigate'

export type NavigateTarget =
  | { readonly view: 'incoming' }
  | { readonly view: 'distribution'; readonly infoHash: string }

/**
 * The URL hash the preload sets for a target (`#/incoming`, `#/distribution/<infoHash>`), so the
 * renderer can follow it with a `hashchange` listener and no extra API. Anything malformed → null.
 */
export function navigateHash (target: unknown): string | null {
  if (typeof target !== 'object' || target === null) return null
  const t = target as { view?: unknown; infoHash?: unknown }
  if (t.view === 'incoming') return '#/incoming'
  if (t.view === 'distribution' && typeof t.infoHash === 'string' && /^[0-9a-f]{40}$/.test(t.infoHash)) {
    return `#/distribution/${t.infoHash}`
  }
  return null
}
