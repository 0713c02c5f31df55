// A recipient's knowledge of the other members: what the distribution's sender last answered to
// its reports (swarm-view.ts), and whether the sender still answers. A verified copy no longer
// reports progress, so while the others can still change it reports now and then just to hear.
import type { SwarmView } from '../protocol/swarm-view.js'

export interface HeardSwarm {
  /** The sender's last view of every member; undefined until one is heard. */
  readonly view?: SwarmView
  /** When it was heard (ms). */
  readonly heardAt?: number
  /** Since when the sender has not answered (ms); undefined while it answers. */
  readonly senderSilentSince?: number
}

/**
 * Final for this offer: nothing changes until the sender offers again. While any member is in
 * another state, a verified copy reports every HEARTBEAT_MS.changing (the origin relies on it).
 */
export const SETTLED_STATES: readonly string[] = ['verified', 'declined', 'failed', 'unreachable', 'timeout']

/**
 * How often a verified copy asks while some member is still on its way, when all are done, and
 * when the sender is silent; `away` when all are done but a verified member is offline (it may
 * come back, and this device's own report is what shows the sender it is still there).
 */
export const HEARTBEAT_MS = { changing: 2_000, settled: 30_000, silent: 10_000, away: 10_000 } as const

interface Entry { view?: SwarmView; heardAt?: number; silentSince?: number; lastAsked: number; watched: boolean }

export class SwarmViews {
  private readonly entries = new Map<string, Entry>()
  private readonly timer: NodeJS.Timeout
  private readonly busy = new Set<string>()

  constructor (
    private readonly stopped: () => boolean,
    /** Sends one report for `ih`; resolves false when there is nothing to report about any more. */
    private readonly ask: (ih: string) => Promise<boolean>
  ) {
    this.timer = setInterval(() => this.tick(), 1_000)
    this.timer.unref()
  }

  get (ih: string): HeardSwarm | undefined {
    const e = this.entries.get(ih)
    if (!e) return undefined
    return {
      ...(e.view ? { view: e.view } : {}),
      ...(e.heardAt !== undefined ? { heardAt: e.heardAt } : {}),
      ...(e.silentSince !== undefined ? { senderSilentSince: e.silentSince } : {})
    }
  }

  /** Keep asking the sender about `ih` (a verified copy that no longer reports progress). */
  watch (ih: string): void {
    const e = this.entry(ih)
    e.watched = true
  }

  heard (ih: string, view: SwarmView): void {
    const e = this.entry(ih)
    e.view = view
    e.heardAt = Date.now()
    delete e.silentSince
  }

  /** The sender answered without a view (an older version): it is there. */
  answered (ih: string): void {
    delete this.entry(ih).silentSince
  }

  unanswered (ih: string): void {
    const e = this.entry(ih)
    e.silentSince ??= Date.now()
  }

  /** The distribution left this device: nothing more to ask or show about it. */
  forget (ih: string): void { this.entries.delete(ih) }

  stop (): void { clearInterval(this.timer) }

  private entry (ih: string): Entry {
    let e = this.entries.get(ih)
    if (!e) { e = { lastAsked: Date.now(), watched: false }; this.entries.set(ih, e) }
    return e
  }

  private tick (): void {
    if (this.stopped()) return
    const now = Date.now()
    for (const [ih, e] of this.entries) {
      if (!e.watched || this.busy.has(ih)) continue
      const settled = e.view !== undefined && e.view.members.every(m => SETTLED_STATES.includes(m.state))
      const away = e.view?.members.some(m => m.offlineSince !== undefined) === true
      const every = e.silentSince !== undefined ? HEARTBEAT_MS.silent : !settled ? HEARTBEAT_MS.changing : away ? HEARTBEAT_MS.away : HEARTBEAT_MS.settled
      if (now - e.lastAsked < every) continue
      e.lastAsked = now
      this.busy.add(ih)
      this.ask(ih).then(still => {
        this.busy.delete(ih)
        if (!still) e.watched = false
      }, () => { this.busy.delete(ih) })
    }
  }
}
