// The libtorrent reference peer itself works: it makes torrents, seeds them and downloads them
// from another libtorrent, byte for byte, for a single file and for a folder. It also shows the
// two seed modes that later corruption tests rely on. Needs Debian's python3-libtorrent: without
// it every test fails with the install command (no silent skip).

import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../common/result.js'
import {
  createTorrentWithLibtorrent,
  libtorrentAvailable,
  libtorrentVersion,
  startLibtorrentPeer,
  type LibtorrentPeer,
  type LibtorrentPeerOptions,
  type LtCreated
} from './libtorrent-peer.js'

const MiB = 1024 * 1024

/** The value, or a thrown error carrying the failure's message (so the test report shows it). */
function unwrap<T> (result: Result<T>): T {
  if (!result.ok) throw new Error(`[${result.error.code}] ${result.error.message}`)
  return result.value
}

async function sha256 (path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex')
}

/** A port nobody listens on right now, for a peer that has to be dialled before it starts. */
async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port)
        else reject(new Error('no port'))
      })
    })
  })
}

describe('lt_peer.py, the libtorrent reference peer', () => {
  let root = ''
  let running: LibtorrentPeer[] = []
  let available: Result<void> = { ok: false, error: { code: 'not-checked', message: 'libtorrent not checked yet' } }
  /** First line of every test: fails it with the reason (and the install command) when missing. */
  const requireLibtorrent = (): void => { unwrap(available) }

  const start = async (opts: LibtorrentPeerOptions): Promise<LibtorrentPeer> => {
    const peer = unwrap(await startLibtorrentPeer({ timeoutSeconds: 50, ...opts }))
    running.push(peer)
    return peer
  }

  const createTorrent = async (path: string, out: string, pieceLength?: number): Promise<LtCreated> => {
    const created = unwrap(await createTorrentWithLibtorrent(path, out, pieceLength, { timeoutMs: 30_000 }))
    expect(created.infoHash).toMatch(/^[0-9a-f]{40}$/)
    expect(created.seconds).toBeGreaterThanOrEqual(0)
    return created
  }

  beforeAll(async () => {
    available = await libtorrentAvailable()
    root = await mkdtemp(join(tmpdir(), 'swarmdrop-lt-'))
  })

  afterEach(async () => {
    const exits = await Promise.all(running.map(async (p) => await p.stop()))
    running = []
    for (const exit of exits) expect(exit.signal).not.toBe('SIGKILL') // SIGTERM was enough
  })

  afterAll(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true })
  })

  it('reports its libtorrent version', async () => {
    requireLibtorrent()
    const version = unwrap(await libtorrentVersion())
    expect(version.libtorrent).toMatch(/^\d+\.\d+/)
  })

  it('seeds a 12 MiB file to another libtorrent, which gets an identical copy', async () => {
    requireLibtorrent()
    const src = join(root, 'file-src')
    const dst = join(root, 'file-dst')
    await mkdir(src, { recursive: true })
    const data = randomBytes(12 * MiB)
    await writeFile(join(src, 'big.bin'), data)
    const torrent = join(root, 'big.torrent')
    const created = await createTorrent(join(src, 'big.bin'), torrent)
    expect(created.totalSize).toBe(data.length)
    expect(created.files).toBe(1)
    expect(created.name).toBe('big.bin')

    const seed = await start({ mode: 'seed', torrent, savePath: src })
    expect(seed.port).toBeGreaterThan(0)
    unwrap(await seed.waitForEvent('seeding', 15_000))

    const get = await start({ mode: 'get', torrent, savePath: dst, peers: [`127.0.0.1:${seed.port}`] })
    const done = unwrap(await get.waitForDone(30_000))
    expect(done.have).toBe(data.length)
    expect(done.downloaded).toBeGreaterThanOrEqual(data.length)
    expect(done.hashFailedBytes).toBe(0)

    const exit = await Promise.race([get.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000))])
    expect(exit).toEqual({ code: 0, signal: null }) // --stay 0: it leaves after "done"
    expect(await sha256(join(dst, 'big.bin'))).toBe(createHash('sha256').update(data).digest('hex'))

    const seedExit = await seed.stop()
    expect(seedExit.code).toBe(0) // SIGTERM after seeding is a clean exit
    expect(seed.events.some((e) => e.event === 'stopped' && e.reason === 'signal')).toBe(true)
  })

  it('gets a folder of 3 nested files from a seed that starts after it began dialling', async () => {
    requireLibtorrent()
    const src = join(root, 'folder-src')
    const dst = join(root, 'folder-dst')
    const files: Record<string, Buffer> = {
      'tree/a/b/one.bin': randomBytes(3 * MiB + 17),
      'tree/c/two.bin': randomBytes(100_001),
      'tree/three.bin': randomBytes(5 * MiB - 3)
    }
    for (const [rel, bytes] of Object.entries(files)) {
      await mkdir(join(src, rel, '..'), { recursive: true })
      await writeFile(join(src, rel), bytes)
    }
    const torrent = join(root, 'tree.torrent')
    const created = await createTorrent(join(src, 'tree'), torrent, 32 * 1024)
    expect(created.files).toBe(3) // v1 only: no pad files
    expect(created.pieceLength).toBe(32 * 1024)
    expect(created.name).toBe('tree')

    // The getter dials a port where nothing listens yet; the seed comes up there a moment later.
    const port = await freePort()
    const get = await start({ mode: 'get', torrent, savePath: dst, peers: [`127.0.0.1:${port}`], redialSeconds: 0.5 })
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const seed = await start({ mode: 'seed', torrent, savePath: src, listen: `127.0.0.1:${port}` })
    expect(seed.port).toBe(port)

    unwrap(await get.waitForDone(30_000))
    for (const [rel, bytes] of Object.entries(files)) {
      expect(await sha256(join(dst, rel)), rel).toBe(createHash('sha256').update(bytes).digest('hex'))
    }
  })

  it('serves a damaged copy only with trust-data; seed-mode still verifies before serving', async () => {
    requireLibtorrent()
    const good = join(root, 'damage-good')
    const bad = join(root, 'damage-bad')
    await mkdir(good, { recursive: true })
    await mkdir(bad, { recursive: true })
    const pieceLength = 64 * 1024
    const data = randomBytes(2 * MiB)
    await writeFile(join(good, 'd.bin'), data)
    const torrent = join(root, 'd.torrent')
    await createTorrent(join(good, 'd.bin'), torrent, pieceLength)
    const damaged = Buffer.from(data)
    const badPiece = 5
    damaged[badPiece * pieceLength + 123] = (damaged[badPiece * pieceLength + 123] ?? 0) ^ 0xff
    await writeFile(join(bad, 'd.bin'), damaged)

    // The default seed checks the data first and refuses a damaged copy.
    const checked = unwrap(await startLibtorrentPeer({ mode: 'seed', torrent, savePath: bad, timeoutSeconds: 20 }))
    running.push(checked)
    const refused = await checked.waitForEvent('seeding', 10_000)
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.message).toContain('does not match the torrent')

    // trust-data: the damaged piece goes out as it is, and the getter's hash check catches it.
    const liar = await start({ mode: 'seed', torrent, savePath: bad, trust: 'trust-data' })
    unwrap(await liar.waitForEvent('seeding', 10_000))
    const victim = await start({ mode: 'get', torrent, savePath: join(root, 'damage-dst-1'), peers: [`127.0.0.1:${liar.port}`] })
    const failed = unwrap(await victim.waitForEvent('hash_failed', 15_000))
    expect(failed.piece).toBe(badPiece)

    // seed-mode: libtorrent hashes a piece before its first upload, finds the damage and leaves
    // seed mode (to recheck) instead of sending it, so the getter never sees a bad piece.
    const careful = await start({ mode: 'seed', torrent, savePath: bad, trust: 'seed-mode' })
    unwrap(await careful.waitForEvent('seeding', 10_000))
    const getter = await start({ mode: 'get', torrent, savePath: join(root, 'damage-dst-2'), peers: [`127.0.0.1:${careful.port}`] })
    unwrap(await careful.waitForEvent('state', 15_000, (e) => e.state === 'checking_files' || e.state === 'downloading'))
    expect(getter.events.some((e) => e.event === 'hash_failed')).toBe(false)
  })
})
