import { describe, expect, it } from 'vitest'
import { parseOffer, parseReport } from '../../../main/core/protocol/messages.js'
import { id, validOffer } from '../offer-fixture.js'


describe('protocol messages', () => {
  it('accepts a well-formed offer', () => {
    const r = parseOffer(validOffer())
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.value.members[0]?.address).toBeNull()
  })

  it.each([
    ['a missing field', (o: Record<string, unknown>) => { delete o.sha256 }, 'offer.sha256'],
    ['a wrong type', (o: Record<string, unknown>) => { o.totalLength = '10' }, 'offer.totalLength'],
    ['a bad device id', (o: Record<string, unknown>) => { (o.sender as Record<string, unknown>).id = 'lab-07' }, 'offer.sender.id'],
    ['a bad member address', (o: Record<string, unknown>) => { (o.members as Array<Record<string, unknown>>)[1]!.address = '999.1.1.1' }, 'offer.members[1].address'],
    ['an address with leading zeros', (o: Record<string, unknown>) => { (o.members as Array<Record<string, unknown>>)[1]!.address = '010.000.000.002' }, 'offer.members[1].address'],
    ['a port out of range', (o: Record<string, unknown>) => { (o.sender as Record<string, unknown>).btPort = 70000 }, 'offer.sender.btPort']
  ])('refuses an offer with %s, naming the field', (_what, mutate, field) => {
    const o = validOffer()
    mutate(o)
    const r = parseOffer(o)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('bad-request')
      expect(r.error.message).toContain(field)
    }
  })

  it('takes an offer without a files list, and ignores one that is there (the torrent lists the files)', () => {
    const without = validOffer()
    delete without.files
    const r = parseOffer(without)
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.value.files).toEqual([])
    // An older sender's list is not read, so its 50,000 entries cost nothing to check.
    const older = validOffer()
    older.files = Array.from({ length: 3 }, (_, i) => ({ path: `d/f${i}`, length: 1 }))
    const o = parseOffer(older)
    expect(o.ok).toBe(true)
    if (o.ok) expect(o.value.files).toEqual([])
  })

  it('refuses non-objects without throwing', () => {
    for (const v of [null, 1, 'x', [], undefined]) expect(parseOffer(v).ok).toBe(false)
  })

  it('parses reports and refuses unknown states', () => {
    const report = { protocol: 1, infoHash: 'b'.repeat(40), from: id('d'), state: 'downloading', verifiedPieces: 1, pieceCount: 2, verifiedBytes: 5, downloadSpeed: 1.5, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0 }
    expect(parseReport(report).ok).toBe(true)
    expect(parseReport({ ...report, state: 'hacked' }).ok).toBe(false)
  })
})
