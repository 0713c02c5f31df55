// Hashing a distribution's files off the main thread, at the speed of the cores: the BitTorrent v1
// piece hashes and each file's SHA-256 in one read pass for the sender, and SHA-256 alone for a
// receiver's final check. The main thread only starts threads and receives progress and results.
import { availableParallelism } from 'node:os'
import { isAbsolute } from 'node:path'
import { fail, ok, type Result } from '../result.js'
import { runHashJob, type ReaderPlan } from './hash-job.js'
import type { JobFile } from './hash-protocol.js'

export { choosePieceLength, MAX_PIECE_LENGTH, MIN_PIECE_LENGTH } from './piece-length.js'

export interface SourceFile {
  readonly path: string // absolute
  readonly length: number // expected size in bytes; a file of another size fails the job
}

export interface HashProgress { readonly bytesDone: number; readonly bytesTotal: number }

export interface HashOptions {
  /** Called at most ~10 times a second, and once with bytesDone === bytesTotal on success. */
  readonly onProgress?: (p: HashProgress) => void
  /** Aborting stops every thread and makes the result a failure with code 'aborted'. */
  readonly signal?: AbortSignal
  /**
   * Most hashing threads to use (default: os.availableParallelism()). hashForTorrent uses up to 4
   * (a reader keeping the SHA-256s, the rest SHA-1), sha256OfFiles up to 2 (one per file at a time).
   */
  readonly threads?: number
}

export interface PieceHashes {
  /** 20 bytes (SHA-1) per piece, concatenated: the metainfo's `pieces`. */
  readonly pieces: Buffer
  /** Lowercase hex SHA-256 of each file, in the order given. */
  readonly fileSha256: readonly string[]
}

// Chunks are what the reader reads and hands to a piece thread at once: big enough that per-message
// and per-read costs vanish, small enough that a few per thread fit the memory budget. Measured on
// 2 cores (SHA-NI, page cache), 1–16 MiB chunks, 1–2 reads ahead and 3–8 buffers all ran within
// noise of each other; no read-ahead was ~5% slower, and would not overlap a disk with hashing
// (see test/unit/hashing/hash-speed.manual.ts).
const CHUNK_BYTES = 4 * 1024 * 1024
const MEMORY_BUDGET = 64 * 1024 * 1024
// Reads run on libuv's pool (4 threads by default), which every thread of the process shares with
// the engine's own file I/O. A reader keeps at most readAhead + 1 reads going, and the whole job at
// most two, so serving pieces to peers never queues behind hashing.
const READ_AHEAD = 1
const MAX_SHA256_READERS = 2
// The SHA-256 of the stream runs on one thread, and one SHA-1 thread keeps up with it on every CPU
// we know of; a couple more absorb scheduling jitter, more would only hold memory.
const MAX_PIECE_THREADS = 3

/**
 * Piece hashes (SHA-1 of each `pieceLength` bytes of the files concatenated in order; the last
 * piece may be shorter) and each file's SHA-256, reading every byte once.
 */
export async function hashForTorrent (files: readonly SourceFile[], pieceLength: number, opts: HashOptions = {}): Promise<Result<PieceHashes>> {
  if (!Number.isSafeInteger(pieceLength) || pieceLength <= 0) return fail('bad-input', `piece length must be a positive integer, not ${pieceLength}`)
  const bad = checkFiles(files)
  if (bad !== undefined) return bad
  if (files.length === 0) return ok({ pieces: Buffer.alloc(0), fileSha256: [] })
  const threads = threadCount(opts.threads)
  // With one thread the reader hashes pieces itself; otherwise it keeps the SHA-256 and the others
  // take the SHA-1s.
  const pieceThreads = Math.min(threads - 1, MAX_PIECE_THREADS)
  const chunkLength = pieceLength * Math.max(1, Math.floor(CHUNK_BYTES / pieceLength))
  // The reader holds READ_AHEAD + 1 buffers; each piece thread needs one to hash and one queued.
  const wanted = READ_AHEAD + 1 + 2 * pieceThreads
  const affordable = Math.floor(MEMORY_BUDGET / chunkLength)
  // Huge pieces may exceed the budget rather than leave the piece threads nothing to hash.
  const bufferCount = Math.max(READ_AHEAD + 1 + Math.min(pieceThreads, 1), Math.min(wanted, affordable))
  const plan: ReaderPlan = { files: jobFiles(files), pieceLength, chunkLength, bufferCount, readAhead: READ_AHEAD, pieceThreads }
  const r = await runHashJob([plan], opts)
  if (!r.ok) return r
  const only = r.value[0]
  if (only === undefined || only.pieces === null) return fail('worker-failed', 'the reading thread returned no piece hashes')
  return ok({ pieces: only.pieces, fileSha256: only.fileSha256 })
}

