// What both shells of the app share: the current AppState of a node, a throttled stream of it,
// and command handling (validate, then execute). The Electron shell carries it over IPC, the
// agent's web UI over a WebSocket.
import type { ApiResult, AppState, Command, DeviceNotice, ShellKind } from '../../../common/api.js'
import { parseCommand } from '../../../common/commands.js'
import type { Peer } from '../discovery/peer-info.js'
import type { NodeEvents } from '../node/events.js'
import type { SwarmNode } from '../node/swarm-node.js'
import { errorMessage, fail } from '../../../common/result.js'
import { buildAppState } from './app-state.js'
import { runCommand, type CommandHost } from './command-runner.js'
import { FreeSpace } from './free-space.js'
import { PieceHistory } from './piece-history.js'
import { twinCheckOf, type TwinCheck } from './twin-check.js'

export interface AppServiceOptions {
  readonly shell: ShellKind
  readonly throttleMs?: number
  /** What commands may ask of the host process (stop); nothing by default. */
  readonly host?: CommandHost
}

type Listener = (s: AppState) => void

/** Rates and progress move without an event: a fresh state at least this often while someone listens. */
const REFRESH_MS = 1_000
/** Events that change what the UI shows. */
const CHANGES: ReadonlyArray<keyof NodeEvents> = [
  'peer-up', 'peer-down', 'hashing', 'distribution-created', 'offer-received', 'offer-accepted', 'offer-declined',
  'recipient-update', 'verified', 'failed', 'removed'
]

/** Notices kept for the front ends (AppState.notices). */
const MAX_NOTICES = 20

/** Timers may fire a millisecond early; a delivery that close to due counts as due. */
const TIMER_SLACK_MS = 5

interface Subscriber { last: number; stale: boolean }
/** A wait for the next state (nextState): answered once, at the first wait tick after a change. */
interface Waiter { stale: boolean; readonly answer: (s: AppState) => void }
/** How soon a change reaches a waiter; also how often a busy device answers one caller. */
const WAIT_TICK_MS = 250

export class AppService {
  private readonly listeners = new Map<Listener, Subscriber>()
  private readonly waiters = new Set<Waiter>()
  private waitTimer: NodeJS.Timeout | undefined
  private readonly history: PieceHistory
  /** One identity on two machines, here or among the others (shared by the node's front ends). */
  private readonly twins: TwinCheck
  private readonly freeSpace = new FreeSpace()
  private readonly gone = new Map<string, Peer>()
  private readonly notices: DeviceNotice[] = []
  private noticeSerial = 0
  private readonly throttleMs: number
  private readonly timer: NodeJS.Timeout
  private readonly detach: () => void
  private lastRefresh = 0
  private closed = false

  constructor (private readonly node: SwarmNode, private readonly opts: AppServiceOptions) {
    this.throttleMs = Math.max(16, opts.throttleMs ?? 250)
    this.history = new PieceHistory(node, () => this.changed())
    const onChange = (): void => this.changed()
    const onUp = (p: Peer): void => { this.gone.delete(p.id) }
    const onDown = (p: Peer): void => { this.gone.set(p.id, p) }
    const onRemoved = (e: { notice?: string }): void => { if (e.notice !== undefined) this.notice(e.notice) }
    const onNotice = (text: string): void => this.notice(text)
    this.twins = twinCheckOf(node)
    const unsubscribeTwins = this.twins.subscribe(text => this.notice(text))
    // Heard before this front end was made (the probe at start): shown from the first state on.
    const clash = this.twins.ownClash()
    if (clash !== undefined) this.notice(clash.message)
    for (const e of CHANGES) node.on(e, onChange)
    node.on('peer-up', onUp)
    node.on('peer-down', onDown)
    node.on('removed', onRemoved)
    node.on('notice', onNotice)
    this.detach = () => {
      for (const e of CHANGES) node.off(e, onChange)
      node.off('peer-up', onUp)
      node.off('peer-down', onDown)
      node.off('removed', onRemoved)
      node.off('notice', onNotice)
      unsubscribeTwins()
    }
    this.timer = setInterval(() => this.tick(), this.throttleMs)
    this.timer.unref()
    void this.refreshFreeSpace()
  }

  state (): AppState {
    return buildAppState(this.node, { shell: this.opts.shell, history: this.history, freeSpace: this.freeSpace, gone: () => [...this.gone.values()], notices: () => this.notices, twins: this.twins })
  }

  /** Keeps a sentence for every front end (the last MAX_NOTICES): a list that changed under a person says why. */
  private notice (text: string): void {
    this.notices.push({ id: `n${++this.noticeSerial}`, at: new Date().toISOString(), text })
    if (this.notices.length > MAX_NOTICES) this.notices.splice(0, this.notices.length - MAX_NOTICES)
    this.changed()
  }

