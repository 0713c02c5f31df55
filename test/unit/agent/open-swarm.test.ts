// The plain-BitTorrent tools behind `swarmdrop create`, `seed` and `get` (core/app/open-swarm.ts),
// on loopback: a created .torrent is seeded and fetched into a verified copy, every report is a
// contract record (common/cli-json.ts), and unusable input fails before anything is served.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { GetEvent, SeedEvent } from '../../../common/cli-json.js'
import { createTorrent, getOpen, seedOpen } from '../../../main/core/app/open-swarm.js'

const work = mkdtempSync(join(tmpdir(), 'sd-open-swarm-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('open-swarm tools', () => {
  it('create, seed and get: a verified copy, reported as the contract\'s events', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17)
    const file = join(work, 'image.bin')
    writeFileSync(file, data)
    const torrent = join(work, 'image.torrent')
    const created = await createTorrent(file, torrent)
    if (!created.ok) throw new Error(created.error.message)
    expect(created.value).toMatchObject({ event: 'created', name: 'image.bin', bytes: data.length, torrent })

    let stopSeeding: () => void = () => {}
    const until = new Promise<void>(resolve => { stopSeeding = resolve })
    const seedEvents: SeedEvent[] = []
    let seeding: Promise<unknown> = Promise.resolve()
    const port = new Promise<number>(resolve => {
      seeding = seedOpen(torrent, {}, until, e => {
        seedEvents.push(e)
        if (e.event === 'seeding') resolve(e.port)
      })
    })
    try {
      const got: GetEvent[] = []
      const out = join(work, 'out')
      const done = await getOpen(torrent, { peers: [`127.0.0.1:${await port}`], downloadsDir: out, timeoutSeconds: 60 }, e => got.push(e))
      if (!done.ok) throw new Error(done.error.message)
      expect(done.value).toMatchObject({ event: 'done', ok: true, sha256: created.value.sha256, bytes: data.length, path: join(out, 'image.bin') })
      expect(readFileSync(join(out, 'image.bin')).equals(data)).toBe(true)
      expect(seedEvents[0]).toMatchObject({ event: 'seeding', infoHash: created.value.infoHash, name: 'image.bin', bytes: data.length })
      for (const e of got) expect(['metadata', 'progress', 'peer-banned', 'hash-failure']).toContain(e.event)
    } finally {
      stopSeeding()
      expect(await seeding).toEqual({ ok: true, value: undefined })
    }
  }, 60_000)

  it('refuses a seed whose data does not match its .torrent, and a get of a corrupt .torrent', async () => {
    const file = join(work, 'a.bin')
    writeFileSync(file, randomBytes(100_000))
    const torrent = join(work, 'a.torrent')
    const created = await createTorrent(file, torrent)
    if (!created.ok) throw new Error(created.error.message)
    writeFileSync(file, randomBytes(100_000))
    const reports: SeedEvent[] = []
    const seeded = await seedOpen(torrent, {}, Promise.resolve(), e => reports.push(e))
    expect(seeded).toMatchObject({ ok: false, error: { code: 'mismatch' } })
    expect(reports).toEqual([])
    const bad = join(work, 'bad.torrent')
    writeFileSync(bad, randomBytes(200))
    const got = await getOpen(bad, { peers: ['127.0.0.1:1'], downloadsDir: join(work, 'x') }, () => {})
    expect(got.ok).toBe(false)
    expect(await seedOpen(join(work, 'missing.bin'), {}, Promise.resolve(), () => {})).toMatchObject({ ok: false, error: { code: 'not-found' } })
  }, 30_000)

  it('stops a seed whose file is edited while it is served (mtime put back too), before a changed byte goes out', async () => {
    const data = randomBytes(2 * 1024 * 1024)
    const dir = join(work, 'edit')
    mkdirSync(dir)
    const file = join(dir, 'edited.bin')
    writeFileSync(file, data)
    const torrent = join(work, 'edited.torrent')
    const created = await createTorrent(file, torrent)
    if (!created.ok) throw new Error(created.error.message)
    // A moment old, as a file that is shared usually is: its ctime counts (ctime-trust.ts).
    await new Promise(resolve => setTimeout(resolve, 1_100))
    let port: (p: number) => void = () => {}
    const listening = new Promise<number>(resolve => { port = resolve })
    const seeding = seedOpen(torrent, { dataIn: dir }, new Promise<void>(() => {}), e => { if (e.event === 'seeding') port(e.port) })
    const at = await listening
    const st = statSync(file)
    const edited = Buffer.from(data)
    edited[5] = (edited[5] ?? 0) ^ 1
    writeFileSync(file, edited)
    utimesSync(file, st.atime, st.mtime)
    const events: GetEvent[] = []
    const got = await getOpen(torrent, { peers: [`127.0.0.1:${at}`], downloadsDir: join(work, 'edited-out'), timeoutSeconds: 5 }, e => events.push(e))
    expect(got.ok && got.value.ok).toBe(false)
    // The getter was never fed the changed bytes: no piece of it failed its hash.
    expect(events.filter(e => e.event === 'hash-failure')).toEqual([])
    expect(await seeding).toEqual({ ok: false, error: { code: 'stale', message: expect.stringMatching(/^edited\.bin changed on disk while being seeded \(piece 0 no longer matches\); seeding stopped$/) } })
  }, 60_000)
})
