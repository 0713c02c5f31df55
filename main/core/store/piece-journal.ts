// Which pieces of a download are verified and on disk, kept so that a restart (even after SIGKILL)
// fetches nothing twice. Each verified piece appends 4 bytes to a journal as soon as WebTorrent has
// written it; the journal is folded into a bitfield file now and then.
//
// A verified piece waits for its write (libuv's pool, behind the page cache) before the journal
// hears of it, and under load several do (measured: a median of 4 pieces of 2 MiB, at most 8), so
// a kill lost them all even when their writes had reached the kernel. So each piece also leaves a
// record in NAME.begun as its write is issued: a restart checks the pieces begun but not journaled
// against their SHA-1 (see unconfirmed()) and keeps the ones whose writes had finished.
import { closeSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync, constants } from 'node:fs'
import { rm } from 'node:fs/promises'
import { writeFileAtomic } from './json-file.js'
import { PRIVATE_FILE_MODE } from './private-files.js'

/** tidy() folds the journal once it has this many records (16 KiB). */
const FOLD_AFTER_RECORDS = 4096
/** NAME.begun is cut down to the pieces in flight once it has this many records (16 KiB). */
const BEGUN_REWRITE_RECORDS = 4096

export class PieceJournal {
  private readonly bits: Uint8Array
  private fd: number | undefined
  private entries = 0
  /** Pieces whose write was issued (NAME.begun) and that are not journaled yet. */
  private readonly begun = new Set<number>()
  private begunFd: number | undefined
  /** Records in NAME.begun now (a fold rewrites it once there are many: see rewriteBegun). */
  private begunRecords = 0
  private folding = Promise.resolve()

  private constructor (private readonly bitfieldPath: string, private readonly journalPath: string, private readonly begunPath: string, readonly pieceCount: number) {
    this.bits = new Uint8Array(Math.ceil(pieceCount / 8))
  }

  /** Opens (and replays) the journal of a download with `pieceCount` pieces. */
  static open (basePath: string, pieceCount: number): PieceJournal {
    const j = new PieceJournal(`${basePath}.bitfield`, `${basePath}.journal`, `${basePath}.begun`, pieceCount)
    j.replay()
    return j
  }

  get bitfield (): Uint8Array { return this.bits }

