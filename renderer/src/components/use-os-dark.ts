// Whether the OS asks for dark colours, live: a change re-renders (the canvas piece map paints
// with CSS colours it reads once per paint, so it must hear about the switch).
import { useMediaQuery } from './use-media-query.js'

export function useOsDark (): boolean {
  return useMediaQuery('(prefers-color-scheme: dark)')
}
