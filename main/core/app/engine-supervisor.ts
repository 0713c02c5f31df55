// The shell's side of the engine process: it starts the host (through a spawn function, so
// Electron's utilityProcess and Node's child_process serve alike), forwards commands and matches
// their answers, keeps the latest state, and restarts a host that died. What the shell shows
// carries the engine's status (AppState.engine), so the window and the tray can say it restarts.
// Imports no engine code: the process that runs it never loads SwarmNode.
import type { ApiResult, AppState, Command, EngineProcess } from '../../../common/api.js'
import { parseCommand } from '../../../common/commands.js'
import { parseHostMessage, type HostToShell, type ShellToHost } from '../../../common/engine-host-messages.js'
import { fail, ok, type Result } from '../../../common/result.js'

/** How a host process ended: an exit code, or the signal that ended it. */
export interface EngineExit {
  readonly code: number | null
  readonly signal: string | null
}

/** One running host process, as the supervisor drives it. */
export interface EngineProcessHandle {
  post (message: ShellToHost): void
  onMessage (listener: (raw: unknown) => void): void
  /** Called once, when the process has ended. */
  onExit (listener: (exit: EngineExit) => void): void
  /** Ends it now, without a graceful stop. */
  kill (): void
}

export type SpawnEngine = () => EngineProcessHandle

export interface SupervisorOptions {
  /** The wait before each restart in a row; the last one repeats. */
  readonly backoffMs?: readonly number[]
  /** A host that ran this long counts as healthy: a crash after that starts the count again. */
  readonly healthyAfterMs?: number
  /** Crashes in a row, each sooner than healthyAfterMs after its start, before giving up. */
  readonly maxCrashes?: number
  /** How long a graceful stop may take (mDNS goodbye, journals) before the host is killed. */
  readonly stopTimeoutMs?: number
  /** Warnings of the engine and of the supervisor itself, for the log. */
  readonly onWarning?: (message: string) => void
}

export type SupervisorStatus = 'starting' | 'running' | 'restarting' | 'failed' | 'stopping' | 'stopped'

type Listener = (state: AppState) => void

const BACKOFF_MS: readonly number[] = [500, 1_000, 2_000, 5_000, 10_000]
const HEALTHY_AFTER_MS = 60_000
const MAX_CRASHES = 5
const STOP_TIMEOUT_MS = 8_000
/** After a kill, how long to wait for the exit before giving up on it. */
const KILL_WAIT_MS = 2_000

export const RESTARTING_CODE = 'engine-restarting'
export const ENGINE_FAILED_CODE = 'engine-stopped'

function describeExit (exit: EngineExit): string {
  if (exit.signal !== null) return `ended by ${exit.signal}`
  return exit.code === null ? 'ended' : `exit code ${exit.code}`
}

export function restartingMessage (why: string): string {
  return `The engine stopped unexpectedly (${why}); restarting it, and transfers resume once it is back.`
}

export function gaveUpMessage (crashes: number, why: string): string {
  return `The engine stopped ${crashes} times in a row soon after starting (last: ${why}), so Swarmdrop stopped restarting it: try again once that is mended, or quit and open Swarmdrop again.`
}

/** While an engine given up on starts again because the person asked. */
export const RETRY_MESSAGE = 'Starting the engine again, as asked.'

interface Live {
  readonly handle: EngineProcessHandle
  readonly exited: Promise<EngineExit>
  readonly spawnedAt: number
  /** Why it could not start, when it said so before exiting. */
  startError: string | null
}

interface Pending { readonly resolve: (r: ApiResult<unknown>) => void }

export class EngineSupervisor {
  private statusNow: SupervisorStatus = 'starting'
  private message = ''
  private latest: AppState | null = null
  private live: Live | null = null
  private crashes = 0
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Set<Listener>()
  private restartTimer: NodeJS.Timeout | null = null
  private firstStart: ((r: Result<AppState>) => void) | null = null
  private stopping: Promise<void> | null = null
  private readonly backoffMs: readonly number[]
  private readonly healthyAfterMs: number
  private readonly maxCrashes: number
  private readonly stopTimeoutMs: number

