// `swarmdrop create`, `seed` and `get`: plain BitTorrent with explicit peer addresses and no
// mDNS, to interoperate with any standard client and to reach machines on other subnets. These
// swarms are open on purpose: whoever knows the address and infohash may connect.
import { readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { createDistribution } from '../../../core/distributions/create.js'
import { targetsFor, unusedName, verifyAndPlace, type Placement } from '../../../core/distributions/finish.js'
import type { Engine } from '../../../core/engine/engine.js'
import { hashForTorrent } from '../../../core/hashing/hash-files.js'
import { parseTorrentFile, type Metainfo } from '../../../core/torrent/metainfo.js'
import { CREATED_BY } from '../../../core/version.js'
import { flag, intFlag, parse, str, strs } from '../args.js'
import { JSON_FLAG, type CommandUsage, type FlagDoc } from '../command-usage.js'
import { formatBytes, formatRate } from '../../../../common/units.js'
import { plural } from '../format.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit-codes.js'

export const createUsage: CommandUsage = {
  name: 'create',
  synopsis: 'PATH -o FILE.torrent',
  positionals: ['PATH'],
  summary: 'Writes a standard (v1) .torrent of a file or folder, and prints its infohash and SHA-256.',
  flags: [
    { name: 'output', short: 'o', type: 'string', value: 'FILE.torrent', meaning: 'where to write the .torrent (required)' },
    JSON_FLAG
  ],
  examples: ['swarmdrop create ./ubuntu.iso -o ubuntu.torrent']
}

const uploadLimit: FlagDoc = { name: 'upload-limit', type: 'string', value: 'BYTES/S', meaning: 'cap on upload rate, bytes per second' }
const btPort: FlagDoc = { name: 'bt-port', type: 'string', value: 'N', meaning: 'BitTorrent port to listen on (default: any free port)' }

export const seedUsage: CommandUsage = {
  name: 'seed',
  synopsis: 'PATH|FILE.torrent',
  positionals: ['PATH|FILE.torrent'],
  summary: 'Seeds a file or folder to any BitTorrent client that connects, until Ctrl-C.',
  details: `No mDNS and no membership: open to anyone who knows the address. With a .torrent, the data is
looked for in --in DIR (default: beside the .torrent) and checked against it before anything is served.`,
  flags: [
    { name: 'in', type: 'string', value: 'DIR', meaning: 'with a .torrent: the folder holding its data' },
    btPort,
    { name: 'output', short: 'o', type: 'string', value: 'FILE.torrent', meaning: 'also write the .torrent here' },
    uploadLimit,
    { ...JSON_FLAG, meaning: 'print JSON events (seeding, progress once a second)' }
  ],
  examples: ['swarmdrop seed ./ubuntu.iso --bt-port 6881 -o ubuntu.torrent', 'swarmdrop seed ubuntu.torrent --in /srv/images']
}

export const getUsage: CommandUsage = {
  name: 'get',
  synopsis: 'FILE.torrent|MAGNET --peer HOST:PORT --out DIR',
  positionals: ['FILE.torrent|MAGNET'],
  summary: 'Downloads from the given peers into DIR, verified (as NAME.part until every piece and SHA-256 checks out).',
  details: "A magnet's metadata is fetched from the peers and checked before any file is created.",
  flags: [
    { name: 'peer', type: 'string', multiple: true, value: 'HOST:PORT', meaning: 'a peer to download from (there is no tracker or DHT)' },
    { name: 'out', type: 'string', value: 'DIR', meaning: 'the folder to download into (required)' },
    btPort,
    { name: 'download-limit', type: 'string', value: 'BYTES/S', meaning: 'cap on download rate, bytes per second' },
    { name: 'timeout', type: 'string', value: 'SEC', meaning: 'give up after SEC seconds (exit 1)' },
    { ...JSON_FLAG, meaning: 'print JSON events (progress once a second, done)' }
  ],
  examples: ['swarmdrop get ubuntu.torrent --peer 10.0.0.5:6881 --out ~/Downloads']
}

const print = (json: boolean, event: Record<string, unknown>, human: string): void => {
  process.stdout.write(json ? jsonLine(event) : human + '\n')
}

export async function createCommand (args: readonly string[]): Promise<number> {
  const p = parse(createUsage, args)
  const path = p.positionals[0]
  const out = str(p, 'output')
  if (path === undefined || out === undefined) throw new UsageError('create: usage: swarmdrop create PATH -o FILE.torrent')
  const created = await createDistribution(path, { createdBy: CREATED_BY })
  if (!created.ok) throw new UsageError(`create: ${created.error.message}`)
  const m = created.value.metainfo
  await writeFile(out, m.torrentFile)
  print(flag(p, 'json'), { event: 'created', infoHash: m.infoHash, name: m.name, bytes: m.totalLength, pieces: m.pieceCount, pieceLength: m.pieceLength, sha256: created.value.sha256, seconds: created.value.seconds, torrent: resolve(out) },
    `${out}: ${terminalText(m.name)}, ${formatBytes(m.totalLength)}, ${plural(m.pieceCount, 'piece')} of ${formatBytes(m.pieceLength)}\n  infohash ${m.infoHash}\n  sha256   ${created.value.sha256}`)
  return EXIT_OK
}

async function loadTorrent (path: string): Promise<Metainfo> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    throw new UsageError(`${path}: ${(err as Error).message}`)
  }
  const m = parseTorrentFile(bytes)
  if (!m.ok) throw new UsageError(`${path}: ${m.error.message}`)
  return m.value
}

