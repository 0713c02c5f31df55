// --mirror-deletes on a member: removals apply only inside the folder that sender's batches of
// that channel went to, only to the version that was sent, never through a link or outside.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyRemovals } from '../../../main/core/channels/apply-removals.js'
import type { RecipientRecord } from '../../../main/core/distributions/records.js'
import { parseChannelRemovals } from '../../../main/core/protocol/channel-removals.js'

const SENDER = 'a'.repeat(32)
const CHANNEL = '0123456789abcdef'
const sha = (s: string): string => createHash('sha256').update(s).digest('hex')

let dir = ''
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sd-removals-')) })
afterEach(() => { rmSync(dir, { recursive: true, force: true }) })

function batchRecord (downloadsDir: string): RecipientRecord {
  return {
    role: 'recipient', infoHash: 'b'.repeat(40), name: 'renders', isFolder: true, totalLength: 10, pieceLength: 16384, pieceCount: 1, fileCount: 1,
    sha256: 'c'.repeat(64), createdAt: new Date().toISOString(), state: 'verified', offerId: 'o1',
    sender: { id: SENDER, name: 'origin', address: '10.0.0.1', controlPort: 47620 }, members: [], downloadsDir, finalName: 'renders',
    channel: { id: CHANNEL, partName: '.swarmdrop-bbbbbbbbbbbbbbbb.part' }
  }
}

describe('channel removals', () => {
  it('remove the sent version inside the channel folder and keep an edited one', async () => {
    const folder = join(dir, 'renders')
    mkdirSync(join(folder, 'sub'), { recursive: true })
    writeFileSync(join(folder, 'a.bin'), 'sent a')
    writeFileSync(join(folder, 'sub', 'b.bin'), 'edited here')
    const msg = parseChannelRemovals({ protocol: 3, channel: CHANNEL, removals: [{ path: 'a.bin', sha256: sha('sent a') }, { path: 'sub/b.bin', sha256: sha('sent b') }, { path: 'gone.bin', sha256: sha('x') }] })
    if (!msg.ok) throw new Error(msg.error.message)
    const r = await applyRemovals([batchRecord(dir)], SENDER, msg.value)
    expect(r).toEqual({ ok: true, value: { removed: 1, kept: 2 } })
    expect(existsSync(join(folder, 'a.bin'))).toBe(false)
    expect(existsSync(join(folder, 'sub', 'b.bin'))).toBe(true)
  })

  it('refuse another sender, paths leaving the folder, and never follow a link', async () => {
    const folder = join(dir, 'renders')
    mkdirSync(folder)
    const outside = join(dir, 'outside')
    mkdirSync(outside)
    writeFileSync(join(outside, 'x.bin'), 'keep me')
    symlinkSync(outside, join(folder, 'link'))
    const removal = (path: string) => ({ protocol: 3, channel: CHANNEL, removals: [{ path, sha256: sha('keep me') }] })
    const viaLink = parseChannelRemovals(removal('link/x.bin'))
    if (!viaLink.ok) throw new Error(viaLink.error.message)
    expect(await applyRemovals([batchRecord(dir)], SENDER, viaLink.value)).toEqual({ ok: true, value: { removed: 0, kept: 1 } })
    const other = await applyRemovals([batchRecord(dir)], 'e'.repeat(32), viaLink.value)
    expect(other.ok ? 'removed' : other.error.code).toBe('not-found')
    const escape = parseChannelRemovals(removal('../outside/x.bin'))
    if (!escape.ok) throw new Error(escape.error.message)
    const escaped = await applyRemovals([batchRecord(dir)], SENDER, escape.value)
    expect(escaped.ok ? 'removed' : escaped.error.code).toBe('unsafe-path')
    expect(existsSync(join(outside, 'x.bin'))).toBe(true)
    expect(parseChannelRemovals({ protocol: 3, channel: 'nothex', removals: [] }).ok).toBe(false)
  })
})
