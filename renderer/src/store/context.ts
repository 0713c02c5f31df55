// Hands the store to components through React context, so tests can render any component with a
// store of their own.
import { createContext, useContext } from 'react'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { UiStore } from './app-store.js'

export const StoreContext = createContext<StoreApi<UiStore> | null>(null)

export function useUi<T> (selector: (s: UiStore) => T): T {
  const store = useContext(StoreContext)
  if (store === null) throw new Error('useUi needs a StoreContext provider')
  return useStore(store, selector)
}

/**
 * Whether the engine cannot be reached now: the state on screen is then its last word, and a rate
 * or a time left from it would read as live, so those show "—" until it answers again.
 */
export function useLinkLost (): boolean {
  return useUi(s => s.connection.status === 'lost')
}
