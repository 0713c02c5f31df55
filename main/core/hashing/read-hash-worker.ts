// The reading thread of a hashing job. It reads the files once, in order, in large chunks; keeps
// the running SHA-256 of each file here (it is sequential by nature) and hands each chunk of whole
// pieces to the piece-hash threads for SHA-1 (pieces are independent, so those scale with cores).
// Chunk buffers circulate between this thread and the piece-hash threads by transfer, never by
// copy, and at most `bufferCount` exist, which bounds the memory in flight.
import { createHash, type Hash } from 'node:crypto'
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { ok, type Result } from '../result.js'
import { planChunks, type Chunk } from './chunk-plan.js'
import { ChunkReader } from './chunk-reader.js'
import type { PieceJob, PieceResult, ReaderMessage, ReaderStart } from './hash-protocol.js'
import { hashPieces, pieceCount, SHA1_LENGTH } from './piece-sha1.js'

const PROGRESS_INTERVAL_MS = 100

interface PieceLane { readonly port: MessagePort; busy: number }

class ReadHashJob {
  private readonly totalBytes: number
  private readonly pieces: Uint8Array | null
  private readonly fileSha256: string[]
  private readonly reader: ChunkReader
  private readonly lanes: PieceLane[]
  private readonly free: ArrayBuffer[] = []
  private allocated = 0
  private readonly awaitingSha1 = new Map<number, Chunk>()
  private wake: (() => void) | undefined
  private fileHash: Hash | undefined
  private bytesDone = 0
  private lastProgress = 0

  constructor (private readonly start: ReaderStart) {
    this.totalBytes = start.files.reduce((sum, f) => sum + f.length, 0)
    this.pieces = start.pieceLength === null
      ? null
      : new Uint8Array(pieceCount(this.totalBytes, start.pieceLength) * SHA1_LENGTH)
    this.fileSha256 = new Array<string>(start.files.length).fill('')
    this.reader = new ChunkReader(start.files)
    this.lanes = start.piecePorts.map(port => ({ port, busy: 0 }))
    for (const lane of this.lanes) lane.port.on('message', (r: PieceResult) => { this.pieceDone(lane, r) })
  }

  async run (): Promise<Result<void>> {
    const chunks = planChunks(this.start.files.map(f => f.length), this.start.chunkLength)
    const reads: { chunk: Chunk, buffer: ArrayBuffer, done: Promise<Result<void>> }[] = []
    let exhausted = false
    for (;;) {
      // Keep `readAhead` reads going while this thread hashes, as far as buffers allow.
      while (!exhausted && reads.length <= this.start.readAhead) {
        const buffer = this.takeBuffer()
        if (buffer === undefined) break
        const next = chunks.next()
        if (next.done === true) {
          exhausted = true
          this.free.push(buffer)
          break
        }
        const chunk = next.value
        reads.push({ chunk, buffer, done: this.reader.read(chunk, new Uint8Array(buffer, 0, chunk.length)) })
      }
      const head = reads.shift()
      if (head === undefined) {
        if (exhausted) break
        await this.bufferReturned() // every buffer is out with a piece-hash thread
        continue
      }
      const read = await head.done
      if (!read.ok) {
        await Promise.all(reads.map(r => r.done))
        await this.reader.closeAll()
        return read
      }
      this.hashChunk(head.chunk, head.buffer)
    }
    while (this.awaitingSha1.size > 0) await this.bufferReturned()
    return ok(undefined)
  }

  result (): Extract<ReaderMessage, { type: 'done' }> {
    return { type: 'done', pieces: this.pieces === null ? null : this.pieces.buffer as ArrayBuffer, fileSha256: this.fileSha256 }
  }

  private hashChunk (chunk: Chunk, buffer: ArrayBuffer): void {
    const bytes = new Uint8Array(buffer, 0, chunk.length)
    for (const s of chunk.segments) {
      if (s.fileOffset === 0) this.fileHash = createHash('sha256')
      const hash = this.fileHash
      if (hash === undefined) throw new Error('segment of a file that was never started')
      hash.update(bytes.subarray(s.bufferOffset, s.bufferOffset + s.length))
      if (s.fileOffset + s.length === this.start.files[s.file]?.length) {
        this.fileSha256[s.file] = hash.digest('hex')
        this.fileHash = undefined
      }
    }
    const pieceLength = this.start.pieceLength
    if (this.pieces === null || pieceLength === null || chunk.length === 0) {
      this.chunkDone(chunk, buffer)
      return
    }
    const lane = this.leastBusyLane()
    if (lane === undefined) {
      hashPieces(bytes, pieceLength, this.pieces, (chunk.streamOffset / pieceLength) * SHA1_LENGTH)
      this.chunkDone(chunk, buffer)
      return
    }
    this.awaitingSha1.set(chunk.index, chunk)
    lane.busy++
    const job: PieceJob = { id: chunk.index, buffer, length: chunk.length, pieceLength }
    lane.port.postMessage(job, [buffer])
  }

  private pieceDone (lane: PieceLane, r: PieceResult): void {
    lane.busy--
    const chunk = this.awaitingSha1.get(r.id)
    const pieceLength = this.start.pieceLength
    if (chunk === undefined || this.pieces === null || pieceLength === null) throw new Error(`unexpected piece result ${r.id}`)
    this.awaitingSha1.delete(r.id)
    this.pieces.set(new Uint8Array(r.hashes), (chunk.streamOffset / pieceLength) * SHA1_LENGTH)
    this.chunkDone(chunk, r.buffer)
  }

  private chunkDone (chunk: Chunk, buffer: ArrayBuffer): void {
    this.free.push(buffer)
    this.bytesDone += chunk.length
    const now = Date.now()
    if (now - this.lastProgress >= PROGRESS_INTERVAL_MS) {
      this.lastProgress = now
      post({ type: 'progress', bytesDone: this.bytesDone })
    }
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  private takeBuffer (): ArrayBuffer | undefined {
    const buffer = this.free.pop()
    if (buffer !== undefined) return buffer
    if (this.allocated >= this.start.bufferCount) return undefined
    this.allocated++
    return new ArrayBuffer(this.start.chunkLength)
  }

  private bufferReturned (): Promise<void> {
    return new Promise(resolve => { this.wake = resolve })
  }

  private leastBusyLane (): PieceLane | undefined {
    let best: PieceLane | undefined
    for (const lane of this.lanes) if (best === undefined || lane.busy < best.busy) best = lane
    return best
  }
}

function post (message: ReaderMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer)
}

const job = new ReadHashJob(workerData as ReaderStart)
const outcome = await job.run()
if (outcome.ok) {
  const done = job.result()
  post(done, done.pieces === null ? [] : [done.pieces])
} else {
  post({ type: 'failed', code: outcome.error.code, message: outcome.error.message })
}
