// Property-based fuzzing of the control-protocol parsers: arbitrary JSON and mutated valid
// messages never make them throw, and whatever they accept has the promised types and ranges.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DECISIONS, parseDeviceInfo, parseOffer, parseOfferReply, parseReport, REPORT_STATES, type DeviceInfo, type Offer, type OfferReply, type Report } from '../../../main/core/protocol/messages.js'
import type { Result } from '../../../common/result.js'
import { id, validOffer } from '../offer-fixture.js'

const DEVICE_ID = /^[0-9a-f]{32}$/
const HEX40 = /^[0-9a-f]{40}$/
const HEX64 = /^[0-9a-f]{64}$/
const isPort = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535
const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
const isText = (s: unknown, max: number): boolean => typeof s === 'string' && s.length >= 1 && s.length <= max
/**
 * Characters that must never be accepted in a name, reason or id: an independent list (C0, DEL,
 * C1, the bidi controls, zero-width and invisible format characters, separators, BOM, lone
 * surrogates), not the implementation's Unicode classes.
 */
function hasDangerous (s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0xad || c === 0x61c || (c >= 0x200b && c <= 0x200f) ||
        (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c === 0xfeff) return true
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) return true
  }
  return false
}
const isShownText = (s: unknown, max: number): boolean => isText(s, max) && !hasDangerous(s as string)
const OFFER_ID = /^[0-9a-zA-Z-]{1,64}$/
/** Four dotted decimal octets 0-255 (the parser's contract; leading zeros are allowed by it, see the report). */
// Dotted quad of decimal octets 0–255 without leading zeros ("010" could be read as octal).
const isIPv4 = (s: string): boolean => /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(s) && s.split('.').every(p => Number(p) <= 255)

function checkOffer (o: Offer): void {
  expect(o.protocol).toBe(1)
  expect(o.offerId).toMatch(OFFER_ID)
  expect(o.sender.id).toMatch(DEVICE_ID)
  expect(isShownText(o.sender.name, 64) && isText(o.sender.publicKey, 512)).toBe(true)
  expect(isPort(o.sender.controlPort) && isPort(o.sender.btPort)).toBe(true)
  expect(o.infoHash).toMatch(HEX40)
  expect(o.sha256).toMatch(HEX64)
  expect(isText(o.name, 255) && isText(o.torrent, 140 * 1024 * 1024) && isShownText(o.createdAt, 64)).toBe(true)
  expect(Number.isSafeInteger(o.totalLength) && o.totalLength >= 1).toBe(true)
  expect(Array.isArray(o.files) && Array.isArray(o.members)).toBe(true)
  expect(o.members.length).toBeLessThanOrEqual(1000)
  for (const f of o.files) expect(isText(f.path, 4096) && isCount(f.length)).toBe(true)
  for (const m of o.members) {
    expect(m.id).toMatch(DEVICE_ID)
    expect(isShownText(m.name, 64) && isPort(m.btPort)).toBe(true)
    expect(m.address === null || (typeof m.address === 'string' && isIPv4(m.address))).toBe(true)
  }
}

function checkReport (r: Report): void {
  expect(r.protocol).toBe(1)
  expect(r.infoHash).toMatch(HEX40)
  expect(r.from).toMatch(DEVICE_ID)
  expect(REPORT_STATES).toContain(r.state)
  for (const n of [r.verifiedPieces, r.pieceCount, r.verifiedBytes, r.uploadedBytes, r.hashFailures]) expect(isCount(n)).toBe(true)
  for (const n of [r.downloadSpeed, r.uploadSpeed]) expect(typeof n === 'number' && Number.isFinite(n) && n >= 0).toBe(true)
  if (r.sha256 !== undefined) expect(r.sha256).toMatch(HEX64)
  if (r.reason !== undefined) expect(isShownText(r.reason, 500)).toBe(true)
  if (r.bitfield !== undefined) expect(isText(r.bitfield, 4 * 1024 * 1024)).toBe(true)
  expect('sha256' in r && r.sha256 === undefined).toBe(false)
}

function checkDeviceInfo (d: DeviceInfo): void {
  expect(Number.isSafeInteger(d.protocol) && d.protocol >= 1 && d.protocol <= 1000).toBe(true)
  expect(d.id).toMatch(DEVICE_ID)
  expect(isShownText(d.name, 64) && isShownText(d.platform, 32) && isShownText(d.version, 32) && isText(d.publicKey, 512)).toBe(true)
  expect(isPort(d.controlPort) && isPort(d.btPort)).toBe(true)
}

function checkReply (r: OfferReply): void {
  expect(DECISIONS).toContain(r.decision)
  if (r.reason !== undefined) expect(isShownText(r.reason, 500)).toBe(true)
}

