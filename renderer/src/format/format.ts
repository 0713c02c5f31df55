// Numbers as people read them in the window: relative times, percentages, multiples, sentences.
// Pure, so the whole UI formats the same way and tests can pin it.

// Sizes, rates, counts and waits are the ones the CLI and the desktop shell print too.
import { formatDuration, plural } from '../../../common/units.js'
export { formatBytes, formatCount, formatDuration, formatRate, plural } from '../../../common/units.js'

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

/**
 * A name of more than `max` characters with its middle left out ("capture_0123…v2.iso"): its end
 * (a version, the extension) tells files apart as much as its start. Whole code points only.
 */
export function shortenMiddle (text: string, max = 80, tail = 24): string {
  const chars = [...text]
  if (chars.length <= max) return text
  return `${chars.slice(0, max - tail - 1).join('')}…${chars.slice(-tail).join('')}`
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
