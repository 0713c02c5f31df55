// The SHA-256 thread of a stream: each file's SHA-256, chunk after chunk as they are read. It is
// sequential by nature, so it is the one thread whose speed bounds the job; whenever it would wait
// for the next chunk it SHA-1s pieces instead, so the cores share both hashes evenly (on 2 cores a
// piece thread alone, with the reads beside it, falls behind the SHA-256). It also reports
// progress and the result, and blocks when it has nothing to do.
import { createHash, type Hash } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import { planChunks, type Chunk } from './chunk-plan.js'
import { ChunkRing } from './chunk-ring.js'
import type { StreamMessage, StreamStart } from './hash-protocol.js'
import { hashNextPiece } from './piece-sha1.js'

const PROGRESS_INTERVAL_MS = 100

const start = workerData as StreamStart
const ring = new ChunkRing(start)
const fileSha256 = new Array<string>(start.files.length).fill('')
let fileHash: Hash | undefined
let lastProgressAt = 0
let lastBytesDone = 0

function hashChunk (chunk: Chunk): void {
  const bytes = ring.chunk(chunk.index)
  for (const s of chunk.segments) {
    if (s.fileOffset === 0) fileHash = createHash('sha256')
    const hash = fileHash
    if (hash === undefined) throw new Error('segment of a file that was never started')
    hash.update(bytes.subarray(s.bufferOffset, s.bufferOffset + s.length))
    if (s.fileOffset + s.length === start.files[s.file]?.length) {
      fileSha256[s.file] = hash.digest('hex')
      fileHash = undefined
    }
  }
  ring.markHashed(chunk.index)
}

function reportProgress (): void {
  const now = Date.now()
  if (now - lastProgressAt < PROGRESS_INTERVAL_MS) return
  const bytesDone = ring.bytesDone()
  if (bytesDone <= lastBytesDone) return
  lastProgressAt = now
  lastBytesDone = bytesDone
  post({ type: 'progress', bytesDone })
}

function post (message: StreamMessage): void {
  parentPort?.postMessage(message)
}

const chunks = planChunks(start.files.map(f => f.length), start.chunkLength)
let next = chunks.next()
for (;;) {
  const data = ring.dataSequence()
  const room = ring.roomSequence()
  if (ring.isAborted()) break // the job already has its outcome
  if (next.done !== true && ring.isRead(next.value.index)) {
    hashChunk(next.value)
    next = chunks.next()
  } else if (!hashNextPiece(ring)) {
    if (next.done !== true) {
      ring.waitForData(data)
    } else if (ring.isFinished()) {
      post({ type: 'done', fileSha256 })
      break
    } else {
      ring.waitForRoom(room) // the last pieces are with other threads; each chunk's last one wakes us
    }
  }
  reportProgress()
}
