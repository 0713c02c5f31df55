// A watched folder as the window and `watch --list` get it (main/core/app/channels.ts): its last
// batch's count of verified machines, and how far behind each machine is.
import { describe, expect, it } from 'vitest'
import { channelView, type ChannelSources } from '../../../main/core/app/channels.js'
import type { ChannelSnapshot } from '../../../main/core/channels/channel.js'
import type { BatchRecord } from '../../../main/core/channels/channel-store.js'
import type { DistributionRecord, OriginRecord, RecipientState, RecipientStatus } from '../../../main/core/distributions/records.js'

const A = 'a'.repeat(32)
const B = 'b'.repeat(32)

function row (id: string, state: RecipientState): RecipientStatus {
  return { id, name: id === A ? 'lab-01' : 'lab-02', address: '10.0.0.1', state, verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: '2026-12-07T10:00:00.000Z' }
}

function origin (infoHash: string, recipients: readonly RecipientStatus[]): OriginRecord {
  return {
    role: 'origin', infoHash, name: 'segments', isFolder: true, totalLength: 3_000_000, pieceLength: 65536, pieceCount: 46, fileCount: 2,
    sha256: 'c'.repeat(64), createdAt: '2026-12-07T10:00:00.000Z', state: 'seeding', parentDir: '/srv', sources: [], recipients, members: [], channel: '0123456789abcdef'
  }
}

function batch (seq: number, infoHash: string, to: readonly string[], superseded = false): BatchRecord {
  return { seq, infoHash, fileCount: 2, totalLength: 3_000_000, createdAt: `2026-12-07T10:0${seq}:00.000Z`, to, ...(superseded ? { superseded: true } : {}) }
}

function snapshot (batches: readonly BatchRecord[]): ChannelSnapshot {
  return {
    config: { id: '0123456789abcdef', dir: '/srv/segments', name: 'segments', group: 'lab', ids: [], settleMs: 3000, createdAt: '2026-12-07T09:00:00.000Z' },
    progress: { sent: {}, batches },
    backlogFiles: 0,
    backlogBytes: 0,
    sending: false,
    targets: [A, B]
  }
}

function sources (records: readonly DistributionRecord[]): ChannelSources {
  return { record: ih => records.find(r => r.infoHash === ih), name: id => id === A ? 'lab-01' : 'lab-02', online: () => true }
}

describe('a watched folder\'s view', () => {
  it('counts the machines a re-sent batch was not offered to (they verified the batch it replaces) as verified', () => {
    // Batch 1's file was edited after both verified it: its unchanged file went out again as batch
    // 2, offered to no one (both hold it). The window read "batch 2: 0 of 0 verified".
    const records = [{ ...origin('1'.repeat(40), [row(A, 'verified'), row(B, 'verified')]), state: 'stale' as const }, origin('2'.repeat(40), [])]
    const v = channelView(snapshot([batch(1, '1'.repeat(40), [A, B], true), batch(2, '2'.repeat(40), [A, B])]), sources(records))
    expect(v.lastBatch).toMatchObject({ seq: 2, verifiedRecipients: 2, recipients: 2 })
    expect(v.members.map(m => m.behindBatches)).toEqual([0, 0])
  })

  it('counts a machine offered a re-sent batch by how far it got, beside the one that held it already', () => {
    const records = [origin('2'.repeat(40), [row(B, 'downloading')])]
    const v = channelView(snapshot([batch(1, '1'.repeat(40), [A, B], true), batch(2, '2'.repeat(40), [A, B])]), sources(records))
    expect(v.lastBatch).toMatchObject({ verifiedRecipients: 1, recipients: 2 })
    expect(v.members.map(m => [m.name, m.behindBatches, m.behindBytes])).toEqual([['lab-01', 0, 0], ['lab-02', 1, 3_000_000]])
  })
})
