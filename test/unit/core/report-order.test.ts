// States only move forward: a late or retried report never replaces a newer one (issue: at 40
// machines a late "accepted" overwrote "verified" and `send --wait` timed out).
import { describe, expect, it } from 'vitest'
import type { RecipientStatus } from '../../../main/core/distributions/records.js'
import type { Report } from '../../../main/core/protocol/messages.js'
import { isNewerReport, ReportSequence } from '../../../main/core/node/report-order.js'

const status = (state: RecipientStatus['state'], seq?: number): RecipientStatus => ({
  id: 'a'.repeat(32), name: 'm', address: '10.0.0.2', state, verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: '', ...(seq === undefined ? {} : { seq })
})
const report = (state: Report['state'], seq?: number): Report => ({
  protocol: 2, infoHash: 'c'.repeat(40), from: 'a'.repeat(32), state, verifiedPieces: 0, pieceCount: 1, verifiedBytes: 0, downloadSpeed: 0, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0, ...(seq === undefined ? {} : { seq })
})

describe('report order', () => {
  it('a report older than the one applied is dropped, whatever its state', () => {
    expect(isNewerReport(status('verified', 20), report('accepted', 10))).toBe(false)
    expect(isNewerReport(status('downloading', 20), report('downloading', 20))).toBe(false)
    expect(isNewerReport(status('downloading', 20), report('verified', 21))).toBe(true)
  })

  it('a newer report brings a lost member back, and a restarted recipient counts on from a higher order', () => {
    expect(isNewerReport(status('lost', 20), report('downloading', 21))).toBe(true)
    const before = new ReportSequence(() => 1_000).next()
    expect(new ReportSequence(() => 2_000).next()).toBeGreaterThan(before)
  })

  it('without an order (an older peer), a final state is kept', () => {
    expect(isNewerReport(status('verified'), report('accepted'))).toBe(false)
    expect(isNewerReport(status('declined'), report('downloading'))).toBe(false)
    expect(isNewerReport(status('offering'), report('accepted'))).toBe(true)
    expect(isNewerReport(status('failed'), report('downloading'))).toBe(true)
  })

  it('orders increase strictly, even when asked faster than the clock moves', () => {
    const s = new ReportSequence()
    const seen = Array.from({ length: 1000 }, () => s.next())
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] ?? Infinity)
    expect(Number.isSafeInteger(seen[999])).toBe(true)
  })
})