  has (index: number): boolean {
    return ((this.bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0
  }

  get count (): number {
    let n = 0
    for (let i = 0; i < this.pieceCount; i++) if (this.has(i)) n++
    return n
  }

  /**
   * A verified piece's write is being issued: recorded before it reaches the kernel, so that after
   * a crash the piece is checked instead of fetched again (its record costs one 4-byte write).
   */
  begin (index: number): void {
    if (index < 0 || index >= this.pieceCount || this.has(index) || this.begun.has(index)) return
    this.begun.add(index)
    if (this.begunFd === undefined) this.begunFd = openSync(this.begunPath, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, PRIVATE_FILE_MODE)
    writeSync(this.begunFd, record(index))
    this.begunRecords++
  }

  /**
   * Pieces whose write was issued but that were never journaled: after a crash, each is on disk
   * whole, in part or not at all; the caller checks them and record()s the whole ones.
   */
  unconfirmed (): number[] {
    return [...this.begun].filter(i => !this.has(i)).sort((a, b) => a - b)
  }

  record (index: number): void {
    if (index < 0 || index >= this.pieceCount || this.has(index)) return
    this.set(index)
    this.begun.delete(index)
    if (this.fd === undefined) this.fd = openSync(this.journalPath, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, PRIVATE_FILE_MODE)
    writeSync(this.fd, record(index))
    this.entries++
  }

  /**
   * Folds the journal once it is long (FOLD_AFTER_RECORDS): for a caller that asks often (each
   * second), since a fold renames synchronously and a busy disk made that cost milliseconds.
   */
  tidy (): Promise<void> {
    return this.entries >= FOLD_AFTER_RECORDS ? this.compact() : this.folding
  }

  /** Folds the journal into the bitfield file; calls are serialised, so overlapping ones are safe. */
  compact (): Promise<void> {
    this.folding = this.folding.then(() => this.fold(), () => this.fold())
    return this.folding
  }

  private async fold (): Promise<void> {
    if (this.entries === 0) return
    // Move the journal aside first, so records made while the bitfield is written go to a new one.
    const snapshot = Uint8Array.from(this.bits)
    this.closeJournal()
    try { renameSync(this.journalPath, this.foldingPath) } catch { /* only a replayed .folding was pending */ }
    this.entries = 0
    this.rewriteBegun()
    await writeFileAtomic(this.bitfieldPath, snapshot)
    await rm(this.foldingPath, { force: true })
  }

  private get foldingPath (): string { return `${this.journalPath}.folding` }

  /** Replaces what the journal believes with `bits` (the engine's view after its start-up check). */
  async replace (bits: Uint8Array): Promise<void> {
    if (bits.length !== this.bits.length) return
    let same = true
    for (let i = 0; i < bits.length; i++) if (bits[i] !== this.bits[i]) { same = false; break }
    if (same) return
    this.bits.set(bits)
    this.entries++ // forces compact() to write the new bitfield
    await this.compact()
  }

  async close (): Promise<void> {
    await this.compact()
    this.closeJournal()
    this.closeBegun()
  }

  async remove (): Promise<void> {
    await this.folding.catch(() => {})
    this.closeJournal()
    this.closeBegun()
    await rm(this.journalPath, { force: true })
    await rm(this.foldingPath, { force: true })
    await rm(this.bitfieldPath, { force: true })
    await rm(this.begunPath, { force: true })
    await rm(`${this.begunPath}.new`, { force: true })
  }

  /**
   * NAME.begun keeps only the pieces still in flight once it holds BEGUN_REWRITE_RECORDS (it would
   * otherwise grow by a record per piece); replaced whole by a rename, so a crash leaves the old
   * list or the new one. Not at every fold (each second): a synchronous rename under a busy disk
   * cost the main loop milliseconds.
   */
  private rewriteBegun (): void {
    if (this.begunRecords < BEGUN_REWRITE_RECORDS) return
    this.closeBegun() // appends after the rename must go to the new file
    const pending = this.unconfirmed()
    const bytes = Buffer.alloc(pending.length * 4)
    for (const [k, i] of pending.entries()) bytes.writeUInt32BE(i, k * 4)
    for (const i of [...this.begun]) if (this.has(i)) this.begun.delete(i)
    try {
      writeFileSync(`${this.begunPath}.new`, bytes, { mode: PRIVATE_FILE_MODE })
      renameSync(`${this.begunPath}.new`, this.begunPath)
      this.begunRecords = pending.length
    } catch { /* the old list stays: a restart checks a few more pieces */ }
  }

  private replay (): void {
    try {
      const saved = readFileSync(this.bitfieldPath)
      if (saved.length === this.bits.length) this.bits.set(saved)
    } catch { /* no bitfield yet */ }
    for (const path of [this.foldingPath, this.journalPath]) {
      let journal: Buffer
      try {
        journal = readFileSync(path)
      } catch { continue }
      // A torn last record (kill mid-write) is cut off, or later appends would be misaligned.
      if (journal.length % 4 !== 0) truncateSync(path, journal.length - (journal.length % 4))
      for (let off = 0; off + 4 <= journal.length; off += 4) {
        const index = journal.readUInt32BE(off)
        if (index < this.pieceCount) this.set(index)
      }
      this.entries += journal.length >> 2
    }
    this.replayBegun()
  }

  private replayBegun (): void {
    let list: Buffer
    try { list = readFileSync(this.begunPath) } catch { return }
    if (list.length % 4 !== 0) truncateSync(this.begunPath, list.length - (list.length % 4))
    for (let off = 0; off + 4 <= list.length; off += 4) {
      const index = list.readUInt32BE(off)
      if (index < this.pieceCount) this.begun.add(index)
    }
    this.begunRecords = list.length >> 2
  }

  private set (index: number): void {
    const byte = index >> 3
    this.bits[byte] = (this.bits[byte] ?? 0) | (0x80 >> (index & 7))
  }

  private closeJournal (): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  private closeBegun (): void {
    if (this.begunFd !== undefined) closeSync(this.begunFd)
    this.begunFd = undefined
  }
}

function record (index: number): Buffer {
  const rec = Buffer.alloc(4)
  rec.writeUInt32BE(index)
  return rec
}
