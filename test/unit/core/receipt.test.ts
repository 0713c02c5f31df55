// Signed receipts: the canonical bytes are the documented array; a genuine receipt verifies with
// nothing but itself; changing any signed field, the key, or the signature makes it bad; a report
// that claims another copy than the one signed is caught; the parser refuses malformed fields.
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOrCreateIdentity, rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'
import { parseReport, PROTOCOL } from '../../../main/core/protocol/messages.js'
import { checkReceipt, parseReceipt, receiptMatches, sameReceipt, receiptSigningBytes, signReceipt, verifyReceipt, RECEIPT_SIGNATURE_CONTEXT, type Receipt, type UnsignedReceipt } from '../../../main/core/protocol/receipt.js'

const dirs: string[] = []
let me: Identity
let other: Identity

beforeAll(async () => {
  const make = async (): Promise<Identity> => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-receipt-'))
    dirs.push(dir)
    const r = await loadOrCreateIdentity(dir)
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }
  me = await make()
  other = await make()
})

afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

const unsigned = (by: Identity = me): UnsignedReceipt => ({
  infoHash: 'b'.repeat(40),
  sha256: 'c'.repeat(64),
  verifiedAt: '2026-12-04T21:47:32.123Z',
  deviceId: by.id,
  bytes: 2_600_000_000
})

const code = (r: Receipt): string => { const v = verifyReceipt(r); return v.ok ? 'ok' : v.error.code }

describe('receipt signing bytes', () => {
  it('are the UTF-8 of the documented JSON array, no whitespace', () => {
    const u = unsigned()
    expect(receiptSigningBytes(u).toString('utf8')).toBe(`["swarmdrop-receipt-v1","${'b'.repeat(40)}","${'c'.repeat(64)}","2026-12-04T21:47:32.123Z","${me.id}",2600000000]`)
    expect(RECEIPT_SIGNATURE_CONTEXT).toBe('swarmdrop-receipt-v1')
  })

  it('can be produced and checked by another implementation from the document alone', () => {
    // Sign with a bare key pair and the documented bytes; the id is SHA-256(raw key)[:16] in hex.
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const raw = rawPublicKey(publicKey)
    const deviceId = createHash('sha256').update(raw).digest('hex').slice(0, 32)
    const u = { ...unsigned(), deviceId }
    const bytes = Buffer.from(JSON.stringify([RECEIPT_SIGNATURE_CONTEXT, u.infoHash, u.sha256, u.verifiedAt, u.deviceId, u.bytes]))
    const r: Receipt = { ...u, publicKey: raw.toString('base64'), signature: sign(null, bytes, privateKey).toString('base64') }
    expect(code(r)).toBe('ok')
  })
})

describe('receipt verification', () => {
  it('a genuine receipt verifies, also after a JSON round trip through the parser', () => {
    const r = signReceipt(me, unsigned())
    expect(r.publicKey).toBe(rawPublicKey(me.publicKey).toString('base64'))
    expect(code(r)).toBe('ok')
    const parsed = parseReceipt(JSON.parse(JSON.stringify(r)))
    expect(parsed.ok && code(parsed.value)).toBe('ok')
    // Ed25519 is deterministic: signing again gives the same receipt (heartbeats repeat it).
    expect(signReceipt(me, unsigned()).signature).toBe(r.signature)
  })

  it('a change to any signed field makes it bad', () => {
    const r = signReceipt(me, unsigned())
    const changes: Partial<Receipt>[] = [
      { infoHash: 'a' + 'b'.repeat(39) },
      { sha256: 'd' + 'c'.repeat(63) },
      { verifiedAt: '2026-12-04T21:47:32.124Z' },
      { bytes: 2_600_000_001 },
      { bytes: 0 }
    ]
    for (const c of changes) expect(code({ ...r, ...c }), JSON.stringify(c)).toBe('bad-signature')
    // Another id: the carried key no longer hashes to it.
    expect(code({ ...r, deviceId: other.id })).toBe('key-mismatch')
  })

  it('another key, a key that is not the id\'s, or a changed signature is bad', () => {
    const mine = signReceipt(me, unsigned())
    const theirs = signReceipt(other, unsigned(me))
    // Signed by another device's key but claiming my id: the key is not mine.
    expect(code(theirs)).toBe('key-mismatch')
    // My key carried, their signature: does not hold.
    expect(code({ ...mine, signature: theirs.signature })).toBe('bad-signature')
    const sig = Buffer.from(mine.signature, 'base64')
    sig[10] = (sig[10] ?? 0) ^ 1
    expect(code({ ...mine, signature: sig.toString('base64') })).toBe('bad-signature')
    const key = Buffer.from(mine.publicKey, 'base64')
    key[0] = (key[0] ?? 0) ^ 1
    expect(code({ ...mine, publicKey: key.toString('base64') })).toBe('key-mismatch')
  })

  it('a genuine receipt about another copy than claimed is a mismatch', () => {
    const r = signReceipt(me, unsigned())
    const claim = { infoHash: r.infoHash, sha256: r.sha256, deviceId: me.id, bytes: r.bytes }
    expect(receiptMatches(r, claim).ok).toBe(true)
    for (const c of [{ infoHash: 'e'.repeat(40) }, { sha256: 'e'.repeat(64) }, { deviceId: other.id }, { bytes: 1 }]) {
      const m = receiptMatches(r, { ...claim, ...c })
      expect(m.ok ? 'ok' : m.error.code).toBe('mismatch')
    }
    const checked = checkReceipt(JSON.parse(JSON.stringify(r)), { ...claim, bytes: 1 })
    expect(checked.ok ? 'ok' : checked.error.code).toBe('mismatch')
    expect(checkReceipt(JSON.parse(JSON.stringify(r)), claim).ok).toBe(true)
  })
})

