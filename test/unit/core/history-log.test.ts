// The history file: lines appended owner-only and folded back the same after a restart, a torn
// last line skipped, machines kept in the order first heard, pruning by last activity, and the file
// folded when it has grown to many times what it says.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ReportMachine } from '../../../common/api.js'
import { HISTORY_FILE, HistoryLog, type DistributionFacts } from '../../../main/core/history/history-log.js'

let dir = ''
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sd-history-')) })
afterEach(() => { rmSync(dir, { recursive: true, force: true }) })

const facts = (n: number, over: Partial<DistributionFacts> = {}): DistributionFacts => ({
  infoHash: n.toString(16).padStart(40, '0'), name: `file-${n}.iso`, sha256: 'c'.repeat(64), totalLength: 1000 + n, isFolder: false, fileCount: 1, role: 'origin',
  origin: { id: '0'.repeat(32), name: 'origin' }, createdAt: '2026-12-01T00:00:00.000Z', sentAt: null, ...over
})
const machine = (k: number, over: Partial<ReportMachine> = {}): ReportMachine => ({
  id: k.toString(16).padStart(32, '0'), name: `lab-${k}`, state: 'accepted', acceptedAt: '2026-12-01T00:01:00.000Z', verifiedAt: null, bytes: 0, badPieces: 0, receipt: null, ...over
})

async function open (): Promise<{ log: HistoryLog; skipped: number; fresh: boolean }> {
  const r = await HistoryLog.open(dir)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

describe('history log', () => {
  it('folds back what was appended, after a restart, from an owner-only file', async () => {
    const first = await open()
    expect(first.fresh).toBe(true)
    const { log } = first
    const d = facts(1)
    await log.distribution(d, '2026-12-01T00:00:00.000Z')
    await log.distribution({ ...d, sentAt: '2026-12-01T00:00:30.000Z' }, '2026-12-01T00:00:30.000Z')
    await log.machine(d.infoHash, machine(2), '2026-12-01T00:01:00.000Z')
    await log.machine(d.infoHash, machine(1), '2026-12-01T00:01:01.000Z')
    await log.machine(d.infoHash, machine(2, { state: 'verified', bytes: 1001, verifiedAt: '2026-12-01T00:02:00.000Z' }), '2026-12-01T00:02:00.000Z')
    await log.upload(d.infoHash, 4242, '2026-12-01T00:02:01.000Z')
    // A later distribution line does not move the first send time.
    await log.distribution({ ...d, sentAt: '2026-12-02T00:00:00.000Z' }, '2026-12-02T00:00:00.000Z')
    expect(statSync(join(dir, HISTORY_FILE)).mode & 0o777).toBe(0o600)
    const again = await open()
    expect(again.fresh).toBe(false)
    expect(again.skipped).toBe(0)
    expect(again.log.list()).toEqual(log.list())
    const got = again.log.get(d.infoHash)
    expect(got?.sentAt).toBe('2026-12-01T00:00:30.000Z')
    expect(got?.originUploadedBytes).toBe(4242)
    expect(got?.updatedAt).toBe('2026-12-02T00:00:00.000Z')
    // In the order first heard; the later line replaced machine 2's row.
    expect(got?.machines.map(m => [m.name, m.state])).toEqual([['lab-2', 'verified'], ['lab-1', 'accepted']])
  })

  it('keeps whether it is a folder and how many files across a restart; a line from before reads them unknown', async () => {
    const { log } = await open()
    const folder = facts(1, { name: 'hls-2024-06', isFolder: true, fileCount: 3001 })
    await log.distribution(folder)
    const { isFolder: _f, fileCount: _c, ...before } = facts(2)
    appendFileSync(join(dir, HISTORY_FILE), `${JSON.stringify({ v: 1, t: 'distribution', at: '2026-12-01T00:00:00.000Z', d: before })}\n`)
    const again = await open()
    expect(again.skipped).toBe(0)
    expect([again.log.get(folder.infoHash)?.isFolder, again.log.get(folder.infoHash)?.fileCount]).toEqual([true, 3001])
    expect([again.log.get(facts(2).infoHash)?.isFolder, again.log.get(facts(2).infoHash)?.fileCount]).toEqual([null, null])
  })

  it('skips a torn last line and anything that is not a history line, and keeps the rest', async () => {
    const { log } = await open()
    const d = facts(1)
    await log.distribution(d)
    await log.machine(d.infoHash, machine(1))
    const path = join(dir, HISTORY_FILE)
    appendFileSync(path, '{"v":1,"t":"machine","at":"2026-12-01T00:00:00.000Z","infoHash":"x"}\n{"v":2,"t":"upload"}\n[]\n{"v":1,"t":"machine","at":"2026-12-0')
    const again = await open()
    expect(again.skipped).toBe(4)
    expect(again.log.get(d.infoHash)?.machines).toHaveLength(1)
    // Writing goes on after the torn line: the next line starts on its own.
    await again.log.machine(d.infoHash, machine(2))
    const third = await open()
    expect(third.log.get(d.infoHash)?.machines.map(m => m.name)).toEqual(['lab-1', 'lab-2'])
  })

  it('prunes distributions last touched before a time, for good', async () => {
    const { log } = await open()
    await log.distribution(facts(1), '2026-11-01T00:00:00.000Z')
    await log.distribution(facts(2), '2026-11-01T00:00:00.000Z')
    // Touched later: kept, though created as early.
    await log.machine(facts(2).infoHash, machine(1), '2026-12-03T00:00:00.000Z')
    await log.distribution(facts(3), '2026-12-05T00:00:00.000Z')
    expect(await log.prune('2026-12-01T00:00:00.000Z')).toEqual({ removed: 1, kept: 2 })
    const again = await open()
    expect(again.log.list().map(d => d.name).sort()).toEqual(['file-2.iso', 'file-3.iso'])
    expect(again.log.get(facts(2).infoHash)?.machines).toHaveLength(1)
  })

  it('folds the file once it has grown to many times what it holds', async () => {
    const { log } = await open()
    const d = facts(1)
    await log.distribution(d)
    for (let i = 0; i < 10_050; i++) await log.machine(d.infoHash, machine(1, { bytes: i }))
    const lines = readFileSync(join(dir, HISTORY_FILE), 'utf8').trim().split('\n')
    expect(lines.length).toBeLessThan(200)
    const again = await open()
    expect(again.log.get(d.infoHash)?.machines).toEqual([machine(1, { bytes: 10_049 })])
  }, 60_000)
})
