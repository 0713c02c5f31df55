// Which pieces of a download are verified and on disk, kept so that a restart (even after SIGKILL)
// fetches nothing twice. Each verified piece appends 4 bytes to a journal as soon as WebTorrent has
// written it; the journal is folded into a bitfield file now and then. A kill loses at most the
// pieces whose journal write had not reached the kernel yet.
import { closeSync, openSync, readFileSync, renameSync, truncateSync, writeSync, constants } from 'node:fs'
import { rm } from 'node:fs/promises'
import { writeFileAtomic } from './json-file.js'
import { PRIVATE_FILE_MODE } from './private-files.js'

export class PieceJournal {
  private readonly bits: Uint8Array
  private fd: number | undefined
  private entries = 0
  private folding = Promise.resolve()

  private constructor (private readonly bitfieldPath: string, private readonly journalPath: string, readonly pieceCount: number) {
    this.bits = new Uint8Array(Math.ceil(pieceCount / 8))
  }

  /** Opens (and replays) the journal of a download with `pieceCount` pieces. */
  static open (basePath: string, pieceCount: number): PieceJournal {
    const j = new PieceJournal(`${basePath}.bitfield`, `${basePath}.journal`, pieceCount)
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

  record (index: number): void {
    if (index < 0 || index >= this.pieceCount || this.has(index)) return
    this.set(index)
    if (this.fd === undefined) this.fd = openSync(this.journalPath, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, PRIVATE_FILE_MODE)
    const rec = Buffer.alloc(4)
    rec.writeUInt32BE(index)
    writeSync(this.fd, rec)
    this.entries++
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
  }

  async remove (): Promise<void> {
    await this.folding.catch(() => {})
    this.closeJournal()
    await rm(this.journalPath, { force: true })
    await rm(this.foldingPath, { force: true })
    await rm(this.bitfieldPath, { force: true })
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
  }

  private set (index: number): void {
    const byte = index >> 3
    this.bits[byte] = (this.bits[byte] ?? 0) | (0x80 >> (index & 7))
  }

  private closeJournal (): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}
