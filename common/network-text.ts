// The one rule for text that other machines send and people read: device names, reasons, offer
// ids. Such text reaches terminals, logs and suggested commands, so anything that can move a
// cursor, recolour a line or reorder what is shown (C0, DEL, C1, bidi overrides, zero-width and
// other format characters, line separators, lone surrogates) is refused where it is parsed, never
// cleaned up later. Plain TypeScript: core (network parsers) and both shells (local API) load it.

/** What an offer id may be, at parse of an offer and in the local API's accept/decline. */
export const OFFER_ID_SOURCE = '[0-9a-zA-Z-]{1,64}'
export const OFFER_ID_PATTERN = new RegExp(`^${OFFER_ID_SOURCE}$`)

/** Device names, on the wire and in mDNS adverts alike. */
export const MAX_DEVICE_NAME = 64

// Cc: C0, DEL, C1. Cf: bidi embeddings/overrides/isolates, zero-width joiners, BOM, soft hyphen.
// Zl/Zp: line and paragraph separators. Cs: a lone surrogate (not text at all). U+2060-206F whole:
// its unassigned code points (U+2065) are invisible format characters in waiting, not text.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u2060-\u206f]/u

export function isOfferId (v: unknown): v is string {
  return typeof v === 'string' && OFFER_ID_PATTERN.test(v)
}

/** Why `v` is not displayable text of 1 to `max` characters, or undefined when it is. */
export function unsafeTextReason (v: unknown, max: number): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) return `must be text of 1 to ${max} characters`
  if (UNSAFE.test(v)) return 'must not contain control, format or bidi characters'
  return undefined
}

export function isDisplayText (v: unknown, max: number): v is string {
  return unsafeTextReason(v, max) === undefined
}

/** The control, format or bidi characters in `s`, each once, as U+XXXX (what a form names back to a person). */
export function unsafeCharacters (s: string): string[] {
  const found = s.match(new RegExp(UNSAFE.source, 'gu')) ?? []
  return [...new Set(found.map(c => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`))]
}

/**
 * `s` with every control, format or bidi character shown as \u{…}: for messages that quote text
 * from elsewhere (a refused path, a reason) on their way to a log or a terminal.
 */
export function escapeUnsafe (s: string): string {
  return s.replace(new RegExp(UNSAFE.source, 'gu'), c => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`)
}

/**
 * A name read back from a file an older version wrote (before this rule): kept, but shown safely —
 * escaped where it breaks the rule, and cut to `max` characters.
 */
export function storedName (v: unknown, max: number): string {
  if (typeof v !== 'string') return ''
  return isDisplayText(v, max) ? v : escapeUnsafe(v).slice(0, max)
}
