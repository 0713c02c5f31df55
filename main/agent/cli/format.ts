// Human units for the terminal: times as m:ss, counts with their noun, and a progress bar. Sizes
// and rates are common/units.ts's, the same as the desktop shell's.
export function formatDuration (seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–:––'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** Time left, for a column: m:ss under an hour, then "6 h 18 min", so it reads at a glance and stays short. */
export function formatEta (seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return ''
  if (seconds < 3600) return formatDuration(seconds)
  const minutes = Math.round(seconds / 60)
  return `${formatCount(Math.floor(minutes / 60))} h ${minutes % 60} min`
}

export function bar (fraction: number, width = 20): string {
  const f = Math.max(0, Math.min(1, fraction))
  const full = Math.round(f * width)
  return '█'.repeat(full) + '░'.repeat(width - full)
}

export function pad (text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length)
}

/** A whole number with thousands separators, as everywhere else in the app: 1,600. */
export function formatCount (n: number): string {
  return n.toLocaleString('en-US')
}

/** `n` and its noun, singular for exactly one: "1 machine", "3 machines", "1,600 pieces". */
export function plural (n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}
