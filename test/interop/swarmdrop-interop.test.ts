// Swarmdrop's standalone CLI (create / seed / get, the built dist/main/agent/cli/swarmdrop.js) against
// libtorrent, the reference BitTorrent implementation, on 127.0.0.1, in both directions:
// a file and a folder (nested, with an empty file) go from Swarmdrop to libtorrent and from
// libtorrent to Swarmdrop and arrive byte for byte; `seed x.torrent --in DIR` serves existing data
// and refuses data that does not match; and bad input ends with exit 2 and one line on stderr.
//
// Needs `npm run build` first and Debian's python3-libtorrent: without it the transfer tests fail
// with the install command (no silent skip).

import { createHash, randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../common/result.js'
import { parseTorrentFile } from '../../main/core/torrent/metainfo.js'
import {
  createTorrentWithLibtorrent,
  libtorrentAvailable,
  startLibtorrentPeer,
  type LibtorrentPeer,
  type LibtorrentPeerOptions,
  type LtCreated
} from './libtorrent-peer.js'
import {
  cliBuilt,
  describeRun,
  runCli,
  startCli,
  type CliProcess,
  type CliRun,
  type SdDone,
  type SdDoneOk,
  type SdSeeding
} from './swarmdrop-cli.js'

const MiB = 1024 * 1024
/** Not a multiple of any piece length: the last piece is short. */
const BIG = 24 * MiB + 12_345

/**
 * The whole file stays well under 90 s even if everything hangs: every wait takes the smaller of
 * its own bound and what is left of one budget (a normal run takes about 12 s).
 */
const FILE_BUDGET_MS = 80_000
const fileDeadline = Date.now() + FILE_BUDGET_MS
const within = (ms: number): number => Math.max(1_000, Math.min(ms, fileDeadline - Date.now()))
/** Per test: a hung test fails (and its processes are stopped) instead of holding the run. */
const TRANSFER_TEST_MS = 45_000
const BAD_INPUT_TEST_MS = 15_000

// ------------------------------------------------------------------------------------------------
// Helpers

/** The value, or a thrown error carrying the failure's message (so the test report shows it). */
function unwrap<T> (result: Result<T>): T {
  if (!result.ok) throw new Error(`[${result.error.code}] ${result.error.message}`)
  return result.value
}

const sha256Of = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex')

async function sha256File (path: string): Promise<string> {
  return sha256Of(await readFile(path))
}

async function exists (path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false)
}

/** Writes `files` (relative POSIX paths) under `dir`. */
async function writeTree (dir: string, files: Readonly<Record<string, Uint8Array>>): Promise<void> {
  for (const [rel, bytes] of Object.entries(files)) {
    const path = join(dir, ...rel.split('/'))
    await mkdir(join(path, '..'), { recursive: true })
    await writeFile(path, bytes)
  }
}

interface TreeFile { readonly size: number, readonly sha256: string }

/** Every regular file under `dir`, by relative POSIX path, with its size and SHA-256. */
async function readTree (dir: string): Promise<Record<string, TreeFile>> {
  const out: Record<string, TreeFile> = {}
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const entry of await readdir(abs, { withFileTypes: true })) {
      const childAbs = join(abs, entry.name)
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) await walk(childAbs, childRel)
      else if (entry.isFile()) {
        const bytes = await readFile(childAbs)
        out[childRel] = { size: bytes.length, sha256: sha256Of(bytes) }
      }
    }
  }
  await walk(dir, '')
  return out
}

/**
 * A folder's SHA-256 as Swarmdrop documents it, computed here independently: the SHA-256 of what
 * `cd DIR && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum` prints.
 */
