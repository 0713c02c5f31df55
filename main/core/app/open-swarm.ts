// The plain-BitTorrent tools (`swarmdrop create`, `seed`, `get`): a standard v1 torrent, served
// to or fetched from explicit peer addresses, with no mDNS, no membership and no device identity,
// to interoperate with any client and to reach machines on other subnets. These swarms are open
// on purpose: whoever knows the address and infohash may connect. Each tool reports what happens
// as the contract's events (common/cli-json.ts); the command line prints them.
import { readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { GetDone, GetEvent, SeedEvent, TorrentCreated } from '../../../common/cli-json.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { createDistribution } from '../distributions/create.js'
import { targetsFor, unusedName, verifyAndPlace, type Placement } from '../distributions/finish.js'
import { freshBitfield } from '../distributions/fresh-start.js'
import type { Engine, SourceWatch } from '../engine/engine.js'
import { hashForTorrent } from '../hashing/hash-files.js'
import { settledCtime } from '../torrent/ctime-trust.js'
import { parseTorrentFile, type Metainfo } from '../torrent/metainfo.js'
import { CREATED_BY } from '../version.js'

/** Bytes per second; absent: no cap. */
export interface RateLimits { readonly uploadLimit?: number; readonly downloadLimit?: number }

/** Hashes `path` and writes its .torrent to `out`. */
export async function createTorrent (path: string, out: string): Promise<Result<TorrentCreated>> {
  const created = await createDistribution(path, { createdBy: CREATED_BY })
  if (!created.ok) return created
  const m = created.value.metainfo
  try {
    await writeFile(out, m.torrentFile)
  } catch (err) {
    return fail('unwritable', `cannot write ${out}: ${errorMessage(err)}`)
  }
  return ok({ event: 'created', infoHash: m.infoHash, name: m.name, bytes: m.totalLength, pieces: m.pieceCount, pieceLength: m.pieceLength, sha256: created.value.sha256, seconds: created.value.seconds, torrent: resolve(out) })
}

async function loadTorrent (path: string): Promise<Result<Metainfo>> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    return fail('unreadable', `${path}: ${errorMessage(err)}`)
  }
  const m = parseTorrentFile(bytes)
  return m.ok ? m : fail(m.error.code, `${path}: ${m.error.message}`)
}

async function startEngine (btPort: number | undefined, limits: RateLimits): Promise<Result<Engine>> {
  // Loaded here, not at the top: `create` needs no engine, and WebTorrent takes a while to load.
  const { Engine } = await import('../engine/engine.js')
  return Engine.start({ btPort: btPort ?? 0, ...limits })
}

export interface SeedOptions extends RateLimits {
  /** With a .torrent: the folder holding its data (default: the .torrent's folder). */
  readonly dataIn?: string
  /** Also write the .torrent here. */
  readonly torrentOut?: string
  readonly btPort?: number
}

/** What a .torrent or a path serves: its metainfo and where its bytes are, checked before anything is announced. */
interface SeedSource {
  readonly metainfo: Metainfo
  readonly targets: ReturnType<typeof targetsFor>
  /** The files' stamps as listed before they were hashed: what the seed's source guard holds them to. */
  readonly stamps: SourceWatch
}

/** The seed's words for a file changed while it is served (the guard's default speaks of a distribution). */
function seedChanged (fileLabel: string, what: string): string {
  return `${fileLabel} changed on disk while being seeded (${what}); seeding stopped`
}

