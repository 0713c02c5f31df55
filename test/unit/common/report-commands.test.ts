// The report commands at the contract's gate, and the report's CSV form.
import { describe, expect, it } from 'vitest'
import type { FleetReport } from '../../../common/api.js'
import { parseCommand } from '../../../common/commands.js'
import { REPORT_CSV_COLUMNS, reportCsv } from '../../../common/report-csv.js'

const IH = 'a'.repeat(40)

describe('report and prune-history commands', () => {
  it('take an optional infohash and a time, answered in ISO form', () => {
    expect(parseCommand({ type: 'report' })).toEqual({ ok: true, value: { type: 'report' } })
    expect(parseCommand({ type: 'report', infoHash: IH, since: '2026-12-01' })).toEqual({ ok: true, value: { type: 'report', infoHash: IH, since: '2026-12-01T00:00:00.000Z' } })
    expect(parseCommand({ type: 'prune-history', before: '2026-12-01T08:00:00+01:00' })).toEqual({ ok: true, value: { type: 'prune-history', before: '2026-12-01T07:00:00.000Z' } })
  })

  it('refuse a bad infohash, a bad time, a missing time and extra fields', () => {
    const message = (raw: unknown): string => { const r = parseCommand(raw); return r.ok ? 'accepted' : r.error.message }
    expect(message({ type: 'report', infoHash: 'A'.repeat(40) })).toMatch(/^infoHash/)
    expect(message({ type: 'report', since: 'yesterday' })).toMatch(/^since must be a date/)
    expect(message({ type: 'report', since: 5 })).toMatch(/^since/)
    expect(message({ type: 'report', since: '2026-12-01'.padEnd(65, ' ') })).toMatch(/^since/)
    expect(message({ type: 'prune-history' })).toMatch(/^before/)
    expect(message({ type: 'prune-history', before: '2026-12-01', all: true })).toMatch(/no field "all"/)
  })
})

describe('report CSV', () => {
  const report: FleetReport = {
    format: 'swarmdrop-report', version: 1, generatedAt: '2026-12-04T10:00:00.000Z', device: { id: '0'.repeat(32), name: 'origin' },
    distributions: [
      {
        infoHash: IH, name: 'a "quoted", name', sha256: 'c'.repeat(64), totalLength: 10, isFolder: false, fileCount: 1, role: 'origin', origin: { id: '0'.repeat(32), name: 'origin' },
        createdAt: '2026-12-04T09:00:00.000Z', sentAt: null, originUploadedBytes: 12, updatedAt: '2026-12-04T09:30:00.000Z',
        machines: [
          { id: '1'.repeat(32), name: '+cmd', state: 'verified', acceptedAt: '2026-12-04T09:01:00.000Z', verifiedAt: '2026-12-04T09:02:00.000Z', bytes: 10, badPieces: 2, receipt: { infoHash: IH, sha256: 'c'.repeat(64), verifiedAt: '2026-12-04T09:02:00.000Z', deviceId: '1'.repeat(32), bytes: 10, publicKey: 'K+/=', signature: 'S==' } },
          { id: '2'.repeat(32), name: 'lab\nnext', state: 'failed', acceptedAt: null, verifiedAt: null, bytes: 3, badPieces: 0, reason: 'disk', receipt: null }
        ]
      },
      { infoHash: 'b'.repeat(40), name: 'unsent', sha256: 'd'.repeat(64), totalLength: 1, isFolder: null, fileCount: null, role: 'origin', origin: { id: '0'.repeat(32), name: 'origin' }, createdAt: '2026-12-04T09:00:00.000Z', sentAt: null, originUploadedBytes: 0, updatedAt: '2026-12-04T09:00:00.000Z', machines: [] }
    ]
  }

  it('has the header, then one row per machine, quoted where needed', () => {
    const text = reportCsv(report)
    expect(text.endsWith('\r\n')).toBe(true)
    const header = text.split('\r\n')[0]
    expect(header).toBe(REPORT_CSV_COLUMNS.join(','))
    const body = text.slice(text.indexOf('\r\n') + 2)
    expect(body.split(`${IH},`).length - 1).toBe(2)
    expect(body).toContain(`${IH},"a ""quoted"", name",${'c'.repeat(64)},10,file,1,2026-12-04T09:00:00.000Z,,${'0'.repeat(32)},origin,12,${'1'.repeat(32)},'+cmd,verified,`)
    expect(body).toContain(',2,,2026-12-04T09:02:00.000Z,K+/=,S==\r\n')
    // A line break inside a field is quoted (the row still counts as one record).
    expect(body).toContain('"lab\nnext",failed,,,3,0,disk,,,\r\n')
  })

  it('says what was sent: a folder and how many files, a file, or blank when the history did not keep it', () => {
    const folder = { ...report.distributions[0], name: 'hls-2024-06', isFolder: true, fileCount: 3001 } as FleetReport['distributions'][number]
    const unknown = { ...folder, infoHash: 'e'.repeat(40), isFolder: null, fileCount: null }
    const rows = reportCsv({ ...report, distributions: [folder, unknown] }).split('\r\n')
    const cols = (rows[0] ?? '').split(',')
    const at = (row: string | undefined, col: string): string | undefined => (row ?? '').split(',')[cols.indexOf(col)]
    expect(cols.slice(cols.indexOf('size'), cols.indexOf('size') + 3)).toEqual(['size', 'kind', 'files'])
    expect([at(rows[1], 'kind'), at(rows[1], 'files')]).toEqual(['folder', '3001'])
    expect([at(rows[3], 'kind'), at(rows[3], 'files')]).toEqual(['', ''])
  })
})

