// A piece-hash thread: SHA-1s pieces as soon as they are read, until every piece is taken. It has
// nothing else to do, so it blocks while it waits instead of running an event loop.
import { workerData } from 'node:worker_threads'
import { ChunkRing } from './chunk-ring.js'
import type { StreamStart } from './hash-protocol.js'
import { hashNextPiece } from './piece-sha1.js'

const ring = new ChunkRing(workerData as StreamStart)

for (;;) {
  const sequence = ring.dataSequence()
  if (ring.isAborted() || ring.allPiecesClaimed()) break
  if (!hashNextPiece(ring)) ring.waitForData(sequence)
}
