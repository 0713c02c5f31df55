// SHA-1 of large received pieces off the main loop. WebTorrent hashes each piece it completes on
// the main thread, which stalls the event loop for every other wire meanwhile: 2-4 ms for a 2 MiB
// piece. A piece of at least MIN_THREAD_BYTES assembled in shared memory (PieceBuffers) is hashed
// on a thread of its own instead, without a copy. Smaller pieces are hashed here: measured on 2
// cores with 128 KiB pieces, a thread cost 20-40 % more CPU per byte (a wake-up and a hand-over per
// piece, the piece read from another core's cache) and gained nothing, while each such hash stalls
// the loop for well under a millisecond. Every piece while the thread cannot be started is hashed
// here as before. The thread keeps the process alive only while a piece is in flight.
import { createHash } from 'node:crypto'
import type { PieceCheckReply, PieceCheckRequest } from './piece-check-protocol.js'
import { RequestThread } from './request-thread.js'

interface Pending {
  readonly data: Uint8Array
  readonly resolve: (hex: string) => void
}

const sha1Here = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex')

/** Pieces at least this large go to the thread (see above). */
export const MIN_THREAD_BYTES = 1024 * 1024

export class PieceChecker {
  // A piece the thread did not answer (it failed, or was stopped) is hashed here; the next piece
  // starts a new thread.
  private readonly thread = new RequestThread<PieceCheckRequest, PieceCheckReply, Pending>(import.meta.url, 'piece-check-worker', {
    answered: (p, reply) => p.resolve(reply.hex),
    lost: p => p.resolve(sha1Here(p.data))
  })

  private stopped = false

  constructor (private readonly minThreadBytes = MIN_THREAD_BYTES) {}

  /** The piece's SHA-1 as hex: on the thread for a large piece in shared memory, else on the calling thread. */
  sha1Hex (data: Uint8Array): Promise<string> {
    if (this.stopped || data.byteLength < this.minThreadBytes || !(data.buffer instanceof SharedArrayBuffer)) return Promise.resolve(sha1Here(data))
    return new Promise(resolve => {
      const pending: Pending = { data, resolve }
      if (this.thread.ask(ticket => ({ ticket, data }), pending) !== undefined) resolve(sha1Here(data))
    })
  }

  /** Ends the thread; pieces still in flight are hashed here. */
  async stop (): Promise<void> {
    this.stopped = true
    await this.thread.stop()
  }
}
