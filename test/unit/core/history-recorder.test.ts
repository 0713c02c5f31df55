// What a running device writes into its history from its own events: a distribution when created,
// a machine's row when its state or receipt changes (not on every progress report), times of
// acceptance and verification, a new round when a finished machine is offered again, the origin's
// upload over restarts, and a recipient's own row with the receipt it signs.
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DistributionRecord, OriginRecord, RecipientRecord, RecipientStatus } from '../../../main/core/distributions/records.js'
import { HistoryLog } from '../../../main/core/history/history-log.js'
import { HistoryRecorder } from '../../../main/core/history/history-recorder.js'
import { loadOrCreateIdentity, type Identity } from '../../../main/core/identity/identity.js'
import type { NodeEvents } from '../../../main/core/node/events.js'
import { signReceipt, verifyReceipt } from '../../../main/core/protocol/receipt.js'

let dir = ''
let me: Identity
let lab: Identity
const IH = 'e'.repeat(40)
const SHA = 'f'.repeat(64)

beforeAll(async () => {
  const make = async (): Promise<Identity> => {
    const r = await loadOrCreateIdentity(mkdtempSync(join(tmpdir(), 'sd-rec-id-')))
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }
  me = await make()
  lab = await make()
})
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sd-recorder-')) })
afterEach(() => { rmSync(dir, { recursive: true, force: true }) })

const common = { infoHash: IH, name: 'image.iso', isFolder: false, totalLength: 5000, pieceLength: 1024, pieceCount: 5, fileCount: 1, sha256: SHA, createdAt: '2026-12-04T09:00:00.000Z' }
const originRecord = (recipients: RecipientStatus[] = []): OriginRecord => ({ ...common, role: 'origin', state: 'seeding', parentDir: '/srv', sources: [], recipients, members: [] })
const status = (over: Partial<RecipientStatus>): RecipientStatus => ({
  id: lab.id, name: 'lab-01', address: '10.0.0.2', state: 'pending', verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: '', ...over
})

interface Rig { recorder: HistoryRecorder; events: EventEmitter<NodeEvents>; setStats: (uploaded: number) => void; records: Map<string, DistributionRecord> }

async function rig (records: DistributionRecord[], identity: Identity = me): Promise<Rig> {
  const opened = await HistoryLog.open(dir)
  if (!opened.ok) throw new Error(opened.error.message)
  const events = new EventEmitter<NodeEvents>()
  const byHash = new Map(records.map(r => [r.infoHash, r]))
  let uploaded = 0
  const recorder = new HistoryRecorder(opened.value.log, {
    identity,
    name: () => identity === me ? 'origin' : 'lab-01',
    record: ih => byHash.get(ih),
    records: () => [...byHash.values()],
    stats: ih => byHash.has(ih) ? { uploadedBytes: uploaded, verifiedBytes: 0, hashFailures: 1 } : undefined,
    events
  }, opened.value.fresh)
  return { recorder, events, setStats: n => { uploaded = n }, records: byHash }
}

const settle = async (r: Rig) => (await r.recorder.current()).get(IH)

