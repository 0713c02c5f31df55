// Sizes and rates as people read them (2.6 GB, 96 MB/s) for the tray and notifications, which
// live in the main process and cannot use the renderer's formatters.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const

/** Decimal units, like file managers and network tools show: 1 MB = 1,000,000 bytes. */
export function formatBytes (bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B'
  let value = bytes
  let unit = 0
  // 999.7 KB rounds to "1000 KB": carry such values to the next unit as well.
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  // Three significant digits at most: 2.6 GB, 96 MB, 118 MB.
  const text = unit === 0 ? String(Math.round(value)) : value < 10 ? value.toFixed(1) : String(Math.round(value))
  return `${text} ${UNITS[unit] ?? 'B'}`
}

export function formatRate (bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`
}

/**
 * Shortens a long name in the middle and keeps its extension, so "ubuntu-24.04-server-amd64.iso"
 * stays recognisable in a tray menu: "ubuntu-24.04…iso".
 */
export function shortName (name: string, max = 24): string {
  const chars = [...name]
  if (chars.length <= max) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot + 1) : ''
  const head = Math.max(1, max - 1 - [...ext].length)
  // No dangling separator before the ellipsis: "ubuntu-24.04-server…iso", not "…server-…iso".
  const start = chars.slice(0, head).join('').replace(/[-_.\s]+$/, '')
  return `${start || chars.slice(0, head).join('')}…${ext}`
}
