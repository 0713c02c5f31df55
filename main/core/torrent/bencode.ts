// Bencode with limits. Torrent metadata arrives from files, offers and peers, so the decoder
// bounds nesting depth, item count and integer length (libtorrent uses depth 100 and 2,000,000
// tokens) and never throws past its own Result. It also reports the byte span of the top-level
// `info` value, because the infohash is the SHA-1 of exactly those bytes.
import { fail, ok, type Result } from '../../../common/result.js'
import { sortedByBytes } from './byte-order.js'

export type BValue = number | Buffer | BValue[] | BDict
export interface BDict { [key: string]: BValue }

export interface DecodeLimits { readonly maxDepth: number; readonly maxTokens: number }
export const DEFAULT_LIMITS: DecodeLimits = { maxDepth: 100, maxTokens: 2_000_000 }

export interface Decoded { readonly value: BValue; readonly infoSpan?: { readonly start: number; readonly end: number } }

class DecodeError extends Error {}

export function bdecode (data: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): Result<Decoded> {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  let pos = 0
  let tokens = 0
  let infoSpan: { start: number; end: number } | undefined

  const need = (n: number): void => {
    if (pos + n > buf.length) throw new DecodeError(`truncated at byte ${pos}`)
  }
  // Digits parsed in place: a 50,000-file torrent has ~250,000 numbers and string lengths, and
  // slicing each into a string to test it made most of the decoder's garbage.
  const readDigitsUntil = (terminator: number, allowMinus: boolean): number => {
    const start = pos
    const negative = allowMinus && buf[pos] === 0x2d /* - */
    if (negative) pos++
    const first = pos
    let n = 0
    for (;;) {
      if (pos >= buf.length) throw new DecodeError(`unterminated number at byte ${start}`)
      const c = buf[pos] as number
      if (c === terminator) break
      if (c < 0x30 || c > 0x39) throw new DecodeError(`bad number "${buf.toString('latin1', start, Math.min(pos + 1, start + 20))}" at byte ${start}`)
      n = n * 10 + (c - 0x30)
      pos++
    }
    const digits = pos - first
    // Canonical only: "0", or no leading zero, no "-0", at most 16 digits.
    if (digits === 0 || digits > 16 || (buf[first] === 0x30 && (digits > 1 || negative))) {
      throw new DecodeError(`bad number "${buf.toString('latin1', start, Math.min(pos, start + 20))}" at byte ${start}`)
    }
    pos++ // terminator
    if (!Number.isSafeInteger(n)) throw new DecodeError(`number out of range at byte ${start}`)
    return negative ? -n : n
  }
  const readString = (): Buffer => {
    const length = readDigitsUntil(0x3a /* : */, false)
    need(length)
    const out = buf.subarray(pos, pos + length)
    pos += length
    return out
  }
  const readKey = (): string => {
    const length = readDigitsUntil(0x3a /* : */, false)
    need(length)
    const key = buf.toString('utf8', pos, pos + length)
    pos += length
    return key
  }
  const readValue = (depth: number, isTopLevel: boolean): BValue => {
    if (depth > limits.maxDepth) throw new DecodeError(`nested deeper than ${limits.maxDepth}`)
    if (++tokens > limits.maxTokens) throw new DecodeError(`more than ${limits.maxTokens} items`)
    need(1)
    const c = buf[pos]
    if (c === 0x69 /* i */) { pos++; return readDigitsUntil(0x65 /* e */, true) }
    if (c === 0x6c /* l */) {
      pos++
      const list: BValue[] = []
      for (;;) {
        need(1)
        if (buf[pos] === 0x65) { pos++; return list }
        list.push(readValue(depth + 1, false))
      }
    }
    if (c === 0x64 /* d */) {
      pos++
      const dict: BDict = Object.create(null) as BDict
      for (;;) {
        need(1)
        if (buf[pos] === 0x65) { pos++; return dict }
        const key = readKey()
        const valueStart = pos
        const value = readValue(depth + 1, false)
        if (isTopLevel && key === 'info') infoSpan = { start: valueStart, end: pos }
        dict[key] = value
      }
    }
    if (c !== undefined && c >= 0x30 && c <= 0x39) return readString()
    throw new DecodeError(`unexpected byte 0x${(c ?? 0).toString(16)} at ${pos}`)
  }

  try {
    const value = readValue(0, true)
    if (pos !== buf.length) return fail('bencode', `trailing data after byte ${pos}`)
    return ok(infoSpan ? { value, infoSpan } : { value })
  } catch (err) {
    if (err instanceof DecodeError) return fail('bencode', `invalid bencode: ${err.message}`)
    if (err instanceof RangeError) return fail('bencode', 'invalid bencode: nested too deeply')
    throw err
  }
}

/** What the encoder takes: a decoded value, or one whose byte strings are given as text (written as UTF-8). */
export type EncodableValue = number | Buffer | string | EncodableValue[] | EncodableDict
export interface EncodableDict { [key: string]: EncodableValue }

/** Encoded bytes, and where the top-level `info` value lies in them (its SHA-1 is the infohash). */
export interface Encoded { readonly bytes: Buffer; readonly infoSpan?: { readonly start: number; readonly end: number } }

export function bencode (value: EncodableValue): Buffer {
  return bencodeWithSpan(value).bytes
}

/** Keys sort as raw byte strings (BEP 3). */
function sortedKeys (d: EncodableDict): string[] {
  return sortedByBytes(Object.keys(d))
}

/**
 * Written into one growing buffer: a torrent of 50,000 files is ~500,000 tokens, and a Buffer per
 * token (then Buffer.concat) made the encoder mostly garbage collection.
 */
export function bencodeWithSpan (value: EncodableValue): Encoded {
  let buf = Buffer.allocUnsafe(64 * 1024)
  let pos = 0
  let infoSpan: { start: number; end: number } | undefined
  const room = (n: number): void => {
    if (pos + n <= buf.length) return
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + n))
    buf.copy(bigger, 0, 0, pos)
    buf = bigger
  }
  const ascii = (text: string): void => {
    room(text.length)
    pos += buf.write(text, pos, 'latin1')
  }
  const put = (v: EncodableValue, isTopLevel: boolean): void => {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new RangeError('bencode integers must be safe integers')
      ascii(`i${v}e`)
    } else if (typeof v === 'string') {
      // Text goes in as its UTF-8 bytes, written in place (no Buffer per path component).
      const length = Buffer.byteLength(v, 'utf8')
      ascii(`${length}:`)
      room(length)
      pos += buf.write(v, pos, 'utf8')
    } else if (Buffer.isBuffer(v)) {
      ascii(`${v.length}:`)
      room(v.length)
      pos += v.copy(buf, pos)
    } else if (Array.isArray(v)) {
      ascii('l')
      for (const item of v) put(item, false)
      ascii('e')
    } else {
      ascii('d')
      for (const key of sortedKeys(v)) {
        const item = v[key]
        if (item === undefined) continue
        const length = Buffer.byteLength(key, 'utf8')
        ascii(`${length}:`)
        room(length)
        pos += buf.write(key, pos, 'utf8')
        const start = pos
        put(item, false)
        if (isTopLevel && key === 'info') infoSpan = { start, end: pos }
      }
      ascii('e')
    }
  }
  put(value, true)
  const bytes = Buffer.from(buf.subarray(0, pos))
  return infoSpan ? { bytes, infoSpan } : { bytes }
}

export function bstr (text: string): Buffer {
  return Buffer.from(text, 'utf8')
}
