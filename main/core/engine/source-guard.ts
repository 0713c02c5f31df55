// Watches an origin's source files while they are served, so a file edited in the meantime is
// never spread as if it were the distribution: every couple of seconds (a large folder less often,
// see SWEEP_STATS_PER_SECOND; and before serving from a file not checked in that couple of
// seconds) each file's size and mtime are compared with the ones recorded when it was hashed, and
// every piece read from disk for serving must be what was hashed. A piece within one file whose
// ctime was recorded (and whose file system keeps ctime) is shown so by the file's ctime, taken
// after the read, being the recorded one (ctime-trust.ts); any other piece, or one from a file
// whose ctime moved, by its SHA-1. Either way an edit in place with the mtime put back is caught.
// The first change trips the guard: the owner is told once, and from then on the store refuses
// to serve anything.
import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileSystemKeepsCtime } from '../torrent/ctime-trust.js'
import type { Metainfo } from '../torrent/metainfo.js'
import { diskThread } from './disk-thread.js'
import type { FileStoreTarget } from './file-store-target.js'
import { pieceMismatch, stampChange, staleMessage, type ActualStamp } from './source-stamp.js'

export interface GuardedFile {
  readonly path: string
  /** How a person knows the file: its path inside the distribution. */
  readonly label: string
  readonly offset: number
  readonly length: number
  readonly mtimeMs: number
  /** Its ctime when listed, where that counts (ctime-trust.ts). */
  readonly ctimeMs?: number | undefined
}

/** A file's stamp taken right after a piece was read from it, ctime included. */
export interface ReadStamp extends ActualStamp { readonly ctimeMs: number }

/** The stamps of a distribution's files when hashed or verified, and how to word a change. */
export interface GuardStamps {
  readonly mtimesMs: readonly number[]
  /**
   * Their ctimes when listed, where known (undefined per file otherwise): a piece within one such
   * file is checked by the file's ctime after it is read instead of by its SHA-1 (ctime-trust.ts).
   */
  readonly ctimesMs?: readonly (number | undefined)[]
  /** The reason from the file's label and the change (default: the origin's "changed while being sent"). */
  readonly describe?: (fileLabel: string, what: string) => string
}

export interface SourceGuardSpec {
  readonly files: readonly GuardedFile[]
  readonly pieceLength: number
  /** The torrent's concatenated SHA-1 piece hashes. */
  readonly pieceHashes: Uint8Array
  /** Called once, with a sentence naming the file and what changed. */
  readonly onChanged: (reason: string) => void
  /** The sentence, from the file's label and the change (default: an origin's `staleMessage`). */
  readonly describe?: (fileLabel: string, what: string) => string
}

export interface SourceGuardOptions {
  readonly intervalMs?: number
  readonly now?: () => number
  readonly stat?: (path: string) => Promise<ActualStamp | undefined>
}

/** The guard of a distribution served from `targets` (in the torrent's file order), its files stamped as `stamps`. */
export function guardOf (
  m: Metainfo,
  targets: readonly FileStoreTarget[],
  stamps: GuardStamps,
  onChanged: (reason: string) => void
): SourceGuardSpec {
  const files = targets.map((t, i): GuardedFile => ({
    path: t.path,
    label: m.isFolder ? [m.name, ...(m.files[i]?.path ?? [])].join('/') : m.name,
    offset: t.offset,
    length: t.length,
    mtimeMs: stamps.mtimesMs[i] ?? Number.NaN,
    ctimeMs: stamps.ctimesMs?.[i]
  }))
  return { files, pieceLength: m.pieceLength, pieceHashes: m.pieceHashes, onChanged, ...(stamps.describe ? { describe: stamps.describe } : {}) }
}

const INTERVAL_MS = 2_000
const SWEEP_BATCH = 2_000
/**
 * Most files a sweep stats per second: a folder of 50,000 files is swept every 10 s, not every
 * 2 s (25,000 stats a second kept the origin's disk thread busy for 3 CPU-s of a 20 s transfer,
 * on a machine whose cores the transfer needed). Files about to be served are still checked
 * within `intervalMs` of each read (beforeRead), and every piece served against its SHA-1.
 */
const SWEEP_STATS_PER_SECOND = 5_000
const SHA1_LENGTH = 20

