// Turning a path into a distribution: scan it, hash it in one pass off the main thread (piece
// SHA-1s and per-file SHA-256s), and build the .torrent whose infohash names the distribution.
import { choosePieceLength, hashForTorrent, type HashProgress } from '../hashing/hash-files.js'
import { fail, ok, type Result } from '../../../common/result.js'
import { contentSha256 } from '../torrent/content-hash.js'
import { buildTorrent, type Metainfo } from '../torrent/metainfo.js'
import { scanSource, type Source } from '../torrent/source.js'

export interface Created {
  readonly source: Source
  readonly metainfo: Metainfo
  readonly sha256: string
  readonly seconds: number
}

export interface CreateOptions {
  readonly onScanned?: (source: Source) => void
  readonly onProgress?: (p: HashProgress) => void
  readonly signal?: AbortSignal
  readonly pieceLength?: number
  readonly createdBy: string
}

export async function createDistribution (path: string, opts: CreateOptions): Promise<Result<Created>> {
  const started = performance.now()
  const scanned = await scanSource(path)
  if (!scanned.ok) return scanned
  return createFromSource(scanned.value, opts, started)
}

/** A distribution of files already listed (a watched folder's batch: some of a folder's files). */
export async function createFromSource (source: Source, opts: CreateOptions, started = performance.now()): Promise<Result<Created>> {
  opts.onScanned?.(source)
  const pieceLength = opts.pieceLength ?? choosePieceLength(source.totalLength)
  const hashed = await hashForTorrent(
    source.entries.map(e => ({ path: e.absolutePath, length: e.length })),
    pieceLength,
    { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) }
  )
  if (!hashed.ok) return hashed
  const files = source.entries.map((e, i) => ({ path: e.path, length: e.length, sha256: hashed.value.fileSha256[i] ?? '' }))
  if (files.some(f => f.sha256.length !== 64)) return fail('hash', 'hashing returned no SHA-256 for some files')
  const built = buildTorrent({
    name: source.name,
    isFolder: source.isFolder,
    files,
    pieceLength,
    pieceHashes: hashed.value.pieces,
    createdBy: opts.createdBy
  })
  if (!built.ok) return built
  return ok({
    source,
    metainfo: built.value,
    sha256: contentSha256(source.isFolder, files),
    seconds: (performance.now() - started) / 1000
  })
}