  constructor (private readonly spawn: SpawnEngine, private readonly opts: SupervisorOptions = {}) {
    this.backoffMs = opts.backoffMs !== undefined && opts.backoffMs.length > 0 ? opts.backoffMs : BACKOFF_MS
    this.healthyAfterMs = opts.healthyAfterMs ?? HEALTHY_AFTER_MS
    this.maxCrashes = Math.max(1, opts.maxCrashes ?? MAX_CRASHES)
    this.stopTimeoutMs = opts.stopTimeoutMs ?? STOP_TIMEOUT_MS
  }

  /**
   * Starts the first host and settles with its first state, or with why it could not start (then
   * nothing is restarted: the shell says so and exits, as when the device cannot start in-process).
   */
  start (): Promise<Result<AppState>> {
    if (this.live !== null || this.statusNow !== 'starting') return Promise.resolve(fail('started', 'the engine was already started'))
    return new Promise(resolve => {
      this.firstStart = resolve
      this.launch()
    })
  }

  status (): SupervisorStatus { return this.statusNow }

  /** The latest state the engine sent, with the engine's status; throws before the first start. */
  state (): AppState {
    if (this.latest === null) throw new Error('the engine has not started yet')
    return this.withStatus(this.latest)
  }

  /** Every state the engine sends, and every change of the engine's status, with that status. */
  subscribe (listener: Listener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Validates `raw` (the shell's own callers may pass anything), then executes it. */
  async handle (raw: unknown): Promise<ApiResult<unknown>> {
    const command = parseCommand(raw)
    return command.ok ? this.execute(command.value) : command
  }

  /** Sends the command to the engine; while there is none, answers at once with why. */
  execute (command: Command): Promise<ApiResult<unknown>> {
    if (command.type === 'restart-engine') return Promise.resolve(this.restart())
    const unavailable = this.unavailable()
    if (unavailable !== null || this.live === null) return Promise.resolve(unavailable ?? fail('starting', 'the engine is still starting: try again in a moment.'))
    const id = this.nextId++
    const { handle } = this.live
    return new Promise(resolve => {
      this.pending.set(id, { resolve })
      try {
        handle.post({ kind: 'command', id, command })
      } catch {
        // The channel closed under us: the exit follows and answers this command.
      }
    })
  }

  /**
   * After giving up (status `failed`): starts the engine again with a fresh count of crashes, since
   * the person asked (having freed a disk, say). While the engine runs or restarts there is nothing
   * to do, and that is an answer, not an error: a second click must not alarm anyone.
   */
  restart (): ApiResult<Record<string, never>> {
    switch (this.statusNow) {
      case 'failed':
        this.crashes = 0
        this.statusNow = 'restarting'
        this.message = RETRY_MESSAGE
        this.warn('starting the engine again, as asked')
        this.emit()
        this.launch()
        return ok({})
      case 'stopping':
      case 'stopped': return fail('closed', 'the app is shutting down')
      default: return ok({})
    }
  }

  /** Asks the engine to leave the network cleanly; kills it after the timeout. Once. */
  stop (): Promise<void> {
    this.stopping ??= this.stopAll()
    return this.stopping
  }

  private unavailable (): ApiResult<never> | null {
    switch (this.statusNow) {
      case 'running': return null
      case 'starting': return this.latest === null ? null : fail(RESTARTING_CODE, 'The engine is starting again: try again in a few seconds.')
      case 'restarting': return fail(RESTARTING_CODE, 'The engine is restarting after it stopped unexpectedly: try again in a few seconds.')
      case 'failed': return fail(ENGINE_FAILED_CODE, this.message)
      case 'stopping':
      case 'stopped': return fail('closed', 'the app is shutting down')
    }
  }

  private engineStatus (): EngineProcess {
    switch (this.statusNow) {
      case 'restarting':
      case 'starting': return { status: this.latest === null ? 'running' : 'restarting', message: this.message }
      case 'failed': return { status: 'failed', message: this.message }
      default: return { status: 'running', message: 'The engine runs.' }
    }
  }

  private withStatus (state: AppState): AppState {
    return { ...state, engine: this.engineStatus() }
  }

  private launch (): void {
    let handle: EngineProcessHandle
    try {
      handle = this.spawn()
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      this.crashed(null, `it could not be started: ${why}`)
      return
    }
    let exited!: (e: EngineExit) => void
    const live: Live = { handle, exited: new Promise(resolve => { exited = resolve }), spawnedAt: Date.now(), startError: null }
    this.live = live
    handle.onMessage(raw => { if (this.live === live) this.receive(live, raw) })
    handle.onExit(exit => {
      exited(exit)
      if (this.live === live) this.crashed(live, live.startError ?? describeExit(exit))
    })
  }

  private receive (live: Live, raw: unknown): void {
    const parsed = parseHostMessage(raw)
    if (!parsed.ok) {
      this.warn(`dropped a message from the engine: ${parsed.error.message}`)
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
      if (typeof id === 'number') this.answer(id, fail('internal', `the engine's answer was malformed: ${parsed.error.message}`))
      return
    }
    const m: HostToShell = parsed.value
    switch (m.kind) {
      case 'ready':
        this.latest = m.state
        if (this.statusNow === 'starting' || this.statusNow === 'restarting') {
          this.statusNow = 'running'
          this.message = ''
        }
        if (this.firstStart !== null) {
          this.firstStart(ok(this.state()))
          this.firstStart = null
        }
        this.emit()
        return
      case 'state':
        this.latest = m.state
        this.emit()
        return
      case 'result': this.answer(m.id, m.result); return
      case 'warning': this.warn(m.message); return
      case 'start-failed': live.startError = m.error.message; return
      case 'stopped': return
    }
  }

  private answer (id: number, result: ApiResult<unknown>): void {
    const p = this.pending.get(id)
    if (p === undefined) return
    this.pending.delete(id)
    p.resolve(result)
  }

  private failPending (result: ApiResult<never>): void {
    const all = [...this.pending.values()]
    this.pending.clear()
    for (const p of all) p.resolve(result)
  }

  /** A host ended while it should run: restart it after a pause, or give up after too many in a row. */
  private crashed (live: Live | null, why: string): void {
    this.live = null
    if (this.statusNow === 'stopping' || this.statusNow === 'stopped') return
    if (this.firstStart !== null) {
      this.firstStart(fail('engine-start', `The engine could not start (${why}).`))
      this.firstStart = null
      this.statusNow = 'stopped'
      this.failPending(fail('closed', 'the engine could not start'))
      return
    }
    this.failPending(fail(RESTARTING_CODE, 'The engine stopped before it answered; it is restarting: try again in a few seconds.'))
    const ranFor = live === null ? 0 : Date.now() - live.spawnedAt
    this.crashes = ranFor >= this.healthyAfterMs ? 1 : this.crashes + 1
    if (this.crashes >= this.maxCrashes) {
      this.statusNow = 'failed'
      this.message = gaveUpMessage(this.crashes, why)
      this.warn(this.message)
      this.emit()
      return
    }
    this.statusNow = 'restarting'
    this.message = restartingMessage(why)
    this.warn(this.message)
    this.emit()
    const wait = this.backoffMs[Math.min(this.crashes - 1, this.backoffMs.length - 1)] ?? 0
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null
      if (this.statusNow === 'restarting') this.launch()
    }, wait)
  }

