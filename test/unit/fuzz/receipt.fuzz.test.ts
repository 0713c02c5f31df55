// Property-based fuzzing of signed receipts: the parser never throws on arbitrary JSON or mutated
// receipts, whatever it accepts is within its types and ranges, and a mutated receipt verifies only
// when every signed field is still what was signed (so no tampering passes for the original).
import fc from 'fast-check'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOrCreateIdentity, type Identity } from '../../../main/core/identity/identity.js'
import { parseReceipt, signReceipt, verifyReceipt, type Receipt } from '../../../main/core/protocol/receipt.js'
import { verifyReport } from '../../../main/core/app/verify-report.js'
import { mutateAll, mutationArb } from './fuzz-helpers.js'

let dir = ''
let me: Identity
let genuine: Receipt

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sd-receipt-fuzz-'))
  const r = await loadOrCreateIdentity(dir)
  if (!r.ok) throw new Error(r.error.message)
  me = r.value
  genuine = signReceipt(me, { infoHash: '0123456789abcdef0123456789abcdef01234567', sha256: 'f'.repeat(64), verifiedAt: '2026-12-04T21:47:32.123Z', deviceId: me.id, bytes: 123_456_789 })
})

afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

const shapeOk = (r: Receipt): boolean =>
  /^[0-9a-f]{40}$/.test(r.infoHash) && /^[0-9a-f]{64}$/.test(r.sha256) && /^[0-9a-f]{32}$/.test(r.deviceId) &&
  Number.isSafeInteger(r.bytes) && r.bytes >= 0 && new Date(r.verifiedAt).toISOString() === r.verifiedAt &&
  Buffer.from(r.publicKey, 'base64').length === 32 && Buffer.from(r.signature, 'base64').length === 64

const SIGNED = ['infoHash', 'sha256', 'verifiedAt', 'deviceId', 'bytes', 'publicKey'] as const

describe('receipt parser fuzz', () => {
  it('never throws on arbitrary JSON, and accepts only well-formed receipts', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.record({ infoHash: fc.string(), sha256: fc.string(), verifiedAt: fc.string(), deviceId: fc.string(), bytes: fc.oneof(fc.integer(), fc.double()), publicKey: fc.string(), signature: fc.string() })), v => {
      const r = parseReceipt(v)
      return r.ok ? shapeOk(r.value) : r.error.code === 'bad-request' && r.error.message.startsWith('receipt')
    }), { numRuns: 5_000 })
  })

  it('a mutated receipt never throws, and verifies only if its signed fields are unchanged', () => {
    let parsed = 0
    let tamperedCaught = 0
    fc.assert(fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), ms => {
      const text = mutateAll(Buffer.from(JSON.stringify(genuine)), ms).toString('utf8')
      let v: unknown
      try { v = JSON.parse(text) } catch { return true }
      const r = parseReceipt(v)
      if (!r.ok) return true
      parsed++
      if (!shapeOk(r.value)) return false
      const same = SIGNED.every(k => r.value[k] === genuine[k]) && Buffer.from(r.value.signature, 'base64').equals(Buffer.from(genuine.signature, 'base64'))
      const good = verifyReceipt(r.value).ok
      if (!same && !good) tamperedCaught++
      // Unchanged fields verify; any change to a signed field (or the signature) does not.
      return same ? good : !good
    }), { numRuns: 10_000 })
    expect(parsed).toBeGreaterThan(100)
    expect(tamperedCaught).toBeGreaterThan(10)
  })

  it('the report checker never throws, and calls a mutated receipt ok only when it is the genuine one', () => {
    const report = { format: 'swarmdrop-report', version: 1, distributions: [{ infoHash: genuine.infoHash, name: 'x', sha256: genuine.sha256, totalLength: genuine.bytes, machines: [{ id: me.id, name: 'lab', state: 'verified', verifiedAt: genuine.verifiedAt, receipt: genuine }] }] }
    const clean = verifyReport(report)
    expect(clean.ok ? clean.value.map(x => x.verdict) : clean.error.message).toEqual(['ok'])
    fc.assert(fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), ms => {
      const text = mutateAll(Buffer.from(JSON.stringify(report)), ms).toString('utf8')
      let v: unknown
      try { v = JSON.parse(text) } catch { return true }
      const r = verifyReport(v)
      if (!r.ok) return true
      const okRows = r.value.filter(x => x.verdict === 'ok')
      // Whatever says ok still carries exactly the genuine signed content.
      return okRows.every(x => x.machineId === me.id && x.infoHash === genuine.infoHash)
    }), { numRuns: 5_000 })
  })
})
