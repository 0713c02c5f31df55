// A watched folder that goes away while watched (renamed, moved, deleted), on a real folder with a
// real channel store and the channel's own timer and fs.watch: the channel says the folder is gone
// and sends nothing on what it saw before, until the folder is back; then it goes on by itself.
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fail, ok } from '../../../common/result.js'
import { Channel, type ChannelHost } from '../../../main/core/channels/channel.js'
import { ChannelStore, newChannelId, type ChannelConfig } from '../../../main/core/channels/channel-store.js'
import type { OriginRecord } from '../../../main/core/distributions/records.js'
import type { Source } from '../../../main/core/torrent/source.js'

const A = 'a'.repeat(32)
const SELF = 'f'.repeat(32)
const BATCH_1 = '1'.repeat(40)

let dir = ''
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sd-channel-gone-')) })
afterEach(() => { rmSync(dir, { recursive: true, force: true }) })

const sleep = async (ms: number): Promise<void> => await new Promise(resolve => setTimeout(resolve, ms))

describe('a watched folder renamed away while watched', () => {
  it('says it is gone, and tries no batch on the files it saw before, until it is back', async () => {
    const folder = join(dir, 'segments')
    mkdirSync(folder)
    writeFileSync(join(folder, 'a.bin'), 'x'.repeat(1000))
    const st = statSync(join(folder, 'a.bin'))
    // a.bin went out in batch 1 and was verified; the origin marks batch 1 stale once its source is gone.
    let batch1: OriginRecord = {
      role: 'origin', infoHash: BATCH_1, name: 'segments', isFolder: true, totalLength: 1000, pieceLength: 16384, pieceCount: 1, fileCount: 1,
      sha256: 'c'.repeat(64), createdAt: new Date().toISOString(), state: 'seeding', parentDir: dir, sources: [], members: [], channel: '0123456789abcdef',
      recipients: [{ id: A, name: 'lab-01', address: '10.0.0.1', state: 'verified', verifiedPieces: 1, verifiedBytes: 1000, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: new Date().toISOString() }]
    }
    const batchesMade: Source[] = []
    const host: ChannelHost = {
      createBatch: async source => { batchesMade.push(source); return fail('unreadable', 'this test makes no torrents') },
      // As if a.bin's ctime moved while away (channel-renamed-back.test.ts has one back as it was).
      reviveBatch: async () => fail('changed', `${join(folder, 'a.bin')} changed since it was shared`),
      offer: async () => ok([]),
      record: ih => ih === BATCH_1 ? batch1 : undefined,
      loadTorrent: async () => fail('not-found', 'this test makes no torrents'),
      groupMembers: () => [A],
      knows: () => true,
      selfId: SELF,
      warn: () => {},
      sendRemovals: async () => ok(undefined),
      online: () => true
    }
    const store = await ChannelStore.load(join(dir, 'data'))
    if (!store.ok) throw new Error(store.error.message)
    const config: ChannelConfig = { id: newChannelId(), dir: folder, name: 'segments', group: 'lab', ids: [], settleMs: 100, createdAt: new Date().toISOString() }
    const progress = {
      sent: { 'a.bin': { size: st.size, mtimeMs: st.mtimeMs, sha256: 'd'.repeat(64), batch: 1 } },
      batches: [{ seq: 1, infoHash: BATCH_1, fileCount: 1, totalLength: 1000, createdAt: new Date().toISOString(), to: [A] }]
    }
    const channel = new Channel(config, progress, host, store.value)
    channel.start()
    try {
      await sleep(400)
      expect(channel.snapshot().error).toBeUndefined()

      renameSync(folder, join(dir, 'segments-old'))
      batch1 = { ...batch1, state: 'stale', reason: 'segments/a.bin changed on disk while being sent (the file is missing)' }
      // Three rounds of the channel's own timer: every one says the folder is gone. Before, the
      // second round re-sent a.bin from the last good scan and the row read "a batch of 1 files
      // could not be made: cannot open …/a.bin".
      const said = new Set<string>()
      for (let i = 0; i < 32; i++) {
        await sleep(100)
        const e = channel.snapshot().error
        if (e !== undefined) said.add(e)
      }
      expect([...said]).toEqual([`the watched folder ${folder} is gone (moved, renamed or deleted); nothing is sent until it is back`])
      expect(batchesMade).toEqual([])

      // Back: the folder is read again at once and batch 1's file goes out again (here the batch
      // cannot be made, which the row says in words: one file, not "1 files").
      renameSync(join(dir, 'segments-old'), folder)
      for (let i = 0; i < 30 && batchesMade.length === 0; i++) await sleep(100)
      expect(batchesMade.map(s => s.entries.map(e => e.path.join('/')))).toEqual([['a.bin']])
      expect(channel.snapshot().error).toBe('a batch of 1 file could not be made: this test makes no torrents')
    } finally {
      await channel.stop()
    }
  }, 15_000)
})
