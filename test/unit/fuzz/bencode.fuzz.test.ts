// Property-based fuzzing of the bencode decoder: arbitrary and mutated input never throws, always
// yields a Result, and is decided quickly; valid values round-trip exactly.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bdecode, bencode, DEFAULT_LIMITS, type BDict, type BValue } from '../../../main/core/torrent/bencode.js'
import { bencodeishBytes, mutateAll, mutationArb, timed } from './fuzz-helpers.js'

const BOUND_MS = 50

/** Decodes, asserting it neither throws nor takes long, and that the answer is a well-formed Result. */
function checkedDecode (bytes: Uint8Array): ReturnType<typeof bdecode> {
  expect(bytes.byteLength).toBeLessThanOrEqual(64 * 1024 + 4096)
  const { result, ms } = timed(() => bdecode(bytes), BOUND_MS)
  expect(ms).toBeLessThan(BOUND_MS)
  expect(typeof result.ok).toBe('boolean')
  if (result.ok) {
    expect(result.value.value).toBeDefined()
    // A value that decoded must be re-encodable (every integer safe, every key a string).
    expect(() => bencode(result.value.value)).not.toThrow()
    const span = result.value.infoSpan
    if (span) {
      expect(span.start).toBeGreaterThan(0)
      expect(span.end).toBeGreaterThan(span.start)
      expect(span.end).toBeLessThanOrEqual(bytes.byteLength)
    }
  } else {
    expect(result.error.code).toBe('bencode')
    expect(typeof result.error.message).toBe('string')
    expect(result.error.message.length).toBeLessThan(200)
  }
  return result
}

const isDict = (v: BValue): v is BDict => typeof v === 'object' && !Buffer.isBuffer(v) && !Array.isArray(v)

/** Structural equality of bencode values (dict key order ignored, Buffers by content). */
function bEqual (a: BValue, b: BValue): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => { const y = b[i]; return y !== undefined && bEqual(x, y) })
  }
  if (!isDict(a) || !isDict(b)) return false
  const ka = Object.keys(a).sort()
  const kb = Object.keys(b).sort()
  return ka.length === kb.length && ka.every((k, i) => {
    const x = a[k]
    const y = b[k]
    return k === kb[i] && x !== undefined && y !== undefined && bEqual(x, y)
  })
}

const bInt = fc.oneof(
  fc.maxSafeInteger(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 32, -(2 ** 31))
).map(n => (n === 0 ? 0 : n)) // never -0: bencode has no negative zero
const bBytes = fc.uint8Array({ maxLength: 48 }).map(a => Buffer.from(a))
// Dictionary keys are decoded as UTF-8 text, so they must be well-formed Unicode (no lone surrogates).
const bKey = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('info', '__proto__', 'constructor', ''))

const { value: bValue } = fc.letrec<{ value: BValue }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    bInt,
    bBytes,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(bKey, tie('value'), { maxKeys: 5 }).map((d): BDict => {
      const out = Object.create(null) as BDict
      for (const [k, v] of Object.entries(d)) out[k] = v
      return out
    })
  )
}))

