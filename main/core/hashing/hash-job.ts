// Runs the threads of one hashing job to a single outcome: one or more reading threads (each with
// its own piece-hash threads), progress summed across readers, and every thread terminated before
// the outcome is returned, whether the job succeeded, failed, crashed or was aborted.
import type { Worker } from 'node:worker_threads'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { errorMessage, fail, ok, type Result } from '../result.js'
import type { JobFile, ReaderMessage, ReaderStart } from './hash-protocol.js'
import { startSiblingWorker } from './sibling-worker.js'

export interface ReaderPlan {
  readonly files: readonly JobFile[]
  readonly pieceLength: number | null
  readonly chunkLength: number
  readonly bufferCount: number
  readonly readAhead: number
  readonly pieceThreads: number
}

export interface ReaderOutput {
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

export async function runHashJob (plans: readonly ReaderPlan[], opts: JobOptions = {}): Promise<Result<ReaderOutput[]>> {
  const { signal, onProgress } = opts
  if (signal?.aborted === true) return fail('aborted', 'hashing was cancelled')
  const bytesOf = (plan: ReaderPlan): number => plan.files.reduce((sum, f) => sum + f.length, 0)
  const bytesTotal = plans.reduce((sum, plan) => sum + bytesOf(plan), 0)
  const workers: Worker[] = []

  const outcome = await new Promise<Result<ReaderOutput[]>>(resolve => {
    const outputs: (ReaderOutput | undefined)[] = plans.map(() => undefined)
    const bytesDone = plans.map(() => 0)
    let lastProgress = 0
    let reportedTotal = false
    let settled = false
    const onAbort = (): void => { settle(fail('aborted', 'hashing was cancelled')) }
    const settle = (r: Result<ReaderOutput[]>): void => {
      if (settled) return
      settled = true
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

    // A reading thread without piece-hash threads ends by itself once it has posted its result.
    const watch = (w: Worker, role: string, finished: () => boolean = () => false): void => {
      w.on('error', err => { settle(fail('worker-failed', `the ${role} thread failed: ${err.message}`)) })
      w.on('exit', code => {
        if (!finished()) settle(fail('worker-failed', `the ${role} thread stopped unexpectedly (exit code ${code})`))
      })
    }

    const onReaderMessage = (i: number, m: ReaderMessage): void => {
      if (settled) return // e.g. progress still queued when the job was aborted
      if (m.type === 'progress') {
        bytesDone[i] = m.bytesDone
        report(false)
      } else if (m.type === 'failed') {
        settle(fail(m.code, m.message))
      } else {
        const plan = plans[i]
        bytesDone[i] = plan === undefined ? 0 : bytesOf(plan)
        outputs[i] = { pieces: m.pieces === null ? null : Buffer.from(m.pieces), fileSha256: m.fileSha256 }
        const all = outputs.filter(o => o !== undefined)
        if (all.length === plans.length && (reportedTotal || report(true))) settle(ok(all))
      }
    }

    try {
      plans.forEach((plan, i) => {
        const ports: MessagePort[] = []
        for (let t = 0; t < plan.pieceThreads; t++) {
          const { port1, port2 } = new MessageChannel()
          const w = startSiblingWorker(import.meta.url, 'piece-hash-worker', { execArgv: NO_FLAGS, workerData: { port: port2 }, transferList: [port2] })
          workers.push(w)
          watch(w, 'piece-hash')
          ports.push(port1)
        }
        const start: ReaderStart = {
          files: plan.files,
          pieceLength: plan.pieceLength,
          chunkLength: plan.chunkLength,
          bufferCount: plan.bufferCount,
          readAhead: plan.readAhead,
          piecePorts: ports
        }
        const reader = startSiblingWorker(import.meta.url, 'read-hash-worker', { execArgv: NO_FLAGS, workerData: start, transferList: ports })
        workers.push(reader)
        watch(reader, 'reading', () => outputs[i] !== undefined)
        reader.on('message', (m: ReaderMessage) => { onReaderMessage(i, m) })
      })
    } catch (err) {
      settle(fail('worker-failed', `cannot start a hashing thread: ${errorMessage(err)}`))
    }
  })
  await Promise.all(workers.map(w => w.terminate()))
  return outcome
}