/** Calls a parser, asserting it does not throw and returns a well-formed Result; checks accepted values. */
function run<T> (parse: (body: unknown) => Result<T>, check: (v: T) => void, body: unknown): boolean {
  let r: Result<T> | undefined
  expect(() => { r = parse(body) }).not.toThrow()
  if (r === undefined) throw new Error('parser returned nothing')
  expect(typeof r.ok).toBe('boolean')
  if (r.ok) check(r.value)
  else {
    expect(r.error.code).toBe('bad-request')
    expect(typeof r.error.message).toBe('string')
  }
  return r.ok
}

const PARSERS = [
  ['parseOffer', (b: unknown) => run(parseOffer, checkOffer, b)],
  ['parseReport', (b: unknown) => run(parseReport, checkReport, b)],
  ['parseDeviceInfo', (b: unknown) => run(parseDeviceInfo, checkDeviceInfo, b)],
  ['parseOfferReply', (b: unknown) => run(parseOfferReply, checkReply, b)]
] as const

const validReport = (): Record<string, unknown> => ({
  protocol: 1, infoHash: 'b'.repeat(40), from: id('e'), state: 'downloading', verifiedPieces: 3, pieceCount: 10, verifiedBytes: 3 * 16384,
  downloadSpeed: 1.5e6, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0, sha256: 'c'.repeat(64), reason: 'why', bitfield: 'gA=='
})
const validDeviceInfo = (): Record<string, unknown> => ({
  protocol: 1, id: id('f'), name: 'lab-07', platform: 'linux', version: '0.1.0', controlPort: 47620, btPort: 47621, publicKey: 'PEM'
})
const validReply = (): Record<string, unknown> => ({ decision: 'declined', reason: 'disk full' })

const HUGE = 'x'.repeat(200_000)
// Replacement values: wrong types, out-of-range and non-integral numbers, wrong-length or uppercase hex, odd addresses.
const nastyValue = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(
    null, undefined, true, 0, -1, 1.5, -0, NaN, Infinity, -Infinity, 65535, 65536, 2 ** 53, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, 1e-300,
    '', ' ', '1', '47620', HUGE, 'a'.repeat(31), 'a'.repeat(33), 'A'.repeat(32), 'g'.repeat(32), 'b'.repeat(39), 'b'.repeat(41), 'B'.repeat(40),
    'c'.repeat(63), 'c'.repeat(65), 'C'.repeat(64), '256.0.0.1', '1.2.3', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.4\n', '::1', '0x7f.0.0.1', '١.٢.٣.٤',
    '127.0.0.1', '0.0.0.0', '255.255.255.255', 'accepted', 'verified', 'bogus', [], {}, [1, 2], { toString: 1 }, { __proto__: null }
  ), weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.string({ maxLength: 70 }), weight: 1 }
)

type Edit = { readonly at: number; readonly op: 'delete' | 'set'; readonly value: unknown }
const editArb: fc.Arbitrary<Edit> = fc.record({ at: fc.nat(), op: fc.constantFrom('delete' as const, 'set' as const), value: nastyValue })

type Container = Record<string, unknown> | unknown[]
/** Every (container, key) slot in a JSON tree, depth first. */
function slots (v: unknown, out: Array<[Container, string | number]> = []): Array<[Container, string | number]> {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([v, i]); slots(x, out) })
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) { out.push([v as Record<string, unknown>, k]); slots(x, out) }
  return out
}

function applyEdits (body: Record<string, unknown>, edits: readonly Edit[]): Record<string, unknown> {
  for (const e of edits) {
    const all = slots(body)
    const slot = all[e.at % Math.max(1, all.length)]
    if (slot === undefined) continue
    const [c, k] = slot
    // A fresh copy each time: the generator hands out the same [] or {} to several edits, and
    // setting one inside itself would make the message cyclic, which no JSON body can be.
    const value = structuredClone(e.value)
    if (Array.isArray(c)) {
      if (e.op === 'delete') c.splice(Number(k), 1)
      else c[Number(k)] = value
    } else if (e.op === 'delete') delete c[k]
    else c[k] = value
  }
  return body
}

