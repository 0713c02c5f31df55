// @vitest-environment jsdom
// "Export report" asks the engine for this distribution's report and saves it as a file: JSON as
// the API answered it, or CSV with a header and one row per machine.
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FleetReport } from '../../../preload/api.js'
import { appState, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { ExportReport, reportFileName } from './ExportReport.js'

const saved: Array<{ name: string; blob: Blob }> = []
let blobs = new Map<string, Blob>()

beforeEach(() => {
  saved.length = 0
  blobs = new Map()
  let n = 0
  URL.createObjectURL = vi.fn((b: Blob) => { const u = `blob:test/${++n}`; blobs.set(u, b); return u })
  URL.revokeObjectURL = vi.fn()
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href)
    if (blob) saved.push({ name: this.download, blob })
  })
})
afterEach(() => { cleanup(); vi.restoreAllMocks() })

const receipt = { infoHash: 'a'.repeat(40), sha256: 'c'.repeat(64), verifiedAt: '2026-12-04T10:00:00.000Z', deviceId: '1'.repeat(32), bytes: 10, publicKey: 'k', signature: 's' }
const fleet = (dist: ReturnType<typeof originDistribution>): FleetReport => ({
  format: 'swarmdrop-report', version: 1, generatedAt: '2026-12-04T10:00:01.000Z', device: { id: '0'.repeat(32), name: 'origin' },
  distributions: [{
    infoHash: dist.infoHash, name: dist.name, sha256: dist.sha256, totalLength: dist.totalLength, isFolder: dist.isFolder, fileCount: dist.fileCount, role: 'origin', origin: { id: '0'.repeat(32), name: 'origin' },
    createdAt: dist.createdAt, sentAt: dist.createdAt, originUploadedBytes: 10, updatedAt: dist.createdAt,
    machines: [
      { id: '1'.repeat(32), name: 'lab-01', state: 'verified', acceptedAt: dist.createdAt, verifiedAt: receipt.verifiedAt, bytes: 10, badPieces: 0, receipt },
      { id: '2'.repeat(32), name: '=lab,02', state: 'declined', acceptedAt: null, verifiedAt: null, bytes: 0, badPieces: 0, reason: 'no', receipt: null }
    ]
  }]
})

describe('export report', () => {
  it('saves the report of this distribution as JSON', async () => {
    const dist = originDistribution()
    const { api } = renderWithStore(<ExportReport dist={dist} />, appState({ distributions: [dist] }))
    api.reply('report', { ok: true, value: fleet(dist) })
    fireEvent.click(screen.getByTestId('export-report'))
    await settle()
    expect(api.callsOf('report')).toEqual([[dist.infoHash]])
    expect(saved.map(s => s.name)).toEqual([reportFileName(dist, 'json')])
    expect(saved[0]?.blob.type).toBe('application/json')
    expect(JSON.parse(await saved[0]?.blob.text() ?? '')).toEqual(fleet(dist))
  })

  it('saves CSV with a header and one row per machine; text a spreadsheet would run is defused', async () => {
    const dist = originDistribution()
    const { api } = renderWithStore(<ExportReport dist={dist} />, appState({ distributions: [dist] }))
    api.reply('report', { ok: true, value: fleet(dist) })
    fireEvent.click(screen.getByTestId('export-report-csv'))
    await settle()
    const rows = (await saved[0]?.blob.text() ?? '').trimEnd().split('\r\n')
    expect(rows[0]?.startsWith('infoHash,name,sha256,size,')).toBe(true)
    expect(rows).toHaveLength(3)
    expect(rows[2]).toContain(`,"'=lab,02",declined,`)
  })

  it('saves nothing when the engine answers with an error', async () => {
    const dist = originDistribution()
    const { api } = renderWithStore(<ExportReport dist={dist} />, appState({ distributions: [dist] }))
    api.reply('report', { ok: false, error: { code: 'unknown-distribution', message: 'the history holds no distribution' } })
    fireEvent.click(screen.getByTestId('export-report'))
    await settle()
    expect(saved).toEqual([])
  })

  it('names the file after the distribution, safely', () => {
    expect(reportFileName({ name: 'ubuntu 24.04.iso', infoHash: 'a'.repeat(40) }, 'json')).toBe('ubuntu-24.04.iso-report.json')
    expect(reportFileName({ name: '../../etc', infoHash: 'b'.repeat(40) }, 'csv')).toBe('etc-report.csv')
    expect(reportFileName({ name: '///', infoHash: 'c'.repeat(40) }, 'csv')).toBe('cccccccccccc-report.csv')
  })
})
