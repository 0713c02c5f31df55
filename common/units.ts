// Sizes and rates as people read them, for the command line, the desktop shell and the core's
// messages alike: decimal units as file managers and disks count them (1 MB = 1,000,000 bytes),
// one decimal below 100 of a unit and none above (96.1 MB, 340 MB), whole bytes plain.

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