function folderSha256 (tree: Readonly<Record<string, TreeFile>>): string {
  const lines = Object.entries(tree)
    .map(([rel, f]) => ({ key: Buffer.from(`./${rel}`), sha: f.sha256 }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
  const h = createHash('sha256')
  for (const l of lines) h.update(`${l.sha}  `).update(l.key).update('\n')
  return h.digest('hex')
}

/** Opens a TCP server on 127.0.0.1 (port 0: any free one); resolves with it and its port. */
async function listenLocal (): Promise<{ readonly server: Server, readonly port: number }> {
  return await new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy())
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (typeof address === 'object' && address !== null) resolve({ server, port: address.port })
      else reject(new Error('no port'))
    })
  })
}

async function closeServer (server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

// A tiny bencoder, to craft metadata Swarmdrop must refuse.
type BValue = number | string | Uint8Array | readonly BValue[] | { readonly [key: string]: BValue }

function bencode (value: BValue): Buffer {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`bencode: ${value} is not an integer`)
    return Buffer.from(`i${value}e`)
  }
  if (typeof value === 'string') return bencode(Buffer.from(value, 'utf8'))
  if (value instanceof Uint8Array) return Buffer.concat([Buffer.from(`${value.length}:`), value])
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map((v: BValue) => bencode(v)), Buffer.from('e')])
  const dict = value as { readonly [key: string]: BValue }
  const keys = Object.keys(dict).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const parts: Buffer[] = [Buffer.from('d')]
  for (const key of keys) {
    const v = dict[key]
    if (v === undefined) continue
    parts.push(bencode(key), bencode(v))
  }
  parts.push(Buffer.from('e'))
  return Buffer.concat(parts)
}

/** A multi-file v1 torrent of one file at `path`, with the right number of (random) piece hashes. */
function craftTorrent (path: readonly string[], length: number, pieceLength = 16 * 1024): Buffer {
  const pieces = Math.ceil(length / pieceLength)
  return bencode({
    'created by': 'swarmdrop interop test',
    info: {
      files: [{ length, path }],
      name: 'payload',
      'piece length': pieceLength,
      pieces: randomBytes(20 * pieces)
    }
  })
}

/** Bad input: exit 2, exactly one line on stderr, starting "swarmdrop: ", with no stack trace. */
function expectUsageError (args: readonly string[], run: CliRun, message: RegExp): void {
  const about = describeRun(args, run)
  expect(run.timedOut, about).toBe(false)
  expect(run.code, about).toBe(2)
  expect(run.signal, about).toBeNull()
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '')
  expect(lines, about).toHaveLength(1)
  const line = lines[0] ?? ''
  expect(line, about).toMatch(/^swarmdrop: /)
  expect(line, about).toMatch(message)
  expect(line, about).not.toMatch(/internal error/)
  expect(run.stderr, about).not.toMatch(/^\s+at\s/m) // no stack frame anywhere
  expect(run.events.filter((e) => e.event === 'seeding' || e.event === 'done'), about).toEqual([])
}

/** The last `done` line of a `get`, which must be the success kind. */
function doneOk (args: readonly string[], run: CliRun): SdDoneOk {
  const about = describeRun(args, run)
  const done = run.events.filter((e): e is SdDone => e.event === 'done')
  expect(done, about).toHaveLength(1)
  const last = done[0]
  if (last === undefined || !last.ok) throw new Error(`no successful "done" line: ${about}`)
  expect(run.code, about).toBe(0)
  expect(run.events[run.events.length - 1], about).toBe(last)
  return last
}

// ------------------------------------------------------------------------------------------------

