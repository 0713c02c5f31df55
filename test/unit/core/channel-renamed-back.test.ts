// A watched folder renamed away and back (`mv lab lab.old; mv lab.old lab`: an operator tidying
// up, or a sync tool), on two real devices on loopback: while it is gone its batches are not
// served; once it is back with every file as it was sent (path, size, mtime, ctime), each batch is
// served again as it was: nothing is hashed again, no new batch is made, and the machine that had
// them stays up to date. Before, every batch was hashed again into a new one offered to nobody.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { channelSources, channelView } from '../../../main/core/app/channels.js'
import { loopbackNodes, until } from './loopback-nodes.js'

const { tmp, start, pair } = loopbackNodes('sd-wf-renamed-')

describe('a watched folder renamed away and back', () => {
  it('serves its batches again as they were: nothing hashed or sent again, the machine still up to date', async () => {
    const origin = await start('lab-origin')
    const downloads = join(tmp(), 'Swarmdrop')
    const recipient = await start('lab-01', { accept: 'all', downloadsDir: downloads })
    pair(origin, 'lab-origin', recipient, 'lab-01')
    const parent = tmp()
    const folder = join(parent, 'lab')
    mkdirSync(folder)
    const data = [randomBytes(300_000), randomBytes(50_000)]
    writeFileSync(join(folder, 'a.bin'), data[0] ?? '')
    writeFileSync(join(folder, 'b.bin'), data[1] ?? '')
    const channels = origin.channels
    if (channels === undefined) throw new Error('the origin has no channels')
    // To a group, as an operator does (`swarmdrop group add lab ID`; `watch lab --to @lab`).
    const grouped = await origin.groups.add('lab', [recipient.identity.id])
    if (!grouped.ok) throw new Error(grouped.error.message)
    const added = await channels.add({ dir: folder, group: 'lab', ids: [], settleMs: 300 })
    if (!added.ok) throw new Error(added.error.message)
    const view = () => {
      const c = channels.list()[0]
      if (c === undefined) throw new Error('the channel is gone')
      return channelView(c, channelSources(origin))
    }
    const warnings: string[] = []
    origin.on('warning', m => { warnings.push(m) })
    await until('the batch verified on lab-01', () => view().members.every(m => m.behindBatches === 0) && view().lastBatch?.verifiedRecipients === 1, 30_000)
      .catch((err: unknown) => { throw new Error(`${String(err)}: ${warnings.join('; ')}`) })
    expect(readFileSync(join(downloads, 'lab', 'a.bin')).equals(data[0] ?? Buffer.alloc(0))).toBe(true)
    const before = view()
    const batch = before.lastBatch?.infoHash ?? ''
    expect(before.batches).toBe(1)

    const hashed: string[] = []
    origin.on('hashing', e => { hashed.push(e.path) })
    const stale: string[] = []
    origin.on('stale', e => { stale.push(e.reason) })
    renameSync(folder, join(parent, 'lab.old'))
    await until('the folder said gone', () => view().reason === `the watched folder ${folder} is gone (moved, renamed or deleted); nothing is sent until it is back`, 10_000)
    await until('its batch no longer served', () => origin.registry.get(batch)?.state === 'stale', 10_000)
    // lab-01 had verified it: it was not "changed while being sent", and the agent's log says so.
    await until('the stale batch told', () => stale.length > 0, 5_000)
    expect(stale).toHaveLength(1)
    expect(stale[0]).toMatch(/^lab\/[ab]\.bin went from the folder after every machine had verified this batch\. This batch is no longer served; it is served again if its files come back as they were\.$/)
    renameSync(join(parent, 'lab.old'), folder)

    await until('the folder back, its batch served again', () => view().state === 'watching' && origin.registry.get(batch)?.state === 'seeding', 15_000)
    // Longer than the settle time and a full rescan: a batch it would make, it would have made by now.
    await new Promise(resolve => setTimeout(resolve, 7_000))
    const after = view()
    expect(after.reason).toBeUndefined()
    expect(after.batches).toBe(1)
    expect(after.lastBatch?.infoHash).toBe(batch)
    expect(hashed).toEqual([])
    expect(origin.engine.has(batch)).toBe(true)
    expect(origin.registry.get(batch)?.reason).toBeUndefined()
    expect(after.members.map(m => m.behindBatches)).toEqual([0])
    expect(after.lastBatch?.verifiedRecipients).toBe(1)
    expect(recipient.registry.list().length).toBe(1)
  }, 60_000)
})