describe('bdecode fuzz', () => {
  it('round-trips generated bencode values: bdecode(bencode(v)) equals v, and re-encoding is canonical', () => {
    fc.assert(fc.property(bValue, v => {
      const bytes = bencode(v)
      const r = checkedDecode(bytes)
      expect(r.ok).toBe(true)
      if (!r.ok) return
      expect(bEqual(r.value.value, v)).toBe(true)
      expect(bencode(r.value.value).equals(bytes)).toBe(true)
    }), { numRuns: 2000 })
  })

  it('reports the exact byte span of a top-level info value', () => {
    fc.assert(fc.property(bValue, bValue, (info, other) => {
      const bytes = bencode({ announce: other, info, zzz: other })
      const r = checkedDecode(bytes)
      expect(r.ok).toBe(true)
      if (!r.ok) return
      const span = r.value.infoSpan
      expect(span).toBeDefined()
      if (span) expect(bytes.subarray(span.start, span.end).equals(bencode(info))).toBe(true)
    }), { numRuns: 500 })
  })

  it('never throws on arbitrary bytes (uniform and bencode-shaped)', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 256 }), bencodeishBytes(512)), bytes => {
      checkedDecode(bytes)
    }), { numRuns: 4000 })
  })

  it('never throws on mutated valid bencode (bit flips, truncation, insertion, deletion, huge length prefixes)', () => {
    fc.assert(fc.property(bValue, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (v, ms) => {
      checkedDecode(mutateAll(bencode(v), ms))
    }), { numRuns: 3000 })
  })

  // Large pathological inputs built from repeated patterns, up to 64 KiB, to bound time per call.
  const PATTERNS = ['l', 'd', 'le', 'li1e', 'i', '9', '1:a', 'd1:a', 'l0:', 'i-', '0', 'e', 'd0:le', '2:xx', 'ld', 'dl', '1:']
  const bigInput = fc.record({
    prefix: fc.constantFrom('', 'l', 'd', 'i', 'd4:info', 'd4:infol', '65536:', '99999:'),
    pattern: fc.oneof(fc.constantFrom(...PATTERNS), fc.string({ minLength: 1, maxLength: 6 })),
    count: fc.integer({ min: 1, max: 65_536 }),
    suffix: fc.constantFrom('', 'e', 'ee', 'i1e', '0:')
  })
  // Built inside the predicate so a counterexample prints as its short recipe, not 64 KiB of bytes.
  const build = ({ prefix, pattern, count, suffix }: { prefix: string; pattern: string; count: number; suffix: string }): Buffer =>
    Buffer.from(prefix + pattern.repeat(Math.max(1, Math.min(count, Math.floor(64 * 1024 / pattern.length)))) + suffix, 'latin1')

  it('decides huge repeated-pattern inputs up to 64 KiB within 50 ms of CPU each', () => {
    fc.assert(fc.property(bigInput, recipe => { checkedDecode(build(recipe)) }), { numRuns: 500 })
  })

  it('refuses deep nesting beyond the depth limit, and accepts it up to the limit (incl. l × 10,000)', () => {
    const depthOk = (n: number): boolean => n - 1 <= DEFAULT_LIMITS.maxDepth
    fc.assert(fc.property(
      fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(10_000, 16_000)),
      fc.constantFrom('l', 'd0:'),
      fc.boolean(),
      (n, open, closed) => {
        const text = open.repeat(n) + (closed ? (open === 'l' ? '' : 'i0e') + 'e'.repeat(n) : '')
        const bytes = Buffer.from(n === 0 ? 'i0e' : text, 'latin1')
        const r = checkedDecode(bytes)
        if (n === 0) expect(r.ok).toBe(true)
        else if (!closed) expect(r.ok).toBe(false)
        else if (open === 'l') expect(r.ok).toBe(depthOk(n))
        else expect(r.ok).toBe(depthOk(n + 1)) // the innermost i0e sits one level deeper
        if (!r.ok && closed && n > 0) expect(r.error.message).toMatch(/nested deeper|nested too deeply/)
      }
    ), { numRuns: 500 })
  })

  it('enforces the token limit exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 2000 }), (items, maxTokens) => {
      const bytes = Buffer.from('l' + 'i1e'.repeat(items) + 'e', 'latin1')
      const { result } = timed(() => bdecode(bytes, { maxDepth: 100, maxTokens }), BOUND_MS)
      expect(result.ok).toBe(items + 1 <= maxTokens)
    }), { numRuns: 1000 })
  })

  it('decodes integers of up to hundreds of digits exactly when canonical and safe, refuses the rest', () => {
    const digits = fc.oneof(
      fc.stringMatching(/^-?[0-9]{1,20}$/),
      fc.stringMatching(/^-?[0-9]{1,400}$/),
      fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map(String),
      fc.constantFrom('-0', '00', '01', '-', '', '+1', ' 1', '1.0', '1e3', '9007199254740991', '9007199254740992', '-9007199254740991', '-9007199254740992')
    )
    fc.assert(fc.property(digits, fc.boolean(), (text, asLength) => {
      const bytes = Buffer.from(asLength ? `${text}:` : `i${text}e`, 'latin1')
      const r = checkedDecode(bytes)
      const canonical = /^(0|-?[1-9][0-9]*)$/.test(text)
      const safe = canonical && BigInt(text) <= BigInt(Number.MAX_SAFE_INTEGER) && BigInt(text) >= BigInt(Number.MIN_SAFE_INTEGER)
      if (asLength) {
        // A length prefix is never negative, and nothing follows it here: only "0:" decodes.
        expect(r.ok).toBe(text === '0')
      } else {
        expect(r.ok).toBe(safe)
        if (r.ok) expect(BigInt(r.value.value as number)).toBe(BigInt(text))
      }
    }), { numRuns: 3000 })
  })
})