describe('history recorder', () => {
  it('writes whether it is a folder and how many files, also into a line written before it kept them', async () => {
    const r = await rig([])
    r.records.set(IH, { ...originRecord(), name: 'hls-2024-06', isFolder: true, fileCount: 3001 })
    // A line of this distribution from before the history kept what it is (read back as unknown).
    await r.recorder.log.distribution({ infoHash: IH, name: 'hls-2024-06', sha256: SHA, totalLength: 5000, isFolder: null, fileCount: null, role: 'origin', origin: { id: me.id, name: 'origin' }, createdAt: common.createdAt, sentAt: '2026-12-04T09:00:30.000Z' })
    expect((await settle(r))?.fileCount).toBeNull()
    r.events.emit('recipient-update', { infoHash: IH, name: 'hls-2024-06', recipient: status({ state: 'pending' }) })
    const d = await settle(r)
    expect([d?.isFolder, d?.fileCount]).toEqual([true, 3001])
    await r.recorder.close()
    const again = await HistoryLog.open(dir)
    if (!again.ok) throw new Error(again.error.message)
    expect([again.value.log.get(IH)?.isFolder, again.value.log.get(IH)?.fileCount]).toEqual([true, 3001])
  })

  it('writes state changes with their times and the receipt, and the upload across a restart', async () => {
    const r = await rig([])
    r.records.set(IH, originRecord())
    r.events.emit('distribution-created', { infoHash: IH, name: 'image.iso', totalLength: 5000, sha256: SHA, seconds: 1 })
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'pending' }) })
    let d = await settle(r)
    expect(d?.sentAt).not.toBeNull()
    expect(d?.machines[0]).toMatchObject({ state: 'pending', acceptedAt: null, verifiedAt: null, receipt: null })
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'downloading', verifiedBytes: 1000 }) })
    d = await settle(r)
    const acceptedAt = d?.machines[0]?.acceptedAt
    expect(acceptedAt).not.toBeNull()
    const lines = (): number => (d?.machines.length ?? 0)
    // Progress alone writes nothing: the row keeps the bytes of its last state change.
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'downloading', verifiedBytes: 3000 }) })
    d = await settle(r)
    expect(d?.machines[0]?.bytes).toBe(1000)
    expect(lines()).toBe(1)
    const receipt = signReceipt(lab, { infoHash: IH, sha256: SHA, verifiedAt: '2026-12-04T09:05:00.000Z', deviceId: lab.id, bytes: 5000 })
    r.setStats(7000)
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'verified', verifiedBytes: 5000, hashFailures: 2, receipt }) })
    d = await settle(r)
    expect(d?.machines[0]).toMatchObject({ state: 'verified', acceptedAt, verifiedAt: '2026-12-04T09:05:00.000Z', bytes: 5000, badPieces: 2, receipt })
    expect(d?.originUploadedBytes).toBe(7000)
    await r.recorder.close()

    // The next run: the engine counts from 0 again; the history adds to what it had.
    const next = await rig([originRecord([status({ state: 'verified', receipt })])])
    next.setStats(500)
    expect((await settle(next))?.originUploadedBytes).toBe(7500)
    // Offered again after it finished: a new round, its old times and receipt are not this one's.
    next.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'pending' }) })
    expect((await settle(next))?.machines[0]).toMatchObject({ state: 'pending', acceptedAt: null, verifiedAt: null, receipt: null })
    await next.recorder.close()
  })

  it('a machine that cancels keeps the bytes it had received in the origin\'s row, as in its own history', async () => {
    const r = await rig([])
    r.records.set(IH, originRecord())
    r.events.emit('distribution-created', { infoHash: IH, name: 'image.iso', totalLength: 5000, sha256: SHA, seconds: 1 })
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'downloading', verifiedBytes: 0 }) })
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'downloading', verifiedBytes: 3000 }) })
    // Its final report comes after it deleted its partial data: the engine counts 0 by then.
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'declined', verifiedBytes: 0, reason: 'cancelled on lab-01' }) })
    expect((await settle(r))?.machines[0]).toMatchObject({ state: 'declined', bytes: 3000, reason: 'cancelled on lab-01' })
    // Offered again, the new round starts from nothing, and declining the offer at once reads 0.
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'pending' }) })
    r.events.emit('recipient-update', { infoHash: IH, name: 'image.iso', recipient: status({ state: 'declined', verifiedBytes: 0 }) })
    expect((await settle(r))?.machines[0]).toMatchObject({ state: 'declined', bytes: 0 })
    await r.recorder.close()
  })

  it('a recipient keeps its own row, with the receipt it signs, and adopts what it held before the history', async () => {
    const mine: RecipientRecord = { ...common, role: 'recipient', state: 'verified', offerId: 'o', sender: { id: me.id, name: 'origin', address: '10.0.0.1', controlPort: 1 }, members: [], downloadsDir: '/dl', finalName: 'image.iso', completedAt: '2026-12-04T09:06:00.000Z' }
    const r = await rig([mine], lab)
    const d = await settle(r)
    expect(d).toMatchObject({ role: 'recipient', origin: { id: me.id, name: 'origin' }, originUploadedBytes: null })
    const row = d?.machines[0]
    expect(row).toMatchObject({ id: lab.id, state: 'verified', verifiedAt: '2026-12-04T09:06:00.000Z', bytes: 5000 })
    expect(row?.receipt !== null && row?.receipt !== undefined && verifyReceipt(row.receipt).ok).toBe(true)
    await r.recorder.close()
  })
})
