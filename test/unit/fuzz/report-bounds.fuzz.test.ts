// Property-based fuzzing of the check of a report against its distribution (issue 11): whatever a
// recipient reports, what is taken never holds more than one bit per piece nor counts beyond the
// distribution, so the origin's state per recipient cannot grow with what is sent.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Report } from '../../../main/core/protocol/messages.js'
import { reportFits } from '../../../main/core/protocol/report-bounds.js'

const bitfield = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map(b => Buffer.from(b).toString('base64')),
  fc.uint8Array({ maxLength: 40 }).map(b => Buffer.from(b).toString('base64') + '='.repeat(3)),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 60 }),
  fc.constantFrom('A', 'AA', 'AA=', '====', '////', 'gA==', 'gA', ' gA==', 'gA==\n')
)

describe('reportFits fuzz', () => {
  it('takes only reports within their distribution', () => {
    let accepted = 0
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 2 ** 40 }),
      fc.record({ pieceCount: fc.integer({ min: 0, max: 2100 }), verifiedPieces: fc.integer({ min: 0, max: 2100 }), verifiedBytes: fc.maxSafeNat(), bitfield: fc.option(bitfield, { nil: undefined }) }),
      fc.boolean(),
      (pieceCount, totalLength, r, sameCount) => {
        const report: Report = {
          protocol: 2, infoHash: 'b'.repeat(40), from: 'd'.repeat(32), state: 'downloading', downloadSpeed: 0, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0,
          pieceCount: sameCount ? pieceCount : r.pieceCount,
          verifiedPieces: r.verifiedPieces % (pieceCount + 2),
          verifiedBytes: r.verifiedBytes % (totalLength + 2),
          ...(r.bitfield === undefined ? {} : { bitfield: r.bitfield })
        }
        // Plain booleans, not expect(): 10,000 runs stay well under a second.
        const result = reportFits(report, { pieceCount, totalLength })
        if (!result.ok) return result.error.code === 'bad-request' && result.error.message.startsWith('report.')
        accepted++
        const bits = report.bitfield
        return report.pieceCount === pieceCount && report.verifiedPieces <= pieceCount && report.verifiedBytes <= totalLength &&
          (bits === undefined || (Buffer.from(bits, 'base64').length <= Math.ceil(pieceCount / 8) && Buffer.from(bits, 'base64').toString('base64') === bits))
      }
    ), { numRuns: 10_000 })
    expect(accepted).toBeGreaterThan(1000)
  })
})
