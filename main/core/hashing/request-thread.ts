// One worker thread that answers each request with one reply: the pattern the digest thread, the
// piece checker and the file store's disk thread share. The thread starts on first use and keeps
// the process alive only while a request is in flight; a reply finds its caller by ticket. When the
// thread dies (an error, an exit, stop), every caller still waiting is told why, and the next
// request starts a new thread. What a lost request means differs per user (a digest is void, a
// piece is hashed on the calling thread, a disk batch fails), so that is theirs to say.
import type { TransferListItem, Worker } from 'node:worker_threads'
import { startSiblingWorker } from './sibling-worker.js'

export interface Ticketed {
  readonly ticket: number
}

export interface RequestThreadHooks<Reply, Waiting> {
  /** The thread answered the request `waiting` was kept for. */
  readonly answered: (waiting: Waiting, reply: Reply) => void
  /** The thread stopped before answering; `why` is a few words ("exit code 1"). */
  readonly lost: (waiting: Waiting, why: string) => void
  /** The thread stopped; called before `lost` for the callers still waiting. */
  readonly ended?: () => void
}

export class RequestThread<Request extends Ticketed, Reply extends Ticketed, Waiting> {
  private worker: Worker | undefined
  private readonly waiting = new Map<number, Waiting>()
  private nextTicket = 1

  /**
   * `callerUrl` and `moduleName` name the worker module beside the caller (startSiblingWorker);
   * the worker answers every request carrying a ticket with a reply carrying the same ticket.
   */
  constructor (
    private readonly callerUrl: string,
    private readonly moduleName: string,
    private readonly hooks: RequestThreadHooks<Reply, Waiting>
  ) {}

  /** Whether a thread is running now. */
  get running (): boolean { return this.worker !== undefined }

  /** Starts the thread when none runs: undefined once it runs, else why it could not start. */
  ensure (): string | undefined {
    if (this.worker !== undefined) return undefined
    let w: Worker
    try {
      w = startSiblingWorker(this.callerUrl, this.moduleName, { execArgv: [] })
    } catch (err) {
      return err instanceof Error ? err.message : String(err)
    }
    w.unref()
    w.on('message', (reply: Reply) => {
      const waiting = this.waiting.get(reply.ticket)
      if (waiting === undefined) return
      this.waiting.delete(reply.ticket)
      if (this.waiting.size === 0) w.unref()
      this.hooks.answered(waiting, reply)
    })
    w.on('error', err => this.ended(w, err.message))
    w.on('exit', code => this.ended(w, `exit code ${code}`))
    this.worker = w
    return undefined
  }

  /**
   * Sends the request `build` makes with a new ticket; `waiting` is handed back with its reply (or
   * its loss). Undefined once sent; else why no thread could be started, and nothing was sent.
   */
  ask (build: (ticket: number) => Request, waiting: Waiting, transfer: readonly TransferListItem[] = []): string | undefined {
    const failure = this.ensure()
    const w = this.worker
    if (failure !== undefined || w === undefined) return failure ?? 'the thread did not start'
    const ticket = this.nextTicket++
    this.waiting.set(ticket, waiting)
    if (this.waiting.size === 1) w.ref()
    w.postMessage(build(ticket), transfer)
    return undefined
  }

  /** A message that gets no reply, for the running thread only (none is started for it). */
  tell (message: unknown): void {
    this.worker?.postMessage(message)
  }

  /** Ends the thread: callers still waiting are told `why`; the next request starts a new thread. */
  async stop (why = 'stopped'): Promise<void> {
    const w = this.worker
    if (w === undefined) return
    this.ended(w, why)
    await w.terminate()
  }

  private ended (w: Worker, why: string): void {
    if (this.worker !== w) return
    this.worker = undefined
    this.hooks.ended?.()
    const all = [...this.waiting.values()]
    this.waiting.clear()
    for (const waiting of all) this.hooks.lost(waiting, why)
  }
}