async function startEngine (btPort: number | undefined, limits: { uploadLimit?: number; downloadLimit?: number } = {}): Promise<Engine> {
  // Loaded here, not at the top: `create` needs no engine, and WebTorrent takes a while to load.
  const { Engine } = await import('../../../core/engine/engine.js')
  const e = await Engine.start({ btPort: btPort ?? 0, ...limits })
  if (!e.ok) throw new UsageError(e.error.message)
  return e.value
}

/** --upload-limit / --download-limit in bytes per second, where the command has them. */
function limitsOf (p: Parameters<typeof intFlag>[0]): { uploadLimit?: number; downloadLimit?: number } {
  const up = p.values['upload-limit'] === undefined ? undefined : intFlag(p, 'upload-limit', 1, 1e12)
  const down = p.values['download-limit'] === undefined ? undefined : intFlag(p, 'download-limit', 1, 1e12)
  return { ...(up === undefined ? {} : { uploadLimit: up }), ...(down === undefined ? {} : { downloadLimit: down }) }
}

function untilSignal (): Promise<void> {
  return new Promise(resolve => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve) })
}

export async function seedCommand (args: readonly string[]): Promise<number> {
  const p = parse(seedUsage, args)
  const input = p.positionals[0]
  if (input === undefined) throw new UsageError('seed: usage: swarmdrop seed PATH|FILE.torrent [--bt-port N]')
  const json = flag(p, 'json')
  const btPort = intFlag(p, 'bt-port', 0, 65535)
  let metainfo: Metainfo
  let targets
  const st = await stat(input).catch(() => undefined)
  if (!st) throw new UsageError(`seed: ${input}: no such file or folder`)
  if (st.isFile() && input.endsWith('.torrent')) {
    metainfo = await loadTorrent(input)
    const dir = resolve(str(p, 'in') ?? dirname(input))
    targets = targetsFor(metainfo, { downloadsDir: dir, finalName: metainfo.name }, false)
    // Serve only data that matches: hash it (off the main thread) before announcing anything.
    const hashed = await hashForTorrent(targets.map(t => ({ path: t.path, length: t.length })), metainfo.pieceLength)
    if (!hashed.ok) throw new UsageError(`seed: ${hashed.error.message}`)
    if (!hashed.value.pieces.equals(metainfo.pieceHashes)) throw new UsageError(`seed: the data in ${dir} does not match ${input}`)
  } else {
    const created = await createDistribution(input, { createdBy: CREATED_BY })
    if (!created.ok) throw new UsageError(`seed: ${created.error.message}`)
    metainfo = created.value.metainfo
    targets = created.value.source.entries.map((e, i) => ({ path: e.absolutePath, length: e.length, offset: metainfo.files[i]?.offset ?? 0 }))
  }
  const out = str(p, 'output')
  if (out !== undefined) await writeFile(out, metainfo.torrentFile)
  const engine = await startEngine(btPort, limitsOf(p))
  const seeded = engine.seed({ metainfo, targets })
  if (!seeded.ok) throw new UsageError(`seed: ${seeded.error.message}`)
  print(json, { event: 'seeding', infoHash: metainfo.infoHash, name: metainfo.name, bytes: metainfo.totalLength, port: engine.port, magnet: `magnet:?xt=urn:btih:${metainfo.infoHash}&dn=${encodeURIComponent(metainfo.name)}` },
    `seeding ${terminalText(metainfo.name)} (${formatBytes(metainfo.totalLength)}) on port ${engine.port}\n  infohash ${metainfo.infoHash}\n  open to any BitTorrent client that connects; Ctrl-C to stop`)
  const timer = setInterval(() => {
    const s = engine.stats(metainfo.infoHash)
    if (s && json) print(true, { event: 'progress', uploadedBytes: s.uploadedBytes, uploadSpeed: Math.round(s.uploadSpeed), peers: s.peers.length }, '')
  }, 1_000)
  await untilSignal()
  clearInterval(timer)
  await engine.stop()
  return EXIT_OK
}