describe('Swarmdrop CLI and libtorrent, both directions', () => {
  let root = ''
  let ltPeers: LibtorrentPeer[] = []
  let cliProcs: CliProcess[] = []
  let libtorrent: Result<void> = { ok: false, error: { code: 'not-checked', message: 'libtorrent not checked yet' } }
  let built: Result<void> = { ok: false, error: { code: 'not-checked', message: 'CLI not checked yet' } }
  /** First line of every transfer test: fails it with the reason (and the fix) when something is missing. */
  const requireAll = (): void => { unwrap(built); unwrap(libtorrent) }

  const lt = async (opts: LibtorrentPeerOptions): Promise<LibtorrentPeer> => {
    const peer = unwrap(await startLibtorrentPeer({ timeoutSeconds: 60, ...opts }))
    ltPeers.push(peer)
    return peer
  }

  const ltCreate = async (path: string, out: string, pieceLength?: number): Promise<LtCreated> =>
    unwrap(await createTorrentWithLibtorrent(path, out, pieceLength, { timeoutMs: within(20_000) }))

  /** `swarmdrop seed ... --json`, running until stopped; resolves with its "seeding" line. */
  const sdSeed = async (args: readonly string[]): Promise<{ readonly proc: CliProcess, readonly seeding: SdSeeding }> => {
    const proc = startCli(['seed', ...args, '--json'])
    cliProcs.push(proc)
    const seeding = unwrap(await proc.waitForEvent('seeding', within(20_000)))
    expect(seeding.port).toBeGreaterThan(0)
    return { proc, seeding }
  }

  /** `swarmdrop get TORRENT --peer 127.0.0.1:PORT --out DIR --json`, to its end (bounded). */
  const sdGet = async (torrent: string, port: number, out: string): Promise<{ readonly args: readonly string[], readonly run: CliRun }> => {
    const limit = within(30_000)
    const args = ['get', torrent, '--peer', `127.0.0.1:${port}`, '--out', out, '--timeout', String(Math.ceil(limit / 1000)), '--json']
    const run = await runCli(args, limit + 5_000)
    return { args, run }
  }

  /** Stops a Swarmdrop seed and checks SIGTERM ended it cleanly. */
  const stopSeed = async (proc: CliProcess): Promise<void> => {
    const exit = await proc.stop()
    expect(exit, proc.stderr()).toEqual({ code: 0, signal: null })
  }

  beforeAll(async () => {
    built = cliBuilt()
    libtorrent = await libtorrentAvailable()
    root = await mkdtemp(join(tmpdir(), 'swarmdrop-interop-'))
  })

  afterEach(async () => {
    await Promise.all([
      ...cliProcs.map(async (p) => await p.stop()),
      ...ltPeers.map(async (p) => await p.stop())
    ])
    cliProcs = []
    ltPeers = []
  })

  afterAll(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true })
  })

  // ----------------------------------------------------------------------------------------------
  // A file

  it('Swarmdrop seeds a 24 MiB file, libtorrent downloads an identical copy', async () => {
    requireAll()
    const src = join(root, 'sd-file-src')
    const dst = join(root, 'sd-file-dst')
    await mkdir(src, { recursive: true })
    const data = randomBytes(BIG)
    const file = join(src, 'movie.bin')
    await writeFile(file, data)
    const torrent = join(root, 'sd-file.torrent')

    const { proc, seeding } = await sdSeed([file, '-o', torrent, '--bt-port', '0'])
    expect(seeding.name).toBe('movie.bin')
    expect(seeding.bytes).toBe(data.length)
    expect(unwrap(parseTorrentFile(await readFile(torrent))).infoHash).toBe(seeding.infoHash)

    const get = await lt({ mode: 'get', torrent, savePath: dst, peers: [`127.0.0.1:${seeding.port}`] })
    const done = unwrap(await get.waitForDone(within(30_000)))
    expect(done.have).toBe(data.length)
    expect(done.hashFailedBytes).toBe(0)
    expect(await sha256File(join(dst, 'movie.bin'))).toBe(sha256Of(data))
    await stopSeed(proc)
  }, TRANSFER_TEST_MS)

  it('libtorrent seeds a 24 MiB file from its own torrent, Swarmdrop downloads an identical copy', async () => {
    requireAll()
    const src = join(root, 'lt-file-src')
    const out = join(root, 'lt-file-out')
    await mkdir(src, { recursive: true })
    await mkdir(out, { recursive: true })
    const data = randomBytes(BIG)
    const file = join(src, 'image.iso')
    await writeFile(file, data)
    const torrent = join(root, 'lt-file.torrent')
    const created = await ltCreate(file, torrent)
    expect(created.totalSize).toBe(data.length)

    const seed = await lt({ mode: 'seed', torrent, savePath: src })
    unwrap(await seed.waitForEvent('seeding', within(15_000)))

    const { args, run } = await sdGet(torrent, seed.port, out)
    const done = doneOk(args, run)
    // No per-file sha256 in libtorrent's torrent: Swarmdrop checked pieces and reports the SHA-256 it computed.
    expect(done.sha256).toBe(sha256Of(data))
    expect(done.bytes).toBe(data.length)
    expect(done.path).toBe(join(out, 'image.iso'))
    expect(await sha256File(done.path)).toBe(sha256Of(data))
    expect(await readdir(out)).toEqual(['image.iso']) // no NAME.part left behind
  }, TRANSFER_TEST_MS)

  it('libtorrent seeds, Swarmdrop downloads from a magnet link (metadata fetched from the peer and checked)', async () => {
    requireAll()
    const src = join(root, 'lt-magnet-src')
    const out = join(root, 'lt-magnet-out')
    await mkdir(src, { recursive: true })
    await mkdir(out, { recursive: true })
    const data = randomBytes(4 * MiB + 321)
    const file = join(src, 'magnet.bin')
    await writeFile(file, data)
    const torrent = join(root, 'lt-magnet.torrent')
    const created = await ltCreate(file, torrent)
    const seed = await lt({ mode: 'seed', torrent, savePath: src })
    unwrap(await seed.waitForEvent('seeding', within(15_000)))
    const { args, run } = await sdGet(`magnet:?xt=urn:btih:${created.infoHash}&dn=magnet.bin`, seed.port, out)
    const done = doneOk(args, run)
    expect(done.sha256).toBe(sha256Of(data))
    expect(await sha256File(join(out, 'magnet.bin'))).toBe(sha256Of(data))
    expect(await readdir(out)).toEqual(['magnet.bin'])
  }, TRANSFER_TEST_MS)

  // ----------------------------------------------------------------------------------------------
  // A folder: nested files and an empty one

  const folderFiles = (): Record<string, Uint8Array> => ({
    'a/b/deep.bin': randomBytes(3 * MiB + 17),
    'a/empty.txt': new Uint8Array(0),
    'c.bin': randomBytes(2 * MiB - 5),
    'z/y/x/last.dat': randomBytes(100_001),
    'readme.txt': Buffer.from('hello from the interop test\n')
  })

  it('Swarmdrop seeds a folder, libtorrent downloads every file (the empty one too)', async () => {
    requireAll()
    const src = join(root, 'sd-tree-src')
    const dst = join(root, 'sd-tree-dst')
    const folder = join(src, 'tree')
    await writeTree(folder, folderFiles())
    const expected = await readTree(folder)
    const torrent = join(root, 'sd-tree.torrent')

    const { proc, seeding } = await sdSeed([folder, '-o', torrent, '--bt-port', '0'])
    expect(seeding.name).toBe('tree')

    const get = await lt({ mode: 'get', torrent, savePath: dst, peers: [`127.0.0.1:${seeding.port}`] })
    const done = unwrap(await get.waitForDone(within(30_000)))
    expect(done.hashFailedBytes).toBe(0)
    expect(await readTree(join(dst, 'tree'))).toEqual(expected)
    expect((await stat(join(dst, 'tree', 'a', 'empty.txt'))).size).toBe(0)
    await stopSeed(proc)
  }, TRANSFER_TEST_MS)

  it('libtorrent seeds a folder from its own torrent, Swarmdrop downloads every file (the empty one too)', async () => {
    requireAll()
    const src = join(root, 'lt-tree-src')
    const out = join(root, 'lt-tree-out')
    const folder = join(src, 'tree')
    await writeTree(folder, folderFiles())
    await mkdir(out, { recursive: true })
    const expected = await readTree(folder)
    const torrent = join(root, 'lt-tree.torrent')
    const created = await ltCreate(folder, torrent, 32 * 1024)
    expect(created.files).toBe(Object.keys(expected).length) // the empty file is listed, no pad files

    const seed = await lt({ mode: 'seed', torrent, savePath: src })
    unwrap(await seed.waitForEvent('seeding', within(15_000)))

    const { args, run } = await sdGet(torrent, seed.port, out)
    const done = doneOk(args, run)
    expect(done.path).toBe(join(out, 'tree'))
    expect(await readTree(done.path)).toEqual(expected)
    expect((await stat(join(done.path, 'a', 'empty.txt'))).size).toBe(0)
    expect(done.sha256).toBe(folderSha256(expected))
    expect(await readdir(out)).toEqual(['tree'])
  }, TRANSFER_TEST_MS)

  // ----------------------------------------------------------------------------------------------
  // seed FILE.torrent --in DIR

  it('seed x.torrent --in DIR serves existing data to libtorrent, and refuses data that does not match', async () => {
    requireAll()
    const made = join(root, 'in-made')
    const good = join(root, 'in-good')
    const flipped = join(root, 'in-flipped')
    const short = join(root, 'in-short')
    const dst = join(root, 'in-dst')
    for (const d of [made, good, flipped, short]) await mkdir(d, { recursive: true })
    const data = randomBytes(8 * MiB + 99)
    await writeFile(join(made, 'data.bin'), data)
    const torrent = join(root, 'in.torrent')
    const createArgs = ['create', join(made, 'data.bin'), '-o', torrent, '--json']
    const createRun = await runCli(createArgs, within(20_000))
    expect(createRun.code, describeRun(createArgs, createRun)).toBe(0)
    const created = createRun.events.find((e) => e.event === 'created')
    if (created?.event !== 'created') throw new Error(`no "created" line: ${describeRun(createArgs, createRun)}`)
    expect(created.sha256).toBe(sha256Of(data))

    // The same bytes elsewhere: found with --in, checked, and served.
    await copyFile(join(made, 'data.bin'), join(good, 'data.bin'))
    const { proc, seeding } = await sdSeed([torrent, '--in', good, '--bt-port', '0'])
    expect(seeding.infoHash).toBe(created.infoHash)
    const get = await lt({ mode: 'get', torrent, savePath: dst, peers: [`127.0.0.1:${seeding.port}`] })
    const done = unwrap(await get.waitForDone(within(30_000)))
    expect(done.hashFailedBytes).toBe(0)
    expect(await sha256File(join(dst, 'data.bin'))).toBe(sha256Of(data))
    await stopSeed(proc)

    // One flipped byte: refused before anything is served.
    const damaged = Buffer.from(data)
    const at = Math.floor(damaged.length / 2) + 7
    damaged[at] = (damaged[at] ?? 0) ^ 0x01
    await writeFile(join(flipped, 'data.bin'), damaged)
    const flippedArgs = ['seed', torrent, '--in', flipped, '--bt-port', '0', '--json']
    expectUsageError(flippedArgs, await runCli(flippedArgs, within(20_000)), /does not match/)

    // A shorter copy: refused too.
    await writeFile(join(short, 'data.bin'), data.subarray(0, data.length - 1))
    const shortArgs = ['seed', torrent, '--in', short, '--bt-port', '0', '--json']
    expectUsageError(shortArgs, await runCli(shortArgs, within(20_000)), /seed: /)
  }, TRANSFER_TEST_MS)

  it('seed x.torrent --in DIR re-seeds a libtorrent-made folder torrent (with its empty file) to libtorrent', async () => {
    requireAll()
    const src = join(root, 'reseed-src')
    const dst = join(root, 'reseed-dst')
    const folder = join(src, 'tree')
    await writeTree(folder, folderFiles())
    const expected = await readTree(folder)
    const torrent = join(root, 'reseed.torrent')
    const created = await ltCreate(folder, torrent)

    const { proc, seeding } = await sdSeed([torrent, '--in', src, '--bt-port', '0'])
    expect(seeding.infoHash).toBe(created.infoHash)
    const get = await lt({ mode: 'get', torrent, savePath: dst, peers: [`127.0.0.1:${seeding.port}`] })
    unwrap(await get.waitForDone(within(30_000)))
    expect(await readTree(join(dst, 'tree'))).toEqual(expected)
    await stopSeed(proc)
  }, TRANSFER_TEST_MS)
})