async function statStamp (path: string): Promise<ActualStamp | undefined> {
  try {
    const s = await stat(path)
    return { size: s.size, mtimeMs: s.mtimeMs }
  } catch {
    return undefined
  }
}

export class SourceGuard {
  private reason: string | undefined
  private readonly files: readonly GuardedFile[]
  private readonly checkedAt = new Map<GuardedFile, number>()
  private timer: NodeJS.Timeout | undefined
  private sweeping = false
  private readonly intervalMs: number
  private readonly now: () => number
  private readonly statOf: (path: string) => Promise<ActualStamp | undefined>
  /** Sweeps stat in batches on the disk thread (not when a stat function was given). */
  private readonly batchStat: boolean
  /** Files whose pieces are checked by ctime, once their file systems were found to keep it. */
  private readonly byCtime = new Set<GuardedFile>()
  private ctimeChecked: Promise<void> | undefined
  private hashed = 0

  constructor (private readonly spec: SourceGuardSpec, opts: SourceGuardOptions = {}) {
    this.files = spec.files.filter(f => f.length > 0)
    this.intervalMs = opts.intervalMs ?? INTERVAL_MS
    this.now = opts.now ?? Date.now
    this.statOf = opts.stat ?? statStamp
    this.batchStat = opts.stat === undefined
  }

  /** The reason the source was found changed, or undefined while it still matches. */
  get changed (): string | undefined { return this.reason }

  /** How many pieces it checked by their SHA-1 (the others by their file's ctime). */
  get piecesHashed (): number { return this.hashed }

  start (): void {
    this.ctimeChecked ??= this.findCtimeFiles()
    if (this.timer || this.reason !== undefined) return
    const sweepMs = Math.max(this.intervalMs, Math.ceil(this.files.length * 1000 / SWEEP_STATS_PER_SECOND))
    this.timer = setInterval(() => { void this.sweep() }, sweepMs)
    this.timer.unref()
  }

  stop (): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Re-checks the stamps of the files under piece `index` that were not checked in the last interval. */
  async beforeRead (index: number): Promise<string | undefined> {
    const due = this.filesOf(index).filter(f => this.now() - (this.checkedAt.get(f) ?? -Infinity) >= this.intervalMs)
    if (this.batchStat && due.length > 1) {
      // A piece across many small files: their stats in one batch on the disk thread.
      const stamps = await diskThread().stat(due.map(f => f.path)).catch(() => undefined)
      if (stamps !== undefined) {
        for (const [k, f] of due.entries()) this.judge(f, stamps[k] ?? undefined)
        return this.reason
      }
    }
    for (const f of due) await this.checkFile(f)
    return this.reason
  }

  /**
   * The file piece `index` lies within, if that piece is checked by the file's ctime after it is
   * read (then the reader takes a ReadStamp of it for `verify`); undefined otherwise.
   */
  async ctimeFileOf (index: number): Promise<GuardedFile | undefined> {
    if (this.ctimeChecked !== undefined) await this.ctimeChecked
    return this.ctimeFileNow(index)
  }

  /** The same, without waiting: undefined also while the file systems are still being asked. */
  ctimeFileNow (index: number): GuardedFile | undefined {
    if (this.byCtime.size === 0) return undefined
    const within = this.filesOf(index)
    const f = within.length === 1 ? within[0] : undefined
    return f !== undefined && this.byCtime.has(f) ? f : undefined
  }

