// The thread that takes the SHA-256 of each big file a receiver writes (digest-worker.ts), so the
// running digest (engine/running-digest.ts) costs the event loop a message per step instead of
// the hashing itself: a 2 MiB piece hashed on the loop held every wire for about 1.2 ms, and
// catching up on 8 MiB of pieces read back for about 5 ms. One thread per process, started on
// first use; it keeps the process alive only while a message is in flight. A digest belongs to
// the thread that began it: if that thread dies, its digests fail (their files are read whole
// by the final check instead) and the next digest starts a new thread.
import type { DigestReply, DigestRequest } from './digest-protocol.js'
import { RequestThread } from './request-thread.js'

/** `error`: why the step failed, in one sentence; `hex`: the SHA-256, for finish. */
export type DigestDone = (error: string | undefined, hex?: string) => void

type Step = { readonly op: 'update', readonly data: Uint8Array } | { readonly op: 'read', readonly path: string, readonly position: number, readonly length: number } | { readonly op: 'finish' }

export class DigestThread {
  private readonly thread = new RequestThread<Extract<DigestRequest, { readonly ticket: number }>, DigestReply, DigestDone>(import.meta.url, 'digest-worker', {
    answered: (done, reply) => done(reply.error, reply.hex),
    lost: (done, why) => done(`the digest thread stopped: ${why}`),
    // A digest's state lives in the thread that began it.
    ended: () => this.live.clear()
  })

  /** Digests begun on the current thread. */
  private readonly live = new Set<number>()
  private nextDigest = 1

  /** A new digest, or undefined when no thread can be started. */
  begin (): number | undefined {
    if (this.thread.ensure() !== undefined) return undefined
    const id = this.nextDigest++
    this.live.add(id)
    return id
  }

  /** Hashes `data` (a view of shared memory, read in place): the caller keeps it unchanged until `done`. */
  update (digest: number, data: Uint8Array, done: DigestDone): void { this.send(digest, { op: 'update', data }, done) }

  /** Reads `length` bytes of `path` at `position` on the thread and hashes them. */
  read (digest: number, path: string, position: number, length: number, done: DigestDone): void {
    this.send(digest, { op: 'read', path, position, length }, done)
  }

  /** The SHA-256 of everything hashed, in order; the digest ends. */
  finish (digest: number, done: DigestDone): void {
    this.send(digest, { op: 'finish' }, done)
    this.live.delete(digest)
  }

  /** Forgets a digest; steps already sent still answer. */
  drop (digest: number): void {
    if (!this.live.delete(digest)) return
    const req: DigestRequest = { op: 'drop', digest }
    this.thread.tell(req)
  }

  /** Ends the thread: its digests fail, and the next one begun starts a new thread. */
  async stop (): Promise<void> { await this.thread.stop() }

  private send (digest: number, step: Step, done: DigestDone): void {
    // A digest the thread does not hold (it died, or it was dropped) cannot take another step.
    const sent = this.live.has(digest) && this.thread.running
      ? this.thread.ask(ticket => ({ ...step, ticket, digest }), done)
      : 'no thread'
    if (sent !== undefined) queueMicrotask(() => done('the digest thread stopped'))
  }
}

let shared: DigestThread | undefined

/** The process's digest thread. */
export function digestThread (): DigestThread {
  shared ??= new DigestThread()
  return shared
}
