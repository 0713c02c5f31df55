// Bencode with limits. Torrent metadata arrives from files, offers and peers, so the decoder
// bounds nesting depth, item count and integer length (libtorrent uses depth 100 and 2,000,000
// tokens) and never throws past its own Result. It also reports the byte span of the top-level
// `info` value, because the infohash is the SHA-1 of exactly those bytes.
import { fail, ok, type Result } from '../../../common/result.js'

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
  const readDigitsUntil = (terminator: number, allowMinus: boolean): number => {
    const start = pos
    while (pos < buf.length && buf[pos] !== terminator) pos++
    if (pos >= buf.length) throw new DecodeError(`unterminated number at byte ${start}`)
    const text = buf.toString('latin1', start, pos)
    pos++ // terminator
    const pattern = allowMinus ? /^(0|-?[1-9][0-9]{0,15})$/ : /^(0|[1-9][0-9]{0,15})$/
    if (!pattern.test(text)) throw new DecodeError(`bad number "${text.slice(0, 20)}" at byte ${start}`)
    const n = Number(text)
    if (!Number.isSafeInteger(n)) throw new DecodeError(`number out of range at byte ${start}`)
    return n
  }
  const readString = (): Buffer => {
    const length = readDigitsUntil(0x3a /* : */, false)
    need(length)
    const out = buf.subarray(pos, pos + length)
    pos += length
    return out
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
        const key = readString().toString('utf8')
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

export function bencode (value: BValue): Buffer {
  const parts: Buffer[] = []
  const put = (v: BValue): void => {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new RangeError('bencode integers must be safe integers')
      parts.push(Buffer.from(`i${v}e`, 'latin1'))
    } else if (Buffer.isBuffer(v)) {
      parts.push(Buffer.from(`${v.length}:`, 'latin1'), v)
    } else if (Array.isArray(v)) {
      parts.push(Buffer.from('l'))
      v.forEach(put)
      parts.push(Buffer.from('e'))
    } else {
      parts.push(Buffer.from('d'))
      // Keys sort as raw byte strings (BEP 3).
      const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      for (const key of keys) {
        const item = v[key]
        if (item === undefined) continue
        put(Buffer.from(key, 'utf8'))
        put(item)
      }
      parts.push(Buffer.from('e'))
    }
  }
  put(value)
  return Buffer.concat(parts)
}

export function bstr (text: string): Buffer {
  return Buffer.from(text, 'utf8')
}
