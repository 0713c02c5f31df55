// Finding 5 of issue 11: the data directory was 0755 and distributions.json (absolute source
// paths), the .torrents, known-devices.json and web-UI uploads 0644, readable by every local user.
// A device started under umask 022 now creates every directory 0700 and every file 0600, and
// tightens what an older version left looser. (Linux and macOS; Windows keeps the profile's ACLs.)
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, lstatSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { Readable } from 'node:stream'
import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimDataDir } from '../../../main/core/app/device-lock.js'
import { saveUiIdentity } from '../../../main/core/app/ui-identity.js'
import { receiveUpload } from '../../../main/core/app/upload.js'
import { loadOrCreateIdentity, rawPublicKey } from '../../../main/core/identity/identity.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'
import { tightenPrivateDir } from '../../../main/core/store/private-files.js'

const work = mkdtempSync(join(tmpdir(), 'sd-private-'))
const dataDir = join(work, 'data')
let umaskBefore = 0
beforeAll(() => { umaskBefore = process.umask(0o022) })
afterAll(() => {
  process.umask(umaskBefore)
  rmSync(work, { recursive: true, force: true })
})

/** Every entry under `root` (itself included) with its permission bits. */
function modes (root: string): Array<{ path: string; dir: boolean; mode: number }> {
  const out: Array<{ path: string; dir: boolean; mode: number }> = []
  const walk = (p: string): void => {
    const st = lstatSync(p)
    out.push({ path: relative(root, p) || '.', dir: st.isDirectory(), mode: st.mode & 0o777 })
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n))
  }
  walk(root)
  return out
}

function uploadRequest (bytes: Buffer): IncomingMessage {
  const req = Readable.from([bytes]) as unknown as IncomingMessage
  req.headers = { 'content-length': String(bytes.length) }
  return req
}

describe.skipIf(process.platform === 'win32')('data at rest', () => {
  it('is owner-only: every directory 0700 and every file 0600, left-overs of older versions tightened', async () => {
    // What an older version left behind, world-readable.
    mkdirSync(join(dataDir, 'distributions'), { recursive: true, mode: 0o755 })
    chmodSync(dataDir, 0o755)
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ name: 'lab-07' }), { mode: 0o644 })
    writeFileSync(join(dataDir, 'distributions', 'old.journal'), Buffer.alloc(4), { mode: 0o644 })
    mkdirSync(join(dataDir, 'uploads', 'old'), { recursive: true, mode: 0o755 })
    writeFileSync(join(dataDir, 'uploads', 'old', 'notes.txt'), 'x', { mode: 0o664 })

    const source = join(work, 'source.bin')
    writeFileSync(source, Buffer.alloc(100_000, 7))
    const started = await SwarmNode.start({ dataDir, overrides: { btPort: 0, controlPort: 0 }, anyPortIfTaken: true })
    if (!started.ok) throw new Error(started.error.message)
    const node = started.value
    try {
      const created = await node.createDistribution(source)
      if (!created.ok) throw new Error(created.error.message)
      const other = await loadOrCreateIdentity(join(work, 'other'))
      if (!other.ok) throw new Error(other.error.message)
      await node.trust.trust(other.value.id, 'other')
      await node.known.remember(rawPublicKey(other.value.publicKey), 'other')
      await node.known.flush()
      const settings = await node.updateSettings({ uploadLimit: 1000 })
      expect(settings.ok).toBe(true)
      const journal = node.registry.journal(created.value.infoHash, 10)
      journal.record(1)
      const journals = readdirSync(join(dataDir, 'distributions')).filter(n => n === `${created.value.infoHash}.journal`)
      expect(journals).toHaveLength(1)
      expect(lstatSync(join(dataDir, 'distributions', journals[0] ?? '')).mode & 0o777).toBe(0o600)
      await journal.close()
      const claim = await claimDataDir(dataDir)
      if (!claim.ok) throw new Error(claim.error.message)
      await claim.value.publish({ controlPort: node.controlPort, localPort: 1 }, 't')
      await saveUiIdentity(dataDir, { token: 'x'.repeat(43), port: 0 })
      const up = await receiveUpload(uploadRequest(Buffer.from('hello')), new URL('http://127.0.0.1/ui/upload?name=hello.txt'), dataDir)
      expect(up.ok).toBe(true)
    } finally {
      await node.stop()
    }

    const all = modes(dataDir)
    const names = all.map(e => e.path)
    // Every kind of file the brief lists is there, so the check below covers it.
    for (const want of ['identity.json', 'settings.json', 'trusted-devices.json', 'known-devices.json', 'distributions.json', 'agent.json', 'ui.json']) expect(names).toContain(want)
    for (const ext of ['.torrent', '.bitfield']) expect(names.some(n => n.startsWith('distributions/') && n.endsWith(ext))).toBe(true)
    expect(names.some(n => /^uploads\/[0-9a-f]{24}\/hello\.txt$/.test(n))).toBe(true)
    const loose = all.filter(e => e.mode !== (e.dir ? 0o700 : 0o600)).map(e => `${e.path} ${e.mode.toString(8)}`)
    expect(loose).toEqual([])
  })

  it('tightens a data directory reached through a symbolic link, and leaves links inside alone', async () => {
    const target = join(work, 'moved')
    mkdirSync(join(target, 'distributions'), { recursive: true, mode: 0o755 })
    chmodSync(target, 0o755)
    writeFileSync(join(target, 'distributions.json'), '[]', { mode: 0o644 })
    const outside = join(work, 'outside.txt')
    writeFileSync(outside, 'x', { mode: 0o644 })
    symlinkSync(outside, join(target, 'link'))
    const link = join(work, 'linked-data')
    symlinkSync(target, link)
    const r = await tightenPrivateDir(link)
    expect(r.ok && r.value).toBe(3)
    expect(modes(target).filter(e => e.path !== 'link').map(e => `${e.path} ${e.mode.toString(8)}`).sort())
      .toEqual(['. 700', 'distributions 700', 'distributions.json 600'])
    expect(lstatSync(outside).mode & 0o777).toBe(0o644)
  })
})