describe('protocol message parsers fuzz', () => {
  it('valid bodies are accepted', () => {
    expect(run(parseOffer, checkOffer, validOffer())).toBe(true)
    expect(run(parseReport, checkReport, validReport())).toBe(true)
    expect(run(parseDeviceInfo, checkDeviceInfo, validDeviceInfo())).toBe(true)
    expect(run(parseOfferReply, checkReply, validReply())).toBe(true)
  })

  for (const [name, check] of PARSERS) {
    it(`${name} never throws on arbitrary values (fc.anything, fc.jsonValue)`, () => {
      fc.assert(fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }), fc.jsonValue()), body => {
        check(body)
      }), { numRuns: 2000 })
    })
  }

  const TEMPLATES = [
    ['parseOffer', validOffer, (b: unknown) => run(parseOffer, checkOffer, b)],
    ['parseReport', validReport, (b: unknown) => run(parseReport, checkReport, b)],
    ['parseDeviceInfo', validDeviceInfo, (b: unknown) => run(parseDeviceInfo, checkDeviceInfo, b)],
    ['parseOfferReply', validReply, (b: unknown) => run(parseOfferReply, checkReply, b)]
  ] as const

  for (const [name, template, check] of TEMPLATES) {
    it(`${name} never throws on mutated valid messages, and accepts only well-typed ones`, () => {
      let accepted = 0
      fc.assert(fc.property(fc.array(editArb, { minLength: 1, maxLength: 3 }), edits => {
        if (check(applyEdits(template(), edits))) accepted++
      }), { numRuns: 2000 })
      expect(accepted).toBeGreaterThan(10)
    })
  }

  // Names, reasons and ids that reach terminals and logs (issue 11, finding 3): whatever text is put
  // in one of them, a dangerous character is always refused and plain printable text always taken.
  const DANGEROUS = ['\u0000', '\u0007', '\u001b', '\n', '\r', '\u007f', '\u0085', '\u009b', '\u00ad', '\u061c', '\u200b', '\u200d',
    '\u200e', '\u2028', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\ud800', '\udfff', '\u001b[2K\r']
  const textValue: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: fc.string({ unit: 'binary', maxLength: 70 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 70 }), weight: 2 },
    { arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map(c => String.fromCharCode(c)), maxLength: 20 }), weight: 2 },
    { arbitrary: fc.tuple(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(...DANGEROUS), fc.nat()).map(([base, bad, at]) => { const i = at % (base.length + 1); return base.slice(0, i) + bad + base.slice(i) }), weight: 4 },
    { arbitrary: fc.stringMatching(/^[ -~]{1,64}$/), weight: 2 },
    { arbitrary: fc.stringMatching(/^[0-9a-zA-Z-]{1,64}$/), weight: 1 }
  )
  type Slot = readonly [path: readonly (string | number)[], max: number, pattern?: RegExp]
  const TEXT_SLOTS = [
    ['parseOffer', validOffer, (b: unknown) => run(parseOffer, checkOffer, b), [[['sender', 'name'], 64], [['members', 1, 'name'], 64], [['createdAt'], 64], [['offerId'], 64, OFFER_ID]]],
    ['parseReport', validReport, (b: unknown) => run(parseReport, checkReport, b), [[['reason'], 500]]],
    ['parseDeviceInfo', validDeviceInfo, (b: unknown) => run(parseDeviceInfo, checkDeviceInfo, b), [[['name'], 64], [['platform'], 32], [['version'], 32]]],
    ['parseOfferReply', validReply, (b: unknown) => run(parseOfferReply, checkReply, b), [[['reason'], 500]]]
  ] as const satisfies ReadonlyArray<readonly [string, () => Record<string, unknown>, (b: unknown) => boolean, readonly Slot[]]>

  for (const [name, template, check, slots] of TEXT_SLOTS) {
    it(`${name} refuses every dangerous character in names, reasons and ids, and takes plain text`, () => {
      fc.assert(fc.property(fc.constantFrom<Slot>(...slots), textValue, ([path, max, pattern], value) => {
        const body = template()
        let at: Record<string, unknown> | unknown[] = body
        for (const k of path.slice(0, -1)) at = (at as Record<string | number, unknown>)[k] as Record<string, unknown>
        ;(at as Record<string | number, unknown>)[path[path.length - 1] ?? ''] = value
        const accepted = check(body)
        if (hasDangerous(value)) expect(accepted).toBe(false)
        const plain = /^[ -~]+$/.test(value) && value.length <= max && (pattern === undefined || pattern.test(value))
        if (plain) expect(accepted).toBe(true)
      }), { numRuns: 6000 })
    })
  }

  it('parseOffer: member addresses it accepts are dotted-quad IPv4 or null', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 999 }).map(String), fc.constantFrom('', '00', '007', '-1', '+1', ' 1', '1 ', 'a', '0x1', '²'))
    fc.assert(fc.property(fc.array(octet, { minLength: 3, maxLength: 5 }), fc.constantFrom('.', ',', '..'), (parts, dot) => {
      const o = validOffer()
      const members = o.members as Array<Record<string, unknown>>
      const m = members[1]
      if (m) m.address = parts.join(dot)
      const ok = run(parseOffer, checkOffer, o)
      const address = parts.join(dot)
      expect(ok).toBe(address.length <= 15 && isIPv4(address))
    }), { numRuns: 2000 })
  })
})
