// Hashing a distribution's files off the main thread, at the speed of the cores: the BitTorrent v1
// piece hashes and each file's SHA-256 in one read pass for the sender, and SHA-256 alone for a
// receiver's final check. The main thread only starts threads and receives progress and results.
import { availableParallelism } from 'node:os'
import { isAbsolute } from 'node:path'
import { fail, ok, type Result } from '../../../common/result.js'
import { runHashJob, type StreamPlan } from './hash-job.js'
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
   * (one keeping the SHA-256s and SHA-1ing when it would wait, the rest SHA-1), sha256OfFiles up
   * to 2 (one per file at a time). Each stream also has a reading thread, idle but for waits.
   */
  readonly threads?: number
}

export interface PieceHashes {
  /** 20 bytes (SHA-1) per piece, concatenated: the metainfo's `pieces`. */
  readonly pieces: Buffer
  /** Lowercase hex SHA-256 of each file, in the order given. */
  readonly fileSha256: readonly string[]
}

// A chunk is what the reader reads at once and the unit the SHA-256 thread takes: big enough that
// per-read and per-wake-up costs vanish, small enough that several fit the memory budget.
const CHUNK_BYTES = 4 * 1024 * 1024
// The ring's buffers: enough that each hashing thread has chunks to take while others are read,
// and that a thread descheduled for a moment (other load on the machine) does not stall the rest.
const MEMORY_BUDGET = 32 * 1024 * 1024
// One being hashed while the next is read: the least that overlaps reading with hashing.
const MIN_SLOTS = 2
// A receiver's check hashes one file per stream: one chunk hashing, up to two being read.
const SHA256_SLOTS = 3
const MAX_SHA256_STREAMS = 2
// The SHA-256 of the stream runs on one thread, which also SHA-1s whenever it would wait; beyond
// three piece threads the SHA-256 is the limit on every CPU we know of.
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
  // The SHA-256 thread is one of the threads; with one, it SHA-1s every piece itself.
  const pieceThreads = Math.min(threads - 1, MAX_PIECE_THREADS)
  const chunkLength = fitChunk(pieceLength * Math.max(1, Math.floor(CHUNK_BYTES / pieceLength)), pieceLength, files)
  // Huge pieces may exceed the budget rather than lose the overlap of reading and hashing.
  const slots = Math.max(MIN_SLOTS, Math.floor(MEMORY_BUDGET / chunkLength))
  const plan: StreamPlan = { files: jobFiles(files), pieceLength, chunkLength, slots, pieceThreads }
  const r = await runHashJob([plan], opts)
  if (!r.ok) return r
  const only = r.value[0]
  if (only === undefined || only.pieces === null) return fail('worker-failed', 'the hashing threads returned no piece hashes')
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
  // Beyond two SHA-256 threads one disk rarely keeps up (each hashes ~1.8 GB/s).
  const groups = spreadFiles(files, Math.min(threadCount(opts.threads), MAX_SHA256_STREAMS))
  const plans: StreamPlan[] = groups.map(indices => {
    const group = indices.map(i => files[i] as SourceFile)
    return { files: jobFiles(group), pieceLength: null, chunkLength: fitChunk(CHUNK_BYTES, 1, group), slots: SHA256_SLOTS, pieceThreads: 0 }
  })
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

/** No longer than the files (in whole `unit`s), so a small job allocates little shared memory. */
function fitChunk (chunkLength: number, unit: number, files: readonly SourceFile[]): number {
  const total = files.reduce((sum, f) => sum + f.length, 0)
  return Math.max(unit, Math.min(chunkLength, Math.ceil(total / unit) * unit))
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