  /**
   * The piece's bytes as read from disk must be what was hashed: its file unchanged since it was
   * listed (`after`, taken after the read, for a file `ctimeFileOf` named), or its SHA-1 right.
   */
  async verify (index: number, bytes: Uint8Array, sha1?: Uint8Array, after?: ReadStamp): Promise<string | undefined> {
    if (this.reason !== undefined) return this.reason
    const f = after !== undefined ? this.ctimeFileNow(index) ?? await this.ctimeFileOf(index) : undefined
    if (f !== undefined && after !== undefined) {
      const what = stampChange(f, after)
      if (what !== undefined) {
        this.trip(this.describe(f.label, what))
        return this.reason
      }
      if (after.ctimeMs === f.ctimeMs) return undefined
      // Its ctime moved (a chmod, a backup tool's attribute, or an edit with the mtime put back):
      // from now on its pieces are checked by their hashes, starting with this one.
      this.byCtime.delete(f)
    }
    this.hashed++
    const expected = this.spec.pieceHashes.subarray(index * SHA1_LENGTH, (index + 1) * SHA1_LENGTH)
    // Hashed in place on this thread. WebCrypto's digest looked cheaper for the event loop but is
    // not: it copies the piece on this thread before hashing it on the thread pool, which took
    // ~0.7x the loop time and 2x the CPU of hashing here (measured: 256 MiB in 128 KiB pieces,
    // 0.11-0.15 s of loop and 0.28-0.31 s of CPU, against 0.15 s for both), and every copy was
    // garbage for V8 to collect. A 128 KiB piece holds the loop ~0.1 ms, a 4 MiB one ~3 ms.
    // `sha1`: the bytes' SHA-1 as the disk thread computed it while reading them (a batch read).
    const digest = sha1 !== undefined && sha1.length === SHA1_LENGTH ? Buffer.from(sha1) : createHash('sha1').update(bytes).digest()
    if (expected.length === SHA1_LENGTH && digest.equals(expected)) return undefined
    const labels = this.filesOf(index).map(f => f.label)
    const shown = labels.length > 3 ? `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more` : labels.join(', ')
    this.trip(this.describe(shown || 'a source file', pieceMismatch(index)))
    return this.reason
  }

  /** A read under piece `index` failed (file gone or shorter): find out now whether it changed. */
  async afterReadError (index: number): Promise<string | undefined> {
    for (const f of this.filesOf(index)) await this.checkFile(f)
    return this.reason
  }

  /** Files that can hold a whole piece, with a recorded ctime, on file systems that keep it. */
  private async findCtimeFiles (): Promise<void> {
    const fsOf = new Map<string, Promise<boolean>>()
    for (const f of this.files) {
      if (f.ctimeMs === undefined || (f.length < this.spec.pieceLength && this.files.length > 1)) continue
      const dir = dirname(f.path)
      let keeps = fsOf.get(dir)
      if (keeps === undefined) {
        keeps = fileSystemKeepsCtime(dir)
        fsOf.set(dir, keeps)
      }
      if (await keeps) this.byCtime.add(f)
    }
  }

  private async sweep (): Promise<void> {
    if (this.sweeping || this.reason !== undefined) return
    this.sweeping = true
    try {
      if (this.batchStat) {
        // The same stat of every file, in batches on the disk thread: one message per batch
        // instead of a promise and a pool round trip per file (a folder of 50,000 files kept
        // the main thread busy with these every 2 s).
        for (let i = 0; i < this.files.length && this.reason === undefined; i += SWEEP_BATCH) {
          const batch = this.files.slice(i, i + SWEEP_BATCH)
          const stamps = await diskThread().stat(batch.map(f => f.path)).catch(() => undefined)
          for (const [k, f] of batch.entries()) {
            if (this.reason !== undefined) return
            if (stamps === undefined) await this.checkFile(f) // the thread failed: one by one
            else this.judge(f, stamps[k] ?? undefined)
          }
        }
        return
      }
      for (const f of this.files) {
        if (this.reason !== undefined) return
        await this.checkFile(f)
      }
    } finally {
      this.sweeping = false
    }
  }

  private async checkFile (f: GuardedFile): Promise<void> {
    this.judge(f, await this.statOf(f.path))
  }

  private judge (f: GuardedFile, actual: ActualStamp | undefined): void {
    const what = stampChange(f, actual)
    if (what !== undefined) return this.trip(this.describe(f.label, what))
    this.checkedAt.set(f, this.now())
  }

  private describe (fileLabel: string, what: string): string {
    return (this.spec.describe ?? staleMessage)(fileLabel, what)
  }

  private trip (reason: string): void {
    if (this.reason !== undefined) return
    this.reason = reason
    this.stop()
    this.spec.onChanged(reason)
  }

  /** The files a piece's bytes come from, found by binary search on their offsets. */
  private filesOf (index: number): GuardedFile[] {
    const start = index * this.spec.pieceLength
    const end = start + this.spec.pieceLength
    let lo = 0
    let hi = this.files.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      const f = this.files[mid]
      if (f !== undefined && f.offset <= start) lo = mid
      else hi = mid - 1
    }
    const out: GuardedFile[] = []
    for (let i = lo; i < this.files.length; i++) {
      const f = this.files[i]
      if (f === undefined || f.offset >= end) break
      if (f.offset + f.length > start) out.push(f)
    }
    return out
  }
}