async function seedSource (input: string, opts: SeedOptions): Promise<Result<SeedSource>> {
  const st = await stat(input).catch(() => undefined)
  if (!st) return fail('not-found', `${input}: no such file or folder`)
  if (st.isFile() && input.endsWith('.torrent')) {
    const metainfo = await loadTorrent(input)
    if (!metainfo.ok) return metainfo
    const dir = resolve(opts.dataIn ?? dirname(input))
    const targets = targetsFor(metainfo.value, { downloadsDir: dir, finalName: metainfo.value.name }, false)
    // Listed before they are hashed, so a change after this is one the guard catches.
    const listedAt = Date.now()
    const listed = await Promise.all(targets.map(async t => t.length > 0 ? await stat(t.path).catch(() => undefined) : undefined))
    // Serve only data that matches: hash it (off the main thread) before announcing anything.
    const hashed = await hashForTorrent(targets.map(t => ({ path: t.path, length: t.length })), metainfo.value.pieceLength)
    if (!hashed.ok) return hashed
    if (!hashed.value.pieces.equals(metainfo.value.pieceHashes)) return fail('mismatch', `the data in ${dir} does not match ${input}`)
    const stamps = { mtimesMs: listed.map(s => s?.mtimeMs ?? Number.NaN), ctimesMs: listed.map(s => s === undefined ? undefined : settledCtime(s.ctimeMs, listedAt)), describe: seedChanged }
    return ok({ metainfo: metainfo.value, targets, stamps })
  }
  const created = await createDistribution(input, { createdBy: CREATED_BY })
  if (!created.ok) return created
  const metainfo = created.value.metainfo
  const entries = created.value.source.entries
  return ok({
    metainfo,
    targets: entries.map((e, i) => ({ path: e.absolutePath, length: e.length, offset: metainfo.files[i]?.offset ?? 0 })),
    stamps: { mtimesMs: entries.map(e => e.mtimeMs), ctimesMs: entries.map(e => e.ctimeMs), describe: seedChanged }
  })
}

/**
 * Seeds a file, a folder or a .torrent's data until `until` settles, reporting `seeding` once it
 * serves and `progress` once a second. Fails before serving anything when the input is unusable,
 * and with `stale` (naming the file and the change) once a file it serves changed on disk.
 */
export async function seedOpen (input: string, opts: SeedOptions, until: Promise<void>, report: (e: SeedEvent) => void): Promise<Result<void>> {
  const source = await seedSource(input, opts)
  if (!source.ok) return source
  const { metainfo, targets, stamps } = source.value
  if (opts.torrentOut !== undefined) await writeFile(opts.torrentOut, metainfo.torrentFile)
  const engine = await startEngine(opts.btPort, opts)
  if (!engine.ok) return engine
  const e = engine.value
  // Guarded like an origin's files: a file edited while it is seeded stops the seed (and, on its
  // own store path, whole pieces are read once into reused buffers: served-pieces.ts).
  const changed = new Promise<string>(resolve => e.on('source-changed', (ih, reason) => { if (ih === metainfo.infoHash) resolve(reason) }))
  const seeded = e.seed({ metainfo, targets, guard: stamps })
  if (!seeded.ok) {
    await e.stop()
    return seeded
  }
  report({ event: 'seeding', infoHash: metainfo.infoHash, name: metainfo.name, bytes: metainfo.totalLength, port: e.port, magnet: `magnet:?xt=urn:btih:${metainfo.infoHash}&dn=${encodeURIComponent(metainfo.name)}` })
  const timer = setInterval(() => {
    const s = e.stats(metainfo.infoHash)
    if (s) report({ event: 'progress', uploadedBytes: s.uploadedBytes, uploadSpeed: Math.round(s.uploadSpeed), peers: s.peers.length })
  }, 1_000)
  const ended = await Promise.race([until.then(() => undefined), changed])
  clearInterval(timer)
  await e.stop()
  return ended === undefined ? ok(undefined) : fail('stale', ended)
}

export interface GetOptions extends RateLimits {
  /** HOST:PORT of each peer to fetch from (there is no tracker or DHT). */
  readonly peers: readonly string[]
  readonly downloadsDir: string
  readonly btPort?: number
  readonly timeoutSeconds?: number
}