/**
 * Lowercase hex SHA-256 of each file, for a receiver comparing with the sender's. Different files
 * are hashed on different threads; one file is inherently one thread's work.
 */
export async function sha256OfFiles (files: readonly SourceFile[], opts: HashOptions = {}): Promise<Result<readonly string[]>> {
  const bad = checkFiles(files)
  if (bad !== undefined) return bad
  if (files.length === 0) return ok([])
  // Beyond two SHA-256 threads one disk rarely keeps up (each hashes ~1.3 GB/s), see READ_AHEAD.
  const groups = spreadFiles(files, Math.min(threadCount(opts.threads), MAX_SHA256_READERS))
  // Two readers overlap each other's reads and hashing, so each needs no read-ahead of its own.
  const readAhead = groups.length > 1 ? 0 : READ_AHEAD
  const plans: ReaderPlan[] = groups.map(indices => ({
    files: jobFiles(indices.map(i => files[i] as SourceFile)),
    pieceLength: null,
    chunkLength: CHUNK_BYTES,
    bufferCount: readAhead + 1,
    readAhead,
    pieceThreads: 0
  }))
  const r = await runHashJob(plans, opts)
  if (!r.ok) return r
  const out = new Array<string>(files.length).fill('')
  groups.forEach((indices, g) => {
    const digests = r.value[g]?.fileSha256 ?? []
    indices.forEach((fileIndex, k) => { out[fileIndex] = digests[k] ?? '' })
  })
  return ok(out)
}

function threadCount (requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return availableParallelism()
  return Math.max(1, Math.floor(requested))
}

/** Just what the threads need: callers may pass richer objects that do not survive structured clone. */
function jobFiles (files: readonly SourceFile[]): JobFile[] {
  return files.map(f => ({ path: f.path, length: f.length }))
}

function checkFiles (files: readonly SourceFile[]): Result<never> | undefined {
  for (const f of files) {
    if (!isAbsolute(f.path)) return fail('bad-input', `${f.path}: not an absolute path`)
    if (!Number.isSafeInteger(f.length) || f.length < 0) return fail('bad-input', `${f.path}: invalid length ${f.length}`)
  }
  return undefined
}

/**
 * Splits file indices into at most `threads` groups of about equal bytes (largest file first onto
 * the lightest group); each group keeps the given order so its reads stay sequential.
 */
function spreadFiles (files: readonly SourceFile[], threads: number): number[][] {
  const nonEmpty = files.filter(f => f.length > 0).length
  const groups: { indices: number[], bytes: number }[] = Array.from({ length: Math.max(1, Math.min(threads, nonEmpty)) }, () => ({ indices: [], bytes: 0 }))
  const bySize = files.map((f, i) => i).sort((a, b) => (files[b]?.length ?? 0) - (files[a]?.length ?? 0))
  for (const i of bySize) {
    let lightest = groups[0]
    for (const g of groups) if (lightest === undefined || g.bytes < lightest.bytes) lightest = g
    if (lightest === undefined) break
    lightest.indices.push(i)
    lightest.bytes += files[i]?.length ?? 0
  }
  return groups.map(g => g.indices.sort((a, b) => a - b))
}