// ------------------------------------------------------------------------------------------------
// Bad input: exit 2, one line on stderr, no stack trace (no libtorrent needed)

describe('Swarmdrop CLI refuses bad input with exit 2 and one line', () => {
  let root = ''
  let built: Result<void> = { ok: false, error: { code: 'not-checked', message: 'CLI not checked yet' } }
  const servers: Server[] = []

  beforeAll(async () => {
    built = cliBuilt()
    root = await mkdtemp(join(tmpdir(), 'swarmdrop-badinput-'))
  })

  afterAll(async () => {
    await Promise.all(servers.map(async (s) => await closeServer(s)))
    if (root !== '') await rm(root, { recursive: true, force: true })
  })

  const refuse = async (args: readonly string[], message: RegExp): Promise<CliRun> => {
    unwrap(built)
    const run = await runCli(args, within(10_000))
    expectUsageError(args, run, message)
    return run
  }

  it('get with a corrupt .torrent (random bytes)', async () => {
    const torrent = join(root, 'corrupt.torrent')
    await writeFile(torrent, randomBytes(4096))
    await refuse(['get', torrent, '--peer', '127.0.0.1:9', '--out', join(root, 'corrupt-out'), '--json'], /corrupt\.torrent: /)
  }, BAD_INPUT_TEST_MS)

  it('get with a .torrent whose file path contains ".."', async () => {
    const length = 40_000
    // The same metadata with a harmless path is accepted: only ".." makes the difference.
    expect(parseTorrentFile(craftTorrent(['ok', 'fine'], length)).ok).toBe(true)
    const torrent = join(root, 'evil.torrent')
    await writeFile(torrent, craftTorrent(['..', 'evil'], length))
    const out = join(root, 'evil-out', 'inner')
    await mkdir(out, { recursive: true })
    await refuse(['get', torrent, '--peer', '127.0.0.1:9', '--out', out, '--json'], /"\.\."/)
    expect(await exists(join(out, '..', 'evil'))).toBe(false)
    expect(await readdir(out)).toEqual([])
  }, BAD_INPUT_TEST_MS)

  it('seed of a missing path', async () => {
    await refuse(['seed', join(root, 'does-not-exist.bin'), '--json'], /no such file or folder/)
  }, BAD_INPUT_TEST_MS)

  it('send of an empty file', async () => {
    const empty = join(root, 'empty.bin')
    await writeFile(empty, '')
    const dataDir = join(root, 'send-data')
    await refuse(['send', empty, '--all', '--data-dir', dataDir], /is empty/)
  }, BAD_INPUT_TEST_MS)

  it('get with no --peer', async () => {
    const torrent = join(root, 'fine.torrent')
    await writeFile(torrent, craftTorrent(['ok', 'fine'], 40_000))
    await refuse(['get', torrent, '--out', join(root, 'nopeer-out'), '--json'], /--peer/)
  }, BAD_INPUT_TEST_MS)

  it('an unknown command', async () => {
    await refuse(['frobnicate', '--json'], /unknown command "frobnicate"/)
  }, BAD_INPUT_TEST_MS)

  it('seed on a BitTorrent port that is already in use', async () => {
    const file = join(root, 'port.bin')
    await writeFile(file, randomBytes(64 * 1024))
    const { server, port } = await listenLocal()
    servers.push(server)
    await refuse(['seed', file, '--bt-port', String(port), '--json'], new RegExp(`port ${port} is already in use`))
    expect(server.listening).toBe(true)
  }, BAD_INPUT_TEST_MS)
})
