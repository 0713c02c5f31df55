// Whether a CSS media query matches, live: a change re-renders. Where the browser has no
// matchMedia (jsdom in unit tests), it never matches.
import { useCallback, useSyncExternalStore } from 'react'

/** The window width below which the sidebar folds away and opens over the content (app.css's breakpoint). */
export const NARROW_WINDOW = '(max-width: 900px)'

function media (query: string): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(query) : null
}

export function useMediaQuery (query: string): boolean {
  const subscribe = useCallback((onChange: () => void): (() => void) => {
    const m = media(query)
    if (m === null) return () => {}
    m.addEventListener('change', onChange)
    return () => { m.removeEventListener('change', onChange) }
  }, [query])
  return useSyncExternalStore(subscribe, () => media(query)?.matches ?? false)
}
