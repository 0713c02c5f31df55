// A report is parsed on its own (messages.ts), then checked against the distribution it is about,
// so that what the origin keeps per recipient cannot grow beyond that distribution's size: a
// bitfield is at most one bit per piece, counts are at most the distribution's.
import { fail, ok, type Result } from '../../../common/result.js'
import type { Report } from './messages.js'

export interface ReportedDistribution { readonly pieceCount: number; readonly totalLength: number }

export function reportFits (report: Report, d: ReportedDistribution): Result<void> {
  if (report.pieceCount !== d.pieceCount) return fail('bad-request', `report.pieceCount is ${report.pieceCount}, but the distribution has ${d.pieceCount} pieces`)
  if (report.verifiedPieces > d.pieceCount) return fail('bad-request', `report.verifiedPieces must be at most ${d.pieceCount}`)
  if (report.verifiedBytes > d.totalLength) return fail('bad-request', `report.verifiedBytes must be at most ${d.totalLength}`)
  if (report.bitfield !== undefined) {
    const bytes = Buffer.from(report.bitfield, 'base64')
    const most = Math.ceil(d.pieceCount / 8)
    // Canonical base64 only: padding or junk would otherwise be kept as sent, whatever it decodes to.
    if (bytes.toString('base64') !== report.bitfield || bytes.length > most) return fail('bad-request', `report.bitfield must be base64 of at most ${most} bytes (one bit per piece)`)
  }
  return ok(undefined)
}
