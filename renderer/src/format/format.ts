// Numbers as people read them: decimal units (a 2.6 GB file is 2.6e9 bytes, as disks are sold),
// times as m:ss. Pure, so the whole UI formats the same way and tests can pin it.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const

/** 2_600_000_000 → "2.6 GB"; one decimal below 100 of a unit, none above, none for bytes. */
export function formatBytes (bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return `${Math.round(value)} B`
  // 999.96 MB would print as "1000 MB": promote it instead.
  const digits = value >= 100 ? 0 : 1
  let text = value.toFixed(digits)
  if (Number(text) >= 1000 && unit < UNITS.length - 1) {
    unit++
    text = (value / 1000).toFixed(1)
  }
  return `${trimZero(text)} ${UNITS[unit] ?? 'B'}`
}

/** Bytes per second → "96 MB/s". */
export function formatRate (bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`
}

/** Seconds → "m:ss", or "h:mm:ss" past an hour; null or negative → "—". */
export function formatDuration (seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—'
  const total = Math.round(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** 0.7234 → "72%"; never shows 100% until it is whole. */
export function formatPercent (fraction: number): string {
  if (!Number.isFinite(fraction) || fraction <= 0) return '0%'
  if (fraction >= 1) return '100%'
  return `${Math.min(99, Math.floor(fraction * 100))}%`
}

/** A ratio such as the origin's upload ÷ file size: "0.41×". */
export function formatMultiple (ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—'
  return `${ratio.toFixed(2)}×`
}

/** The engine already gives the short form (`9f3a·c21e`); shown as given, everywhere. */
export function formatFingerprint (fingerprint: string): string {
  return fingerprint
}

/** A SHA-256 shortened for headings: first and last 4 hex digits. The full value is in a title. */
export function shortHash (hex: string): string {
  return hex.length <= 12 ? hex : `${hex.slice(0, 4)}…${hex.slice(-4)}`
}

/** "1 machine", "12 machines". */
export function plural (n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

function trimZero (text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text
}

/** Engine and transport messages may start lower-case or lack a full stop; show them as sentences. */
export function sentence (message: string): string {
  const t = message.trim()
  if (t === '') return t
  // A leading identifier (`downloadsDir must be…`) keeps its spelling.
  const word = /^\S+/.exec(t)?.[0] ?? ''
  const first = /^[a-z][a-z'-]*$/.test(word) ? t.charAt(0).toUpperCase() + t.slice(1) : t
  return /[.!?…]$/.test(first) ? first : `${first}.`
}
