// Sizes, rates, counts and waits as people read them, the one definition for the command line,
// the renderer, the desktop shell and the core's messages alike. One rounding rule: decimal units
// as file managers and disks count them (1 MB = 1,000,000 bytes), one decimal below 100 of a unit
// and none above (96.1 MB, 1.0 GB, 340 MB), whole bytes plain, never "1000 KB".

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const

/** 2_600_000_000 → "2.6 GB"; not a size (negative, NaN) → "0 B". */
export function formatBytes (bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B'
  if (bytes < 1000) return `${Math.round(bytes)} B`
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  let text = value.toFixed(value >= 100 ? 0 : 1)
  // 999.97 KB would print as "1000 KB": it carries to the next unit instead.
  if (Number(text) >= 1000 && unit < UNITS.length - 1) {
    unit++
    text = (value / 1000).toFixed(1)
  }
  return `${text} ${UNITS[unit] ?? 'PB'}`
}

/** Bytes per second → "96.1 MB/s". */
export function formatRate (bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`
}

/** A whole number with thousands separators: 1600 → "1,600"; not a number → "—". */
export function formatCount (n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—'
}

/** `n` and its noun, singular for exactly one: "1 machine", "3 machines", "1,600 pieces". */
export function plural (n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/**
 * A wait or a time left: "0:07" and "12:05" under an hour, "6 h 18 min" past it, "2 d 3 h" past a
 * day (a clock face like "378:16:28" reads as nonsense); unknown (null, negative, NaN) → "—".
 */
export function formatDuration (seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—'
  const total = Math.round(seconds)
  if (total < 3600) return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`
  const minutes = Math.round(total / 60)
  const days = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (days > 0) return h > 0 ? `${formatCount(days)} d ${h} h` : `${formatCount(days)} d`
  return m > 0 ? `${h} h ${m} min` : `${h} h`
}
