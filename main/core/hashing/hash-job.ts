// Runs the threads of one hashing job to a single outcome: per stream a reading thread, a SHA-256
// thread and any piece-hash threads, all sharing one ring of chunk buffers; progress summed across
// streams; and every thread terminated before the outcome is returned, whether the job succeeded,
// failed, crashed or was aborted. The main thread only receives a message every ~100 ms.
import type { Worker } from 'node:worker_threads'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { ChunkRing } from './chunk-ring.js'
import type { StreamLayout, StreamMessage } from './hash-protocol.js'
import { startSiblingWorker } from './sibling-worker.js'

export interface StreamPlan extends StreamLayout {
  /** Threads that only SHA-1 pieces, beside the SHA-256 thread (which SHA-1s too when it can). */
  readonly pieceThreads: number
}

export interface StreamOutput {
  readonly pieces: Buffer | null
  readonly fileSha256: readonly string[]
}

export interface JobProgress { readonly bytesDone: number; readonly bytesTotal: number }

export interface JobOptions {
  readonly onProgress?: (p: JobProgress) => void
  readonly signal?: AbortSignal
}

const PROGRESS_INTERVAL_MS = 100
// Hashing threads need no runtime flags; inheriting the parent's (tsx's --import, an inspector, ...)
// would only slow every start.
const NO_FLAGS: string[] = []

export async function runHashJob (plans: readonly StreamPlan[], opts: JobOptions = {}): Promise<Result<StreamOutput[]>> {
  const { signal, onProgress } = opts
  if (signal?.aborted === true) return fail('aborted', 'hashing was cancelled')
  const workers: Worker[] = []
  const rings: ChunkRing[] = []

  const outcome = await new Promise<Result<StreamOutput[]>>(resolve => {
    const outputs: (StreamOutput | undefined)[] = plans.map(() => undefined)
    const bytesDone = plans.map(() => 0)
    let bytesTotal = 0
    let lastProgress = 0
    let reportedTotal = false
    let settled = false
    const onAbort = (): void => { settle(fail('aborted', 'hashing was cancelled')) }
    const settle = (r: Result<StreamOutput[]>): void => {
      if (settled) return
      settled = true
      // Threads blocked in a wait see this at once; terminate() below ends the rest.
      for (const ring of rings) ring.abort()
      // A long-lived signal must not keep this finished job reachable.
      signal?.removeEventListener('abort', onAbort)
      resolve(r)
    }
    signal?.addEventListener('abort', onAbort, { once: true })

    // Returns false if the callback threw: that ends the job rather than crashing the process
    // from inside a message handler.
    const report = (force: boolean): boolean => {
      const now = Date.now()
      if (onProgress === undefined || (!force && now - lastProgress < PROGRESS_INTERVAL_MS)) return true
      lastProgress = now
      const done = bytesDone.reduce((a, b) => a + b, 0)
      reportedTotal = done === bytesTotal
      try {
        onProgress({ bytesDone: done, bytesTotal })
        return true
      } catch (err) {
        settle(fail('progress-failed', `the progress callback threw: ${errorMessage(err)}`))
        return false
      }
    }

    const onMessage = (i: number, ring: ChunkRing, m: StreamMessage): void => {
      if (settled) return // e.g. progress still queued when the job was aborted
      if (m.type === 'progress') {
        bytesDone[i] = m.bytesDone
        report(false)
      } else if (m.type === 'failed') {
        settle(fail(m.code, m.message))
      } else if (!ring.isFinished()) {
        settle(fail('worker-failed', 'the SHA-256 thread finished before every piece was hashed'))
      } else {
        bytesDone[i] = ring.totalBytes
        outputs[i] = { pieces: plans[i]?.pieceLength === null ? null : ring.pieceHashes(), fileSha256: m.fileSha256 }
        const all = outputs.filter(o => o !== undefined)
        if (all.length === plans.length && (reportedTotal || report(true))) settle(ok(all))
      }
    }

    // A thread that ends by itself with code 0 is done with its part, unless `unfinished` says the
    // job still needed it; any other end fails the job.
    const watch = (w: Worker, role: string, unfinished: () => boolean): void => {
      w.on('error', err => { settle(fail('worker-failed', `the ${role} thread failed: ${err.message}`)) })
      w.on('exit', code => {
        if (code !== 0 || unfinished()) settle(fail('worker-failed', `the ${role} thread stopped unexpectedly (exit code ${code})`))
      })
    }

    try {
      plans.forEach((plan, i) => {
        const start = ChunkRing.allocate(plan)
        const ring = new ChunkRing(start)
        rings.push(ring)
        bytesTotal += ring.totalBytes
        const spawn = (moduleName: string): Worker => {
          const w = startSiblingWorker(import.meta.url, moduleName, { execArgv: NO_FLAGS, workerData: start })
          workers.push(w)
          return w
        }
        const sha256 = spawn('sha256-worker')
        sha256.on('message', (m: StreamMessage) => { onMessage(i, ring, m) })
        watch(sha256, 'SHA-256', () => outputs[i] === undefined && !ring.isAborted())
        for (let t = 0; t < plan.pieceThreads; t++) watch(spawn('piece-hash-worker'), 'piece-hash', () => false)
        const reader = spawn('read-worker')
        // A failed read is reported by message (which arrives before the exit) and aborts the ring.
        reader.on('message', (m: StreamMessage) => { onMessage(i, ring, m) })
        watch(reader, 'reading', () => !ring.isRead(ring.chunkCount - 1) && !ring.isAborted())
      })
    } catch (err) {
      settle(fail('worker-failed', `cannot start a hashing thread: ${errorMessage(err)}`))
    }
  })
  await Promise.all(workers.map(w => w.terminate()))
  return outcome
}
