// The desktop shell asks for a view (a notification or tray click) by setting the URL hash:
// `#/incoming` or `#/distribution/<infoHash>`. The renderer follows it here, at start and on every
// change, so the shell needs no extra API and a reload keeps the view.
import type { StoreApi } from 'zustand'
import type { UiStore } from '../store/app-store.js'

export type HashTarget =
  | { readonly view: 'incoming' }
  | { readonly view: 'distribution'; readonly infoHash: string }

/** The view a hash asks for, or null for anything else (which leaves the view alone). */
export function parseHash (hash: string): HashTarget | null {
  if (hash === '#/incoming') return { view: 'incoming' }
  const m = /^#\/distribution\/([0-9a-f]{40})$/.exec(hash)
  return m?.[1] !== undefined ? { view: 'distribution', infoHash: m[1] } : null
}

export function applyHash (store: StoreApi<UiStore>, hash: string): void {
  const target = parseHash(hash)
  if (target === null) return
  if (target.view === 'incoming') store.getState().setView('incoming')
  else store.getState().select(target.infoHash)
}

/** Follows the window's hash from now on; returns the function that stops following. */
export function followHash (win: Pick<Window, 'location' | 'addEventListener' | 'removeEventListener'>, store: StoreApi<UiStore>): () => void {
  const onChange = (): void => { applyHash(store, win.location.hash) }
  onChange()
  win.addEventListener('hashchange', onChange)
  return () => { win.removeEventListener('hashchange', onChange) }
}
