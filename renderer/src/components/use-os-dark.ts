// Whether the OS asks for dark colours, live: a change re-renders (the canvas piece map paints
// with CSS colours it reads once per paint, so it must hear about the switch).
import { useSyncExternalStore } from 'react'

const QUERY = '(prefers-color-scheme: dark)'

function media (): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(QUERY) : null
}

function subscribe (onChange: () => void): () => void {
  const m = media()
  if (m === null) return () => {}
  m.addEventListener('change', onChange)
  return () => { m.removeEventListener('change', onChange) }
}

export function useOsDark (): boolean {
  return useSyncExternalStore(subscribe, () => media()?.matches ?? false)
}
