// The reading thread of a stream: reads the files once, in order, straight into the ring's chunk
// buffers, and publishes each chunk to the hashing threads. The reads themselves run on libuv's
// pool, so this thread uses almost no CPU; it waits for a slot whenever the hashing falls behind.
import { parentPort, workerData } from 'node:worker_threads'
import { ok, type Result } from '../../../common/result.js'
import { planChunks } from './chunk-plan.js'
import { ChunkReader } from './chunk-reader.js'
import { ChunkRing } from './chunk-ring.js'
import type { StreamMessage, StreamStart } from './hash-protocol.js'

// libuv's pool (4 threads by default) is shared by every thread of the process, the engine's own
// file I/O included: two reads in flight keep hashing fed without queueing the engine behind us.
const READS_IN_FLIGHT = 2

interface Read { readonly index: number; readonly done: Promise<Result<void>> }

async function fill (start: StreamStart, ring: ChunkRing, reader: ChunkReader): Promise<Result<void>> {
  const chunks = planChunks(start.files.map(f => f.length), start.chunkLength)
  const reads: Read[] = []
  let next = chunks.next()
  for (;;) {
    const sequence = ring.roomSequence()
    if (ring.isAborted()) {
      await Promise.all(reads.map(r => r.done)) // before closeAll closes their files
      return ok(undefined)
    }
    while (next.done !== true && reads.length < READS_IN_FLIGHT && ring.isFree(next.value.index)) {
      const chunk = next.value
      reads.push({ index: chunk.index, done: reader.read(chunk, ring.chunk(chunk.index)) })
      next = chunks.next()
    }
    const head = reads.shift()
    if (head === undefined) {
      if (next.done === true) return ok(undefined)
      await ring.roomChanged(sequence) // every slot is still being hashed
      continue
    }
    const read = await head.done
    if (!read.ok) {
      await Promise.all(reads.map(r => r.done))
      return read
    }
    ring.publish(head.index)
  }
}

// Longest delay a Node timer takes. The timer never fires: it keeps this thread's event loop
// alive while it waits for room, which a pending Atomics.waitAsync does not do by itself.
const KEEP_ALIVE_MS = 2 ** 31 - 1

const start = workerData as StreamStart
const ring = new ChunkRing(start)
const reader = new ChunkReader(start.files)
const keepAlive = setInterval(() => undefined, KEEP_ALIVE_MS)
const outcome = await fill(start, ring, reader)
await reader.closeAll()
clearInterval(keepAlive)
if (!outcome.ok) {
  ring.abort()
  const failed: StreamMessage = { type: 'failed', code: outcome.error.code, message: outcome.error.message }
  parentPort?.postMessage(failed)
}
