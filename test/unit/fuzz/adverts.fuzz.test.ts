// Property-based fuzzing of the mDNS TXT parser: a TXT record is unauthenticated input from anyone
// on the LAN. Whatever arrives, advertFromTxt answers an Advert or nothing, never throws, and what it
// answers holds a device id, ports in range, and names with no character that could rewrite a
// terminal line (the same rule as names in control messages).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { advertFromTxt, advertToTxt, type Advert } from '../../../main/core/discovery/peer-info.js'

/** Independent list of characters a name must never hold (C0, DEL, C1, bidi, invisible, BOM, lone surrogates). */
function hasDangerous (s: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/.test(s) ||
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)
}

function check (a: Advert): void {
  expect(a.id).toMatch(/^[0-9a-f]{32}$/)
  expect(a.name.length >= 1 && a.name.length <= 64 && !hasDangerous(a.name)).toBe(true)
  expect(a.platform.length >= 1 && a.platform.length <= 32 && !hasDangerous(a.platform)).toBe(true)
  expect(a.version.length >= 1 && a.version.length <= 32 && !hasDangerous(a.version)).toBe(true)
  for (const p of [a.controlPort, a.btPort]) expect(Number.isInteger(p) && p >= 1 && p <= 65535).toBe(true)
}

function parsed (txt: unknown): Advert | undefined {
  let a: Advert | undefined
  expect(() => { a = advertFromTxt(txt) }).not.toThrow()
  if (a !== undefined) check(a)
  return a
}

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map(c => String.fromCharCode(c)), maxLength: 20 }),
  fc.tuple(fc.stringMatching(/^[a-z0-9-]{0,20}$/), fc.constantFrom('\u001b[2K', '\u009b', '\u202e', '\u2066', '\u200b', '\n', '\ud800', '\ufeff'), fc.nat())
    .map(([b, bad, at]) => { const i = at % (b.length + 1); return b.slice(0, i) + bad + b.slice(i) }),
  fc.stringMatching(/^[ -~]{1,64}$/)
)
const portText = fc.oneof(fc.integer({ min: -5, max: 70_000 }).map(String), fc.constantFrom('', '0', '00080', '1e3', ' 80', '65535', '65536', '+1', '0x50'))
const valid = (): Record<string, string> => advertToTxt({ id: 'a'.repeat(32), name: 'lab-07', platform: 'linux', version: '0.1.0', controlPort: 47620, btPort: 47621 })

describe('advertFromTxt fuzz', () => {
  it('never throws on arbitrary values', () => {
    fc.assert(fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withBoxedValues: true }), fc.jsonValue()), txt => { parsed(txt) }), { numRuns: 3000 })
  })

  it('refuses names with dangerous characters, takes plain ones, and bounds every field', () => {
    let accepted = 0
    fc.assert(fc.property(
      fc.record({ name: text, platform: fc.option(text), app: fc.option(text), cport: fc.option(portText), bport: fc.option(portText), id: fc.option(fc.constantFrom('a'.repeat(32), 'A'.repeat(32), 'a'.repeat(31), '')) }),
      edits => {
        const txt: Record<string, unknown> = valid()
        for (const [k, v] of Object.entries(edits)) if (v !== null) txt[k] = v
        const a = parsed(txt)
        if (a !== undefined) accepted++
        if (hasDangerous(edits.name)) expect(a).toBeUndefined()
        const plainName = /^[ -~]{1,64}$/.test(edits.name)
        const defaultsKept = edits.cport === null && edits.bport === null && edits.id === null
        if (plainName && defaultsKept) expect(a?.name).toBe(edits.name)
      }
    ), { numRuns: 7000 })
    expect(accepted).toBeGreaterThan(500)
  })
})
