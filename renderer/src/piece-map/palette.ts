// Piece colours come from the design tokens (tokens.css), read off the canvas' computed style, so
// the canvas follows the theme like everything else.
import type { CellFrame } from './cells.js'

// In SWARM level order: none, few, some, most, all.
const SWARM_TOKENS = ['--piece-none', '--piece-few', '--piece-some', '--piece-most', '--piece-all'] as const
// In PIECE code order: missing, in flight, verified, refetched, failed.
const MEMBER_TOKENS = ['--piece-missing', '--piece-in-flight', '--piece-verified', '--piece-refetched', '--piece-failed'] as const

export function readPalette (el: Element, kind: CellFrame['kind']): string[] {
  const style = getComputedStyle(el)
  return (kind === 'swarm' ? SWARM_TOKENS : MEMBER_TOKENS).map(name => style.getPropertyValue(name).trim())
}

/** The colour that marks the piece under the pointer or keyboard cursor. */
export function readCursorColour (el: Element): string {
  return getComputedStyle(el).getPropertyValue('--piece-cursor').trim()
}
