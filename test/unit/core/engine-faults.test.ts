// Two engines on loopback, and the faults the engine must survive without spreading or losing
// data: a disk that is full when a piece is written (/dev/full answers every write with ENOSPC),
// an origin's source changed while it is served, and a peer that stops answering (a frozen machine)
// while it holds the last requests.
import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import Wire from 'bittorrent-protocol'
import { describe, expect, it } from 'vitest'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { Engine, type EngineEvents } from '../../../main/core/engine/engine.js'
import { copyChangedMessage } from '../../../main/core/engine/source-stamp.js'
import type { Metainfo } from '../../../main/core/torrent/metainfo.js'
import { engineFixture } from './engine-fixture.js'

const { tmp, engine, defer } = engineFixture('sd-efault-')

/** Every event of `e` by name, in order, as it happens. */
function record (e: Engine): Array<[keyof EngineEvents, ...unknown[]]> {
  const seen: Array<[keyof EngineEvents, ...unknown[]]> = []
  for (const name of ['verified', 'done', 'hash-failure', 'torrent-error', 'no-space', 'source-changed'] as const) {
    e.on(name, (...args: unknown[]) => { seen.push([name, ...args]) })
  }
  return seen
}

async function until (what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms`)
    await new Promise(r => setTimeout(r, 20))
  }
}

async function origin (path: string, guarded: boolean): Promise<{ e: Engine; m: Metainfo }> {
  const created = await createDistribution(path, { createdBy: 'test' })
  if (!created.ok) throw new Error(created.error.message)
  const e = await engine()
  const m = created.value.metainfo
  const entries = created.value.source.entries
  const targets = entries.map((s, i) => ({ path: s.absolutePath, length: s.length, offset: m.files[i]?.offset ?? 0 }))
  const seeded = e.seed({ metainfo: m, targets, ...(guarded ? { guard: { mtimesMs: entries.map(s => s.mtimeMs) } } : {}) })
  expect(seeded.ok).toBe(true)
  return { e, m }
}

describe('a full disk', () => {
  it('pauses the download with no piece marked verified, instead of destroying it', async () => {
    const src = join(tmp(), 'a.bin')
    writeFileSync(src, randomBytes(600_000))
    const o = await origin(src, false)
    const r = await engine()
    const seen = record(r)
    const ih = o.m.infoHash
    expect(r.download({ metainfo: o.m, targets: [{ path: '/dev/full', length: o.m.totalLength, offset: 0 }] }).ok).toBe(true)
    r.connect(ih, [`127.0.0.1:${o.e.port}`])
    await until('no-space event', () => seen.some(([n]) => n === 'no-space'))
    expect(seen.find(([n]) => n === 'no-space')?.[2]).toMatch(/no space left on device/i)
    // Still in the engine, paused, nothing verified, nothing failed.
    await new Promise(r => setTimeout(r, 500))
    expect(r.has(ih)).toBe(true)
    const s = r.stats(ih)
    expect(s?.paused).toBe(true)
    expect(s?.verifiedPieces).toBe(0)
    expect(seen.filter(([n]) => n === 'verified' || n === 'done' || n === 'torrent-error')).toEqual([])
    expect(seen.filter(([n]) => n === 'no-space')).toHaveLength(1)
    // Resuming tries again; still full, so a new episode is reported and it pauses again.
    r.resume(ih)
    r.connect(ih, [`127.0.0.1:${o.e.port}`])
    await until('a second no-space event', () => seen.filter(([n]) => n === 'no-space').length === 2)
    expect(r.stats(ih)?.verifiedPieces).toBe(0)
  })
})

describe.skipIf(process.getuid?.() !== 0)('a downloads folder made read-only under a download (needs root to mount a read-only tmpfs)', () => {
  it('fails it in words that name the folder and the reason, not the system call', async () => {
    const src = join(tmp(), 'ro.bin')
    writeFileSync(src, randomBytes(300_000))
    const o = await origin(src, false)
    const dir = join(tmp(), 'stick')
    mkdirSync(dir)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,ro', 'swarmdrop-unit-ro', dir])
    defer(() => { execFileSync('umount', ['-l', dir]) })
    const r = await engine()
    const seen = record(r)
    const ih = o.m.infoHash
    expect(r.download({ metainfo: o.m, targets: [{ path: join(dir, 'ro.bin.part'), length: o.m.totalLength, offset: 0 }] }).ok).toBe(true)
    r.connect(ih, [`127.0.0.1:${o.e.port}`])
    await until('torrent-error event', () => seen.some(([n]) => n === 'torrent-error'))
    expect(seen.find(([n]) => n === 'torrent-error')?.[2]).toBe(`cannot write ro.bin.part: ${dir} is on a read-only file system`)
  })
})

describe('a source changed while it is served', () => {
  it('is refused piece by piece when edited in place with its mtime put back', async () => {
    const src = join(tmp(), 'b.bin')
    const original = randomBytes(2_000_000)
    writeFileSync(src, original)
    const o = await origin(src, true)
    const originSeen = record(o.e)
    const st = statSync(src)
    // Same size, same mtime: only the bytes tell. The whole file differs, so the first piece
    // read for serving is already one that no longer matches.
    const fh = await open(src, 'r+')
    await fh.write(randomBytes(original.length), 0, original.length, 0)
    await fh.close()
    utimesSync(src, st.atime, st.mtime)
    const r = await engine()
    const seen = record(r)
    const dl = tmp()
    r.download({ metainfo: o.m, targets: targetsFor(o.m, { downloadsDir: dl, finalName: 'b.bin' }, true) })
    r.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await until('source-changed', () => originSeen.some(([n]) => n === 'source-changed'))
    expect(originSeen.find(([n]) => n === 'source-changed')?.[2]).toMatch(/^b\.bin changed on disk while being sent \(piece \d+ no longer matches\); sending stopped/)
    await until('the origin to drop the torrent', () => !o.e.has(o.m.infoHash), 5_000)
    await new Promise(r => setTimeout(r, 1_000))
    // The recipient was never fed the changed bytes: no hash failure, nothing verified.
    expect(seen.filter(([n]) => n === 'hash-failure' || n === 'verified' || n === 'done')).toEqual([])
  })

  it('guards a recipient\'s verified copy too, once told to, in its own words', async () => {
    const src = join(tmp(), 'd.bin')
    writeFileSync(src, randomBytes(500_000))
    const o = await origin(src, false)
    const r = await engine()
    const seen = record(r)
    const ih = o.m.infoHash
    const targets = targetsFor(o.m, { downloadsDir: tmp(), finalName: 'd.bin' }, true)
    r.download({ metainfo: o.m, targets })
    r.connect(ih, [`127.0.0.1:${o.e.port}`])
    await until('done', () => seen.some(([n]) => n === 'done'))
    const copy = targets[0]?.path ?? ''
    r.watchSource(ih, targets, { mtimesMs: [statSync(copy).mtimeMs], describe: copyChangedMessage })
    appendFileSync(copy, 'edited by its owner')
    await until('source-changed', () => seen.some(([n]) => n === 'source-changed'), 6_000)
    expect(seen.find(([n]) => n === 'source-changed')?.[2]).toBe('d.bin changed on disk after it was verified (its size went from 500000 to 500019 bytes); it is no longer shared with the other members')
    await until('the torrent to go', () => !r.has(ih), 5_000)
  })

  it('stops being served within seconds of growing, with nobody asking', async () => {
    const src = join(tmp(), 'c.bin')
    writeFileSync(src, randomBytes(300_000))
    const o = await origin(src, true)
    const seen = record(o.e)
    appendFileSync(src, 'appended')
    const started = Date.now()
    await until('source-changed', () => seen.some(([n]) => n === 'source-changed'), 6_000)
    expect(Date.now() - started).toBeLessThan(4_500)
    expect(seen.find(([n]) => n === 'source-changed')?.[2]).toMatch(/^c\.bin changed on disk while being sent \(its size went from 300000 to 300008 bytes\)/)
    await until('the origin to drop the torrent', () => !o.e.has(o.m.infoHash), 5_000)
  })
})

const FROZEN_HOST = '127.0.0.2'
const TALKING_HOST = '127.0.0.3'

interface FrozenWire {
  on (event: 'handshake', f: () => void): void
  on (event: 'interested', f: () => void): void
  on (event: 'request', f: () => void): void
  on (event: 'cancel', f: () => void): void
  on (event: 'error', f: () => void): void
  handshake (infoHash: string, peerId: string): void
  bitfield (bits: Uint8Array): void
  have (index: number): void
  unchoke (): void
  destroy (): void
}

interface RawPeer { port: number, asked: () => number, cancelled: () => number, closed: () => boolean }

/**
 * A BitTorrent peer on `host`. 'frozen': it has every piece, unchokes whoever is interested, takes
 * requests and never answers them: a machine frozen mid-transfer, its sockets still open.
 * 'talking': it has no piece yet and announces one every 200 ms: a live machine, busy downloading.
 */
async function rawPeer (m: Metainfo, host: string, mode: 'frozen' | 'talking'): Promise<RawPeer> {
  let asked = 0
  let cancelled = 0
  let closed = false
  const sockets = new Set<Socket>()
  const wires: FrozenWire[] = []
  const timers: NodeJS.Timeout[] = []
  const server = createServer(socket => {
    sockets.add(socket)
    socket.on('close', () => { closed = true })
    const wire = new (Wire as unknown as new () => FrozenWire)()
    wires.push(wire)
    socket.on('error', () => undefined)
    wire.on('error', () => undefined)
    ;(socket.pipe(wire as unknown as NodeJS.WritableStream) as unknown as NodeJS.ReadableStream).pipe(socket)
    wire.on('handshake', () => {
      wire.handshake(m.infoHash, randomBytes(20).toString('hex'))
      const bits = new Uint8Array(Math.ceil(m.pieceCount / 8))
      if (mode === 'frozen') for (let i = 0; i < m.pieceCount; i++) bits[i >> 3] = (bits[i >> 3] ?? 0) | (0x80 >> (i & 7))
      wire.bitfield(bits)
      let next = 0
      if (mode === 'talking') timers.push(setInterval(() => { if (next < m.pieceCount) wire.have(next++) }, 200))
    })
    wire.on('interested', () => wire.unchoke())
    wire.on('request', () => { asked++ })
    wire.on('cancel', () => { cancelled++ })
  })
  // Another loopback address: the engine keeps one connection per host.
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  defer(() => new Promise<void>(resolve => {
    for (const t of timers) clearInterval(t)
    for (const w of wires) w.destroy()
    for (const s of sockets) s.destroy()
    server.close(() => resolve())
  }))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { port: address.port, asked: () => asked, cancelled: () => cancelled, closed: () => closed }
}

async function frozenPeer (m: Metainfo): Promise<RawPeer> { return await rawPeer(m, FROZEN_HOST, 'frozen') }

describe('a peer that stops answering', () => {
  it('does not hold the last pieces: their requests are asked of another peer too (the end game), and its copies cancelled', async () => {
    const src = join(tmp(), 'a.bin')
    const data = randomBytes(2 * 1024 * 1024)
    writeFileSync(src, data)
    const o = await origin(src, false)
    const frozen = await frozenPeer(o.m)
    const r = await engine()
    const ih = o.m.infoHash
    const dest = join(tmp(), 'a.bin')
    expect(r.download({ metainfo: o.m, targets: [{ path: dest, length: o.m.totalLength, offset: 0 }] }).ok).toBe(true)
    // The frozen peer first, so that it holds requests when the good one comes.
    r.connect(ih, [`${FROZEN_HOST}:${frozen.port}`])
    await until('a request to the frozen peer', () => frozen.asked() > 0)
    const done = new Promise<number>(resolve => r.on('done', x => { if (x === ih) resolve(Date.now()) }))
    const from = Date.now()
    r.connect(ih, [`127.0.0.1:${o.e.port}`])
    // Without the end game the blocks it was asked for wait for WebTorrent's 30 s piece timeout.
    const finished = await Promise.race([done, new Promise<number>(resolve => setTimeout(() => resolve(Number.NaN), 15_000))])
    expect(finished - from).toBeLessThan(15_000)
    expect(readFileSync(dest).equals(data)).toBe(true)
    await until('the frozen peer\'s requests cancelled', () => frozen.cancelled() > 0, 5_000)
  })
})

describe('a member found lost', () => {
  it('loses its connections that stay silent, not one that still talks (a busy machine late with its reports)', async () => {
    const src = join(tmp(), 'a.bin')
    writeFileSync(src, randomBytes(4 * 1024 * 1024))
    const o = await origin(src, false)
    const frozen = await rawPeer(o.m, FROZEN_HOST, 'frozen')
    const talking = await rawPeer(o.m, TALKING_HOST, 'talking')
    const r = await engine()
    const ih = o.m.infoHash
    expect(r.download({ metainfo: o.m, targets: [{ path: join(tmp(), 'a.bin'), length: o.m.totalLength, offset: 0 }] }).ok).toBe(true)
    r.connect(ih, [`${FROZEN_HOST}:${frozen.port}`, `${TALKING_HOST}:${talking.port}`])
    await until('a request to the frozen peer', () => frozen.asked() > 0)
    await until('both connected', () => r.stats(ih)?.peers.length === 2)
    // What the origin's liveness check asks before it calls a silent member lost.
    await new Promise(resolve => setTimeout(resolve, 1_000))
    expect(r.heardFrom(ih, TALKING_HOST, 500)).toBe(true)
    expect(r.heardFrom(ih, FROZEN_HOST, 500)).toBe(false)
    r.dropMember(ih, FROZEN_HOST)
    r.dropMember(ih, TALKING_HOST)
    await until('the frozen peer\'s connection closed', () => frozen.closed(), 5_000)
    // Well past the silence allowed: the talking one is still connected.
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(talking.closed()).toBe(false)
    expect(r.stats(ih)?.peers.map(p => p.address.split(':')[0])).toContain(TALKING_HOST)
  })
})
