// Human units for the terminal: elapsed times as a clock and a progress bar. Sizes, rates, counts,
// plurals and time left are common/units.ts's, the same as the window's and the desktop shell's.
import { formatDuration as formatWait } from '../../../common/units.js'
export { formatCount, plural } from '../../../common/units.js'

/** Elapsed time as a clock: "0:35", "1:02:03". */
export function formatDuration (seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–:––'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** Time left, for a column: common/units.ts's wait ("12:05", "6 h 18 min", "2 d 3 h"), as in the window. */
export function formatEta (seconds: number): string {
  return formatWait(seconds)
}

export function bar (fraction: number, width = 20): string {
  const f = Math.max(0, Math.min(1, fraction))
  const full = Math.round(f * width)
  return '█'.repeat(full) + '░'.repeat(width - full)
}

export function pad (text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length)
}