  private async stopAll (): Promise<void> {
    const wasStarting = this.firstStart
    this.statusNow = 'stopping'
    if (this.restartTimer !== null) clearTimeout(this.restartTimer)
    this.restartTimer = null
    this.failPending(fail('closed', 'the app is shutting down'))
    const live = this.live
    if (live !== null) {
      try {
        live.handle.post({ kind: 'stop' })
      } catch {
        // Already gone: the exit settles below.
      }
      if (await settlesWithin(live.exited, this.stopTimeoutMs) === null) {
        this.warn(`the engine did not stop within ${this.stopTimeoutMs / 1000} s: ending it`)
        live.handle.kill()
        await settlesWithin(live.exited, KILL_WAIT_MS)
      }
    }
    this.live = null
    this.statusNow = 'stopped'
    if (wasStarting !== null) {
      wasStarting(fail('closed', 'the app was quit while the engine started'))
      this.firstStart = null
    }
    this.listeners.clear()
  }

  private emit (): void {
    if (this.latest === null) return
    const state = this.withStatus(this.latest)
    for (const l of this.listeners) {
      try {
        l(state)
      } catch (err) {
        this.warn(`state listener: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }

  private warn (message: string): void {
    this.opts.onWarning?.(message)
  }
}

/** The value of `p` if it settles within `ms`, else null. */
async function settlesWithin<T> (p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<null>(resolve => { timer = setTimeout(() => resolve(null), ms) })
  try {
    return await Promise.race([p, late])
  } finally {
    clearTimeout(timer)
  }
}