describe('sameReceipt', () => {
  it('is true only when every field is equal (the origin skips checking only the receipt it kept)', () => {
    const r = signReceipt(me, unsigned())
    expect(sameReceipt(r, { ...r })).toBe(true)
    expect(sameReceipt(r, undefined)).toBe(false)
    for (const k of Object.keys(r) as Array<keyof Receipt>) {
      const changed = { ...r, [k]: typeof r[k] === 'number' ? (r[k] as number) + 1 : `${String(r[k])}x` }
      expect(sameReceipt(changed, r), k).toBe(false)
    }
  })
})

describe('receipt parser', () => {
  it('refuses malformed fields with a reason naming the field', () => {
    const r = signReceipt(me, unsigned())
    const bad: Record<string, unknown>[] = [
      { infoHash: 'B'.repeat(40) }, { sha256: 'c'.repeat(63) }, { deviceId: 'x' }, { bytes: -1 }, { bytes: 1.5 }, { bytes: '1' },
      { verifiedAt: '2026-12-04' }, { verifiedAt: '2026-13-04T21:47:32.123Z' }, { verifiedAt: '2026-12-04T21:47:32Z' }, { verifiedAt: '2026-12-04T21:47:32.123+00:00' },
      { publicKey: 'AAAA' }, { publicKey: r.publicKey.replace(/=$/, '') },
      // Right length, but the padding replaced: decodes to 33 bytes (the fuzz test found this one).
      { publicKey: r.publicKey.replace(/=$/, '9') }, { signature: r.signature.replace(/==$/, 'AA') }, { signature: r.signature.slice(4) }, { signature: 7 }
    ]
    for (const b of bad) {
      const p = parseReceipt({ ...r, ...b })
      expect(p.ok, JSON.stringify(b)).toBe(false)
      if (!p.ok) expect(p.error.message).toMatch(new RegExp(`^receipt\\.${Object.keys(b)[0] ?? ''} `))
    }
    expect(parseReceipt(null).ok).toBe(false)
    expect(parseReceipt([r]).ok).toBe(false)
  })

  it('a report carries a receipt as an optional field (older reports without one still parse)', () => {
    const base = { protocol: PROTOCOL, infoHash: 'b'.repeat(40), from: me.id, state: 'verified', verifiedPieces: 1, pieceCount: 1, verifiedBytes: 10, downloadSpeed: 0, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0 }
    const without = parseReport(base)
    expect(without.ok && without.value.receipt).toBe(undefined)
    const r = signReceipt(me, unsigned())
    const withIt = parseReport({ ...base, receipt: r })
    expect(withIt.ok && withIt.value.receipt).toEqual(r)
    const broken = parseReport({ ...base, receipt: { ...r, bytes: 'many' } })
    expect(broken.ok ? '' : broken.error.message).toMatch(/^report\.receipt\.bytes /)
  })
})