/**
 * Downloads a .torrent's or a magnet's content from `opts.peers` into the downloads folder, as
 * NAME.part until every piece and the whole-file SHA-256 check out, reporting progress once a
 * second; answers with how it ended. Fails before fetching when the source or the engine is unusable.
 */
export async function getOpen (source: string, opts: GetOptions, report: (e: GetEvent) => void): Promise<Result<GetDone>> {
  const downloadsDir = resolve(opts.downloadsDir)
  const metainfoOfFile = source.startsWith('magnet:') ? undefined : await loadTorrent(source)
  if (metainfoOfFile !== undefined && !metainfoOfFile.ok) return metainfoOfFile
  const engine = await startEngine(opts.btPort, opts)
  if (!engine.ok) return engine
  const e = engine.value
  const started = performance.now()
  let placement: Placement | undefined
  let infoHash: string
  if (metainfoOfFile === undefined) {
    // The metadata comes from the peers; the engine checks it before any file is created.
    const added = e.downloadMagnet(source, m => {
      placement = { downloadsDir, finalName: m.name }
      return targetsFor(m, placement, true)
    })
    if (!added.ok) {
      await e.stop()
      return added
    }
    infoHash = added.value.infoHash
  } else {
    const metainfo = metainfoOfFile.value
    placement = { downloadsDir, finalName: await unusedName(downloadsDir, metainfo.name) }
    const bitfield = await freshBitfield(metainfo, placement)
    const added = e.download({ metainfo, targets: targetsFor(metainfo, placement, true), ...(bitfield ? { bitfield } : {}) })
    if (!added.ok) {
      await e.stop()
      return added
    }
    infoHash = metainfo.infoHash
  }
  const done = new Promise<void>(resolve => e.on('done', ih => { if (ih === infoHash) resolve() }))
  const failed = new Promise<string>(resolve => {
    e.on('torrent-error', (_ih, message) => resolve(message))
    // A one-shot get has nobody to wait for space with it: a full disk ends it (its pieces stay).
    e.on('no-space', (_ih, message) => resolve(`not enough space in ${downloadsDir}: ${message}`))
  })
  e.on('hash-failure', (_ih, piece) => report({ event: 'hash-failure', piece }))
  e.on('peer-banned', (_ih, address, n) => report({ event: 'peer-banned', address, badPieces: n }))
  e.connect(infoHash, opts.peers)
  const timer = setInterval(() => {
    e.connect(infoHash, opts.peers)
    const s = e.stats(infoHash)
    const total = e.metainfo(infoHash)?.totalLength
    report(s && total
      ? { event: 'progress', verifiedBytes: s.verifiedBytes, bytes: total, downloadSpeed: Math.round(s.downloadSpeed), peers: s.peers.length }
      : { event: 'metadata', waiting: true })
  }, 1_000)
  const timeout = opts.timeoutSeconds
  const limit = timeout === undefined ? undefined : new Promise<'timeout'>(resolve => setTimeout(() => resolve('timeout'), timeout * 1000).unref())
  const outcome = await Promise.race([done.then(() => 'done' as const), failed, ...(limit ? [limit] : [])])
  clearInterval(timer)
  const metainfo = e.metainfo(infoHash)
  let ended: GetDone
  if (outcome === 'done' && metainfo && placement) {
    const placed = await verifyAndPlace(metainfo, placement, undefined)
    const s = e.stats(infoHash)
    ended = placed.ok
      ? { event: 'done', ok: true, path: placed.value.path, sha256: placed.value.sha256, bytes: metainfo.totalLength, seconds: Number(((performance.now() - started) / 1000).toFixed(3)), hashFailures: s?.hashFailures ?? 0, bannedPeers: s?.bannedPeers ?? [] }
      : { event: 'done', ok: false, reason: placed.error.message }
  } else {
    ended = { event: 'done', ok: false, reason: outcome === 'timeout' ? `not complete after ${timeout ?? 0} s` : outcome }
  }
  await e.stop()
  return ok(ended)
}
