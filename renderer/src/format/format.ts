// Numbers as people read them: decimal units (a 2.6 GB file is 2.6e9 bytes, as disks are sold),
// thousands separators, times as m:ss (hours and days in words), relative times. Pure, so the
// whole UI formats the same way and tests can pin it.

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

/** A count with thousands separators, the same everywhere: 1600 → "1,600". */
export function formatCount (n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—'
}

/**
 * Seconds as people read a wait: "0:07" and "12:05" under an hour, "6 h 18 min" past it,
 * "2 d 3 h" past a day (a clock face like "378:16:28" reads as nonsense); null or negative → "—".
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

/** How long ago an ISO time was, relative to `now` (ms): "just now", "12 s ago", "3 min ago", "2 h ago", "3 days ago". */
export function formatAgo (iso: string, now: number): string {
  const then = Date.parse(iso)
  if (!Number.isFinite(then)) return 'at an unknown time'
  const s = Math.max(0, Math.round((now - then) / 1000))
  if (s < 5) return 'just now'
  if (s < 60) return `${s} s ago`
  const min = Math.floor(s / 60)
  if (min < 60) return `${min} min ago`
  const h = Math.floor(min / 60)
  if (h < 48) return `${h} h ago`
  return `${plural(Math.floor(h / 24), 'day')} ago`
}

/** Time since an ISO time as a clock, "0:35" (lost contact 0:35 ago); past an hour "1 h 5 min". */
export function formatSince (iso: string, now: number): string {
  const then = Date.parse(iso)
  if (!Number.isFinite(then)) return '—'
  return formatDuration(Math.max(0, (now - then) / 1000))
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

/** "1 machine", "12 machines", "1,600 pieces". */
export function plural (n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
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