export async function getCommand (args: readonly string[]): Promise<number> {
  const p = parse(getUsage, args)
  const source = p.positionals[0]
  const outDir = str(p, 'out')
  const peers = strs(p, 'peer')
  if (source === undefined || outDir === undefined) throw new UsageError('get: usage: swarmdrop get FILE.torrent --peer HOST:PORT --out DIR')
  if (peers.length === 0) throw new UsageError('get: give at least one --peer HOST:PORT (there is no tracker or DHT)')
  for (const peer of peers) if (!/^[^:\s]+:\d{1,5}$/.test(peer)) throw new UsageError(`get: --peer ${peer} is not HOST:PORT`)
  const timeout = intFlag(p, 'timeout', 1, 30 * 24 * 3600)
  const json = flag(p, 'json')
  const downloadsDir = resolve(outDir)
  const engine = await startEngine(intFlag(p, 'bt-port', 0, 65535), limitsOf(p))
  const started = performance.now()
  let placement: Placement | undefined
  let infoHash: string
  if (source.startsWith('magnet:')) {
    // The metadata comes from the peers; the engine checks it before any file is created.
    const added = engine.downloadMagnet(source, m => {
      placement = { downloadsDir, finalName: m.name }
      return targetsFor(m, placement, true)
    })
    if (!added.ok) throw new UsageError(`get: ${added.error.message}`)
    infoHash = added.value.infoHash
  } else {
    const metainfo = await loadTorrent(source)
    placement = { downloadsDir, finalName: await unusedName(downloadsDir, metainfo.name) }
    const added = engine.download({ metainfo, targets: targetsFor(metainfo, placement, true) })
    if (!added.ok) throw new UsageError(`get: ${added.error.message}`)
    infoHash = metainfo.infoHash
  }
  const done = new Promise<void>(resolve => engine.on('done', ih => { if (ih === infoHash) resolve() }))
  const failed = new Promise<string>(resolve => {
    engine.on('torrent-error', (_ih, message) => resolve(message))
    // A one-shot get has nobody to wait for space with it: a full disk ends it (its pieces stay).
    engine.on('no-space', (_ih, message) => resolve(`not enough space in ${downloadsDir}: ${message}`))
  })
  engine.on('hash-failure', (_ih, piece) => { if (!json) process.stderr.write(`piece ${piece} failed its hash; fetching it again\n`) })
  engine.on('peer-banned', (_ih, address, n) => print(json, { event: 'peer-banned', address, badPieces: n }, `banned ${terminalText(address)}: it sent bad data in ${plural(n, 'piece')}`))
  engine.connect(infoHash, peers)
  const timer = setInterval(() => {
    engine.connect(infoHash, peers)
    const s = engine.stats(infoHash)
    const total = engine.metainfo(infoHash)?.totalLength
    if (s && total) {
      print(json, { event: 'progress', verifiedBytes: s.verifiedBytes, bytes: total, downloadSpeed: Math.round(s.downloadSpeed), peers: s.peers.length },
        `${((s.verifiedBytes / total) * 100).toFixed(1)}%  ${formatRate(s.downloadSpeed)}  ${plural(s.peers.length, 'peer')}`)
    } else {
      print(json, { event: 'metadata', waiting: true }, 'waiting for the metadata from the peers…')
    }
  }, 1_000)
  const limit = timeout === undefined ? undefined : new Promise<'timeout'>(resolve => setTimeout(() => resolve('timeout'), timeout * 1000).unref())
  const outcome = await Promise.race([done.then(() => 'done' as const), failed, ...(limit ? [limit] : [])])
  clearInterval(timer)
  const metainfo = engine.metainfo(infoHash)
  let code = EXIT_FAILED
  if (outcome === 'done' && metainfo && placement) {
    const placed = await verifyAndPlace(metainfo, placement, undefined)
    if (placed.ok) {
      const s = engine.stats(infoHash)
      print(json, { event: 'done', ok: true, path: placed.value.path, sha256: placed.value.sha256, bytes: metainfo.totalLength, seconds: Number(((performance.now() - started) / 1000).toFixed(3)), hashFailures: s?.hashFailures ?? 0, bannedPeers: s?.bannedPeers ?? [] },
        `verified ${terminalText(join(downloadsDir, placed.value.finalName))} (sha256 ${placed.value.sha256})`)
      code = EXIT_OK
    } else {
      print(json, { event: 'done', ok: false, reason: placed.error.message }, `FAILED: ${terminalText(placed.error.message)}`)
    }
  } else {
    const reason = outcome === 'timeout' ? `not complete after ${timeout ?? 0} s` : outcome
    print(json, { event: 'done', ok: false, reason }, `FAILED: ${terminalText(reason)}`)
  }
  await engine.stop()
  return code
}
