// `swarmdrop create`, `seed` and `get`: plain BitTorrent with explicit peer addresses and no
// mDNS, to interoperate with any standard client and to reach machines on other subnets. The
// tools themselves are core/app/open-swarm.ts; here are their flags and how their events print.
import type { GetEvent, SeedEvent, TorrentCreated } from '../../../../common/cli-json.js'
import { createTorrent, getOpen, seedOpen, type RateLimits } from '../../../core/app/open-swarm.js'
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

const print = (json: boolean, event: TorrentCreated | SeedEvent | GetEvent, human: string): void => {
  process.stdout.write(json ? jsonLine(event) : human + '\n')
}

export async function createCommand (args: readonly string[]): Promise<number> {
  const p = parse(createUsage, args)
  const path = p.positionals[0]
  const out = str(p, 'output')
  if (path === undefined || out === undefined) throw new UsageError('create: usage: swarmdrop create PATH -o FILE.torrent')
  const created = await createTorrent(path, out)
  if (!created.ok) throw new UsageError(`create: ${created.error.message}`)
  const c = created.value
  print(flag(p, 'json'), c,
    `${out}: ${terminalText(c.name)}, ${formatBytes(c.bytes)}, ${plural(c.pieces, 'piece')} of ${formatBytes(c.pieceLength)}\n  infohash ${c.infoHash}\n  sha256   ${c.sha256}`)
  return EXIT_OK
}

/** --upload-limit / --download-limit in bytes per second, where the command has them. */
function limitsOf (p: Parameters<typeof intFlag>[0]): RateLimits {
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
  const dataIn = str(p, 'in')
  const out = str(p, 'output')
  const opts = { ...limitsOf(p), ...(btPort === undefined ? {} : { btPort }), ...(dataIn === undefined ? {} : { dataIn }), ...(out === undefined ? {} : { torrentOut: out }) }
  const seeded = await seedOpen(input, opts, untilSignal(), e => {
    if (e.event === 'seeding') {
      print(json, e, `seeding ${terminalText(e.name)} (${formatBytes(e.bytes)}) on port ${e.port}\n  infohash ${e.infoHash}\n  open to any BitTorrent client that connects; Ctrl-C to stop`)
    } else if (json) {
      print(true, e, '')
    }
  })
  if (!seeded.ok && seeded.error.code === 'stale') {
    // Not a mistake in the command: the data changed under it, after it served for a while.
    process.stderr.write(`seed: ${terminalText(seeded.error.message)}\n`)
    return EXIT_FAILED
  }
  if (!seeded.ok) throw new UsageError(`seed: ${seeded.error.message}`)
  return EXIT_OK
}

/** One event of a get, for people: progress on stdout, a piece fetched again on stderr. */
function getLine (e: GetEvent, json: boolean): void {
  switch (e.event) {
    case 'progress': return print(json, e, `${((e.verifiedBytes / e.bytes) * 100).toFixed(1)}%  ${formatRate(e.downloadSpeed)}  ${plural(e.peers, 'peer')}`)
    case 'metadata': return print(json, e, 'waiting for the metadata from the peers…')
    case 'peer-banned': return print(json, e, `banned ${terminalText(e.address)}: it sent bad data in ${plural(e.badPieces, 'piece')}`)
    case 'hash-failure':
      if (!json) process.stderr.write(`piece ${e.piece} failed its hash; fetching it again\n`)
      return
    case 'done': return print(json, e, e.ok ? `verified ${terminalText(e.path)} (sha256 ${e.sha256})` : `FAILED: ${terminalText(e.reason)}`)
  }
}

export async function getCommand (args: readonly string[]): Promise<number> {
  const p = parse(getUsage, args)
  const source = p.positionals[0]
  const outDir = str(p, 'out')
  const peers = strs(p, 'peer')
  if (source === undefined || outDir === undefined) throw new UsageError('get: usage: swarmdrop get FILE.torrent --peer HOST:PORT --out DIR')
  if (peers.length === 0) throw new UsageError('get: give at least one --peer HOST:PORT (there is no tracker or DHT)')
  for (const peer of peers) if (!/^[^:\s]+:\d{1,5}$/.test(peer)) throw new UsageError(`get: --peer ${peer} is not HOST:PORT`)
  const timeoutSeconds = intFlag(p, 'timeout', 1, 30 * 24 * 3600)
  const btPort = intFlag(p, 'bt-port', 0, 65535)
  const json = flag(p, 'json')
  const got = await getOpen(source, {
    ...limitsOf(p),
    peers,
    downloadsDir: outDir,
    ...(btPort === undefined ? {} : { btPort }),
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds })
  }, e => getLine(e, json))
  if (!got.ok) throw new UsageError(`get: ${got.error.message}`)
  getLine(got.value, json)
  return got.value.ok ? EXIT_OK : EXIT_FAILED
}