  /** Each listener gets a state soon after subscribing, then at most one per throttle period. */
  subscribe (listener: Listener): () => void {
    this.listeners.set(listener, { last: 0, stale: true })
    const first = setTimeout(() => this.deliver([listener], Date.now()), 0)
    first.unref()
    return () => {
      clearTimeout(first)
      this.listeners.delete(listener)
    }
  }

  /**
   * The state once something changed (an event of the node, or a command), at most WAIT_TICK_MS
   * after the change; or the current one once `withinMs` passed with no change, or at once when
   * `signal` aborts. What a caller without a socket (the CLI, over the local API) waits on instead
   * of asking again and again.
   */
  async nextState (withinMs: number, signal?: AbortSignal): Promise<AppState> {
    return await new Promise((resolve, reject) => {
      let done = false
      const finish = (state: () => AppState | undefined): void => {
        if (done) return
        done = true
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        this.waiters.delete(waiter)
        // Called from a timer or an abort: a state that cannot be built fails the wait, not the process.
        const s = state()
        if (s !== undefined) resolve(s)
        else reject(new Error('the app state could not be built'))
      }
      const waiter: Waiter = { stale: false, answer: s => finish(() => s) }
      const onAbort = (): void => finish(() => this.snapshot())
      const timer = setTimeout(() => finish(() => this.snapshot()), Math.max(0, withinMs))
      timer.unref()
      if (signal?.aborted === true) return onAbort()
      signal?.addEventListener('abort', onAbort)
      this.waiters.add(waiter)
      if (this.waitTimer === undefined) {
        // Only while someone waits: an agent nobody asks keeps no fast timer.
        this.waitTimer = setInterval(() => this.tickWaiters(), WAIT_TICK_MS)
        this.waitTimer.unref()
      }
    })
  }

  async handle (raw: unknown): Promise<ApiResult<unknown>> {
    const command = parseCommand(raw)
    if (!command.ok) return command
    return this.execute(command.value)
  }

  async execute (command: Command): Promise<ApiResult<unknown>> {
    if (this.closed) return fail('closed', 'the app is shutting down')
    // Only the web UI needs to list folders (a browser cannot give a path); the desktop app has a
    // native file dialog, so its window is not given a way to read the disk's folders.
    if (command.type === 'browse' && this.opts.shell !== 'web') {
      return fail('unsupported', 'the desktop app chooses files with its own dialog: use "Choose a file to send…"')
    }
    let result: ApiResult<unknown>
    try {
      // A file sent to an id two machines answer for could reach either: refused, with why.
      const refused = command.type === 'send' || command.type === 'offer' ? await this.twins.refusal(command.to) : undefined
      result = refused !== undefined ? fail('duplicate', refused) : await runCommand(this.node, command, this.opts.host)
    } catch (err) {
      result = fail('internal', `${command.type} failed: ${errorMessage(err)}`)
    }
    this.changed()
    return result
  }

  close (): void {
    this.closed = true
    clearInterval(this.timer)
    clearInterval(this.waitTimer)
    this.waitTimer = undefined
    this.detach()
    this.history.close()
    this.listeners.clear()
  }

  private changed (): void {
    for (const s of this.listeners.values()) s.stale = true
    for (const w of this.waiters) w.stale = true
  }

  /** One state for every waiter that saw a change since it came; the timer ends with the last waiter. */
  private tickWaiters (): void {
    if (this.waiters.size === 0) {
      clearInterval(this.waitTimer)
      this.waitTimer = undefined
      return
    }
    const due = [...this.waiters].filter(w => w.stale)
    if (due.length === 0) return
    const state = this.snapshot()
    if (state !== undefined) for (const w of due) w.answer(state)
  }

  /** The current state, or undefined (with a warning) when it cannot be built. */
  private snapshot (): AppState | undefined {
    try {
      return this.state()
    } catch (err) {
      this.node.emit('warning', `app state: ${errorMessage(err)}`)
      return undefined
    }
  }

  private tick (): void {
    const now = Date.now()
    if (now - this.lastRefresh >= REFRESH_MS) {
      this.lastRefresh = now
      this.changed()
      void this.refreshFreeSpace()
    }
    const due = [...this.listeners].filter(([, s]) => s.stale && now - s.last >= this.throttleMs - TIMER_SLACK_MS).map(([l]) => l)
    if (due.length > 0) this.deliver(due, now)
  }

  /** One snapshot for all of `to`; `now` is when this round started, so the throttle never drifts short. */
  private deliver (to: readonly Listener[], now: number): void {
    const live = to.filter(l => this.listeners.has(l))
    if (live.length === 0) return
    const state = this.snapshot()
    if (state === undefined) return
    for (const l of live) {
      const s = this.listeners.get(l)
      if (s) { s.last = now; s.stale = false }
      try {
        l(state)
      } catch (err) {
        this.node.emit('warning', `app state listener: ${errorMessage(err)}`)
      }
    }
  }

  private async refreshFreeSpace (): Promise<void> {
    await this.freeSpace.refresh([this.node.settings.downloadsDir]).catch(() => {})
  }
}
